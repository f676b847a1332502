"""Brute-force reference trace, for tests only: plain Python DFS over Edge objects.

It re-states the semantics of graph.trace in the most direct way (no index, no pruning,
no numpy) so property tests can compare the fast engine against it.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date

from graph.goods import chpl_entry, goods_category
from graph.identity import canonical_map
from graph.schema import Edge, EdgeType, Node, NodeType, combine_confidence
from graph.stores import GraphStore
from graph.trace import TraceQuery

_EPOCH = date(1970, 1, 1).toordinal()


def days(text: str | None) -> tuple[int, int] | None:
    if text is None or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text.strip()):
        return None
    bits = [int(b) for b in text.strip().split("-")]
    try:
        if len(bits) == 1:
            first, last = date(bits[0], 1, 1), date(bits[0], 12, 31)
        elif len(bits) == 2:
            first = date(bits[0], bits[1], 1)
            last = date(bits[0], bits[1], calendar.monthrange(bits[0], bits[1])[1])
        else:
            first = last = date(*bits)
    except ValueError:
        return None
    return first.toordinal() - _EPOCH, last.toordinal() - _EPOCH


def _hs(edge: Edge) -> str:
    return "".join(c for c in (edge.hs_code or "") if c.isdigit())


def _part(edge: Edge) -> str | None:
    value = edge.props.get("part_number")
    if isinstance(value, list):
        value = value[0] if value else None
    text = str(value).strip().upper() if value is not None else ""
    return text or None


def _category(edge: Edge) -> str | None:
    found = goods_category(_hs(edge) or None)
    if found is None and not _hs(edge) and edge.props.get("category"):
        found = str(edge.props["category"]).strip().lower() or None
    return found


def _goods_ok(edge: Edge, specs: tuple[str, ...]) -> bool:
    hs = _hs(edge)
    for spec in specs:
        kind, _, value = spec.partition(":")
        if not _:
            kind, value = "hs", spec
        value = value.strip()
        if kind == "hs" and hs and hs.startswith(value.replace(".", "")):
            return True
        if kind == "tier":
            entry = chpl_entry(hs) if len(hs) >= 6 else None
            if entry and (entry.tier.upper() == value.upper() or (value.isdigit() and entry.tier_major == int(value))):
                return True
        if kind == "cat" and _category(edge) == value.lower():
            return True
        if kind == "pn" and _part(edge) == value.upper():
            return True
    return False


def _link_ok(prev: Edge, nxt: Edge, q: TraceQuery) -> bool:
    if q.dwell_days is not None:
        p, n = days(prev.date), days(nxt.date)
        assert p is not None and n is not None
        if not (n[1] >= p[0] and n[0] <= p[1] + q.dwell_days):
            return False
    if q.continuity == "hs6":
        a, b = _hs(prev), _hs(nxt)
        same_hs = len(a) >= 6 and len(b) >= 6 and a[:6] == b[:6]
        return same_hs or (_part(prev) is not None and _part(prev) == _part(nxt))
    if q.continuity == "category":
        return _category(prev) is not None and _category(prev) == _category(nxt)
    return True


def reference_score(path: list[Edge], confidence: dict[str, float], newest: int) -> float:
    c = 1.0
    for e in path:
        c *= confidence[e.id]
    bottleneck = min((e.value_usd if e.value_usd is not None else 0.0) for e in path)
    v = min(1.0, math.log10(1.0 + bottleneck) / 7.0)
    last = days(path[-1].date)
    r = 0.5 ** (max(0, newest - last[1]) / 365.0) if last else 0.0
    return round(c * (0.5 + 0.5 * v) * (0.5 + 0.5 * r), 9)


@dataclass
class _View:
    """The query-independent part of the reference: canonical nodes, countries, roles, flows."""

    canon: dict[str, str]
    nodes: dict[str, Node]
    countries: dict[str, set[str]]
    roles: dict[str, set[str]]
    flows: list[Edge]
    confidence: dict[str, float]
    newest: int


_VIEWS: dict[tuple[int, object], _View] = {}


def _view(store: GraphStore) -> _View:
    key = (id(store), getattr(store, "generation", None))
    if key not in _VIEWS:
        _VIEWS.clear()
        _VIEWS[key] = _make_view(store)
    return _VIEWS[key]


def _make_view(store: GraphStore) -> _View:
    canon = canonical_map(store)
    c = lambda n: canon.get(n, n)  # noqa: E731
    nodes = {n.id: n for n in store.nodes()}
    countries: dict[str, set[str]] = {}
    roles: dict[str, set[str]] = {}
    for n in nodes.values():
        if n.country:
            countries.setdefault(c(n.id), set()).add(n.country.upper())
        if n.type is NodeType.COMPANY:
            roles.setdefault(c(n.id), set()).update(n.props.get("roles") or [])
    for e in store.edges(EdgeType.LOCATED_IN):
        if nodes[e.target].type is NodeType.COUNTRY:
            countries.setdefault(c(e.source), set()).add(nodes[e.target].key.upper())
    flows = [e for e in store.edges() if e.type in (EdgeType.SHIPPED, EdgeType.SUPPLIES)]
    confidence = {k: combine_confidence(x.confidence for x in v)
                  for k, v in store.evidence_of([e.id for e in flows]).items()}
    newest = max((d[1] for e in flows if (d := days(e.date))), default=0)
    return _View(canon, nodes, countries, roles, flows, confidence, newest)


def reference_trace(store: GraphStore, q: TraceQuery) -> list[tuple[tuple[str, ...], float]]:
    """Every path of ``q`` as (edge ids, score), in no particular order."""
    view = _view(store)
    canon, nodes, countries, roles = view.canon, view.nodes, view.countries, view.roles
    flows, confidence, newest = view.flows, view.confidence, view.newest
    c = lambda n: canon.get(n, n)  # noqa: E731

    def is_company(n: str) -> bool:
        return nodes[n].type is NodeType.COMPANY

    if q.origins:
        origins = {c(o) for o in q.origins}
    else:
        us = {n for n, cs in countries.items() if "US" in cs}
        origins = {n for n in us if is_company(n) and "manufacturer" in roles.get(n, set())}
        origins |= {c(e.source) for e in flows if (e.origin_country or "").upper() == "US" and c(e.source) in us}
    if q.destinations:
        destinations = {c(d) for d in q.destinations}
    else:
        destinations = {n for n, rs in roles.items() if "defense_buyer" in rs and is_company(n)}
    via = {v.upper() for v in q.via_countries}

    def edge_ok(e: Edge) -> bool:
        d = days(e.date)
        if e.type is EdgeType.SUPPLIES and not q.include_text:
            return False
        if q.goods and not _goods_ok(e, q.goods):
            return False
        if q.since is not None and (d is None or d[1] < days(q.since)[0]):
            return False
        if q.until is not None and (d is None or d[0] > days(q.until)[1]):
            return False
        if q.min_value is not None and (e.value_usd is None or e.value_usd < q.min_value):
            return False
        if confidence.get(e.id, 0.0) < q.min_confidence:
            return False
        return not (q.dwell_days is not None and d is None)

    out_edges: dict[str, list[Edge]] = {}
    for e in flows:
        if edge_ok(e):
            out_edges.setdefault(c(e.source), []).append(e)
    found: list[tuple[tuple[str, ...], float]] = []

    def dfs(node: str, path: list[Edge], seen: list[str]) -> None:
        if path and node in destinations:
            inner = seen[1:-1]
            if not via or any(countries.get(n, set()) & via for n in inner):
                found.append((tuple(e.id for e in path), reference_score(path, confidence, newest)))
        if len(path) == q.max_hops:
            return
        for e in out_edges.get(node, []):
            nxt = c(e.target)
            if nxt in seen or (path and not _link_ok(path[-1], e, q)):
                continue
            dfs(nxt, [*path, e], [*seen, nxt])

    for origin in sorted(origins):
        dfs(origin, [], [origin])
    return found
