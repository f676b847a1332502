"""The subgraph behind an answer: which nodes and edges to export, and their records with evidence.

A :class:`Subgraph` is only ids (plus, for a trace, the ordered paths the report
draws). Build one from a trace result (:func:`from_trace`), around an entity
(:func:`around`) or for the whole store (:func:`everything`);
:func:`materialize` then reads the nodes and edges with their evidence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.schema import Edge, Evidence, Node, NodeType
from graph.stores import GraphStore, StoreError, graph_of
from graph.stores.frames import edge_from_row, evidence_from_row, node_from_row

if TYPE_CHECKING:
    import pandas as pd

# Hubs that an ``around`` walk does not expand through (it keeps the edges to them):
# every Russian company is LOCATED_IN Russia, every chip shipment carries HS 8542.
NON_EXPANDING_TYPES = frozenset({NodeType.COUNTRY.value, NodeType.GOOD.value, NodeType.LISTING.value,
                                 NodeType.DOCUMENT.value})


class SelectionError(ValueError):
    """The selection is empty or names ids the store does not hold."""


@dataclass(frozen=True, slots=True)
class PathView:
    """One ranked path of a trace: its hops as edge ids, its nodes in order, its score."""

    edge_ids: tuple[str, ...]
    node_ids: tuple[str, ...]
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Subgraph:
    """Ids of the nodes and edges to export, optional ordered paths and a title for reports."""

    node_ids: frozenset[str]
    edge_ids: frozenset[str]
    paths: tuple[PathView, ...] = ()
    title: str = "transship export"
    focus: tuple[str, ...] = ()  # node(s) the selection was built around, drawn first in overviews

    def __len__(self) -> int:
        return len(self.node_ids) + len(self.edge_ids)


@dataclass(slots=True)
class Materialized:
    """Nodes and edges of a subgraph with their evidence, keyed by id in id order."""

    nodes: dict[str, Node]
    edges: dict[str, Edge]
    paths: tuple[PathView, ...] = ()
    title: str = "transship export"
    focus: tuple[str, ...] = ()

    def label(self, node_id: str) -> str:
        """Display name of a node (its name, else its id)."""
        node = self.nodes.get(node_id)
        return node.name if node is not None and node.name else node_id


def _ids(value: Any) -> tuple[str, ...]:
    """Ids from an attribute that may be a method, a sequence or a set."""
    if callable(value):
        value = value()
    return tuple(value)


def from_trace(result: Any, title: str = "transship trace") -> Subgraph:
    """The subgraph of a trace result: every node and edge on its paths, paths kept in rank order."""
    paths: list[PathView] = []
    for path in getattr(result, "paths", ()):
        hops = tuple(getattr(path, "hops", ()))
        edge_ids = _ids(path.edge_ids) if hasattr(path, "edge_ids") else tuple(h.edge_id for h in hops)
        if hasattr(path, "node_ids"):
            node_ids = _ids(path.node_ids)
        else:
            node_ids = tuple([hops[0].source, *(h.target for h in hops)]) if hops else ()
        score = getattr(path, "score", None)
        paths.append(PathView(edge_ids, node_ids, None if score is None else float(score)))
    nodes = {n for p in paths for n in p.node_ids}
    edges = {e for p in paths for e in p.edge_ids}
    if hasattr(result, "node_ids"):
        nodes.update(_ids(result.node_ids))
    if hasattr(result, "edge_ids"):
        edges.update(_ids(result.edge_ids))
    return Subgraph(frozenset(nodes), frozenset(edges), tuple(paths), title)


def around(store: GraphStore, node_id: str, depth: int = 1, *,
           expand_through: Iterable[str] | None = None) -> Subgraph:
    """The neighbourhood of a node: edges in either direction up to ``depth`` hops.

    Countries, goods, listings and documents are reached but not expanded further
    (they are hubs), unless named in ``expand_through`` or the start node itself.
    """
    if depth < 0:
        raise SelectionError(f"depth must be >= 0, got {depth}")
    graph = graph_of(store)
    if node_id not in graph:
        raise SelectionError(f"no node {node_id!r} in the store")
    stop = NON_EXPANDING_TYPES - set(expand_through or ())
    seen_nodes, seen_edges = {node_id}, set()
    frontier = [node_id]
    for _ in range(depth):
        following: list[str] = []
        for current in frontier:
            if current != node_id and graph.nodes[current].get("type") in stop:
                continue
            incident = [*graph.out_edges(current, keys=True), *graph.in_edges(current, keys=True)]
            for source, target, key in incident:
                seen_edges.add(key)
                for neighbour in (source, target):
                    if neighbour not in seen_nodes:
                        seen_nodes.add(neighbour)
                        following.append(neighbour)
        frontier = following
    name = graph.nodes[node_id].get("name") or node_id
    return Subgraph(frozenset(seen_nodes), frozenset(seen_edges), (), f"{name}: neighbourhood, depth {depth}",
                    (node_id,))


def everything(store: GraphStore) -> Subgraph:
    """Every node and edge of the store."""
    nodes = store.node_frame()["id"].tolist()
    edges = store.edge_frame()["id"].tolist()
    return Subgraph(frozenset(nodes), frozenset(edges), (), "transship: whole store")


def _rows_where(frame: pd.DataFrame, column: str, wanted: set[str]) -> list[dict[str, Any]]:
    """Rows whose ``column`` is in ``wanted``, as dicts (column-wise lists: fast on Arrow-backed frames)."""
    keys = frame[column].tolist()
    positions = [i for i, key in enumerate(keys) if key in wanted]
    if not positions:
        return []
    part = frame.iloc[positions]
    columns = {name: part[name].tolist() for name in part.columns}
    names = list(columns)
    return [dict(zip(names, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def _evidence_by_owner(store: GraphStore, ids: set[str]) -> dict[str, tuple[Evidence, ...]]:
    """Evidence per id; one pass over the evidence frame when the store exposes it."""
    frame_of = getattr(store, "evidence_frame", None)
    if frame_of is None:
        return store.evidence_of(sorted(ids))
    grouped: dict[str, list[Evidence]] = {}
    for row in _rows_where(frame_of(), "owner", ids):
        grouped.setdefault(row["owner"], []).append(evidence_from_row(row))
    return {owner: tuple(evs) for owner, evs in grouped.items()}


def materialize(store: GraphStore, sub: Subgraph) -> Materialized:
    """Read the selected nodes and edges with their evidence; endpoints of edges are always included.

    Raises:
        SelectionError: the selection is empty, or names ids the store does not hold.
    """
    if not sub.node_ids and not sub.edge_ids:
        raise SelectionError("the selection is empty: nothing to export")
    edge_rows = sorted(_rows_where(store.edge_frame(), "id", set(sub.edge_ids)), key=lambda r: r["id"])
    if len(edge_rows) != len(sub.edge_ids):
        missing = sorted(sub.edge_ids - {r["id"] for r in edge_rows})
        raise SelectionError(f"{len(missing)} selected edge(s) are not in the store, e.g. {missing[0]}")
    wanted_nodes = set(sub.node_ids) | {r["source"] for r in edge_rows} | {r["target"] for r in edge_rows}
    node_rows = sorted(_rows_where(store.node_frame(), "id", wanted_nodes), key=lambda r: r["id"])
    if len(node_rows) != len(wanted_nodes):
        missing = sorted(wanted_nodes - {r["id"] for r in node_rows})
        raise SelectionError(f"{len(missing)} selected node(s) are not in the store, e.g. {missing[0]}")
    evidence = _evidence_by_owner(store, wanted_nodes | set(sub.edge_ids))
    nodes = {row["id"]: node_from_row(row, evidence.get(row["id"], ())) for row in node_rows}
    edges = {row["id"]: edge_from_row(row, evidence.get(row["id"], ())) for row in edge_rows}
    return Materialized(nodes, edges, sub.paths, sub.title, sub.focus)


def find_nodes(store: GraphStore, name_or_id: str) -> list[str]:
    """Ids of nodes whose id, name or folded name equals ``name_or_id`` (id matches win)."""
    from ingest.keys import fold_name

    frame = store.node_frame()
    if (frame["id"] == name_or_id).any():
        return [name_or_id]
    names = frame["name"].fillna("")
    exact = frame[names.str.casefold() == name_or_id.casefold()]
    if not exact.empty:
        return sorted(exact["id"])
    folded = fold_name(name_or_id)
    if not folded:
        return []
    return sorted(frame[names.map(fold_name) == folded]["id"])


__all__ = [
    "Materialized", "NON_EXPANDING_TYPES", "PathView", "SelectionError", "StoreError", "Subgraph", "around",
    "everything", "find_nodes", "from_trace", "materialize",
]
