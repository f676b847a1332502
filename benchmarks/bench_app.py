"""App render times on a big store, measured with Streamlit's AppTest (no browser, same Python work).

    transship demo --rows 1000000 --store /tmp/bench-store --out /tmp/bench-world
    PYTHONPATH=. python benchmarks/bench_app.py --store /tmp/bench-store [--runs 3]

Prints, per run and as medians: first render (caches empty: store opened, first page drawn), the
entity page (search + profile + neighbourhood picture), the trace render (form submitted: trace,
ranked paths, picture, evidence) and the same trace again (served from the cache).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(ROOT / "app.py")
TIMEOUT = 1800


def timed(step: Callable[[], AppTest]) -> tuple[float, AppTest]:
    started = time.perf_counter()
    at = step()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the app raised: {[e.value for e in at.exception]}")
    return elapsed, at


def one_run(entity: str, via: str) -> dict[str, float]:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    figures: dict[str, float] = {}
    figures["first render"], at = timed(lambda: AppTest.from_file(APP, default_timeout=TIMEOUT).run())
    figures["open entity page"], at = timed(lambda: at.sidebar.radio(key="page").set_value("Entity").run())
    figures["entity search + profile"], at = timed(lambda: at.text_input(key="entity-query").set_value(entity).run())
    at.sidebar.radio(key="page").set_value("Trace").run()
    at.text_input(key="trace-via").set_value(via)
    figures["trace render"], at = timed(lambda: at.button[0].click().run())
    paths = next((d.value for d in at.dataframe if "route" in d.value.columns), None)
    if paths is None or paths.empty:
        raise RuntimeError("the trace found no paths; pick another --via")
    figures["paths"] = float(len(paths))
    figures["trace again (cached)"], at = timed(lambda: at.run())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="store directory (e.g. built by transship demo --rows 1000000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entity", default="trading", help="text typed into the entity search")
    parser.add_argument("--via", default="HK", help="via countries for the trace")
    args = parser.parse_args()
    if not (Path(args.store) / "MANIFEST.json").exists():
        parser.error(f"no store at {args.store}; build one with 'transship demo --rows 1000000 --store {args.store}'")
    os.environ["TRANSSHIP_STORE"] = args.store
    from graph.stores import open_store

    counts = open_store(args.store, create=False).counts()
    print(f"store {args.store}: {counts.get('nodes', 0):,} nodes, {counts.get('edges', 0):,} edges, "
          f"{counts.get('edges.SHIPPED', 0):,} shipments")
    runs = []
    for number in range(1, args.runs + 1):
        figures = one_run(args.entity, args.via)
        runs.append(figures)
        print(f"run {number}: " + ", ".join(f"{k} {v:.2f} s" if k != "paths" else f"{int(v)} paths"
                                            for k, v in figures.items()) + f"  load {os.getloadavg()}")
    print("median: " + ", ".join(f"{k} {statistics.median(r[k] for r in runs):.2f} s"
                                 for k in runs[0] if k != "paths") + f"  load {os.getloadavg()}")


if __name__ == "__main__":
    main()
