"""Trace page: form values → TraceQuery, TraceResult → ranked-path tables, hop tables and picture layout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from app_support.frames import names_of, nodes_for
from app_support.entities import SearchIndex, search_entities
from app_support.network import layered_positions
from graph.stores import GraphStore

if TYPE_CHECKING:
    from graph.trace import TracePath, TraceQuery, TraceResult

CONTINUITY = ("hs6", "category", "off")
MIN_MATCH = 85.0  # fuzzy score a name must reach to stand for an origin or destination


@dataclass(frozen=True)
class TraceForm:
    """The Trace form's values: hashable, so results can be cached by them."""

    origins: tuple[str, ...] = ()
    destinations: tuple[str, ...] = ()
    via_countries: tuple[str, ...] = ()
    goods: tuple[str, ...] = ()
    max_hops: int = 4
    since: str | None = None
    until: str | None = None
    min_value: float | None = None
    dwell_days: int | None = 180
    continuity: str = "hs6"
    include_text: bool = True
    min_confidence: float = 0.0
    limit: int = 50

    def to_query(self, origin_ids: tuple[str, ...] = (), destination_ids: tuple[str, ...] = ()) -> TraceQuery:
        """The trace engine's query for these values, with origins and destinations resolved to node ids."""
        from graph.trace import TraceQuery

        values = asdict(self) | {"origins": origin_ids, "destinations": destination_ids}
        return TraceQuery(**{k: (tuple(v) if isinstance(v, list) else v) for k, v in values.items()})


class UnknownEntity(ValueError):
    """A term of the trace form matches no entity in the store."""


def resolve_entities(store: GraphStore, index: SearchIndex, terms: Iterable[str]) -> tuple[str, ...]:
    """Node ids for the form's origin/destination terms: a node id, an identifier or a (fuzzy) name.

    Raises:
        UnknownEntity: a term matches nothing well enough (score below MIN_MATCH).
    """
    ids: list[str] = []
    for term in terms:
        if not nodes_for(store, [term]).empty:
            ids.append(term)
            continue
        hits = search_entities(store, index, term, limit=1)
        if hits.empty or float(hits.iloc[0]["score"]) < MIN_MATCH:
            raise UnknownEntity(f"no entity in the store matches {term!r}; try the Entity page to find it")
        ids.append(str(hits.iloc[0]["id"]))
    return tuple(dict.fromkeys(ids))


def split_terms(text: str) -> tuple[str, ...]:
    """Comma- or newline-separated terms of a text box, stripped, empties dropped.

    >>> split_terms("HK, TR\\n ae ,,")
    ('HK', 'TR', 'ae')
    """
    return tuple(t.strip() for t in text.replace("\n", ",").split(",") if t.strip())


def run_trace(store: GraphStore, form: TraceForm, index: SearchIndex) -> TraceResult:
    """Run the trace engine for the form (origin and destination names resolved with ``index``).

    Raises:
        UnknownEntity: an origin or destination term matches nothing.
        ValueError: the trace engine rejects the query (unreadable date or goods filter).
    """
    from graph.trace import trace

    return trace(store, build_query(store, form, index))


def build_query(store: GraphStore, form: TraceForm, index: SearchIndex) -> TraceQuery:
    """The TraceQuery of a form, origin and destination names resolved to node ids (UnknownEntity if not)."""
    return form.to_query(resolve_entities(store, index, form.origins), resolve_entities(store, index, form.destinations))


def _hop_value(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def paths_table(store: GraphStore, paths: Sequence[TracePath]) -> pd.DataFrame:
    """One row per ranked path: score, route by name, countries, dates, goods, value, weakest confidence."""
    names = names_of(store, [n for p in paths for n in p.node_ids])
    found = nodes_for(store, names)
    countries = dict(zip(found["id"], found["country"], strict=True))
    rows = []
    for rank, path in enumerate(paths, start=1):
        hops = list(path.hops)
        values = [v for v in (_hop_value(h.value_usd) for h in hops) if v is not None]
        dates = [h.date for h in hops if h.date]
        rows.append({
            "rank": rank, "score": round(float(path.score), 4),
            "route": " → ".join(names[n] for n in path.node_ids),
            "countries": " → ".join(str(countries.get(n) or "?") for n in path.node_ids),
            "hops": len(hops), "first": min(dates) if dates else None, "last": max(dates) if dates else None,
            "goods": ", ".join(dict.fromkeys(str(h.hs_code) for h in hops if h.hs_code)),
            "value_usd": min(values) if values else None,
            "confidence": round(min(float(h.confidence) for h in hops), 3) if hops else None,
        })
    return pd.DataFrame(rows, columns=["rank", "score", "route", "countries", "hops", "first", "last", "goods",
                                       "value_usd", "confidence"])


def hops_table(store: GraphStore, paths: Iterable[TracePath]) -> pd.DataFrame:
    """Every hop of the given paths: path rank, step, from, to, date, goods, value, confidence, edge id."""
    chosen = list(paths)
    names = names_of(store, [n for p in chosen for n in p.node_ids])
    rows = [
        {"path": rank, "step": step, "from": names.get(h.source, h.source), "to": names.get(h.target, h.target),
         "type": str(h.type), "date": h.date, "hs_code": h.hs_code,
         "value_usd": _hop_value(h.value_usd), "confidence": round(float(h.confidence), 3), "edge_id": h.edge_id}
        for rank, path in enumerate(chosen, start=1) for step, h in enumerate(path.hops, start=1)
    ]
    return pd.DataFrame(rows, columns=["path", "step", "from", "to", "type", "date", "hs_code", "value_usd",
                                       "confidence", "edge_id"])


def path_ids(paths: Iterable[TracePath]) -> tuple[list[str], list[str]]:
    """Node and edge ids of the given paths, each once, in path order."""
    nodes: dict[str, None] = {}
    edges: dict[str, None] = {}
    for path in paths:
        nodes.update(dict.fromkeys(path.node_ids))
        edges.update(dict.fromkeys(path.edge_ids))
    return list(nodes), list(edges)


def path_positions(paths: Iterable[TracePath]) -> dict[str, tuple[float, float]]:
    """Layered layout: each node in the column of its earliest step on any path (origins left, buyers right)."""
    columns: dict[str, int] = {}
    for path in paths:
        for step, node in enumerate(path.node_ids):
            columns[node] = min(step, columns.get(node, step))
    return layered_positions(columns)
