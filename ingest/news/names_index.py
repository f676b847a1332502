"""Names already in the graph: patterns for the gazetteer and exact resolution of mentioned names.

This is deliberately exact (``fold_name`` of names and aliases, country as tie-breaker). Fuzzy resolution is
the job of the shared resolver (``ingest/resolve.py``); :meth:`NameIndex.resolve` is the one place to switch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.schema import NodeType
from graph.stores import GraphStore
from ingest.keys import fold_name


@dataclass(frozen=True, slots=True)
class KnownName:
    """A name (or alias) of a graph entity: surface text, label ORG/PERSON, country, node key."""

    text: str
    label: str
    country: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class ResolvedName:
    """A graph node a mention resolved to."""

    key: str
    type: NodeType
    country: str | None


class NameIndex:
    """Folded names and aliases of companies and persons in a store."""

    def __init__(self, names: Iterable[KnownName] = ()) -> None:
        self._by_name: dict[str, list[KnownName]] = {}
        self.names: list[KnownName] = []
        for name in names:
            self.add(name)

    def add(self, name: KnownName) -> None:
        folded = fold_name(name.text)
        if folded and name.key:
            self._by_name.setdefault(folded, []).append(name)
            self.names.append(name)

    @classmethod
    def from_store(cls, store: GraphStore) -> NameIndex:
        """Index of every Company and Person node (name and ``aliases`` prop) in the store."""
        return cls(_store_names(store))

    def resolve(self, name: str, label: str, country: str | None) -> ResolvedName | None:
        """The node a mentioned name refers to, by exact folded name; None when unknown or ambiguous."""
        hits = [n for n in self._by_name.get(fold_name(name), ()) if n.label == label]
        if country:
            same = [n for n in hits if n.country == country]
            hits = same or [n for n in hits if n.country is None]
        keys = {n.key for n in hits}
        if len(keys) != 1:
            return None
        hit = hits[0]
        assert hit.key is not None
        return ResolvedName(hit.key, NodeType.PERSON if label == "PERSON" else NodeType.COMPANY, hit.country)


def _store_names(store: GraphStore) -> Iterator[KnownName]:
    frame = store.node_frame()
    if frame.empty:
        return
    frame = frame[frame["type"].isin([NodeType.COMPANY.value, NodeType.PERSON.value])]
    for row in frame.itertuples(index=False):
        label = "PERSON" if row.type == NodeType.PERSON.value else "ORG"
        country = row.country if isinstance(row.country, str) and row.country else None
        yield KnownName(str(row.name), label, country, str(row.key))
        props = row.props
        if isinstance(props, str) and props:
            props = json.loads(props)
        for alias in (props or {}).get("aliases", []) if isinstance(props, dict) else []:
            yield KnownName(str(alias), label, country, str(row.key))
