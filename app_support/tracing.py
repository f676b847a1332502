"""Trace page: form values → TraceQuery, TraceResult → ranked-path tables, hop tables and picture layout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from app_support.frames import names_of, nodes_for
from app_support.network import layered_positions
from graph.stores import GraphStore

if TYPE_CHECKING:
    from graph.trace import TracePath, TraceQuery, TraceResult

CONTINUITY = ("hs6", "category", "off")


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

    def to_query(self) -> TraceQuery:
        """The trace engine's query for these values."""
        from graph.trace import TraceQuery

        return TraceQuery(**{k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()})


def split_terms(text: str) -> tuple[str, ...]:
    """Comma- or newline-separated terms of a text box, stripped, empties dropped.

    >>> split_terms("HK, TR\\n ae ,,")
    ('HK', 'TR', 'ae')
    """
    return tuple(t.strip() for t in text.replace("\n", ",").split(",") if t.strip())


def run_trace(store: GraphStore, form: TraceForm) -> TraceResult:
    """Run the trace engine for the form."""
    from graph.trace import trace

    return trace(store, form.to_query())


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
         "type": str(getattr(h.type, "value", h.type)), "date": h.date, "hs_code": h.hs_code,
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
