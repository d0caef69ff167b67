"""LibreOffice 7.4 help index tasks (English, Korean, English -> Korean) and the English-Korean parallel text.

Input:  roots of the extracted Debian packages libreoffice-help-en-us, libreoffice-help-ko
        (usr/share/libreoffice/help/LANG/{bookmarks.js,text/**.html}) and libreoffice-l10n-ko
        (usr/lib/libreoffice/program/resource/ko/LC_MESSAGES/*.mo).
Output: BEIR folders en-help, ko-help, en-ko-help and the folder en-ko-parallel under OUT.
A document is a help page present in both languages (id = its path under text/, without .html), its text the
page body without the <meta itemprop="keywords"> copies of the index; a query is an entry of the help's own index
(bookmarks.js), relevant = the page(s) the entry points to.
"""
import html
import os
import re
import struct
from html.parser import HTMLParser

from common import overlap_kind, split_queries, write_beir, write_gzip

DEV_QUERIES = 500
TEST_QUERIES = 2_000
SALT = "lmtollm-help-v1"

_BOOKMARK = re.compile(r'\{url:"([^"]*)", app:"([^"]*)", text:"((?:[^"\\]|\\.)*)"\}')
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_PARAGRAPH = re.compile(r'<(p|h[1-6])\s+id="((?:par|hd)_id[^"]*)"[^>]*>(.*?)</\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_BLOCK_TAGS = frozenset("p div h1 h2 h3 h4 h5 h6 li td th tr br table ol ul pre".split())


def _squash(text):
    return _SPACE.sub(" ", text).strip()


class _TextOf(HTMLParser):
    """Visible text of an HTML fragment: block tags separate words, script and style are skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(fragment):
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    return _squash("".join(parser.parts))


def read_pages(root, lang):
    """{page id: (title, body text, {paragraph id: text})} for every help page of one language."""
    base = os.path.join(root, "usr", "share", "libreoffice", "help", lang, "text")
    pages = {}
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(folder, name)
            page = os.path.relpath(path, base)[: -len(".html")].replace(os.sep, "/")
            with open(path, encoding="utf-8") as f:
                source = f.read()
            start = source.find('<div id="DisplayArea"')
            end = source.find('<div id="SearchFrame"', start)
            if start < 0 or end < 0:
                continue
            area = _META.sub(" ", source[start:end])  # the index terms, copied into the page as keywords
            title = _TITLE.search(source)
            paragraphs = {}
            for match in _PARAGRAPH.finditer(area):
                text = _squash(html.unescape(_TAG.sub(" ", match.group(3))))
                if text:
                    paragraphs.setdefault(match.group(2), text)
            body = visible_text(area)
            if body:
                pages[page] = (_squash(html.unescape(title.group(1))) if title else "", body, paragraphs)
    return pages


def read_index(root, lang):
    """{query text: set of page ids} from bookmarks.js; 'term -- subterm' becomes 'term, subterm'."""
    path = os.path.join(root, "usr", "share", "libreoffice", "help", lang, "bookmarks.js")
    with open(path, encoding="utf-8") as f:
        source = f.read()
    index = {}
    for url, _app, text in _BOOKMARK.findall(source):
        text = re.sub(r"\\(.)", r"\1", text)
        query = _squash(html.unescape(text).replace("--", ","))
        query = _squash(re.sub(r"\s+,", ",", query)).strip(", ")
        page = url.split("/text/", 1)[1].split(".html", 1)[0]
        if query:
            index.setdefault(query, set()).add(page)
    return index


def read_mo(path):
    """(msgid, msgstr) pairs of a GNU gettext .mo file, context and plural forms dropped (first form kept)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic == 0x950412DE else ">"
    _, count, originals, translations = struct.unpack(endian + "4I", data[4:20])
    pairs = []
    for i in range(count):
        olen, ooff = struct.unpack(endian + "2I", data[originals + 8 * i: originals + 8 * i + 8])
        tlen, toff = struct.unpack(endian + "2I", data[translations + 8 * i: translations + 8 * i + 8])
        source = data[ooff:ooff + olen].decode("utf-8").split("\x04")[-1].split("\x00")[0]
        target = data[toff:toff + tlen].decode("utf-8").split("\x00")[0]
        if source and target:
            pairs.append((source, target))
    return pairs


def _clean_ui(text):
    text = re.sub(r"\((?:~|_)[A-Za-z0-9]\)", "", text)  # Korean mnemonics: 파일(~F)
    text = text.replace("~", "")
    text = re.sub(r"(?<![A-Za-z0-9])_(?=[A-Za-z0-9])", "", text)  # GTK mnemonics: _File
    return _squash(text)


def parallel_text(en_pages, ko_pages, pages, l10n_root):
    """Translation pairs of the .mo files and id-aligned help paragraphs, as 'english<TAB>korean' lines; a pair
    counts when the Korean side holds Hangul (an untranslated string teaches nothing)."""
    folder = os.path.join(l10n_root, "usr", "lib", "libreoffice", "program", "resource", "ko", "LC_MESSAGES")
    ui = set()
    for name in sorted(os.listdir(folder)):
        if name.endswith(".mo"):
            for en, ko in read_mo(os.path.join(folder, name)):
                en, ko = _clean_ui(en), _clean_ui(ko)
                if en and _HANGUL.search(ko):
                    ui.add(f"{en}\t{ko}\n")
    help_pairs = []
    for page in pages:
        en_par, ko_par = en_pages[page][2], ko_pages[page][2]
        for pid in sorted(en_par):
            ko = ko_par.get(pid)
            if ko and ko != en_par[pid] and _HANGUL.search(ko):
                help_pairs.append(f"{page}\t{pid}\t{en_par[pid]}\t{ko}\n")
    return sorted(ui), help_pairs


def _queries(index, pages, prefix, keep):
    """Query ids in the sorted order of the texts; relevant pages limited to the shared page set."""
    queries, relevant = {}, {}
    number = 0
    for text in sorted(index):
        judged = sorted(p for p in index[text] if p in pages)
        if not judged or not keep(text):
            continue
        number += 1
        qid = f"{prefix}{number:05d}"
        queries[qid], relevant[qid] = text, judged
    return queries, relevant


def build(en_root, ko_root, l10n_root, out):
    en_pages, ko_pages = read_pages(en_root, "en-US"), read_pages(ko_root, "ko")
    pages = sorted(set(en_pages) & set(ko_pages))
    shared = set(pages)
    stats = {"pages en": len(en_pages), "pages ko": len(ko_pages), "pages in both": len(pages)}

    en_queries, en_rel = _queries(read_index(en_root, "en-US"), shared, "en-q", lambda t: True)
    ko_queries, ko_rel = _queries(read_index(ko_root, "ko"), shared, "ko-q", lambda t: _HANGUL.search(t) is not None)
    en_dev, en_test = split_queries(en_queries, SALT, DEV_QUERIES, TEST_QUERIES)
    ko_dev, ko_test = split_queries(ko_queries, SALT, DEV_QUERIES, TEST_QUERIES)

    for name, doc_pages, queries, rel, dev, test in (
            ("en-help", en_pages, en_queries, en_rel, en_dev, en_test),
            ("ko-help", ko_pages, ko_queries, ko_rel, ko_dev, ko_test),
            ("en-ko-help", ko_pages, en_queries, en_rel, en_dev, en_test)):
        kinds = {q: overlap_kind(queries[q], [doc_pages[p][1] for p in rel[q]]) for q in dev + test}
        write_beir(os.path.join(out, name),
                   [(p, doc_pages[p][0], doc_pages[p][1]) for p in pages],
                   queries, {q: rel[q] for q in dev}, {q: rel[q] for q in test}, kinds)
        stats[name] = f"{len(queries)} queries ({len(dev)} dev, {len(test)} test)"

    ui, help_pairs = parallel_text(en_pages, ko_pages, pages, l10n_root)
    write_gzip(os.path.join(out, "en-ko-parallel", "ui-strings.tsv.gz"), "english\tkorean\n" + "".join(ui))
    write_gzip(os.path.join(out, "en-ko-parallel", "help-paragraphs.tsv.gz"),
               "page\tparagraph\tenglish\tkorean\n" + "".join(help_pairs))
    stats["ui string pairs"] = len(ui)
    stats["help paragraph pairs"] = len(help_pairs)
    return stats
