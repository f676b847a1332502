"""The fast trace walk: filter edges, prune by reachability, expand all partial paths level by level.

Instead of a depth-first walk in Python, every partial path of ``k`` hops is a row of an
``(n, k)`` array of edge positions; one numpy step extends all rows by one hop at once
(candidate out-edges from a CSR layout sorted by start date, so the dwell limit cuts the
candidate window with one ``searchsorted``). Before that, a frontier BFS from the origins
and one backwards from the destinations drop every edge that cannot lie on a path of at
most ``max_hops`` hops. Completed paths go to a sink: the best ``limit`` (for ``trace``)
or all of them, up to a cap (for ``hubs`` and ``chokepoints``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from graph.goods import chpl_entry
from graph.traceindex import TraceIndex, date_interval

CONTINUITY = ("hs6", "category", "off")
MAX_PARTIALS = 5_000_000   # partial paths kept per level; beyond it the walk is cut and says so
CHUNK = 2_000_000          # candidate hops examined per numpy step (bounds memory)
VALUE_SCALE = 7.0          # log10 of a bottleneck value that earns the full value term ($10M)
HALF_LIFE_DAYS = 365.0     # recency term halves per year before the newest edge in the store


def parse_goods(spec: str) -> tuple[str, str]:
    """Split a goods filter into (kind, value): hs, tier, cat or pn.

    >>> parse_goods("8542.31"), parse_goods("tier:1"), parse_goods("cat:Integrated_Circuits"), parse_goods("pn:xc7z020")
    (('hs', '854231'), ('tier', '1'), ('cat', 'integrated_circuits'), ('pn', 'XC7Z020'))
    """
    text = str(spec).strip()
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    if sep and kind in ("tier", "cat", "pn", "hs"):
        value = value.strip()
        if not value:
            raise ValueError(f"goods filter {spec!r} has no value after '{kind}:'")
        if kind == "tier":
            return "tier", value.upper()
        if kind == "cat":
            return "cat", value.lower()
        if kind == "pn":
            return "pn", value.upper()
        text = value
    digits = text.replace(".", "").replace(" ", "")
    if digits.isdigit() and 2 <= len(digits) <= 10:
        return "hs", digits
    raise ValueError(
        f"unknown goods filter {spec!r}: use an HS prefix (8542, 8542.31), tier:N, cat:NAME or pn:PART"
    )


def goods_mask(index: TraceIndex, specs: Iterable[str]) -> np.ndarray:
    """Bool per edge: its goods match any of the filters."""
    hs_ok = np.zeros(len(index.hs_values) + 1, dtype=bool)  # last slot: edges without HS code
    categories: list[int] = []
    parts: list[int] = []
    cat_pos = {str(v): i for i, v in enumerate(index.category_values)}
    part_pos = {str(v): i for i, v in enumerate(index.part_values)}
    for spec in specs:
        kind, value = parse_goods(spec)
        if kind == "hs":
            hs_ok[:-1] |= np.array([str(h).startswith(value) for h in index.hs_values], dtype=bool)
        elif kind == "tier":
            hs_ok[:-1] |= np.array([_tier_matches(str(h), value) for h in index.hs_values], dtype=bool)
        elif kind == "cat":
            categories.extend([cat_pos[value]] if value in cat_pos else [])
        else:
            parts.extend([part_pos[value]] if value in part_pos else [])
    mask = hs_ok[index.hs_code]
    if categories:
        mask |= np.isin(index.category, categories)
    if parts:
        mask |= np.isin(index.part, parts)
    return mask


def _tier_matches(hs: str, tier: str) -> bool:
    entry = chpl_entry(hs)
    if entry is None:
        return False
    return entry.tier.upper() == tier or (tier.isdigit() and entry.tier_major == int(tier))


def day_bound(text: str, which: int, what: str) -> int:
    """First (which=0) or last (which=1) day of a date bound; ValueError when unreadable."""
    found = date_interval(text)
    if found is None:
        raise ValueError(f"{what} {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    return found[which]


@dataclass
class Plan:
    """A query compiled to masks over one index."""

    edge_mask: np.ndarray
    origins: np.ndarray
    destinations: np.ndarray
    via: np.ndarray | None
    max_hops: int
    dwell_days: int | None
    continuity: str


class Sink(Protocol):
    """Receives completed paths, an ``(n, k)`` array of edge positions per call."""

    def add(self, paths: np.ndarray) -> None: ...


def score_paths(index: TraceIndex, paths: np.ndarray) -> np.ndarray:
    """Score of each path (rows of edge positions), rounded to 9 decimals; see graph.trace."""
    conf = np.prod(index.confidence[paths], axis=1)
    values = index.value[paths]
    bottleneck = np.where(np.isnan(values), 0.0, values).min(axis=1)
    value_term = np.minimum(1.0, np.log10(1.0 + bottleneck) / VALUE_SCALE)
    last = paths[:, -1]
    age = np.maximum(0, index.ref_day - index.end[last]).astype(np.float64)
    recency = np.where(index.dated[last], 0.5 ** (age / HALF_LIFE_DAYS), 0.0)
    return np.round(conf * (0.5 + 0.5 * value_term) * (0.5 + 0.5 * recency), 9)


def rank_order(scores: np.ndarray, padded: np.ndarray) -> np.ndarray:
    """Row order: score descending, then fewer hops, then edge ids (positions follow id order)."""
    lengths = (padded >= 0).sum(axis=1)
    keys = [padded[:, j] for j in range(padded.shape[1] - 1, -1, -1)]
    return np.lexsort((*keys, lengths, -scores))


def pad(paths: np.ndarray, width: int) -> np.ndarray:
    """Paths padded with -1 to ``width`` columns."""
    if paths.shape[1] == width:
        return paths
    out = np.full((len(paths), width), -1, dtype=np.int64)
    out[:, : paths.shape[1]] = paths
    return out


@dataclass
class TopPaths:
    """Keeps the best ``limit`` paths seen so far."""

    index: TraceIndex
    limit: int
    width: int
    paths: np.ndarray = field(init=False)
    scores: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.paths = np.empty((0, self.width), dtype=np.int64)
        self.scores = np.empty(0, dtype=np.float64)

    def add(self, paths: np.ndarray) -> None:
        if self.limit <= 0 or not len(paths):
            return
        scores = score_paths(self.index, paths)
        if len(scores) > self.limit:  # cheap cut before sorting: only scores that can still make it
            kth = np.partition(scores, len(scores) - self.limit)[len(scores) - self.limit]
            keep = scores >= kth
            paths, scores = paths[keep], scores[keep]
        all_paths = np.vstack([self.paths, pad(paths, self.width)])
        all_scores = np.concatenate([self.scores, scores])
        order = rank_order(all_scores, all_paths)[: self.limit]
        self.paths, self.scores = all_paths[order], all_scores[order]


@dataclass
class AllPaths:
    """Keeps every path, up to ``cap`` rows (then counts what it dropped)."""

    cap: int
    parts: list[np.ndarray] = field(default_factory=list)
    kept: int = 0
    dropped: int = 0

    def add(self, paths: np.ndarray) -> None:
        room = max(0, self.cap - self.kept)
        if len(paths) > room:
            self.dropped += len(paths) - room
            paths = paths[:room]
        if len(paths):
            self.parts.append(paths)
            self.kept += len(paths)


def hop_distances(frm: np.ndarray, to: np.ndarray, seeds: np.ndarray, max_hops: int, n: int) -> np.ndarray:
    """Fewest hops from any seed node to each node along (frm -> to), ``max_hops + 1`` if more."""
    dist = np.full(n, max_hops + 1, dtype=np.int32)
    dist[seeds] = 0
    frontier = seeds.copy()
    for hop in range(1, max_hops + 1):
        reached = to[frontier[frm]]
        fresh = np.unique(reached[dist[reached] > hop])
        if not len(fresh):
            break
        dist[fresh] = hop
        frontier = np.zeros(n, dtype=bool)
        frontier[fresh] = True
    return dist


@dataclass
class _Layout:
    """Kept edges sorted by (source, start day, id) with CSR offsets and a time key."""

    edges: np.ndarray
    indptr: np.ndarray
    key: np.ndarray
    base: int
    span: int
    to_destination: np.ndarray


def _layout(index: TraceIndex, kept: np.ndarray, to_destination: np.ndarray) -> _Layout:
    src = index.src[kept]
    start = index.start[kept].astype(np.int64)
    order = np.lexsort((kept, start, src))
    edges, src, start = kept[order], src[order], start[order]
    indptr = np.zeros(index.n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=index.n_nodes), out=indptr[1:])
    base = int(start.min()) if len(start) else 0
    span = int(start.max()) - base + 2 if len(start) else 2
    return _Layout(edges, indptr, src.astype(np.int64) * span + (start - base), base, span, to_destination)


@dataclass
class WalkStats:
    """What the walk did: sizes before and after pruning, paths found, whether it was cut."""

    edges_total: int = 0
    edges_matching: int = 0
    edges_pruned_to: int = 0
    origins: int = 0
    destinations: int = 0
    partials: list[int] = field(default_factory=list)
    total_found: int = 0
    truncated: bool = False


def walk(index: TraceIndex, plan: Plan, sink: Sink, *, max_partials: int = MAX_PARTIALS,
         chunk: int = CHUNK) -> WalkStats:
    """Enumerate every path of the plan into ``sink``; returns counts (total_found is exact unless truncated)."""
    stats = WalkStats(edges_total=index.n_edges, origins=int(plan.origins.sum()),
                      destinations=int(plan.destinations.sum()))
    hops = plan.max_hops
    candidates = np.flatnonzero(plan.edge_mask & (index.src != index.dst))
    stats.edges_matching = len(candidates)
    s, d = index.src[candidates], index.dst[candidates]
    from_origin = hop_distances(s, d, plan.origins, hops, index.n_nodes)
    to_destination = hop_distances(d, s, plan.destinations, hops, index.n_nodes)
    kept = candidates[from_origin[s] + 1 + to_destination[d] <= hops]
    stats.edges_pruned_to = len(kept)
    layout = _layout(index, kept, to_destination)
    first = layout.edges[plan.origins[index.src[layout.edges]]]
    paths = first[:, None]
    via_seen = plan.via[index.dst[first]] if plan.via is not None else None
    _complete(index, plan, sink, stats, paths, None)
    for length in range(2, hops + 1):
        ends = index.dst[paths[:, -1]]
        alive = layout.indptr[ends + 1] > layout.indptr[ends]
        paths = paths[alive]
        via_seen = via_seen[alive] if via_seen is not None else None
        if not len(paths):
            break
        stats.partials.append(len(paths))
        paths, via_before, via_seen, cut = _extend(index, plan, layout, paths, via_seen, length, max_partials, chunk)
        stats.truncated |= cut
        _complete(index, plan, sink, stats, paths, via_before)
    return stats


def _complete(index: TraceIndex, plan: Plan, sink: Sink, stats: WalkStats, paths: np.ndarray,
              via_before: np.ndarray | None) -> None:
    done = plan.destinations[index.dst[paths[:, -1]]]
    if plan.via is not None:
        done &= via_before if via_before is not None else False
    found = paths[done]
    stats.total_found += len(found)
    if len(found):
        sink.add(found)


def _extend(index: TraceIndex, plan: Plan, layout: _Layout, paths: np.ndarray, via_seen: np.ndarray | None,
            length: int, max_partials: int, chunk: int) -> tuple[np.ndarray, np.ndarray | None,
                                                                np.ndarray | None, bool]:
    """All one-hop extensions of ``paths`` that keep the plan's constraints."""
    last = paths[:, -1]
    ends = index.dst[last]
    lo = layout.indptr[ends]
    if plan.dwell_days is None:
        hi = layout.indptr[ends + 1]
    else:
        limit = np.clip(index.end[last].astype(np.int64) + plan.dwell_days - layout.base, -1, layout.span - 1)
        hi = np.searchsorted(layout.key, ends * layout.span + limit, side="right")
    counts = np.maximum(hi - lo, 0)
    csum = np.cumsum(counts)
    pieces: list[np.ndarray] = []
    before: list[np.ndarray] = []
    after: list[np.ndarray] = []
    total = 0
    begin = 0
    while begin < len(paths) and total < max_partials:
        done = int(csum[begin - 1]) if begin else 0
        stop = max(begin + 1, int(np.searchsorted(csum, done + chunk, side="right")))
        rows, hop = _candidates(index, plan, layout, paths, lo, counts, begin, stop, length)
        begin = stop
        if not len(rows):
            continue
        pieces.append(np.column_stack([paths[rows], hop]))
        if via_seen is not None:
            assert plan.via is not None
            before.append(via_seen[rows])
            after.append(via_seen[rows] | plan.via[index.dst[hop]])
        total += len(rows)
    cut = total > max_partials or begin < len(paths)
    if not pieces:
        empty = np.empty((0, length), dtype=np.int64)
        flag = np.empty(0, dtype=bool) if via_seen is not None else None
        return empty, flag, flag, False
    grown = np.vstack(pieces)[:max_partials]
    if via_seen is None:
        return grown, None, None, cut
    return grown, np.concatenate(before)[:max_partials], np.concatenate(after)[:max_partials], cut


