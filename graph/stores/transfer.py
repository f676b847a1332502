"""Copy a whole store into another one (e.g. embedded -> Neo4j), in batches, preserving insertion order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from graph.schema import Evidence, Record
from graph.stores import GraphStore, WriteResult
from graph.stores.frames import evidence_from_row


def _evidence_by_owner(store: GraphStore) -> dict[str, list[Evidence]] | None:
    """All evidence grouped by owner when the store can hand it over at once, else None."""
    frame_of = getattr(store, "evidence_frame", None)
    if frame_of is None:
        return None
    grouped: dict[str, list[Evidence]] = defaultdict(list)
    for row in frame_of().to_dict("records"):
        grouped[row["owner"]].append(evidence_from_row(row))
    return grouped


def iter_records(store: GraphStore, chunk: int = 5000) -> Iterator[list[Record]]:
    """The store's records with their evidence in chunks: all nodes first, then all edges."""
    evidence = _evidence_by_owner(store)

    def attach(batch: list[Any]) -> list[Record]:
        if evidence is None:
            found = store.evidence_of(r.id for r in batch)
            return [r.__class__(**{**_fields(r), "evidence": found.get(r.id, ())}) for r in batch]
        return [r.__class__(**{**_fields(r), "evidence": tuple(evidence.get(r.id, ()))}) for r in batch]

    for source in (store.nodes(), store.edges()):
        batch: list[Any] = []
        for record in source:
            batch.append(record)
            if len(batch) >= chunk:
                yield attach(batch)
                batch = []
        if batch:
            yield attach(batch)


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def count_records(store: GraphStore) -> int:
    """Number of nodes and edges in a store."""
    counts = store.counts()
    return counts.get("nodes", 0) + counts.get("edges", 0)


def copy_store(source: GraphStore, target: GraphStore, chunk: int = 5000,
               on_batch: Callable[[int], None] | None = None) -> WriteResult:
    """Write every record of ``source`` into ``target``; idempotent, so an interrupted copy can be re-run."""
    total = WriteResult()
    for batch in iter_records(source, chunk):
        result = target.write(batch)
        total = WriteResult(*(a + b for a, b in zip(_counts(total), _counts(result), strict=True)))
        if on_batch is not None:
            on_batch(len(batch))
    return total


def _counts(result: WriteResult) -> tuple[int, int, int, int]:
    return (result.nodes_added, result.nodes_updated, result.edges_added, result.evidence_added)
