"""Resolution quality on the labelled pair set: precision and recall of "match" decisions, per case.

Each pair goes through the whole resolver (blocking, identifier and name scores, country rule,
threshold): a pair counts as predicted-same when the resolver decides "match".

Run: PYTHONPATH=. /work/venv/bin/python benchmarks/bench_resolve.py [pairs.csv] [--threshold 0.92]
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections import Counter
from pathlib import Path

from ingest.resolve import DEFAULT_REVIEW_BAND, DEFAULT_THRESHOLD, Profile, find_decisions

PAIRS = Path(__file__).parent / "data" / "resolve_pairs.csv"


def _profile(pid: str, name: str, country: str, ids: str) -> Profile:
    return Profile(pid, (name,), country or None, frozenset(i for i in ids.split(";") if i))


def evaluate(rows: list[dict[str, str]], threshold: float, band: float) -> tuple[Counter[str], list[str], int]:
    """Confusion counts, the misclassified pairs, and pairs sent to review."""
    counts: Counter[str] = Counter()
    errors, review = [], 0
    for i, row in enumerate(rows):
        a = _profile(f"a{i}", row["left_name"], row["left_country"], row["left_ids"])
        b = _profile(f"b{i}", row["right_name"], row["right_country"], row["right_ids"])
        decisions = find_decisions([a, b], threshold, band)
        verdict = decisions[0].decision if decisions else "none"
        review += verdict == "review"
        predicted, actual = verdict == "match", row["same"] == "1"
        counts[("t" if predicted == actual else "f") + ("p" if predicted else "n")] += 1
        if predicted != actual:
            score = f"{decisions[0].score:.3f}" if decisions else "<band"
            errors.append(f"{row['case']:24} {'same' if actual else 'diff'} {score}  {row['left_name']!r} "
                          f"[{row['left_country']}] ~ {row['right_name']!r} [{row['right_country']}]")
    return counts, errors, review


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pairs", nargs="?", type=Path, default=PAIRS)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--review-band", type=float, default=DEFAULT_REVIEW_BAND)
    args = parser.parse_args()
    with open(args.pairs, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    start = time.perf_counter()
    counts, errors, review = evaluate(rows, args.threshold, args.review_band)
    elapsed = time.perf_counter() - start
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    cases = Counter(r["case"] for r in rows)
    print(f"pairs={len(rows)} positives={tp + fn} negatives={counts['tn'] + fp} cases={len(cases)}")
    print(f"threshold={args.threshold} review_band={args.review_band}")
    print(f"precision={precision:.4f} recall={recall:.4f} tp={tp} fp={fp} fn={fn} tn={counts['tn']} "
          f"sent_to_review={review}")
    print(f"time={elapsed:.2f}s loadavg={os.getloadavg()}")
    for threshold in (0.86, 0.88, 0.90, 0.92, 0.94, 0.96):
        c, _, _ = evaluate(rows, threshold, min(args.review_band, threshold))
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        print(f"  sweep threshold={threshold:.2f} precision={p:.4f} recall={r:.4f}")
    if errors:
        print("errors:")
        for line in errors:
            print("  " + line)


if __name__ == "__main__":
    main()
