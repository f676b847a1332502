"""Cold-start cost of an embedded store: open, first edge_frame(), first trace; wall, CPU and peak memory.

Usage: PYTHONPATH=. /work/venv/bin/python benchmarks/bench_store_open.py STORE_DIR [--runs 3]
Each run is a fresh subprocess (cold caches in Python, warm page cache), as a CLI run would be.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def one_run(store_dir: str) -> dict[str, float]:
    """Open, edge_frame and trace once in this process; figures in seconds and MB."""
    def mark() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    figures: dict[str, float] = {}
    t0 = mark()
    from graph.stores.embedded import EmbeddedStore
    from graph.trace import trace
    t1 = mark()
    figures["import_wall"], figures["import_cpu"] = t1[0] - t0[0], t1[1] - t0[1]
    store = EmbeddedStore(store_dir, create=False)
    t2 = mark()
    figures["open_wall"], figures["open_cpu"] = t2[0] - t1[0], t2[1] - t1[1]
    frame = store.edge_frame()
    t3 = mark()
    figures["edge_frame_wall"], figures["edge_frame_cpu"] = t3[0] - t2[0], t3[1] - t2[1]
    result = trace(store)
    t4 = mark()
    figures["trace_wall"], figures["trace_cpu"] = t4[0] - t3[0], t4[1] - t3[1]
    figures["total_wall"], figures["total_cpu"] = t4[0] - t1[0], t4[1] - t1[1]
    figures["edges"] = float(len(frame))
    figures["paths"] = float(len(getattr(result, "paths", ()) or ()))
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("store")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.store)))
        return
    runs = []
    for i in range(args.runs):
        load = os.getloadavg()
        out = subprocess.run([sys.executable, __file__, args.store, "--child"], capture_output=True, text=True,
                             check=True, env=os.environ)
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        runs.append(figures)
        print(f"run {i + 1}: loadavg {load[0]:.2f} " + " ".join(f"{k}={v:.2f}" for k, v in figures.items()))
    print(f"median of {len(runs)} (loadavg now {os.getloadavg()[0]:.2f}):")
    for key in runs[0]:
        print(f"  {key:16s} {statistics.median(r[key] for r in runs):10.2f}")


if __name__ == "__main__":
    main()
