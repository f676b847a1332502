"""Benchmark: ``RowMapper.map_columns`` alone (µs per row), the column mapping step of customs ingest.

Reads every chunk of each file first, then times mapping them with the garbage collector paused as the
ingest pauses it (process time, median of ``--runs``;
each run uses a fresh mapper, so its per-column caches start empty as in a real ingest).

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_mapping.py FILE [--layout auto] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from ingest.customs import CustomsFile, paused_gc


def time_mapping(path: str, layout: str, runs: int) -> tuple[str, int, list[float]]:
    """The layout chosen, the row count and the µs/row of each run."""
    chunks = [[cells for _, cells in chunk] for chunk in CustomsFile(path, layout=layout).reader.chunks()]
    rows = sum(map(len, chunks))
    figures = []
    name = ""
    for _ in range(runs):
        customs = CustomsFile(path, layout=layout)
        name = customs.choice.layout.name
        with paused_gc():  # as the ingest maps them
            start = time.process_time()
            for chunk in chunks:
                customs.mapper.map_columns(chunk)
        figures.append((time.process_time() - start) / rows * 1e6)
    return name, rows, figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--layout", default="auto")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for path in args.files:
        name, rows, figures = time_mapping(path, args.layout, args.runs)
        runs = ", ".join(f"{f:.2f}" for f in figures)
        print(f"{path} ({name}, {rows} rows): map_columns median {statistics.median(figures):.2f} µs/row "
              f"[{runs}]  load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
