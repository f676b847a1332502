"""Screening speed: 100,000 names against the full SDN list with its aliases.

Run: PYTHONPATH=. /work/venv/bin/python benchmarks/bench_screen.py SDN.csv [ADD.csv ALT.csv] [--names 100000]

Queries: a fifth are listed names or aliases with noise (legal form swapped, a typo, case), the
rest synthetic company names that should mostly not match. Prints build and screening time,
names per second, how many perturbed listed names found their entry first, and the load.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from pathlib import Path

from ingest.quarantine import Rejected
from ingest.screen import ScreenIndex
from ingest.sdn import load_sdn

WORDS = ("global star ocean bright grand sino asia pacific united north east west golden dragon phoenix silk "
         "road harbor summit alpha delta nova orient prime royal smart future crystal eagle lotus jade").split()
TRADES = ("trading electronics technology logistics industrial components import export engineering machinery "
          "solutions systems supply services development").split()
FORMS = ("Co., Ltd.", "Limited", "LLC", "GmbH", "Ltd. Sti.", "FZE", "OOO", "JSC", "Inc.", "LLP")


def _noisy(name: str, rng: random.Random) -> str:
    words = name.replace(",", " ").split()
    choice = rng.random()
    if choice < 0.3 and len(words) > 1:
        return " ".join(words) + " " + rng.choice(FORMS)
    if choice < 0.6:
        chars = list(name)
        pos = rng.randrange(len(chars))
        if chars[pos].isalpha():
            chars[pos] = rng.choice("aeiou")
        return "".join(chars)
    return name.lower() if choice < 0.8 else name.title()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def make_queries(index: ScreenIndex, count: int, seed: int = 7) -> list[tuple[str, str | None]]:
    """(query, expected entity id or None) pairs."""
    rng = random.Random(seed)
    listed = [(name, pid) for pid, p in index.index.profiles.items() for name in p.names]
    out: list[tuple[str, str | None]] = []
    for i in range(count):
        if i % 5 == 0:
            name, pid = rng.choice(listed)
            out.append((_noisy(name, rng), pid))
        else:
            words = [rng.choice(WORDS), _word(rng), rng.choice(TRADES)]
            out.append((" ".join(w.title() for w in words) + " " + rng.choice(FORMS), None))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdn", type=Path)
    parser.add_argument("add", type=Path, nargs="?")
    parser.add_argument("alt", type=Path, nargs="?")
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="processes sharing the index (default 2)")
    args = parser.parse_args()
    start = time.perf_counter()
    records = [r for r in load_sdn(args.sdn, args.add, args.alt) if not isinstance(r, Rejected)]
    index = ScreenIndex.from_records(records)
    build = time.perf_counter() - start
    names = sum(len(p.names) for p in index.index.profiles.values())
    print(f"listed parties={len(index)} names incl. aliases={names} load+index={build:.1f}s")
    queries = make_queries(index, args.names)
    timings, cpu = [], []
    for _ in range(args.runs):
        before = os.times()
        start = time.perf_counter()
        results = index.screen_many([q for q, _ in queries], limit=5, workers=args.workers)
        timings.append(time.perf_counter() - start)
        after = os.times()
        cpu.append(sum(after[:4]) - sum(before[:4]))  # user+system of this process and its workers
    seeded = [(hits, pid) for hits, (_, pid) in zip(results, queries, strict=True) if pid]
    found = sum(1 for hits, pid in seeded if hits and hits[0].entity_id == pid)
    found_any = sum(1 for hits, pid in seeded if any(h.entity_id == pid for h in hits))
    other_hits = sum(1 for hits, (_, pid) in zip(results, queries, strict=True) if not pid and hits)
    median = statistics.median(timings)
    print(f"screened={len(queries)} workers={args.workers} median={median:.1f}s runs={[round(t, 1) for t in timings]} "
          f"names/s={len(queries) / median:,.0f} cpu_s={[round(c, 1) for c in cpu]}")
    print(f"perturbed listed names: top1={found / len(seeded):.3f} in top5={found_any / len(seeded):.3f} "
          f"(n={len(seeded)}); synthetic names with any hit >= 0.82: {other_hits}")
    print(f"loadavg={os.getloadavg()}")


if __name__ == "__main__":
    main()
