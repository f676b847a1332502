"""The Cypher script runs on a real Bolt server (ArcadeDB, or $NEO4J_URI) and yields the same graph."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest

from graph.exports.cypher import split_statements, write_cypher
from graph.exports.records import edge_record, node_record, property_map
from graph.subgraph import Materialized, around, everything, materialize

pytestmark = pytest.mark.bolt


@pytest.fixture
def session(bolt_target: Any, world: Any) -> Iterator[Any]:
    import neo4j

    ids = list(world.store.node_frame()["id"])
    driver = neo4j.GraphDatabase.driver(bolt_target.uri, auth=(bolt_target.user, bolt_target.password))
    with driver.session(database=bolt_target.database) as sess:
        def clear() -> None:  # only this export's nodes: a shared server keeps everything else
            sess.execute_write(lambda tx: tx.run("MATCH (n) WHERE n.id IN $ids DETACH DELETE n", ids=ids).consume())

        clear()
        yield sess
        clear()
    driver.close()


def _run_script(sess: Any, mat: Materialized) -> int:
    out = io.StringIO()
    write_cypher(mat, out, batch=4)
    statements = split_statements(out.getvalue())
    for statement in statements:
        sess.execute_write(lambda tx, s=statement: tx.run(s).consume())
    return len(statements)


def _graph_on_server(sess: Any, mat: Materialized) -> tuple[dict[str, Any], dict[str, Any]]:
    nodes = {r["p"]["id"]: (r["labels"], r["p"]) for r in sess.run(
        "MATCH (n) WHERE n.id IN $ids RETURN labels(n) AS labels, properties(n) AS p", ids=list(mat.nodes))}
    edges = {r["p"]["id"]: (r["t"], r["s"], r["e"], r["p"]) for r in sess.run(
        "MATCH (a)-[r]->(b) WHERE r.id IN $ids RETURN type(r) AS t, a.id AS s, b.id AS e, properties(r) AS p",
        ids=list(mat.edges))}
    return nodes, edges


def test_script_recreates_the_graph(session: Any, world: Any, hostile: str, big: str) -> None:
    mat = materialize(world.store, everything(world.store))
    assert _run_script(session, mat) > len({n.type for n in mat.nodes.values()})
    nodes, edges = _graph_on_server(session, mat)
    assert set(nodes) == set(mat.nodes) and set(edges) == set(mat.edges)
    for nid, node in mat.nodes.items():
        assert nodes[nid] == ([node.type.value], {"id": nid, **property_map(node_record(nid, node))})
    for eid, edge in mat.edges.items():
        props = {"id": eid, **property_map(edge_record(eid, edge))}
        assert edges[eid] == (edge.type.value, edge.source, edge.target, props)
    assert nodes[world.ids["tr"]][1]["name"] == hostile
    assert any(big in p["evidence_json"] for _t, _s, _e, p in edges.values())


def test_script_is_idempotent(session: Any, world: Any) -> None:
    mat = materialize(world.store, everything(world.store))
    _run_script(session, mat)
    first = _graph_on_server(session, mat)
    _run_script(session, mat)
    assert _graph_on_server(session, mat) == first
    count = session.run("MATCH (n) WHERE n.id IN $ids RETURN count(n) AS c", ids=list(mat.nodes)).single()["c"]
    assert count == len(mat.nodes)


def test_exports_from_a_neo4j_store_match_the_embedded_store(bolt_target: Any, world: Any) -> None:
    """Selection and materialize work on the Neo4j backend too: the node-link export is the same."""
    from graph.exports import export_bytes
    from tests.exports.conftest import build_records
    from tests.neo4j.conftest import connect_bolt

    store = connect_bolt(bolt_target)
    try:
        nodes, edges, _ids, _chain = build_records()
        store.write([*nodes, *edges])
        for select in (everything, lambda s: around(s, world.ids["hk"], 2)):
            assert export_bytes(store, select(store), "json") == export_bytes(world.store, select(world.store), "json")
    finally:
        store.clear()
        store.close()
