"""Worker processes of the store tests: write batches to a store, or read it in a loop while others write.

The tests start :func:`run` in a separate process (tests/store/helpers.py) with arguments like
    write STORE --batches 0 [1 ...] --nodes N --edges E [--pause-at rename|replace]
    read STORE --seconds S [--until-generation G] --out OBSERVATIONS.json
and kill it with SIGKILL. The worker reports READY when it starts and DONE after its work.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, node_id
from graph.stores import StoreError
from graph.stores.embedded import EmbeddedStore


def batch(number: int, nodes: int, edges: int) -> Iterator[Record]:
    """Deterministic records of one batch: companies b<number>-<i> and shipments between them."""
    ev = Evidence(f"test:batch-{number}", "row 1", "store-test/1", 0.9, "2023-01-02", "x" * 40)
    for i in range(nodes):
        yield Node(NodeType.COMPANY, f"b{number}-{i}", f"Batch {number} company {i}", "HK", {"tags": [f"b{number}"]},
                   (ev,))
    for j in range(edges):
        src = node_id(NodeType.COMPANY, f"b{number}-{j % nodes}")
        dst = node_id(NodeType.COMPANY, f"b{number}-{(j * 7 + 1) % nodes}")
        yield Edge(EdgeType.SHIPPED, src, dst, key=f"{number}-{j}", date="2023-01-02", hs_code="854231",
                   value_usd=float(j), evidence=(Evidence(f"test:batch-{number}", f"row {j}", "store-test/1"),))


Emit = Callable[[str], None]


def pause_before(module_attr: str, emit: Emit) -> None:
    """Make the store's writer stop just before ``os.<module_attr>`` (rename: generation, replace: manifest)."""
    original = getattr(os, module_attr)

    def paused(*args: object, **kwargs: object) -> object:
        emit("PAUSED")
        time.sleep(120)
        return original(*args, **kwargs)

    setattr(os, module_attr, paused)


def write(args: argparse.Namespace, emit: Emit) -> None:
    store = EmbeddedStore(args.store)
    if args.pause_at:
        pause_before(args.pause_at, emit)
    for number in args.batches:
        store.write(batch(number, args.nodes, args.edges))
        emit(f"WROTE {number}")


def observe(store: EmbeddedStore) -> dict[str, object]:
    nodes = store.node_frame()
    batches = sorted({int(k.split("-")[0][1:]) for k in nodes["key"]})
    return {"generation": store.generation, "nodes": len(nodes), "edges": len(store.edge_frame()),
            "evidence": len(store.evidence_frame()), "batches": batches}


def read(args: argparse.Namespace, emit: Emit) -> None:
    """Open the store again and again (and refresh one long-lived reader) until time is up."""
    seen: list[dict[str, object]] = []
    errors: list[str] = []
    deadline = time.monotonic() + args.seconds
    long_lived: EmbeddedStore | None = None
    while time.monotonic() < deadline:
        try:
            fresh = EmbeddedStore(args.store, create=False)
            seen.append(observe(fresh))
            if args.until_generation is not None and fresh.generation >= args.until_generation:
                break
            if long_lived is None:
                long_lived = fresh
            elif long_lived.refresh():
                seen.append(observe(long_lived))
        except StoreError as exc:
            errors.append(str(exc))
    Path(args.out).write_text(json.dumps({"observations": seen, "errors": errors}))


def run(argv: list[str], conn: Connection) -> None:
    """Entry point of a worker process; reports progress lines through ``conn``."""
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("store")
    w.add_argument("--batches", type=int, nargs="+", required=True)
    w.add_argument("--nodes", type=int, default=100)
    w.add_argument("--edges", type=int, default=1000)
    w.add_argument("--pause-at", choices=("rename", "replace"))
    r = sub.add_parser("read")
    r.add_argument("store")
    r.add_argument("--seconds", type=float, default=5.0)
    r.add_argument("--until-generation", type=int, default=None)
    r.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    conn.send("READY")
    (write if args.cmd == "write" else read)(args, conn.send)
    conn.send("DONE")
