"""GraphML, GEXF, node-link JSON and Cytoscape JSON read back with networkx: same nodes, edges, attributes."""

from __future__ import annotations

import io
import json
from typing import Any

import networkx as nx
import pytest

from graph.exports import export_bytes
from graph.exports.records import edge_record, flat_attributes, node_record, visible_controls
from graph.subgraph import everything, materialize


def _expected_flat(world: Any, *, drop_label: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    mat = materialize(world.store, everything(world.store))
    nodes = {nid: flat_attributes(node_record(nid, n)) for nid, n in mat.nodes.items()}
    edges = {eid: flat_attributes(edge_record(eid, e)) for eid, e in mat.edges.items()}
    for attrs in [*nodes.values(), *edges.values()]:
        for key, value in list(attrs.items()):
            attrs[key] = visible_controls(value) if isinstance(value, str) else value
        if drop_label:
            attrs.pop("label")
    return nodes, edges


def _assert_evidence_exact(world: Any, graph: nx.MultiDiGraph) -> None:
    """evidence_json carries the store's evidence unchanged, control characters included."""
    for nid, data in graph.nodes(data=True):
        stored = world.store.evidence_of([nid])[nid]
        assert [e["excerpt"] for e in json.loads(data["evidence_json"])] == [e.excerpt for e in stored]
    for _s, _t, eid, data in graph.edges(keys=True, data=True):
        stored = world.store.evidence_of([eid])[eid]
        decoded = json.loads(data["evidence_json"])
        assert [(e["source"], e["locator"], e["confidence"], e["excerpt"]) for e in decoded] == [
            (e.source, e.locator, e.confidence, e.excerpt) for e in stored]


def test_graphml_round_trip(world: Any) -> None:
    data = export_bytes(world.store, everything(world.store), "graphml")
    graph = nx.read_graphml(io.BytesIO(data), edge_key_type=str, force_multigraph=True)
    nodes, edges = _expected_flat(world)
    assert dict(graph.nodes(data=True)) == nodes
    assert {k: d for _s, _t, k, d in graph.edges(keys=True, data=True)} == edges
    mat = materialize(world.store, everything(world.store))
    assert {(s, t, k) for s, t, k in graph.edges(keys=True)} == {(e.source, e.target, k) for k, e in mat.edges.items()}
    _assert_evidence_exact(world, graph)


def test_graphml_attributes_are_typed(world: Any) -> None:
    text = export_bytes(world.store, everything(world.store), "graphml").decode("utf-8")
    assert 'attr.name="value_usd" attr.type="double"' in text
    assert 'attr.name="confidence" attr.type="double"' in text
    assert 'attr.name="evidence_count" attr.type="long"' in text
    assert 'attr.name="flag" attr.type="boolean"' in text


def test_gexf_round_trip(world: Any) -> None:
    data = export_bytes(world.store, everything(world.store), "gexf")
    graph = nx.read_gexf(io.BytesIO(data), node_type=str)
    nodes, edges = _expected_flat(world, drop_label=True)
    mat = materialize(world.store, everything(world.store))
    read_nodes = dict(graph.nodes(data=True))
    for nid, attrs in nodes.items():
        got = dict(read_nodes[nid])
        assert got.pop("label") == visible_controls(mat.label(nid))
        assert got == attrs
    assert len(read_nodes) == len(nodes)
    read_edges = {k: dict(d) for _s, _t, k, d in graph.edges(keys=True, data=True)}
    assert set(read_edges) == set(edges)
    for eid, attrs in edges.items():
        got = read_edges[eid]
        assert got.pop("id") == eid and got.pop("label") == mat.edges[eid].type.value
        assert got == attrs
    _assert_evidence_exact(world, graph)


def test_node_link_round_trip_is_lossless(world: Any, hostile: str, big: str) -> None:
    data = json.loads(export_bytes(world.store, everything(world.store), "json"))
    graph = nx.node_link_graph(data, edges="edges")
    mat = materialize(world.store, everything(world.store))
    assert isinstance(graph, nx.MultiDiGraph)
    for nid, node in mat.nodes.items():
        assert graph.nodes[nid] == node_record(nid, node)
    for eid, edge in mat.edges.items():
        got = dict(graph.edges[edge.source, edge.target, eid])
        assert got.pop("id") == eid
        assert got == edge_record(eid, edge)
    assert graph.number_of_edges() == len(mat.edges)
    tr = graph.nodes[world.ids["tr"]]
    assert tr["name"] == hostile and hostile in tr["aliases"]  # exact, control characters included
    assert any(ev["excerpt"] == big for _s, _t, d in graph.edges(data=True) for ev in d["evidence"])


def test_cytoscape_structure(world: Any, hostile: str) -> None:
    data = json.loads(export_bytes(world.store, everything(world.store), "cytoscape"))
    mat = materialize(world.store, everything(world.store))
    elements = data["elements"]
    assert set(elements) == {"nodes", "edges"}
    assert [n["data"]["id"] for n in elements["nodes"]] == list(mat.nodes)
    for element in elements["edges"]:
        body = element["data"]
        edge = mat.edges[body["id"]]
        assert (body["source"], body["target"], element["classes"]) == (edge.source, edge.target, edge.type.value)
        assert body["source"] in mat.nodes and body["target"] in mat.nodes
        assert body["evidence"] == node_or_edge_evidence(edge)
    graph = nx.cytoscape_graph(data)
    assert graph.number_of_nodes() == len(mat.nodes) and graph.number_of_edges() == len(mat.edges)
    assert graph.nodes[world.ids["tr"]]["name"] == hostile


def node_or_edge_evidence(record: Any) -> list[dict[str, Any]]:
    return [{"source": e.source, "locator": e.locator, "extractor": e.extractor, "confidence": e.confidence,
             "observed": e.observed, "excerpt": e.excerpt} for e in record.evidence]


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_escape_hostile_text(world: Any, fmt: str) -> None:
    text = export_bytes(world.store, everything(world.store), fmt).decode("utf-8")
    assert "\x00" not in text and "\x01" not in text and "<script>" not in text
    assert "&lt;script&gt;" in text and "\u202e" in text and "🚀" in text
