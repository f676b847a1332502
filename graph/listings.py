"""Listings as dated events: "was X listed on date D, on which list, since when?".

A LISTED_ON edge carries ``list``, ``program``, ``start_date``, ``end_date`` (a delisting) and
``citation``. Sources without dates (the legacy SDN CSV) say only that the party was listed
as of the snapshot date (the evidence's ``observed``): before that date the answer is unknown.
Merged entities (SAME_AS, graph/identity.py) share their listings.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.identity import canonical_map
from graph.schema import EdgeType
from graph.stores import GraphStore


@dataclass(frozen=True, slots=True)
class ListingHit:
    """One listing event of a party."""

    node_id: str
    list: str
    program: str
    start_date: str | None
    end_date: str | None
    citation: str | None
    as_of: str | None        # snapshot date of the source when it has no start date


@dataclass(frozen=True, slots=True)
class ListingAnswer:
    """Answer to "was X listed on D": True, False or None (the sources cannot tell), with the events."""

    listed: bool | None
    on: str
    hits: tuple[ListingHit, ...]
    reason: str


def _members(store: GraphStore, node_id: str) -> list[str]:
    mapping = canonical_map(store)
    root = mapping.get(node_id, node_id)
    return sorted({node_id, *(n for n, r in mapping.items() if r == root), root})


def listings_of(store: GraphStore, node_id: str, merged: bool = True) -> list[ListingHit]:
    """Every listing event of a node (and of the nodes merged with it), oldest first."""
    hits = []
    for member in _members(store, node_id) if merged else [node_id]:
        for edge in store.edges_of(member, "out"):
            if edge.type != EdgeType.LISTED_ON:
                continue
            props = edge.props
            observed = sorted(e.observed for e in edge.evidence if e.observed)
            hits.append(ListingHit(member, str(props.get("list", "")), str(props.get("program", "")),
                                   props.get("start_date"), props.get("end_date"), props.get("citation"),
                                   observed[0] if observed else None))
    return sorted(hits, key=lambda h: (h.start_date or h.as_of or "", h.list, h.program))


def _state(hit: ListingHit, day: str) -> bool | None:
    if hit.end_date and day >= hit.end_date:
        return False
    if hit.start_date:
        return day >= hit.start_date
    if hit.as_of and day >= hit.as_of:
        return True
    return None


def listed_on(store: GraphStore, node_id: str, day: str) -> ListingAnswer:
    """Was the party listed on ``day`` (ISO date)? Delistings (end_date) count.

    Returns True when some event covers the day, False when every event starts later or
    ended before, None when the only events are undated snapshots taken after the day.
    """
    hits = tuple(listings_of(store, node_id))
    if not hits:
        return ListingAnswer(False, day, hits, "no listing events")
    states = [(_state(h, day), h) for h in hits]
    covering = [h for s, h in states if s]
    if covering:
        h = covering[0]
        since = h.start_date or f"as of {h.as_of}"
        return ListingAnswer(True, day, hits, f"{h.list} {h.program} since {since}".strip())
    if any(s is None for s, _ in states):
        return ListingAnswer(None, day, hits, "listed in an undated snapshot taken after this day")
    return ListingAnswer(False, day, hits, "listed only before (delisted) or after this day")
