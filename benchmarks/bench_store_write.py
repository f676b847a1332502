"""Benchmark: ``EmbeddedStore.write`` of a customs file's batches (the store side of an ingest only).

Builds the file's records and EdgeBatches once (the producer side, not timed), then times three writes:
into a fresh store, the same batches again into that store (must add nothing), and into a store that
already holds another file's data (``--other``, the incremental merge). Prints wall and CPU seconds,
µs per input row (CPU) and the process's peak RSS (which includes the staged batches).

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_store_write.py FILE [--layout canonical]
        [--other FILE2 --other-layout ru-import-lines] [--runs 3] [--profile out.prof]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from graph.stores.embedded import EmbeddedStore
from ingest.customs import CustomsFile, bulk_load
from ingest.quarantine import Quarantine


def produce(path: str, layout: str) -> tuple[list[Any], int]:
    """The file's records, batches and rejections as a list, and its rows read."""
    customs = CustomsFile(path, layout=layout)
    items = list(customs.batches())
    return items, customs.counts.read


class Timing(NamedTuple):
    wall: float
    cpu: float
    system: float  # of cpu: mostly page faults of fresh memory
    result: Any


def timed_write(store_dir: Path, items: list[Any], profile: cProfile.Profile | None = None) -> Timing:
    """Wall, CPU and system seconds of opening the store at ``store_dir`` and writing ``items`` into it."""
    wall, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
    if profile:
        profile.enable()
    store = EmbeddedStore(store_dir)
    with Quarantine(None) as quarantine, bulk_load():
        result = store.write(quarantine.filter(iter(items)))
    if profile:
        profile.disable()
    after = resource.getrusage(resource.RUSAGE_SELF)
    system = after.ru_stime - before.ru_stime
    return Timing(time.perf_counter() - wall, after.ru_utime - before.ru_utime + system, system, result)


def report(label: str, rows: int, runs: list[Timing]) -> None:
    wall, cpu = statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs)
    system = statistics.median(r.system for r in runs)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<28} wall {wall:7.2f} s  cpu {cpu:7.2f} s (sys {system:.2f})  {cpu / rows * 1e6:6.2f} µs/row (cpu)"
          f"  peak RSS {peak_mb:,.0f} MB  load {os.getloadavg()[0]:.1f}  cpu runs {[round(r.cpu, 2) for r in runs]}  "
          f"{runs[-1].result}", flush=True)


def repeat(runs: int, once: Callable[[], Timing]) -> list[Timing]:
    return [once() for _ in range(runs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--layout", default="canonical")
    parser.add_argument("--other", help="a second customs file for the merge case")
    parser.add_argument("--other-layout", default="ru-import-lines")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", help="write a cProfile of the fresh writes to this file")
    parser.add_argument("--only-fresh", action="store_true", help="time the write into a fresh store only")
    args = parser.parse_args()

    items, rows = produce(args.file, args.layout)
    print(f"{args.file}: {rows:,} rows, {len(items):,} items (producer side, not timed)", flush=True)
    profile = cProfile.Profile() if args.profile else None
    root = Path(tempfile.mkdtemp(prefix="bench-store-write-"))
    try:
        def fresh() -> Timing:
            shutil.rmtree(root / "fresh", ignore_errors=True)
            return timed_write(root / "fresh", items, profile)

        report("fresh store", rows, repeat(args.runs, fresh))
        if profile:
            profile.dump_stats(args.profile)
        if args.only_fresh:
            return
        report("same batches again", rows, repeat(args.runs, lambda: timed_write(root / "fresh", items)))
        if args.other:
            other, other_rows = produce(args.other, args.other_layout)
            timed_write(root / "other", other)
            base = root / "other-base"
            shutil.copytree(root / "other", base)

            def merge() -> Timing:
                shutil.rmtree(root / "other", ignore_errors=True)
                shutil.copytree(base, root / "other")
                return timed_write(root / "other", items)

            del other
            report(f"into a store of {other_rows:,}", rows, repeat(args.runs, merge))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
