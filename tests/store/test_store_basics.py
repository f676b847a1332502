"""Deterministic ids, idempotent loads and evidence that accumulates instead of duplicating."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, edge_id, make_id, node_id
from graph.stores.embedded import EmbeddedStore
from ingest.customs import load_canonical
from ingest.quarantine import Quarantine
from tests.store.helpers import snapshot

FIXTURES = Path(__file__).parent / "fixtures"
CUSTOMS = FIXTURES / "customs_small.csv"


def load(store: EmbeddedStore, path: Path) -> tuple[object, Quarantine]:
    with Quarantine() as quarantine:
        result = store.write(quarantine.filter(load_canonical(path)))
    return result, quarantine


def test_ids_are_stable_across_processes_and_independent_of_source() -> None:
    code = "from graph.schema import make_id; print(make_id('company', 'inn:0000000042'))"
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert outputs == {make_id("company", "inn:0000000042") + "\n"}
    assert make_id("company", "inn:0000000042") == "company:" + make_id("x", "inn:0000000042").split(":")[1]
    from_customs, from_news = Evidence("customs:a.csv", "row 2", "x/1"), Evidence("news:b", "chars 1-9", "y/1")
    a = Edge(EdgeType.SHIPPED, "company:a", "company:b", key="T-1", evidence=(from_customs,))
    b = Edge(EdgeType.SHIPPED, "company:a", "company:b", key="T-1", evidence=(from_news,))
    assert a.id == b.id == edge_id(EdgeType.SHIPPED, "company:a", "company:b", "T-1")
    assert edge_id(EdgeType.SHIPPED, "company:a", "company:b", "T-2") != a.id
    assert node_id(NodeType.COMPANY, "inn:1") != node_id(NodeType.PERSON, "inn:1")


def test_two_stores_loaded_from_one_file_have_the_same_ids(tmp_path: Path) -> None:
    first, second = EmbeddedStore(tmp_path / "a"), EmbeddedStore(tmp_path / "b")
    load(first, CUSTOMS)
    load(second, CUSTOMS)
    assert first.node_frame()["id"].tolist() == second.node_frame()["id"].tolist()
    assert first.edge_frame()["id"].tolist() == second.edge_frame()["id"].tolist()


def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    result, quarantine = load(store, CUSTOMS)
    assert quarantine.records > 0 and quarantine.rejected == 1
    assert result.edges_added > 0
    before = snapshot(tmp_path / "s")
    files = sorted(p.name for p in (tmp_path / "s").iterdir())
    again, _ = load(EmbeddedStore(tmp_path / "s"), CUSTOMS)
    assert not again.changed
    assert snapshot(tmp_path / "s").same_as(before)
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == files  # no new generation either


def test_same_facts_from_a_second_source_add_evidence_not_edges(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    load(store, CUSTOMS)
    edges_before = store.edge_frame()
    copy = tmp_path / "other_vendor.csv"
    shutil.copy(CUSTOMS, copy)
    result, _ = load(store, copy)
    assert result.edges_added == 0 and result.nodes_added == 0 and result.evidence_added > 0
    edges_after = store.edge_frame()
    assert edges_after["id"].tolist() == edges_before["id"].tolist()
    shipped = edges_after[edges_after["type"] == "SHIPPED"]
    assert (shipped["n_evidence"] == 2).all()
    assert (shipped["confidence"] > edges_before[edges_before["type"] == "SHIPPED"]["confidence"].max()).all()
    one = store.get_edge(shipped["id"].iloc[0])
    assert one is not None and {e.source for e in one.evidence} == {"customs:customs_small.csv",
                                                                    "customs:other_vendor.csv"}


def test_node_props_accumulate_and_first_scalar_wins(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "s")
    ev1, ev2 = Evidence("doc:1", "row 1", "t/1"), Evidence("doc:2", "row 1", "t/1")
    store.write([Node(NodeType.COMPANY, "inn:1", "A", "RU", {"aliases": ["A1"], "registered": "2022-04-01"}, (ev1,))])
    result = store.write([Node(NodeType.COMPANY, "inn:1", "A", None,
                               {"aliases": ["A2"], "registered": "2021-01-01"}, (ev2,))])
    assert result.nodes_updated == 1 and result.evidence_added == 1 and result.nodes_added == 0
    node = store.get_node(node_id(NodeType.COMPANY, "inn:1"))
    assert node is not None and node.props == {"aliases": ["A1", "A2"], "registered": "2022-04-01"}
    assert node.country == "RU" and len(node.evidence) == 2
