"""Edges in bulk: many edges of one source as Arrow columns, for loaders that make millions of them.

A customs file of a million rows is a million edges; as :class:`~graph.schema.Edge` objects they
cost more than everything else of the load. An :class:`EdgeBatch` carries the same facts as two
Arrow tables (the edge rows and their evidence rows, in the stores' own column layout), and every
store's ``write`` takes batches beside records. :func:`expand` turns batches back into records
for code that wants objects (previews, tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from graph.schema import FLOW_EDGE_TYPES, Edge, EdgeType, Record, SchemaError
from graph.stores.frames import SCHEMAS, edge_from_row, evidence_from_row

T = TypeVar("T")
_EDGE_TYPES = pa.array([t.value for t in EdgeType], pa.string())
_LOOPS_ALLOWED = pa.array([t.value for t in (*FLOW_EDGE_TYPES, EdgeType.SAME_AS)], pa.string())


@dataclass(frozen=True)
class EdgeBatch:
    """Edge rows and their evidence rows as Arrow tables (``SCHEMAS['edges']`` and ``SCHEMAS['evidence']``).

    ``edges.props`` holds JSON text as written by ``dump_props``; evidence rows name their edge in
    ``owner``. The batch checks its tables' columns when made and its values with :meth:`check`.
    """

    edges: pa.Table
    evidence: pa.Table

    def __post_init__(self) -> None:
        for name, table in (("edges", self.edges), ("evidence", self.evidence)):
            if not table.schema.equals(SCHEMAS[name]):
                raise SchemaError(f"edge batch: {name} columns {table.schema.names} with types "
                                  f"{[str(t) for t in table.schema.types]} do not match the store layout")

    def __len__(self) -> int:
        return self.edges.num_rows

    def check(self) -> None:
        """What :func:`graph.schema.validate` checks for each edge, for the whole batch at once.

        Raises:
            SchemaError: the first rule a row breaks, with an example.
        """
        edges, evidence = self.edges, self.evidence
        _require(edges, pc.is_in(edges["type"], value_set=_EDGE_TYPES), "unknown edge type")
        for column in ("id", "source", "target"):
            _require(edges, pc.invert(pc.is_null(edges[column])), f"edge without {column}")
        loop = pc.and_kleene(pc.equal(edges["source"], edges["target"]),
                       pc.invert(pc.is_in(edges["type"], value_set=_LOOPS_ALLOWED)))
        _require(edges, pc.invert(loop), "self-loop")
        value = edges["value_usd"]
        _require(edges, pc.or_kleene(pc.is_null(value), pc.greater_equal(value, 0.0)),
                 "value_usd must be a non-negative number")  # NaN compares false: refused too
        if not self.aligned():  # aligned rows give every edge its evidence; else a hash lookup
            _require(edges, pc.is_in(edges["id"], value_set=evidence["owner"]), "edge without evidence")
        confidence = evidence["confidence"]
        _require(evidence, pc.and_kleene(pc.greater_equal(confidence, 0.0), pc.less_equal(confidence, 1.0)),
                 "confidence must be in [0, 1]")
        for column in ("source", "extractor"):
            text = evidence[column]
            filled = pc.and_kleene(pc.invert(pc.is_null(text)), pc.greater(pc.utf8_length(text), 0))
            _require(evidence, filled, "evidence needs a source and an extractor")

    def aligned(self) -> bool:
        """Whether evidence row i belongs to edge row i, for every row (one piece of evidence per edge)."""
        if self.edges.num_rows != self.evidence.num_rows:
            return False
        same = pc.equal(self.edges["id"], self.evidence["owner"])
        return bool(pc.all(pc.fill_null(same, False)).as_py())

    def records(self) -> Iterator[Edge]:
        """The batch as Edge records with their evidence, in row order."""
        evidence: dict[str, list] = {}
        for row in self.evidence.to_pylist():
            evidence.setdefault(row["owner"], []).append(evidence_from_row(row))
        for row in self.edges.to_pylist():
            yield edge_from_row(row, tuple(evidence.get(row["id"], ())))


def _require(table: pa.Table, ok: pa.ChunkedArray | pa.Array, rule: str) -> None:
    """SchemaError naming ``rule`` and the first row where ``ok`` is not true."""
    ok = pc.fill_null(ok, False)
    if pc.all(ok).as_py() is False:
        first = pc.index(ok, False).as_py()
        raise SchemaError(f"{rule}: {table.slice(first, 1).to_pylist()[0]}")


def expand(items: Iterable[Record | EdgeBatch | T]) -> Iterator[Record | T]:
    """The items with every EdgeBatch replaced by its Edge records."""
    for item in items:
        if isinstance(item, EdgeBatch):
            yield from item.records()
        else:
            yield item
