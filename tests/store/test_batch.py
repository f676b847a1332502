"""EdgeBatch: edges in bulk write what the same Edge records write, and break the schema as loudly."""

from __future__ import annotations

from pathlib import Path

import orjson
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.batch import EdgeBatch, expand
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, SchemaError, edge_id, edge_ids
from graph.stores.embedded import EmbeddedStore
from graph.stores.frames import SCHEMAS, dump_props, edge_id_column, float_texts, json_objects

EV = Evidence("doc:test", "row 1", "test/1", 0.9, "2024-01-02", "a|b")
A, B = Node(NodeType.COMPANY, "name:a|HK", "A", "HK", evidence=(EV,)), Node(NodeType.COMPANY, "name:b|RU", "B", "RU",
                                                                           evidence=(EV,))


def shipped(key: str, value: float | None = 10.0, source: str | None = None, target: str | None = None) -> Edge:
    return Edge(EdgeType.SHIPPED, source or A.id, target or B.id, key, "2024-01-02", "854231", value, 2.0, "US",
                {"record_id": key, "unit": "pcs"}, (Evidence("doc:test", f"row {key}", "test/1", 0.95, "2024-01-02"),))


def batch_of(edges: list[Edge]) -> EdgeBatch:
    rows = [(e.id, e.type.value, e.source, e.target, e.key, e.date, e.hs_code, e.value_usd, e.quantity,
             e.origin_country, dump_props(e.props)) for e in edges]
    evidence = [(e.id, ev.source, ev.locator, ev.extractor, ev.confidence, ev.observed, ev.excerpt)
                for e in edges for ev in e.evidence]

    def table(name: str, data: list[tuple]) -> pa.Table:
        return pa.Table.from_arrays([pa.array(list(col), f.type) for col, f in zip(zip(*data), SCHEMAS[name])],
                                    schema=SCHEMAS[name])

    return EdgeBatch(table("edges", rows), table("evidence", evidence))


def test_a_batch_writes_what_its_records_write(tmp_path: Path) -> None:
    edges = [shipped(f"k{i}") for i in range(5)] + [shipped("k0")]  # a repeated edge: one edge, its evidence once
    as_records, as_batch = EmbeddedStore(tmp_path / "r"), EmbeddedStore(tmp_path / "b")
    first = as_records.write([A, B, *edges])
    second = as_batch.write([A, B, batch_of(edges)])
    assert first == second
    for name in ("node_frame", "edge_frame", "evidence_frame"):
        assert getattr(as_records, name)().equals(getattr(as_batch, name)())
    assert [e.id for e in expand([batch_of(edges)])] == [e.id for e in edges]
    assert list(expand([batch_of(edges)]))[1] == edges[1]
    assert as_batch.write([A, B, batch_of(edges)]).changed is False  # idempotent


@pytest.mark.parametrize(("edge", "rule"), [
    (shipped("neg", value=-1.0), "value_usd must be a non-negative number"),
    (shipped("nan", value=float("nan")), "value_usd must be a non-negative number"),
    (Edge(EdgeType.OWNED_BY, A.id, A.id, evidence=(EV,)), "self-loop"),
])
def test_a_batch_breaking_the_schema_writes_nothing(tmp_path: Path, edge: Edge, rule: str) -> None:
    store = EmbeddedStore(tmp_path / "s")
    with pytest.raises(SchemaError, match=rule):
        store.write([A, B, batch_of([shipped("ok"), edge])])
    assert store.generation == 0 and store.edge_frame().empty


def test_a_batch_needs_evidence_and_known_ends(tmp_path: Path) -> None:
    batch = batch_of([shipped("x")])
    bare = EdgeBatch(batch.edges, batch.evidence.slice(0, 0))
    with pytest.raises(SchemaError, match="edge without evidence"):
        EmbeddedStore(tmp_path / "a").write([A, B, bare])
    with pytest.raises(SchemaError, match="unknown nodes"):
        EmbeddedStore(tmp_path / "b").write([A, batch])
    with pytest.raises(SchemaError, match="do not match the store layout"):
        EdgeBatch(batch.evidence, batch.edges)


values = st.one_of(st.none(), st.text(max_size=8), st.floats(allow_nan=False), st.integers(-5, 5), st.booleans())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "unit", "é", "z_1"]), values, max_size=4), max_size=6))
def test_json_objects_is_dump_props_row_by_row(rows: list[dict]) -> None:
    names = sorted({k for row in rows for k in row})
    columns = {name: [row.get(name) for row in rows] for name in names}
    expected = [dump_props({k: v for k, v in row.items() if v is not None}) for row in rows]
    assert json_objects(columns, len(rows)).to_pylist() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.none() | st.text(max_size=8), st.none() | st.floats(), st.none() | st.integers(-2**63, 2**63 - 1)),
                max_size=8))
def test_json_objects_of_arrow_columns_is_dump_props_row_by_row(rows: list[tuple]) -> None:
    texts, floats, ints = (list(column) for column in zip(*rows)) if rows else ([], [], [])
    columns = {"t": pa.array(texts, pa.string()), "f": pa.array(floats, pa.float64()), "i": pa.array(ints, pa.int64())}
    expected = [dump_props({k: v for k, v in zip("tfi", row) if v is not None}) for row in rows]
    assert json_objects(columns, len(rows)).to_pylist() == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | st.floats(), max_size=20))
def test_float_texts_are_repr_and_orjson(values: list[float | None]) -> None:
    array = pa.array(values, pa.float64())
    assert float_texts(array).to_pylist() == [None if v is None else repr(v) for v in values]
    assert float_texts(array, json=True).to_pylist() == [
        None if v is None else orjson.dumps(v).decode("utf-8") for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=6), st.none() | st.text(max_size=6)), max_size=12),
       st.integers(0, 3))
def test_edge_id_column_is_edge_ids(rows: list[tuple[str, str, str | None]], offset: int) -> None:
    sources, targets, keys = (list(column) for column in zip(*rows)) if rows else ([], [], [])
    columns = [pa.array(["pad"] * offset + values, pa.string()).slice(offset) for values in (sources, targets, keys)]
    assert edge_id_column(EdgeType.SHIPPED, *columns).to_pylist() == edge_ids(EdgeType.SHIPPED, sources, targets, keys)


def test_edge_ids_are_edge_id() -> None:
    assert edge_ids(EdgeType.SHIPPED, ["s", "é"], ["t", "t"], ["k", ""]) == [
        edge_id(EdgeType.SHIPPED, "s", "t", "k"), edge_id(EdgeType.SHIPPED, "é", "t", "")]
