"""Names already in the graph: patterns for the gazetteer, and resolution of mentioned names to graph nodes.

Resolution is delegated to the shared resolver (``ingest.resolve.NameIndex``: identifiers, match keys that
drop legal forms, fuzzy scores with blocking); this module only keeps the node keys so that a resolved
mention becomes a record of the existing node, and the names used as gazetteer patterns.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from graph.schema import NodeType, node_id
from graph.stores import GraphStore
from ingest.resolve import DEFAULT_THRESHOLD, Profile
from ingest.resolve import NameIndex as SharedIndex

_TYPES = {"ORG": NodeType.COMPANY, "PERSON": NodeType.PERSON}


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
    score: float
    method: str


class NameIndex:
    """Companies and persons of a store: gazetteer patterns plus the shared resolver over their names."""

    def __init__(self, names: Iterable[tuple[KnownName, bool]] = (), threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        self.names: list[KnownName] = []  # gazetteer patterns
        self._keys: dict[str, tuple[str, NodeType, str | None]] = {}  # node id -> (key, type, country)
        grouped: dict[str, list[KnownName]] = {}
        for name, alias in names:
            if not name.key or not name.text.strip():
                continue
            node = node_id(_TYPES.get(name.label, NodeType.COMPANY), name.key)
            grouped.setdefault(node, []).append(name)
            self._keys[node] = (name.key, _TYPES.get(name.label, NodeType.COMPANY), name.country)
            if not (alias and " " not in name.text.strip()):  # one-word aliases resolve but are no patterns
                self.names.append(name)
        self._resolvers = {
            label: SharedIndex(Profile(node, tuple(n.text for n in items), items[0].country, type=type_.value)
                               for node, items in grouped.items() if self._keys[node][1] is type_)
            for label, type_ in _TYPES.items()
        }

    @classmethod
    def from_store(cls, store: GraphStore) -> NameIndex:
        """Index of every Company and Person node (name and ``aliases`` prop) in the store."""
        return cls(_store_names(store))

    def resolve(self, name: str, label: str, country: str | None) -> ResolvedName | None:
        """The node a mentioned name refers to: the shared resolver's best match above the threshold, if unique."""
        resolver = self._resolvers.get(label)
        if resolver is None or not len(resolver):
            return None
        matches = resolver.lookup(name, country=country, limit=2, min_score=self.threshold)
        if not matches or (len(matches) > 1 and matches[1].score >= matches[0].score):
            return None  # unknown, or two entities fit equally well
        best = matches[0]
        key, type_, known_country = self._keys[best.entity_id]
        return ResolvedName(key, type_, known_country, best.score, best.method)


def _store_names(store: GraphStore) -> Iterator[tuple[KnownName, bool]]:
    frame = store.node_frame()
    if frame.empty:
        return
    frame = frame[frame["type"].isin([NodeType.COMPANY.value, NodeType.PERSON.value])]
    for row in frame.itertuples(index=False):
        label = "PERSON" if row.type == NodeType.PERSON.value else "ORG"
        country = row.country if isinstance(row.country, str) and row.country else None
        yield KnownName(str(row.name), label, country, str(row.key)), False
        props = row.props
        if isinstance(props, str) and props:
            props = json.loads(props)
        for alias in (props or {}).get("aliases", []) if isinstance(props, dict) else []:
            yield KnownName(str(alias), label, country, str(row.key)), True
