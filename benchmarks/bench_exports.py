"""Export a 10,000-path trace-sized subgraph in every format; print seconds per format (target <= 10 s each).

Builds a synthetic layered world in a temporary embedded store (US makers ->
distributors -> intermediaries -> Russian importers -> defense buyers), samples
distinct 4-hop paths along it as a trace result would hold them, and times each
writer writing to a file. Usage::

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_exports.py [--paths 10000] [--repeat 3] [--scale 1]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from graph.exports import EXPORT_FORMATS, write_export
from graph.exports.ftm import ftm_model
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType
from graph.stores.embedded import EmbeddedStore
from graph.subgraph import PathView, Subgraph, materialize

LAYERS = (("US", 40), ("HK", 150), ("TR", 250), ("RU", 150), ("RU", 25))
EDGES_PER_NODE = 6


def build_world(store: EmbeddedStore, seed: int = 7, scale: int = 1) -> list[list[Node]]:
    """Write a layered world of companies and SHIPPED edges (two pieces of evidence each) to the store."""
    rng = random.Random(seed)
    layers: list[list[Node]] = []
    for depth, (country, base) in enumerate(LAYERS):
        count = base * scale
        layers.append([
            Node(NodeType.COMPANY, f"bench:{depth}:{i}", f"Company {depth}-{i} « ООО {i} » & Co", country,
                 {"identifiers": [f"reg:{depth}{i:05d}"], "aliases": [f"C{depth}{i}"]},
                 (Evidence("registry:bench", f"row {depth}-{i}", "bench/1", 1.0),))
            for i in range(count)
        ])
    edges = []
    for depth in range(len(layers) - 1):
        for node in layers[depth]:
            for k, target in enumerate(rng.sample(layers[depth + 1], EDGES_PER_NODE)):
                date = f"2023-{depth * 2 + 1:02d}-{rng.randint(1, 28):02d}"
                edges.append(Edge(
                    EdgeType.SHIPPED, node.id, target.id, f"{depth}-{k}", date, "854231",
                    round(rng.uniform(1e3, 5e5), 2), float(rng.randint(1, 900)), "US",
                    {"description": "microcontrollers, 32-bit", "derivation": "record"},
                    (Evidence("customs:bench.csv", f"row {len(edges)}", "bench/1", 0.9, date,
                              "ROW;" + node.name + ";" + target.name + ";854231;USD"),
                     Evidence("news:https://news.example/bench", f"chars {len(edges)}-{len(edges) + 80}",
                              "bench-news/1", 0.5, date[:7], "supplied microcontrollers to the importer")),
                ))
    store.write([n for layer in layers for n in layer])
    store.write(edges)
    return layers


def sample_paths(store: EmbeddedStore, makers: list[str], count: int, seed: int = 11) -> Subgraph:
    """``count`` distinct maker-to-buyer paths, as a trace result would rank them."""
    rng = random.Random(seed)
    frame = store.edge_frame()
    out: dict[str, list[tuple[str, str]]] = {}
    for eid, src, dst in zip(frame["id"], frame["source"], frame["target"], strict=True):
        out.setdefault(src, []).append((eid, dst))
    paths: dict[tuple[str, ...], PathView] = {}
    while len(paths) < count:
        node = rng.choice(makers)
        edge_ids, node_ids = [], [node]
        for _ in range(len(LAYERS) - 1):
            eid, node = rng.choice(out[node])
            edge_ids.append(eid)
            node_ids.append(node)
        paths.setdefault(tuple(edge_ids), PathView(tuple(edge_ids), tuple(node_ids), round(rng.random(), 4)))
    ranked = tuple(sorted(paths.values(), key=lambda p: -(p.score or 0)))
    return Subgraph(frozenset(n for p in ranked for n in p.node_ids), frozenset(e for p in ranked for e in p.edge_ids),
                    ranked, "benchmark trace")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale", type=int, default=1,
                        help="multiply the world's size: paths then share fewer edges (10: ~25k distinct edges)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store = EmbeddedStore(Path(tmp) / "store")
        layers = build_world(store, scale=args.scale)
        sub = sample_paths(store, [n.id for n in layers[0]], args.paths)
        mat = materialize(store, sub)
        print(f"world: {store.counts()['nodes']} nodes, {store.counts()['edges']} edges; "
              f"subgraph: {len(sub.paths)} paths, {len(mat.nodes)} nodes, {len(mat.edges)} edges; "
              f"built in {time.perf_counter() - started:.1f} s")
        t, c = time.perf_counter(), time.process_time()
        materialize(store, sub)
        print(f"materialize alone (every writer does it): {time.perf_counter() - t:.2f} s wall, "
              f"{time.process_time() - c:.2f} s cpu")
        t = time.perf_counter()
        ftm_model()  # a one-off import, slow when bytecode caching is off (PYTHONDONTWRITEBYTECODE)
        print(f"followthemoney import: {time.perf_counter() - t:.2f} s (not counted below)")
        print("wall: elapsed seconds (inflated by other processes on a shared machine); "
              "cpu: this process's CPU seconds")
        print(f"{'format':<14}{'wall med':>10}{'cpu med':>9}{'wall runs':>24}{'size MB':>9}   load (1/5/15 min)")
        for name, fmt in EXPORT_FORMATS.items():
            target = Path(tmp) / f"out{fmt.extension}"
            runs, cpu = [], []
            for _ in range(args.repeat):
                t, c = time.perf_counter(), time.process_time()
                write_export(store, sub, name, target)
                runs.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            size = target.stat().st_size / 1e6
            load = "/".join(f"{x:.1f}" for x in os.getloadavg())
            shown = " ".join(f"{r:.2f}" for r in runs)
            print(f"{name:<14}{statistics.median(runs):>10.2f}{statistics.median(cpu):>9.2f}{shown:>24}{size:>9.1f}"
                  f"   {load}", flush=True)
        store.close()


if __name__ == "__main__":
    main()
