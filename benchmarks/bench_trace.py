"""Benchmark the trace engine on a ~1M-edge world against a naive networkx depth-first walk.

Usage::

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_trace.py [--store DIR] [--edges 1000000]
        [--naive-timeout 60]

With ``--store`` pointing at an existing store (e.g. one made by ``transship demo --rows
1000000``) it benchmarks that; otherwise it writes a synthetic store with a hub structure
(US makers -> distributors -> trading hubs -> Russian importers -> defense buyers, plus
civilian noise) into a temporary directory (or ``--store`` when that does not exist yet).
Prints medians of 5 runs, the load average and memory.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.queries import chokepoints, hubs  # noqa: E402
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record  # noqa: E402
from graph.stores import graph_of, open_store  # noqa: E402
from graph.stores.embedded import EmbeddedStore  # noqa: E402
from graph.trace import TraceQuery, run_walk, trace  # noqa: E402
from graph.traceindex import date_interval, index_of  # noqa: E402
from graph.tracewalk import TopPaths  # noqa: E402

CHIP_HS = ("8542310000", "8542320000", "8542330000", "8542390000")
OTHER_HS = ("8541290000", "8532240000", "8517620000", "8526910000", "8471500000", "8536690000", "8482100000")
GROUPS = (  # name, count, countries
    ("maker", 100, ("US",)), ("distributor", 400, ("US", "DE", "NL", "FI", "GB")),
    ("hub", 800, ("HK", "CN", "TR", "AE", "KZ", "KG", "AM", "IN")), ("importer", 500, ("RU",)),
    ("buyer", 100, ("RU",)), ("civilian", 198_000, ("US", "CN", "DE", "IN", "BR", "RU", "TR", "JP", "KR", "FR")),
)
# structured edges per layer (share of all edges) and how concentrated their endpoints are (Zipf exponent)
LAYERS = (("maker", "distributor", 0.0033), ("distributor", "hub", 0.0066), ("hub", "importer", 0.0066),
          ("importer", "buyer", 0.0033), ("maker", "hub", 0.0017), ("hub", "buyer", 0.001))
BASE_DAY = date_interval("2022-03-01")[0]  # type: ignore[index]
SPAN_DAYS = 1000


def ev(locator: str, confidence: float) -> tuple[Evidence, ...]:
    return (Evidence("bench:synthetic", locator, "bench/1", confidence),)


def _day(day: int) -> str:
    from datetime import date

    return date.fromordinal(date(1970, 1, 1).toordinal() + int(day)).isoformat()


def synthetic_records(n_edges: int, seed: int = 7) -> Iterator[Record]:
    """Companies in role groups and ~n_edges SHIPPED edges with hubs (Zipf-weighted endpoints)."""
    rng = np.random.default_rng(seed)
    for code in sorted({c for _, _, cs in GROUPS for c in cs}):
        yield Node(NodeType.COUNTRY, code, code, evidence=ev(f"country {code}", 1.0))
    members: dict[str, list[str]] = {}
    for name, count, countries in GROUPS:
        roles = {"maker": ["manufacturer"], "buyer": ["defense_buyer"]}.get(name, [])
        for i in range(count):
            country = countries[i % len(countries)]
            node = Node(NodeType.COMPANY, f"{name}-{i}", f"{name.title()} {i} Ltd", country,
                        {"roles": roles} if roles else {}, ev(f"{name} {i}", 1.0))
            members.setdefault(name, []).append(node.id)
            yield node
    counter = 0

    def pick(group: str, size: int) -> np.ndarray:
        ids = members[group]
        weights = 1.0 / np.arange(1, len(ids) + 1) ** 0.8
        return rng.choice(len(ids), size=size, p=weights / weights.sum())

    structured = 0
    for src_group, dst_group, share in LAYERS:
        size = int(n_edges * share)
        structured += size
        srcs, dsts = pick(src_group, size), pick(dst_group, size)
        days = BASE_DAY + rng.integers(0, SPAN_DAYS, size)
        hs = rng.choice(len(CHIP_HS) + len(OTHER_HS), size=size, p=[0.15] * 4 + [0.4 / 7] * 7)
        for s, d, day, h in zip(srcs.tolist(), dsts.tolist(), days.tolist(), hs.tolist(), strict=True):
            counter += 1
            code = (CHIP_HS + OTHER_HS)[h]
            yield Edge(EdgeType.SHIPPED, members[src_group][s], members[dst_group][d], f"r{counter}", _day(day),
                       code, float(rng.integers(1_000, 500_000)), origin_country="US" if h < 4 else "CN",
                       evidence=ev(f"row {counter}", 0.95))
    size = n_edges - structured
    civ = members["civilian"]
    srcs, dsts = rng.integers(0, len(civ), size), rng.integers(0, len(civ), size)
    days = BASE_DAY + rng.integers(0, SPAN_DAYS, size)
    hs = rng.integers(0, len(CHIP_HS) + len(OTHER_HS), size)
    for s, d, day, h in zip(srcs.tolist(), dsts.tolist(), days.tolist(), hs.tolist(), strict=True):
        counter += 1
        if s == d:
            d = (d + 1) % len(civ)
        yield Edge(EdgeType.SHIPPED, civ[s], civ[d], f"r{counter}", _day(day), (CHIP_HS + OTHER_HS)[h],
                   float(rng.integers(100, 100_000)), evidence=ev(f"row {counter}", 0.95))


def naive_dfs(store: EmbeddedStore, query: TraceQuery, timeout: float) -> tuple[int, float, bool]:
    """Plain DFS over the networkx view with per-edge checks and no pruning; returns (paths, seconds, timed out)."""
    graph = graph_of(store)
    index = index_of(store)
    origins = [str(index.node_ids[i]) for i in np.flatnonzero(index.default_origin)]
    buyers = {str(index.node_ids[i]) for i in np.flatnonzero(index.default_destination)}
    prefix = query.goods[0]
    dwell = query.dwell_days or 0
    started = time.perf_counter()
    found = 0
    stack: list[tuple[str, tuple[str, ...], tuple[int, int] | None, str | None]] = []
    for origin in origins:
        stack.append((origin, (origin,), None, None))
        while stack:
            if time.perf_counter() - started > timeout:
                return found, time.perf_counter() - started, True
            node, seen, prev, prev_hs6 = stack.pop()
            for _, target, data in graph.out_edges(node, data=True):
                hs = data.get("hs_code") or ""
                if not hs.startswith(prefix) or target in seen or data.get("type") != "SHIPPED":
                    continue
                when = date_interval(data.get("date"))
                if when is None:
                    continue
                if prev is not None and not (when[1] >= prev[0] and when[0] <= prev[1] + dwell and hs[:6] == prev_hs6):
                    continue
                if target in buyers:
                    found += 1
                if len(seen) <= query.max_hops - 1:
                    stack.append((target, (*seen, target), when, hs[:6]))
    return found, time.perf_counter() - started, False


def timed(func, runs: int = 5) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="existing store to benchmark, or where to write the synthetic one")
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--goods", default="8542")
    parser.add_argument("--naive-timeout", type=float, default=60.0)
    args = parser.parse_args()
    proc = psutil.Process()
    where = Path(args.store) if args.store else Path(tempfile.mkdtemp(prefix="bench-trace-")) / "store"
    if not (where / "MANIFEST.json").exists():
        started = time.perf_counter()
        EmbeddedStore(where).write(synthetic_records(args.edges))
        print(f"wrote synthetic store {where} in {time.perf_counter() - started:.1f} s")
    store = open_store(str(where), create=False)
    counts = store.counts()
    print(f"store {where}: {counts['nodes']:,} nodes, {counts['edges']:,} edges; load {os.getloadavg()}")
    rss0 = proc.memory_info().rss
    started = time.perf_counter()
    index = index_of(store)
    print(f"index build {time.perf_counter() - started:.2f} s (once per store generation), "
          f"{index.n_edges:,} flow edges, RSS +{(proc.memory_info().rss - rss0) / 2**20:.0f} MB")
    query = TraceQuery(goods=(args.goods,), max_hops=4, dwell_days=180, limit=10_000)
    median, result = timed(lambda: trace(store, query))
    assert result is not None
    print(f"trace HS {args.goods}, <=4 hops, dwell 180: median {median:.3f} s over 5 runs; "
          f"{result.total_found:,} paths found, {len(result.paths):,} returned; stats {result.stats}; "
          f"load {os.getloadavg()}")
    lean = TraceQuery(**{**query.__dict__, "with_evidence": False})
    median_lean, _ = timed(lambda: trace(store, lean))
    print(f"  same without fetching evidence: median {median_lean:.3f} s")
    walk_time, _ = timed(lambda: run_walk(store, lean, lambda ix: TopPaths(ix, lean.limit, lean.max_hops)))
    print(f"  engine alone (filter, prune, enumerate, rank; no Hop objects): median {walk_time:.3f} s")
    hub_time, hub_frame = timed(lambda: hubs(store, query), runs=3)
    print(f"hubs: median {hub_time:.2f} s over 3 runs ({len(hub_frame)} rows); load {os.getloadavg()}")
    choke_time, _ = timed(lambda: chokepoints(store, query), runs=3)
    print(f"chokepoints: median {choke_time:.2f} s over 3 runs; load {os.getloadavg()}")
    print(f"RSS after queries {proc.memory_info().rss / 2**20:.0f} MB")
    started = time.perf_counter()
    graph_of(store)
    print(f"networkx view built in {time.perf_counter() - started:.1f} s (not counted in the naive time)")
    found, seconds, timed_out = naive_dfs(store, query, args.naive_timeout)
    note = f"TIMED OUT at {args.naive_timeout:.0f} s after {found:,} paths (ratio is a lower bound)" if timed_out \
        else f"{found:,} paths"
    print(f"naive networkx DFS: {seconds:.2f} s, {note}; ratio naive/trace {seconds / median:.0f}x, "
          f"naive/trace without evidence {seconds / median_lean:.0f}x, naive/engine {seconds / walk_time:.0f}x; "
          f"load {os.getloadavg()}; RSS {proc.memory_info().rss / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
