"""Selections: from a trace result, around an entity, everything; materialize with evidence."""

from __future__ import annotations

from typing import Any

import pytest

from graph.subgraph import SelectionError, Subgraph, around, everything, find_nodes, from_trace, materialize


def test_from_trace_keeps_paths_in_order(world: Any, trace_result: Any) -> None:
    sub = from_trace(trace_result)
    assert [p.edge_ids for p in sub.paths] == [tuple(world.chain), tuple(world.chain[:2])]
    assert [p.score for p in sub.paths] == [0.91, 0.42]
    assert sub.paths[0].node_ids[0] == world.ids["maker"] and sub.paths[0].node_ids[-1] == world.ids["buyer"]
    assert sub.edge_ids == frozenset(world.chain)
    assert sub.node_ids == {world.ids[k] for k in ("maker", "hk", "tr", "ru", "buyer")}


def test_from_trace_of_the_real_engine(world: Any) -> None:
    from graph.trace import TraceQuery, trace

    result = trace(world.store, TraceQuery(continuity="category"))
    sub = from_trace(result)
    assert len(sub.paths) == len(result.paths) == 2
    assert [p.edge_ids for p in sub.paths] == [p.edge_ids for p in result.paths]
    assert [p.score for p in sub.paths] == [p.score for p in result.paths]
    assert sub.node_ids == set(result.node_ids()) and sub.edge_ids == set(result.edge_ids())
    mat = materialize(world.store, sub)
    assert all(mat.edges[e].evidence for e in sub.edge_ids)


def test_from_trace_accepts_paths_with_hops_only(world: Any, trace_result: Any) -> None:
    class HopsOnly:
        def __init__(self, hops: Any, score: float) -> None:
            self.hops, self.score = hops, score

    class Result:
        paths = [HopsOnly(p.hops, p.score) for p in trace_result.paths]

    sub = from_trace(Result())
    assert sub.paths == from_trace(trace_result).paths


def test_materialize_adds_endpoints_and_evidence(world: Any) -> None:
    sub = Subgraph(frozenset(), frozenset(world.chain[1:2]))
    mat = materialize(world.store, sub)
    edge = mat.edges[world.chain[1]]
    assert set(mat.nodes) == {edge.source, edge.target}
    assert edge.evidence and edge.evidence[0].source == "customs:fixture.csv"
    assert all(node.evidence for node in mat.nodes.values())
    assert list(mat.nodes) == sorted(mat.nodes)


def test_materialize_rejects_empty_and_unknown(world: Any) -> None:
    with pytest.raises(SelectionError, match="empty"):
        materialize(world.store, Subgraph(frozenset(), frozenset()))
    with pytest.raises(SelectionError, match="not in the store"):
        materialize(world.store, Subgraph(frozenset(), frozenset({"edge:nope"})))
    with pytest.raises(SelectionError, match="not in the store"):
        materialize(world.store, Subgraph(frozenset({"company:nope"}), frozenset()))


def test_around_stops_at_hubs(world: Any) -> None:
    sub = around(world.store, world.ids["hk"], 1)
    assert world.ids["maker"] in sub.node_ids and world.ids["tr"] in sub.node_ids
    assert world.ids["country_HK"] in sub.node_ids and world.ids["doc"] in sub.node_ids
    assert world.ids["ru"] not in sub.node_ids
    deeper = around(world.store, world.ids["hk"], 2)
    assert world.ids["ru"] in deeper.node_ids and world.ids["good"] in deeper.node_ids
    # Hong Kong (a country) is reached but not expanded: its other companies stay out at depth 2.
    assert world.ids["buyer"] not in deeper.node_ids
    country = around(world.store, world.ids["country_RU"], 1)  # the start node itself is expanded
    assert {world.ids["ru"], world.ids["buyer"]} <= country.node_ids
    assert around(world.store, world.ids["hk"], 0).edge_ids == frozenset()
    with pytest.raises(SelectionError):
        around(world.store, "company:nope", 1)


def test_everything_and_find_nodes(world: Any, hostile: str) -> None:
    sub = everything(world.store)
    counts = world.store.counts()
    assert len(sub.node_ids) == counts["nodes"] and len(sub.edge_ids) == counts["edges"]
    assert find_nodes(world.store, "harbour bright trading ltd") == [world.ids["hk"]]
    assert find_nodes(world.store, "Harbour-Bright Trading, Ltd.") == [world.ids["hk"]]
    assert find_nodes(world.store, world.ids["ru"]) == [world.ids["ru"]]
    assert find_nodes(world.store, hostile) == [world.ids["tr"]]
    assert find_nodes(world.store, "nobody at all") == []
