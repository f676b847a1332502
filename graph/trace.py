"""Trace: time-ordered, goods-continuous chains from US origins to Russian defense buyers.

A path is a chain of flow edges ``a0 -> a1 -> ... -> ak`` (1 <= k <= max_hops) over
canonical nodes (nodes merged by SAME_AS decisions count as one, see graph.identity),
visiting no node twice, where:

- ``a0`` is an origin: by default a Company located in the US (its ``country`` or a
  LOCATED_IN edge) with role ``manufacturer``, or a US-located shipper of any flow edge
  whose ``origin_country`` is US; else the given node ids.
- ``ak`` is a destination: by default a Company with role ``defense_buyer``; else the given ids.
- hops are SHIPPED edges and, with ``include_text``, SUPPLIES claims from text.
- each hop passes the edge filters: goods (any of the HS prefixes / ``tier:`` / ``cat:`` /
  ``pn:`` filters), ``since``/``until`` (an edge whose date may fall inside the window; undated
  edges fail a window), ``min_value`` (unknown values fail), ``min_confidence``.
- time order (``dwell_days`` not None): every hop is dated and, for consecutive hops with
  date intervals P (previous) and N (next), some day in N is on or after some day in P and
  within ``dwell_days`` of it (``N.end >= P.start`` and ``N.start <= P.end + dwell``); a
  ``YYYY-MM`` date is its whole month, ``YYYY`` its whole year.
- goods continuity between consecutive hops: ``hs6`` = the same HS-6 code or the same
  non-empty part number; ``category`` = the same goods category; ``off`` = anything.
- ``via_countries``: at least one intermediate node (not a0, not ak) located in one of them.

Score (in [0, 1], rounded to 9 decimals) = C * (0.5 + 0.5 V) * (0.5 + 0.5 R) with
C = product of hop confidences (noisy-or of each edge's evidence), V = min(1, log10(1 +
bottleneck value USD) / 7) (smallest hop value; unknown counts as 0; $10M earns 1) and
R = 0.5 ** (days from the last hop's last day to the newest day in the store / 365)
(0 when the last hop is undated). Paths are ranked by score, then fewer hops, then edge
ids: the same data always gives the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph.goods import chpl_entry
from graph.schema import Evidence
from graph.stores import GraphStore
from graph.traceindex import TraceIndex, index_of
from graph.tracewalk import CONTINUITY, Plan, Sink, TopPaths, WalkStats, day_bound, goods_mask, walk

MAX_HOPS_LIMIT = 8


@dataclass(frozen=True)
class TraceQuery:
    """What to trace; every field has the default of the question transship is about."""

    origins: tuple[str, ...] = ()        # node ids; empty = default US origins
    destinations: tuple[str, ...] = ()   # node ids; empty = default defense buyers
    via_countries: tuple[str, ...] = ()  # ISO-2; at least one intermediate node located there
    goods: tuple[str, ...] = ()          # "8542", "tier:1", "cat:integrated_circuits", "pn:XC7Z020"
    max_hops: int = 4
    since: str | None = None
    until: str | None = None
    min_value: float | None = None
    dwell_days: int | None = 180         # None = time order off
    continuity: str = "hs6"              # "hs6", "category" or "off"
    include_text: bool = True            # SUPPLIES claims from news
    min_confidence: float = 0.0
    limit: int = 100
    with_evidence: bool = True           # fetch evidence per hop for the explanation

    def check(self) -> None:
        """Raise ValueError on a query that cannot be run."""
        if not 1 <= self.max_hops <= MAX_HOPS_LIMIT:
            raise ValueError(f"max_hops must be between 1 and {MAX_HOPS_LIMIT}, got {self.max_hops}")
        if self.continuity not in CONTINUITY:
            raise ValueError(f"continuity must be one of {', '.join(CONTINUITY)}, got {self.continuity!r}")
        if self.dwell_days is not None and self.dwell_days < 0:
            raise ValueError(f"dwell_days must be >= 0, got {self.dwell_days}")
        if self.limit < 0:
            raise ValueError(f"limit must be >= 0, got {self.limit}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be in [0, 1], got {self.min_confidence}")


@dataclass(frozen=True)
class Hop:
    """One edge of a path, with what it moved, when and how sure we are."""

    edge_id: str
    type: str
    source: str
    target: str
    date: str | None
    hs_code: str | None
    value_usd: float | None
    confidence: float
    source_name: str = ""
    target_name: str = ""
    part_number: str | None = None
    category: str | None = None
    chpl_tier: str | None = None
    origin_country: str | None = None


@dataclass(frozen=True)
class TracePath:
    """A ranked chain of hops; ``explanation`` holds the evidence behind each hop, in hop order."""

    hops: tuple[Hop, ...]
    score: float
    explanation: tuple[tuple[Evidence, ...], ...] = ()

    @property
    def node_ids(self) -> tuple[str, ...]:
        return (self.hops[0].source, *(h.target for h in self.hops))

    @property
    def edge_ids(self) -> tuple[str, ...]:
        return tuple(h.edge_id for h in self.hops)

    @property
    def value_usd(self) -> float | None:
        """Bottleneck value: the smallest known hop value."""
        known = [h.value_usd for h in self.hops if h.value_usd is not None]
        return min(known) if known else None

    def describe(self) -> str:
        """One line: names, goods and dates along the path."""
        parts = [self.hops[0].source_name or self.hops[0].source]
        for hop in self.hops:
            goods = hop.part_number or hop.hs_code or "?"
            parts.append(f"-[{goods} {hop.date or 'undated'}]-> {hop.target_name or hop.target}")
        return " ".join(parts)


@dataclass(frozen=True)
class TraceResult:
    """Ranked paths (cut at the query's limit), how many were found in all, and walk figures."""

    query: TraceQuery
    paths: tuple[TracePath, ...]
    total_found: int
    stats: dict[str, Any] = field(default_factory=dict)

    def node_ids(self) -> list[str]:
        """Ids of all nodes on the returned paths, sorted."""
        return sorted({n for p in self.paths for n in p.node_ids})

    def edge_ids(self) -> list[str]:
        """Ids of all edges on the returned paths, sorted."""
        return sorted({e for p in self.paths for e in p.edge_ids})


def _node_mask(index: TraceIndex, ids: tuple[str, ...], default: np.ndarray, what: str) -> np.ndarray:
    if not ids:
        return default
    mask = np.zeros(index.n_nodes, dtype=bool)
    unknown = [i for i in ids if i not in index.position]
    if unknown:
        raise ValueError(f"unknown {what} node id(s): {', '.join(unknown[:5])}")
    mask[[index.position[i] for i in ids]] = True
    return mask


def compile_plan(index: TraceIndex, query: TraceQuery) -> Plan:
    """Masks over the index for a query (edge filters, origin/destination/via node sets)."""
    query.check()
    mask = np.ones(index.n_edges, dtype=bool)
    if not query.include_text:
        mask &= ~index.is_text
    if query.goods:
        mask &= goods_mask(index, query.goods)
    if query.since is not None:
        mask &= index.dated & (index.end >= day_bound(query.since, 0, "since"))
    if query.until is not None:
        mask &= index.dated & (index.start <= day_bound(query.until, 1, "until"))
    if query.min_value is not None:
        mask &= np.nan_to_num(index.value, nan=-np.inf) >= float(query.min_value)
    if query.min_confidence > 0:
        mask &= index.confidence >= query.min_confidence
    if query.dwell_days is not None:
        mask &= index.dated
    via = index.nodes_in({c.strip().upper() for c in query.via_countries}) if query.via_countries else None
    return Plan(
        edge_mask=mask,
        origins=_node_mask(index, query.origins, index.default_origin, "origin"),
        destinations=_node_mask(index, query.destinations, index.default_destination, "destination"),
        via=via, max_hops=query.max_hops, dwell_days=query.dwell_days, continuity=query.continuity,
    )


def run_walk(store: GraphStore, query: TraceQuery, sink_of: Any) -> tuple[TraceIndex, WalkStats, Sink]:
    """Compile and walk a query; ``sink_of(index)`` makes the sink that receives the paths."""
    index = index_of(store)
    plan = compile_plan(index, query)
    sink = sink_of(index)
    return index, walk(index, plan, sink), sink


def _hops(index: TraceIndex, positions: list[int]) -> dict[int, Hop]:
    """Hop records for edge positions, built from whole columns at once (paths share edges)."""
    at = np.array(positions, dtype=np.int64)
    src, dst = index.src[at], index.dst[at]
    value = index.value[at]
    hs_code, part, cat = index.hs_code[at], index.part[at], index.category[at]
    hs_values = np.append(index.hs_values, None).astype(object)
    tiers = {h: (e.tier if (e := chpl_entry(str(h))) else None) for h in set(hs_values[hs_code].tolist()) if h}
    columns = zip(
        positions, index.edge_ids[at].tolist(), index.is_text[at].tolist(), index.node_ids[src].tolist(),
        index.node_ids[dst].tolist(), index.raw_date[at].tolist(), index.raw_hs[at].tolist(),
        np.where(np.isnan(value), None, value).tolist(), index.confidence[at].tolist(),
        index.node_names[src].tolist(), index.node_names[dst].tolist(),
        np.append(index.part_values, None).astype(object)[part].tolist(),
        np.append(index.category_values, None).astype(object)[cat].tolist(), hs_values[hs_code].tolist(),
        index.origin_country[at].tolist(), strict=True,
    )
    return {
        e: Hop(edge_id=str(eid), type="SUPPLIES" if text else "SHIPPED", source=str(s), target=str(t),
               date=_text(d), hs_code=_text(h), value_usd=None if v is None else float(v), confidence=float(c),
               source_name=str(sn), target_name=str(tn), part_number=pn, category=ct, chpl_tier=tiers.get(hv),
               origin_country=_text(oc))
        for e, eid, text, s, t, d, h, v, c, sn, tn, pn, ct, hv, oc in columns
    }


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value)


