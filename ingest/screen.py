"""Screening: is this party (or something like it) listed, on which list, since when, and why did it match?"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from graph.schema import Edge, EdgeType, Node, NodeType, Record
from graph.stores import GraphStore
from graph.stores.frames import load_props
from ingest.resolve import DEFAULT_REVIEW_BAND, NameIndex, Profile, profiles_from_store

PARTY_TYPES = (NodeType.COMPANY, NodeType.PERSON)


@dataclass(frozen=True, slots=True)
class ScreenHit:
    """One listed entity matching a screened name."""

    query: str
    entity_id: str
    name: str
    country: str | None
    score: float
    method: str          # identifier:<scheme> | exact | fuzzy | contained
    matched_name: str    # the name or alias that matched
    lists: tuple[str, ...]   # "ofac-sdn RUSSIA-EO14024 since 2022-02-24" ...

    def row(self) -> dict[str, object]:
        """A flat dict for table/JSON/CSV output."""
        return {"query": self.query, "score": self.score, "method": self.method, "name": self.name,
                "matched_name": self.matched_name, "country": self.country, "lists": list(self.lists),
                "entity_id": self.entity_id}


def _describe(props: dict[str, object], as_of: str | None) -> str:
    text = " ".join(str(p) for p in (props.get("list"), props.get("program")) if p)
    if props.get("start_date"):
        text += f" since {props['start_date']}"
    elif as_of:
        text += f" (as of {as_of})"
    if props.get("end_date"):
        text += f" until {props['end_date']}"
    if props.get("citation"):
        text += f" [{props['citation']}]"
    return text


class ScreenIndex:
    """Listed parties with their names, aliases, identifiers and listings, indexed for fast screening."""

    def __init__(self, profiles: Iterable[Profile], listings: dict[str, list[str]]) -> None:
        self.listings = listings
        self.index = NameIndex(p for p in profiles if p.id in listings)

    def __len__(self) -> int:
        return len(self.index)

    @classmethod
    def from_store(cls, store: GraphStore) -> ScreenIndex:
        """Index every party of the store that has a LISTED_ON edge."""
        listings: dict[str, list[str]] = defaultdict(list)
        frame = store.edge_frame([EdgeType.LISTED_ON])
        for source, props_text in frame[["source", "props"]].itertuples(index=False, name=None):
            props = load_props(props_text)
            listings[source].append(_describe(props, None))
        return cls(profiles_from_store(store, PARTY_TYPES), dict(listings))

    @classmethod
    def from_records(cls, records: Iterable[Record | object]) -> ScreenIndex:
        """Index straight from a loader's records (no store): used by the screening benchmark."""
        nodes: list[Node] = []
        listings: dict[str, list[str]] = defaultdict(list)
        for record in records:
            if isinstance(record, Node) and record.type in PARTY_TYPES:
                nodes.append(record)
            elif isinstance(record, Edge) and record.type == EdgeType.LISTED_ON:
                as_of = record.evidence[0].observed if record.evidence else None
                listings[record.source].append(_describe(dict(record.props), as_of))
        from ingest.resolve import profile_of

        return cls((profile_of(n) for n in nodes), dict(listings))

    def screen(self, name: str, country: str | None = None, identifiers: Iterable[str] = (), limit: int = 10,
               min_score: float = DEFAULT_REVIEW_BAND) -> list[ScreenHit]:
        """Listed parties matching a name, best first, with the lists and why they matched."""
        hits = []
        for match in self.index.lookup(name, country=country, identifiers=identifiers, limit=limit,
                                       min_score=min_score, partial=True):
            profile = self.index.profiles[match.entity_id]
            hits.append(ScreenHit(name, match.entity_id, profile.name, profile.country, match.score, match.method,
                                  match.matched_name, tuple(dict.fromkeys(self.listings.get(match.entity_id, [])))))
        return hits

    def screen_many(self, names: Sequence[str], country: str | None = None, limit: int = 10,
                    min_score: float = DEFAULT_REVIEW_BAND, workers: int = 1) -> list[list[ScreenHit]]:
        """Screen many names; ``workers`` > 1 forks processes that share this index (Linux/macOS)."""
        if workers <= 1 or len(names) < 1000 or "fork" not in multiprocessing.get_all_start_methods():
            return [self.screen(n, country=country, limit=limit, min_score=min_score) for n in names]
        global _SHARED
        _SHARED = (self, country, limit, min_score)
        size = max(1, len(names) // (workers * 8))
        chunks = [list(names[i:i + size]) for i in range(0, len(names), size)]
        try:
            with multiprocessing.get_context("fork").Pool(min(workers, os.cpu_count() or 1)) as pool:
                parts = pool.map(_screen_chunk, chunks)
        finally:
            _SHARED = None
        return [hits for part in parts for hits in part]


_SHARED: tuple[ScreenIndex, str | None, int, float] | None = None


def _screen_chunk(names: list[str]) -> list[list[ScreenHit]]:
    assert _SHARED is not None
    index, country, limit, min_score = _SHARED
    return [index.screen(n, country=country, limit=limit, min_score=min_score) for n in names]
