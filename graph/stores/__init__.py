"""Graph stores: one small protocol, two backends (embedded and Neo4j).

Pick a store the same way everywhere with :func:`open_store`: an explicit
location, else ``TRANSSHIP_STORE``, else ``./transship-data``. A directory
means the embedded store; a ``bolt://``/``neo4j://`` URI means Neo4j.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from graph.batch import EdgeBatch

DEFAULT_STORE = "./transship-data"
STORE_ENV = "TRANSSHIP_STORE"
BOLT_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

Direction = Literal["in", "out", "both"]

# Columns of the frames every store returns from node_frame() / edge_frame().
NODE_COLUMNS = ("id", "type", "key", "name", "country", "props")
EDGE_COLUMNS = (
    "id", "type", "source", "target", "key", "date", "hs_code", "value_usd",
    "quantity", "origin_country", "confidence", "n_evidence", "props",
)
EVIDENCE_COLUMNS = ("owner", "source", "locator", "extractor", "confidence", "observed", "excerpt")


class StoreError(RuntimeError):
    """The store cannot be opened, read or written; the message says why."""


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one write changed."""

    nodes_added: int = 0
    nodes_updated: int = 0
    edges_added: int = 0
    evidence_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.nodes_added or self.nodes_updated or self.edges_added or self.evidence_added)


@runtime_checkable
class GraphStore(Protocol):
    """What every backend offers. Queries in ``graph.queries`` build on this alone."""

    location: str

    def write(self, records: Iterable[Record | EdgeBatch]) -> WriteResult:
        """Add records and batches of edges; the same id from a new source adds evidence, never a duplicate."""
        ...

    def get_node(self, node_id: str) -> Node | None:
        """The node with this id, with its evidence, or None."""
        ...

    def get_edge(self, edge_id: str) -> Edge | None:
        """The edge with this id, with its evidence, or None."""
        ...

    def nodes(self, type: NodeType | None = None) -> Iterator[Node]:
        """All nodes (of one type), without evidence for speed."""
        ...

    def edges(self, type: EdgeType | None = None) -> Iterator[Edge]:
        """All edges (of one type), without evidence for speed."""
        ...

    def edges_of(self, node_id: str, direction: Direction = "both") -> Iterator[Edge]:
        """Edges touching a node, with their evidence."""
        ...

    def evidence_of(self, ids: Iterable[str]) -> dict[str, tuple[Evidence, ...]]:
        """Evidence per node or edge id."""
        ...

    def node_frame(self) -> pd.DataFrame:
        """All nodes as a frame with NODE_COLUMNS (props as JSON text)."""
        ...

    def edge_frame(self, types: Iterable[EdgeType] | None = None) -> pd.DataFrame:
        """All edges (of some types) as a frame with EDGE_COLUMNS, ordered by id."""
        ...

    def counts(self) -> dict[str, int]:
        """Numbers of nodes and edges per type, and of evidence."""
        ...

    def close(self) -> None:
        """Release connections and locks."""
        ...


def resolve_location(location: str | os.PathLike[str] | None = None) -> str:
    """The store location: explicit, else $TRANSSHIP_STORE, else ./transship-data."""
    if location is not None and str(location):
        return str(location)
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


def is_bolt_uri(location: str) -> bool:
    """True for Neo4j URIs (bolt://, neo4j://, and their +s/+ssc forms)."""
    return location.lower().startswith(BOLT_SCHEMES)


def open_store(location: str | os.PathLike[str] | None = None, *, create: bool = True) -> GraphStore:
    """Open the store at ``location`` (see :func:`resolve_location`).

    Args:
        location: directory of an embedded store or a ``bolt://``/``neo4j://`` URI.
        create: make an empty embedded store when the directory does not exist;
            with False a missing store is an error (for read-only commands).

    Raises:
        StoreError: missing, corrupt or incompatible store, or unreachable server.
    """
    where = resolve_location(location)
    if is_bolt_uri(where):
        try:
            from graph.stores.neo4j import Neo4jStore
        except ImportError as exc:  # the driver is an optional extra
            raise StoreError(f"cannot open {where}: the Neo4j backend needs the 'neo4j' package ({exc})") from exc
        return Neo4jStore.connect(where)
    from graph.stores.embedded import EmbeddedStore

    return EmbeddedStore(where, create=create)


def graph_of(store: GraphStore) -> nx.MultiDiGraph:
    """A networkx MultiDiGraph of the whole store (the embedded store caches its own)."""
    cached = getattr(store, "graph", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from graph.stores.frames import frames_to_networkx

    return frames_to_networkx(store.node_frame(), store.edge_frame())


__all__ = [
    "BOLT_SCHEMES", "DEFAULT_STORE", "EDGE_COLUMNS", "EVIDENCE_COLUMNS", "NODE_COLUMNS", "STORE_ENV", "Direction",
    "GraphStore", "StoreError", "WriteResult", "graph_of", "is_bolt_uri", "open_store", "resolve_location",
]
