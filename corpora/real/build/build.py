#!/usr/bin/env python3
"""Builds the real collections of corpora/real from Debian packages, deterministically.

  python3 corpora/real/build/build.py revdict --gcide ROOT --wordnet ROOT --out corpora/real
  python3 corpora/real/build/build.py help --help-en ROOT --help-ko ROOT --l10n-ko ROOT --out corpora/real

Each ROOT is the folder a package was extracted into (`dpkg-deb -x PACKAGE.deb ROOT`), or `/` for an installed
package. Same package versions (and Python/zlib) give byte-identical files.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import helpcollections  # noqa: E402
import revdict  # noqa: E402


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    r = sub.add_parser("revdict", help="en-revdict from dict-gcide and wordnet-base")
    r.add_argument("--gcide", required=True, help="root of the extracted dict-gcide package")
    r.add_argument("--wordnet", required=True, help="root of the extracted wordnet-base package")
    r.add_argument("--out", required=True, help="corpora/real")
    h = sub.add_parser("help", help="en-help, ko-help, en-ko-help and en-ko-parallel from the LibreOffice packages")
    h.add_argument("--help-en", required=True, help="root of the extracted libreoffice-help-en-us package")
    h.add_argument("--help-ko", required=True, help="root of the extracted libreoffice-help-ko package")
    h.add_argument("--l10n-ko", required=True, help="root of the extracted libreoffice-l10n-ko package")
    h.add_argument("--out", required=True, help="corpora/real")
    args = parser.parse_args(argv)
    if args.what == "revdict":
        stats = revdict.build(args.gcide, args.wordnet, os.path.join(args.out, "en-revdict"))
    else:
        stats = helpcollections.build(args.help_en, args.help_ko, args.l10n_ko, args.out)
    for key, value in stats.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
