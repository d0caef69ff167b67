#!/usr/bin/env bash
# Subword pieces on ko-help (docs/korean.md, "Subword pieces"): SentencePiece Unigram and BPE models trained on nine
# pages in ten, BM25 with each model as the analyzer on the dev qrels (the size is chosen there), the chosen sizes on
# the test qrels, next to nori, korean and whitespace; then order-3 KN perplexity per character of every tenth page.
#   bash corpora/real/build/pieces.sh OUT     (run from the repository root)
set -euo pipefail
out=$1
c=corpora/real/ko-help
mkdir -p "$out"
dotnet build src/LmToLlm.Cli -c Release -v q -nologo > /dev/null
cli=(dotnet src/LmToLlm.Cli/bin/Release/net10.0/LmToLlm.Cli.dll)

# Pages as the flagship reads them (title + " " + text); every tenth page (0, 10, …) held out. spm_train skips lines
# over 4,192 bytes, so the training pages are cut at spaces into lines of at most 4,000 bytes.
python3 - "$c" "$out" <<'PY'
import gzip, json, sys
c, out = sys.argv[1:]
docs = [json.loads(l) for l in gzip.open(f"{c}/corpus.jsonl.gz", "rt", encoding="utf-8")]
full = [(d["title"] + " " + d["text"]) if d["title"] else d["text"] for d in docs]
train = [t for i, t in enumerate(full) if i % 10]
open(f"{out}/train.txt", "w", encoding="utf-8").write("\n".join(train) + "\n")
open(f"{out}/heldout.txt", "w", encoding="utf-8").write("\n".join(t for i, t in enumerate(full) if i % 10 == 0) + "\n")
lines = []
for t in train:
    cur, size = [], 0
    for w in t.split(" "):
        if size + len(w.encode()) + 1 > 4000 and cur:
            lines.append(" ".join(cur)); cur, size = [], 0
        cur.append(w); size += len(w.encode()) + 1
    if cur: lines.append(" ".join(cur))
open(f"{out}/spm-train.txt", "w", encoding="utf-8").write("\n".join(lines) + "\n")
PY

ndcg() { python3 -c "import csv,sys; r=next(csv.DictReader(open(sys.argv[1]))); print(round(float(r['ndcg_cut_10']), 3), r['num_q'])" "$1/metrics.csv"; }
bm25() { # analyzer split label
  "${cli[@]}" compare --corpus $c/corpus.jsonl.gz --queries $c/queries.jsonl.gz --qrels $c/qrels/$2.tsv --models bm25 \
    --analyzer "$1" --out "$out/$3-$2" > /dev/null 2>&1
  echo "bm25 $3 $2: $(ndcg "$out/$3-$2")" | tee -a "$out/bm25.txt"
}
ppl() { # analyzer label: perplexity per token (OOVs included) and per non-space character of the held-out pages
  "${cli[@]}" ngram ppl --train "$out/train.txt" --text "$out/heldout.txt" --analyzer "$1" -o 3 | python3 -c "
import re, sys
t = sys.stdin.read(); p = float(re.search(r'including OOVs:\s*([\d.]+)', t).group(1))
n = int(re.search(r'^Tokens:\s*(\d+)', t, re.M).group(1)); o = int(re.search(r'^OOVs:\s*(\d+)', t, re.M).group(1))
chars = sum(1 for l in open('$out/heldout.txt', encoding='utf-8') for ch in l if not ch.isspace())
print(f'ppl $2: tokens {n}, OOV {o / n:.1%}, per token {p:.1f}, per character {p ** (n / chars):.2f}')"
}
rm -f "$out/bm25.txt"
for type in unigram bpe; do
  for size in 4000 8000 16000; do
    "${cli[@]}" spm train --input "$out/spm-train.txt" --model-prefix "$out/$type$size" --vocab-size $size --model-type $type > /dev/null
    bm25 "spm:$out/$type$size.model" dev $type$size
  done
done
for a in nori korean whitespace; do bm25 $a dev $a; bm25 $a test $a; done
# Each model type's size is the one with the best dev nDCG@10; only that model meets the test queries.
for type in unigram bpe; do
  chosen=$(grep "^bm25 $type[0-9]* dev:" "$out/bm25.txt" | sort -k4,4gr | head -1 | cut -d' ' -f2)
  bm25 "spm:$out/$chosen.model" test "$chosen"
done
ppl whitespace whitespace
for size in 4000 8000 16000; do for type in unigram bpe; do ppl "spm:$out/$type$size.model" $type$size; done; done
