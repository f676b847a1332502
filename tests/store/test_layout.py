"""Layout 2 (edges sorted by id with precomputed stats) reads and writes exactly like the layout before it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record
from graph.stores.embedded import MANIFEST, EmbeddedStore
from graph.stores.frames import evidence_stats


def _records(batch: int) -> list[Record]:
    """Companies shipping to each other; later batches repeat some edges with new evidence."""
    nodes = [Node(NodeType.COMPANY, f"c{i}", f"Company {i}", country="HK",
                  evidence=(Evidence(f"doc:n{i}", "row 1", "test/1"),)) for i in range(12)]
    out: list[Record] = list(nodes)
    for i in range(0, 24, 1 + batch):
        src, dst = nodes[i % 12].id, nodes[(i * 7 + 3) % 12].id
        if src == dst:
            continue
        out.append(Edge(EdgeType.SHIPPED, src, dst, key=f"k{i}", date=f"2023-0{1 + i % 9}", hs_code="854231",
                        value_usd=float(i * 100), evidence=(Evidence(f"doc:b{batch}", f"row {i}", "test/1",
                                                                      confidence=0.3 + 0.02 * i),)))
    return out


HUB = _records(0)[3].id


def _recomputed(store: EmbeddedStore) -> pd.DataFrame:
    """The edge frame as the layout before 2 derived it: a join with the evidence, sorted by id."""
    evidence = store.evidence_frame()
    frame = store._edges.join(evidence_stats(evidence["owner"], evidence["confidence"]), on="id")
    frame["confidence"] = frame["confidence"].fillna(0.0)
    frame["n_evidence"] = frame["n_evidence"].fillna(0).astype("int64")
    return frame[list(store.edge_frame().columns)].sort_values("id", ignore_index=True)


def _downgrade(path: Path) -> None:
    """Rewrite the current generation as a store written before layout 2 (edges in write order, no stats)."""
    manifest = json.loads((path / MANIFEST).read_text("utf-8"))
    gen = path / manifest["dir"]
    seq = pq.read_table(gen / "edge_stats.parquet").column("seq").to_numpy()
    edges = pq.read_table(gen / "edges.parquet")
    pq.write_table(edges.take(seq.argsort()), gen / "edges.parquet")
    (gen / "edge_stats.parquet").unlink()
    del manifest["rows"]["edge_stats"], manifest["layout"]
    (path / MANIFEST).write_text(json.dumps(manifest), "utf-8")


def test_incremental_stats_match_a_full_recompute(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    for batch in range(3):
        store.write(_records(batch))
        reopened = EmbeddedStore(tmp_path / "s", create=False)
        pd.testing.assert_frame_equal(reopened.edge_frame(), _recomputed(reopened))
        pd.testing.assert_frame_equal(store.edge_frame(), reopened.edge_frame())
    assert store.edge_frame()["n_evidence"].max() == 3


def test_stores_written_before_layout_2_read_the_same_and_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "s"
    for batch in range(2):
        EmbeddedStore(path).write(_records(batch))
    new = EmbeddedStore(path, create=False)
    frame, order = new.edge_frame().copy(), [e.id for e in new.edges()]
    hub = [e.id for e in new.edges_of(HUB)]
    _downgrade(path)
    old = EmbeddedStore(path, create=False)
    assert old._edges["id"].tolist() == order != sorted(order)  # really the old layout: write order on disk
    pd.testing.assert_frame_equal(old.edge_frame(), frame)
    assert [e.id for e in old.edges()] == order and [e.id for e in old.edges_of(HUB)] == hub
    assert old.upgrade() and not old.upgrade()
    upgraded = EmbeddedStore(path, create=False)
    pd.testing.assert_frame_equal(upgraded.edge_frame(), frame)
    assert [e.id for e in upgraded.edges()] == order and [e.id for e in upgraded.edges_of(HUB)] == hub
    _downgrade(path)
    EmbeddedStore(path, create=False).write(_records(2))  # a plain write upgrades too
    written = EmbeddedStore(path, create=False)
    pd.testing.assert_frame_equal(written.edge_frame(), _recomputed(written))
    assert [e.id for e in written.edges()][:len(order)] == order
