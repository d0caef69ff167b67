"""Shared helpers of the real-collection builders: deterministic gzip/JSON output, hashing, query kinds.

Everything written here depends only on its input and the Python/zlib version: sorted inputs, no clocks, no
file names inside gzip headers, no randomness except SHA-256 of fixed strings.
"""
import gzip
import hashlib
import io
import json
import os
import re

STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being below between both but
by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or
other our ours ourselves out over own same she should so some such than that the their theirs them themselves then
there these they this those through to too under until up upon very was we were what when where which while who whom
why will with would you your yours yourself yourselves etc esp something someone somebody one ones used use
""".split())


def rank_key(salt, item):
    """A stable pseudo-random order: SHA-256 of salt and item."""
    return hashlib.sha256((salt + "\u0000" + item).encode("utf-8")).hexdigest()


def write_gzip(path, text):
    """gzip with mtime 0 and no file name, so the bytes depend on the text and the zlib version only."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as z:
        z.write(text.encode("utf-8"))
    with open(path, "wb") as f:
        f.write(raw.getvalue())


def write_text(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def jsonl(objects):
    return "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objects)


def write_beir(folder, documents, queries, dev, test, kinds):
    """documents: [(id, title, text)], queries: {id: text}, dev/test: {qid: sorted [doc ids]}, kinds: {qid: kind}."""
    write_gzip(os.path.join(folder, "corpus.jsonl.gz"),
               jsonl({"_id": d, "title": t, "text": x} for d, t, x in documents))
    used = sorted(set(dev) | set(test))
    write_gzip(os.path.join(folder, "queries.jsonl.gz"), jsonl({"_id": q, "text": queries[q]} for q in used))
    for name, split in (("dev", dev), ("test", test)):
        lines = ["query-id\tcorpus-id\tscore\n"]
        for q in sorted(split):
            lines.extend(f"{q}\t{d}\t1\n" for d in split[q])
        write_text(os.path.join(folder, "qrels", name + ".tsv"), "".join(lines))
    lines = ["query-id\tsplit\tkind\n"]
    lines.extend(f"{q}\t{'dev' if q in dev else 'test'}\t{kinds[q]}\n" for q in used)
    write_text(os.path.join(folder, "query-kinds.tsv"), "".join(lines))


def split_queries(ids, salt, dev_size, test_size):
    """Orders ids by SHA-256 and takes the first dev_size as dev and the next test_size as test (disjoint)."""
    ordered = sorted(ids, key=lambda q: rank_key(salt, q))
    return ordered[:dev_size], ordered[dev_size:dev_size + test_size]


# --- query kinds -------------------------------------------------------------------------------------------------

_LATIN = re.compile(r"[a-z0-9]+")
_HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")


def light_stem(word):
    """A deliberately crude English suffix stripper (plural, -ed, -ing, -ly) so that 'tables'/'table' count as one
    content word; it only decides the query kind, never the ranking."""
    for suffix in ("ies", "ing", "edly", "ed", "es", "ly", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def english_content_words(text):
    """Content words reduced to light_stem's first five letters, so that 'consistency'/'consistent' and
    'severe'/'severity' count as shared: a no-overlap query shares not even a word start with the document."""
    return {light_stem(w)[:5] for w in _LATIN.findall(text.lower()) if w not in STOP_WORDS and len(w) > 1 and not w.isdigit()}


def hangul_bigrams(text):
    grams = set()
    for run in _HANGUL_RUN.findall(text):
        if len(run) == 1:
            grams.add(run)
        grams.update(run[i:i + 2] for i in range(len(run) - 1))
    return grams


def units(text):
    """Content units for the overlap test: English content words plus Hangul syllable bigrams (one-syllable words
    count as themselves)."""
    return english_content_words(text) | hangul_bigrams(text)


def overlap_kind(query_text, relevant_texts):
    """'overlap' when the query shares a content unit with at least one relevant document, else 'no-overlap'."""
    q = units(query_text)
    return "overlap" if any(q & units(t) for t in relevant_texts) else "no-overlap"