def trace(store: GraphStore, query: TraceQuery | None = None) -> TraceResult:
    """Find, score and rank the paths of ``query`` (see the module docstring for the semantics).

    Args:
        store: any GraphStore.
        query: what to trace; the default traces US makers to Russian defense buyers.

    Returns:
        TraceResult with the best ``query.limit`` paths, ``total_found`` (all matching
        paths; a lower bound when ``stats["truncated"]``) and walk figures in ``stats``.

    Raises:
        ValueError: an invalid query (unknown node id, unreadable date or goods filter).
    """
    query = query or TraceQuery()
    index, stats, sink = run_walk(store, query, lambda ix: TopPaths(ix, query.limit, query.max_hops))
    assert isinstance(sink, TopPaths)
    rows = [[int(e) for e in row if e >= 0] for row in sink.paths]
    evidence: dict[str, tuple[Evidence, ...]] = {}
    if query.with_evidence and rows:
        evidence = store.evidence_of(sorted({str(index.edge_ids[e]) for row in rows for e in row}))
    paths = []
    made = _hops(index, sorted({e for row in rows for e in row}))
    for row, score in zip(rows, sink.scores.tolist(), strict=True):
        hops = tuple(made[e] for e in row)
        paths.append(TracePath(hops, float(score), tuple(evidence.get(h.edge_id, ()) for h in hops)))
    figures = {
        "edges_total": stats.edges_total, "edges_matching": stats.edges_matching,
        "edges_after_pruning": stats.edges_pruned_to, "origins": stats.origins,
        "destinations": stats.destinations, "partials_per_level": stats.partials, "truncated": stats.truncated,
    }
    return TraceResult(query, tuple(paths), stats.total_found, figures)


__all__ = ["Hop", "TracePath", "TraceQuery", "TraceResult", "compile_plan", "run_walk", "trace"]
