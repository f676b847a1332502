"""Export page: the subgraph the analyst is looking at, and a download per export format."""

from __future__ import annotations

import re
from collections.abc import Sequence

from graph.exports import EXPORT_FORMATS, export_bytes
from graph.stores import GraphStore
from graph.subgraph import Subgraph, everything, from_trace

MAX_EXPORT_ELEMENTS = 100_000  # nodes + edges; bigger exports belong to `transship export`


class ExportTooLarge(ValueError):
    """The subgraph is too big to build in the browser session."""


def trace_subgraph(result: object, title: str = "transship trace") -> Subgraph:
    """The subgraph of a trace result (every node and edge on its ranked paths)."""
    return from_trace(result, title)


def neighbourhood_subgraph(store: GraphStore, node_id: str, node_ids: Sequence[str], edge_ids: Sequence[str]
                           ) -> Subgraph:
    """The neighbourhood picture of an entity as a subgraph (exactly what the Entity page drew)."""
    node = store.get_node(node_id)
    name = node.name if node is not None else node_id
    return Subgraph(frozenset(node_ids), frozenset(edge_ids), (), f"{name}: neighbourhood", (node_id,))


def store_subgraph(store: GraphStore) -> Subgraph:
    """The whole store, when it is small enough to export from the app."""
    counts = store.counts()
    size = int(counts.get("nodes", 0)) + int(counts.get("edges", 0))
    if size > MAX_EXPORT_ELEMENTS:
        raise ExportTooLarge(f"the store holds {size:,} nodes and edges; export it with "
                             f"'transship export' instead (the app exports up to {MAX_EXPORT_ELEMENTS:,})")
    return everything(store)


def file_name(sub: Subgraph, fmt: str) -> str:
    """A download file name from the subgraph title and the format's extension.

    >>> file_name(Subgraph(frozenset(), frozenset(), title="OOO Romashka: neighbourhood"), "gexf")
    'transship-ooo-romashka-neighbourhood.gexf'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", sub.title.lower()).strip("-")[:60] or "export"
    if not slug.startswith("transship"):
        slug = f"transship-{slug}"
    return f"{slug}{EXPORT_FORMATS[fmt].extension}"


def render(store: GraphStore, sub: Subgraph, fmt: str) -> bytes:
    """The export file's content."""
    return export_bytes(store, sub, fmt)
