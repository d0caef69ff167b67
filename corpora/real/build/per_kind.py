#!/usr/bin/env python3
"""nDCG@10 per model and per query kind from `lmtollm compare --out DIR` (perquery.csv).

  python3 corpora/real/build/per_kind.py DIR corpora/real/en-revdict [test]

A judged query that a model returned nothing for is counted as 0 (trec_eval -c), so every mean is over all the
split's judged queries.
"""
import csv
import sys


def main(out_dir, collection, split="test", measure="ndcg_cut_10"):
    with open(f"{collection}/qrels/{split}.tsv", encoding="utf-8") as f:
        judged = sorted({line.split("\t")[0] for line in list(f)[1:]})
    with open(f"{collection}/query-kinds.tsv", encoding="utf-8") as f:
        kind = {row[0]: row[2] for row in (line.rstrip("\n").split("\t") for line in list(f)[1:])}
    scores, models = {}, []
    with open(f"{out_dir}/perquery.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["model"] not in scores:
                scores[row["model"]] = {}
                models.append(row["model"])
            scores[row["model"]][row["query"]] = float(row[measure])
    groups = [("all", judged)] + [(k, [q for q in judged if kind[q] == k]) for k in ("overlap", "no-overlap")]
    print("| model | " + " | ".join(f"{name} ({len(qs)})" for name, qs in groups) + " |")
    print("|---|" + "---|" * len(groups))
    for m in models:
        cells = [f"{sum(scores[m].get(q, 0.0) for q in qs) / len(qs):.3f}" if qs else "—" for _, qs in groups]
        print(f"| {m} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(*sys.argv[1:])
