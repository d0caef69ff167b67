#!/usr/bin/env bash
# Baselines of corpora/real (README, "Baselines"): trains in-domain word2vec vectors from the committed files, runs
# `lmtollm compare` on every collection's test split and prints nDCG@10 by query kind.
#   bash corpora/real/build/baselines.sh OUT [W2V-OPTIONS...]     (run from the repository root)
# Word2vec with 2 threads is Hogwild, so dense and hybrid figures vary slightly from run to run.
set -euo pipefail
out=$1; shift
w2v_options=("$@")
real=corpora/real
build=$(dirname "$0")
mkdir -p "$out"
dotnet build src/LmToLlm.Cli -c Release -v q -nologo > /dev/null
cli=(dotnet src/LmToLlm.Cli/bin/Release/net10.0/LmToLlm.Cli.dll)

# Training text: each document (title + text) on one line, `simple` tokens (what the dense models read);
# BWESG: both sides of each parallel pair on one line, words shuffled with a fixed seed.
python3 - "$real" "$out" <<'EOF'
import gzip, json, sys
real, out = sys.argv[1:]
for c in ("en-revdict", "en-help", "ko-help"):
    with open(f"{out}/{c}.docs.txt", "w", encoding="utf-8") as f:
        for line in gzip.open(f"{real}/{c}/corpus.jsonl.gz", "rt", encoding="utf-8"):
            d = json.loads(line)
            f.write(d["title"] + " " + d["text"] + "\n")
with open(f"{out}/pairs.txt", "w", encoding="utf-8") as f:
    for name, first in (("ui-strings", 0), ("help-paragraphs", 2)):
        for row in gzip.open(f"{real}/en-ko-parallel/{name}.tsv.gz", "rt", encoding="utf-8").read().split("\n")[1:]:
            if row:
                fields = row.split("\t")
                f.write(fields[first] + " " + fields[first + 1] + "\n")
EOF
for c in en-revdict en-help ko-help; do "${cli[@]}" tokenize --analyzer simple < "$out/$c.docs.txt" > "$out/$c.train.txt"; done
"${cli[@]}" tokenize --analyzer simple < "$out/pairs.txt" | python3 -c "
import random, sys
rng = random.Random(1)
for line in sys.stdin:
    words = line.split(); rng.shuffle(words); print(' '.join(words))" > "$out/bwesg.train.txt"

for v in en-revdict en-help ko-help bwesg; do
  window=5; [ "$v" = bwesg ] && window=10
  "${cli[@]}" w2v train --text "$out/$v.train.txt" --out "$out/$v.bin" --cbow --size 100 --window $window --threads 2 "${w2v_options[@]}" > /dev/null
done

for spec in "en-revdict english en-revdict" "en-help english en-help" "ko-help korean ko-help" "en-ko-help korean bwesg"; do
  set -- $spec
  "${cli[@]}" compare --corpus "$real/$1" --models bm25,tfidf,lsa,dense,hybrid --analyzer "$2" \
      --vectors "$out/$3.bin" --depth 1000 --out "$out/$1"
  python3 "$build/per_kind.py" "$out/$1" "$real/$1"
done
