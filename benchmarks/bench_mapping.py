"""Benchmark: ``RowMapper.map_columns`` alone (µs per row), the column mapping step of customs ingest.

Reads every chunk of each file first, then times mapping them with the garbage collector paused as the
ingest pauses it (process time, median of ``--runs``; each run uses a fresh mapper, so its per-column
caches start empty as in a real ingest). With ``--fresh`` each chunk is mapped right after it is read,
as the ingest does (its cells still in the CPU caches), and only the mapping is timed.

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_mapping.py FILE... [--layout auto] [--runs 3] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from ingest.customs import CustomsFile, bulk_load


def time_mapping(path: str, layout: str, runs: int, fresh: bool) -> tuple[str, int, list[float]]:
    """The layout chosen, the row count and the µs/row of each run."""
    chunks = [] if fresh else [[cells for _, cells in chunk]
                               for chunk in CustomsFile(path, layout=layout).reader.chunks()]
    figures = []
    name = ""
    for _ in range(runs):
        customs = CustomsFile(path, layout=layout)
        name = customs.choice.layout.name
        rows = 0
        spent = 0.0
        with bulk_load():  # as the ingest maps them
            source = ([cells for _, cells in chunk] for chunk in customs.reader.chunks()) if fresh else chunks
            for chunk in source:
                start = time.process_time()
                customs.mapper.map_columns(chunk)
                spent += time.process_time() - start
                rows += len(chunk)
        figures.append(spent / rows * 1e6)
    return name, rows, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--layout", default="auto")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="map each chunk right after reading it")
    args = parser.parse_args()
    for path in args.files:
        name, rows, figures = time_mapping(path, args.layout, args.runs, args.fresh)
        runs = ", ".join(f"{f:.2f}" for f in figures)
        mode = "fresh chunks" if args.fresh else "preloaded chunks"
        print(f"{path} ({name}, {rows} rows, {mode}): map_columns median {statistics.median(figures):.2f} µs/row "
              f"[{runs}]  load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