def _candidates(index: TraceIndex, plan: Plan, layout: _Layout, paths: np.ndarray, lo: np.ndarray,
                counts: np.ndarray, begin: int, stop: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """(row of the partial path, next edge) for every allowed hop from rows begin..stop."""
    part = counts[begin:stop]
    n = int(part.sum())
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    rows = np.repeat(np.arange(begin, stop), part)
    offsets = np.arange(n) - np.repeat(np.cumsum(part) - part, part)
    hop = layout.edges[lo[rows] + offsets]
    prev = paths[rows, -1]
    target = index.dst[hop]
    ok = np.ones(n, dtype=bool)
    if plan.dwell_days is not None:
        ok &= index.end[hop] >= index.start[prev]
    if plan.continuity == "hs6":
        same_hs = (index.hs6[hop] == index.hs6[prev]) & (index.hs6[hop] >= 0)
        ok &= same_hs | ((index.part[hop] == index.part[prev]) & (index.part[hop] >= 0))
    elif plan.continuity == "category":
        ok &= (index.category[hop] == index.category[prev]) & (index.category[hop] >= 0)
    ok &= layout.to_destination[target] <= plan.max_hops - length
    ok &= target != index.src[paths[rows, 0]]
    for column in range(paths.shape[1]):
        ok &= target != index.dst[paths[rows, column]]
    return rows[ok], hop[ok]
