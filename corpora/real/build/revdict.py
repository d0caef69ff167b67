"""English reverse dictionary: query = a WordNet 3.0 definition, documents = GCIDE articles with every
WordNet-derived block removed, relevant = the articles of the synset's single-word lemmas.

Input:  the root of the extracted (or installed) Debian packages dict-gcide (usr/share/dictd/gcide.{index,dict.dz})
        and wordnet-base (usr/share/wordnet/data.{noun,verb,adj,adv}).
Output: a BEIR folder (see common.write_beir).
"""
import gzip
import os
import re

from common import overlap_kind, rank_key, split_queries, write_beir

DOCUMENTS = 20_000
DEV_QUERIES = 500
TEST_QUERIES = 2_000
SALT = "lmtollm-revdict-v1"

_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_TAG_LINE = re.compile(r"^\s*\[[^\[\]]*\]\s*$")
_PRONUNCIATION = re.compile(r"\s*\\[^\\\n]*\\")
_SPACE = re.compile(r"\s+")


def _b64(s):
    v = 0
    for c in s:
        v = v * 64 + _B64[c]
    return v


def read_gcide(root):
    """Yields (offset, headword, block text) for every distinct block of the dictd database, in file order."""
    folder = os.path.join(root, "usr", "share", "dictd")
    with gzip.open(os.path.join(folder, "gcide.dict.dz"), "rb") as f:
        data = f.read()
    blocks = {}
    with open(os.path.join(folder, "gcide.index"), encoding="utf-8") as f:
        for line in f:
            word, offset, length = line.rstrip("\n").split("\t")
            if word.startswith("00-"):
                continue  # database information entries
            blocks.setdefault((_b64(offset), _b64(length)), word)
    for (offset, length), index_word in sorted(blocks.items()):
        raw = data[offset:offset + length]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # a few articles carry Windows-1252 quotes
            text = raw.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        head = first.split(" \\", 1)[0].strip() if " \\" in first else index_word
        yield offset, head, text


def strip_wordnet(text):
    """Drops every block whose source tag names WordNet: a block is the run of lines since the previous tag line
    (a line holding only "[...]"), so a sense, its "Syn:" list and its tag go together. The head line stays."""
    lines = text.split("\n")
    head, body = lines[0], lines[1:]
    kept, block = [], []
    for line in body:
        block.append(line)
        if _TAG_LINE.match(line):
            if "wordnet" not in line.lower():
                kept.extend(block[:-1])  # keep the text, drop the tag line itself
            block = []
    kept.extend(block)
    return head, "\n".join(kept)


def clean(text):
    text = text.replace("[ae]", "\u00e6").replace("[oe]", "\u0153").replace("[AE]", "\u00c6").replace("[OE]", "\u0152")
    text = text.replace("{", "").replace("}", "")
    return _SPACE.sub(" ", text).strip()


def read_documents(root):
    """GCIDE articles merged by lower-cased headword: id = headword with '_' for spaces, title = headword,
    text = the article without WordNet blocks, pronunciations or source tags. Empty articles are dropped."""
    merged = {}
    for _, head, text in read_gcide(root):
        head_line, body = strip_wordnet(text)
        body = clean(body)
        if not body:
            continue
        head_line = clean(_PRONUNCIATION.sub("", head_line, count=1))
        key = head.lower()
        if key not in merged:
            merged[key] = (head, [])
        merged[key][1].append(head_line + " " + body)
    return {key.replace(" ", "_"): (title, " ".join(parts)) for key, (title, parts) in merged.items()}


def read_synsets(root):
    """Yields (query id, definition, single-word lemmas) for every WordNet 3.0 synset, definition = the gloss
    without its quoted examples."""
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(root, "usr", "share", "wordnet", "data." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):
                    continue  # licence header
                fields, _, gloss = line.partition(" | ")
                parts = fields.split()
                offset, ss_type, count = parts[0], parts[2], int(parts[3], 16)
                lemmas = [re.sub(r"\([a-z]+\)$", "", parts[4 + 2 * i]).lower() for i in range(count)]
                definition = gloss.split('"', 1)[0].strip().rstrip(";").strip()
                single = sorted({w for w in lemmas if "_" not in w})
                if definition and single:
                    yield ss_type + offset, definition, single


def build(gcide_root, wordnet_root, out):
    documents = read_documents(gcide_root)
    sample = sorted(documents, key=lambda d: rank_key(SALT, d))[:DOCUMENTS]
    chosen = set(sample)
    candidates, seen_definitions = {}, set()
    for qid, definition, lemmas in read_synsets(wordnet_root):
        relevant = sorted(w for w in lemmas if w in chosen)
        if not relevant or definition.lower() in seen_definitions:
            continue
        # a definition copied verbatim into a relevant article would make the query trivial: skip it
        if any(definition.lower() in documents[d][1].lower() for d in relevant):
            continue
        seen_definitions.add(definition.lower())
        candidates[qid] = (definition, relevant)
    dev, test = split_queries(candidates, SALT, DEV_QUERIES, TEST_QUERIES)
    kinds = {q: overlap_kind(candidates[q][0], [documents[d][1] for d in candidates[q][1]]) for q in dev + test}
    write_beir(out,
               [(d, documents[d][0], documents[d][1]) for d in sorted(chosen)],
               {q: candidates[q][0] for q in candidates},
               {q: candidates[q][1] for q in dev}, {q: candidates[q][1] for q in test}, kinds)
    return {"documents": len(chosen), "candidate queries": len(candidates), "dev": len(dev), "test": len(test)}
