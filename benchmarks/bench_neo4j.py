"""Benchmark: push the demo world to a local Bolt server; reads and traces there beside the embedded store.

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_neo4j.py [--rows 100000] [--repeat 3] [--keep DIR]

Generates the demo world (ingest.demo.generate_world) and loads it into an embedded store (like
``transship demo``), starts ArcadeDB's Bolt server (scripts/bolt_server.py) unless NEO4J_URI is set,
pushes the store over Bolt (rows/s and records/s), then times the reads the trace engine makes
(node_frame + edge_frame of flow edges + LOCATED_IN) and, when graph.trace is present, a default
trace on both stores, checking that both give the same paths. Prints medians and os.getloadavg().
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from graph.schema import EdgeType
from graph.stores import GraphStore
from graph.stores.embedded import EmbeddedStore
from graph.stores.neo4j import Neo4jStore
from graph.stores.transfer import copy_store, count_records

FLOWS = [EdgeType.SHIPPED, EdgeType.SUPPLIES]


def load_demo(rows: int, workdir: Path) -> EmbeddedStore:
    """Generate the demo world and load it into an embedded store, as ``transship demo`` does."""
    import cli

    store_dir = workdir / "embedded"
    if (store_dir / "MANIFEST.json").exists():  # --keep DIR from an earlier run: reuse its world
        return EmbeddedStore(store_dir, create=False)
    code = cli.main(["demo", "--rows", str(rows), "--out", str(workdir / "world"), "--store", str(store_dir),
                     "--format", "csv"])
    if code != 0:
        raise SystemExit(f"transship demo failed with exit code {code}")
    return EmbeddedStore(store_dir, create=False)


def timed(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def trace_reads(store: GraphStore) -> int:
    """What the trace index reads from a store: nodes, flow edges, LOCATED_IN edges."""
    if hasattr(store, "_cache"):
        store._cache = {}  # measure the server, not the client cache
    return len(store.node_frame()) + len(store.edge_frame(FLOWS)) + len(store.edge_frame([EdgeType.LOCATED_IN]))


def run_trace(store: GraphStore, cold: bool = True) -> list[tuple[str, ...]] | None:
    """Edge ids of the default trace's paths; ``cold`` drops the Neo4j store's client-side frame cache first."""
    try:
        from graph.trace import trace
    except ImportError:
        return None
    if cold and hasattr(store, "_cache"):
        store._cache = {}
    return [p.edge_ids for p in trace(store).paths]


def connect(rows: int) -> tuple[Neo4jStore, Any]:
    if os.environ.get("NEO4J_URI"):
        return Neo4jStore.connect(os.environ["NEO4J_URI"]), None
    from scripts.bolt_server import DATABASE, BoltServer

    os.environ.setdefault("TRANSSHIP_BOLT_HEAP", "2g")
    server = BoltServer().start(timeout=180)
    return Neo4jStore.connect(server.uri, server.user, server.password, DATABASE), server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--keep", default=None, help="work directory to keep (default: a temporary one)")
    args = parser.parse_args()
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="bench-neo4j-"))
    print(f"load before: {os.getloadavg()}")
    started = time.perf_counter()
    embedded = load_demo(args.rows, workdir)
    print(f"demo world: {args.rows:,} customs rows -> {embedded.counts()} in {time.perf_counter() - started:.1f} s")
    bolt, server = connect(args.rows)
    try:
        bolt.batch_size = args.batch_size
        bolt.clear()
        records = count_records(embedded)
        started = time.perf_counter()
        done = [0]

        def report(n: int) -> None:
            done[0] += n
            print(f"  pushed {done[0]:,}/{records:,} records, {done[0] / (time.perf_counter() - started):,.0f}/s",
                  flush=True)

        result = copy_store(embedded, bolt, args.batch_size, on_batch=report)
        push_s = time.perf_counter() - started
        evidence = embedded.counts()["evidence"]
        print(f"push: {records:,} records + {evidence:,} evidence ({result}) in {push_s:.1f} s = "
              f"{args.rows / push_s:,.0f} customs rows/s, {records / push_s:,.0f} records/s; load {os.getloadavg()}")
        pd.testing.assert_frame_equal(bolt.edge_frame(FLOWS), embedded.edge_frame(FLOWS))
        pd.testing.assert_frame_equal(bolt.node_frame(), embedded.node_frame())
        print("frames: identical on both stores")
        for name, store in (("embedded", embedded), ("bolt", bolt)):
            seconds, n = timed(lambda s=store: trace_reads(s), args.repeat)
            print(f"trace reads ({n:,} rows) on {name}: median {seconds * 1000:,.0f} ms; load {os.getloadavg()}")
        paths: dict[str, Any] = {}
        for name, store in (("embedded", embedded), ("bolt", bolt)):
            seconds, paths[name] = timed(lambda s=store: run_trace(s), args.repeat)
            if paths[name] is None:
                print("trace: graph.trace is not in this tree yet (merge main once the trace branch lands)")
                break
            print(f"trace on {name}: {len(paths[name])} paths, median {seconds * 1000:,.0f} ms "
                  f"(cold client cache); load {os.getloadavg()}")
            if name == "bolt":
                warm, _ = timed(lambda s=store: run_trace(s, cold=False), args.repeat)
                print(f"trace on bolt, frames cached (unchanged generation): median {warm * 1000:,.0f} ms")
        if paths.get("bolt") is not None:
            print(f"trace paths identical: {paths['bolt'] == paths['embedded']}")
    finally:
        bolt.close()
        if server is not None:
            server.stop()
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
