"""Questions over any store: find entities, neighbourhoods, hubs, flows and chokepoints.

Plain functions that take a GraphStore (networkx style) and return dataclasses or
DataFrames of the same shape on every backend.

Examples:
    >>> import tempfile
    >>> from graph.schema import Edge, EdgeType, Evidence, Node, NodeType
    >>> from graph.stores.embedded import EmbeddedStore
    >>> ev = Evidence("doc:example", "row 1", "doctest/1", 0.9)
    >>> maker = Node(NodeType.COMPANY, "ti", "Texas Instruments", "US", {"roles": ["manufacturer"]}, (ev,))
    >>> shell = Node(NodeType.COMPANY, "hk1", "Sunrise Trading Ltd", "HK", {"registered": "2022-06-01"}, (ev,))
    >>> buyer = Node(NodeType.COMPANY, "ru1", "Radiozavod JSC", "RU", {"roles": ["defense_buyer"]}, (ev,))
    >>> hops = [Edge(EdgeType.SHIPPED, maker.id, shell.id, "a", "2023-03-01", "854231", 50_000.0, evidence=(ev,)),
    ...         Edge(EdgeType.SHIPPED, shell.id, buyer.id, "b", "2023-04", "854231", 60_000.0, evidence=(ev,))]
    >>> store = EmbeddedStore(tempfile.mkdtemp() + "/s")
    >>> _ = store.write([maker, shell, buyer, *hops])
    >>> [m.name for m in find_entities(store, "sunrise trading")]
    ['Sunrise Trading Ltd']
    >>> hubs(store)[["name", "paths", "pass_through_value"]].to_dict("records")
    [{'name': 'Sunrise Trading Ltd', 'paths': 1, 'pass_through_value': 50000.0}]
    >>> flows(store, period="quarter")[["period", "source_country", "target_country", "value_usd"]].values.tolist()
    [['2023Q1', 'US', 'HK', 50000.0], ['2023Q2', 'HK', 'RU', 60000.0]]
    >>> chokepoints(store)[["name", "paths_cut", "cumulative_share"]].to_dict("records")
    [{'name': 'Sunrise Trading Ltd', 'paths_cut': 1, 'cumulative_share': 1.0}]
    >>> len(neighbourhood(store, shell.id).edges)
    2
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from unidecode import unidecode

from graph.schema import Edge, Node, NodeType
from graph.stores import GraphStore
from graph.stores.frames import load_props
from graph.trace import TraceQuery
from graph.traceindex import EPOCH_ORDINAL, TraceIndex, date_interval, index_of
from graph.tracestats import (
    WAR_START, TracedPaths, days_between, empty_frame, listings, node_country, registered_dates, traced_paths,
)
from graph.tracewalk import day_bound, goods_mask

SEARCHABLE = (NodeType.COMPANY.value, NodeType.PERSON.value, NodeType.COUNTRY.value, NodeType.WEAPON.value,
              NodeType.GOOD.value, NodeType.LISTING.value)
PERIODS = ("month", "quarter", "year")


@dataclass(frozen=True)
class EntityMatch:
    """A node whose name or alias matches a search text."""

    node_id: str
    name: str
    type: str
    country: str | None
    score: float
    matched: str


def _fold(text: str) -> str:
    return " ".join(unidecode(str(text)).lower().split())


_CHOICES: dict[tuple[int, object], tuple[list[str], list[int], pd.DataFrame]] = {}


def _choices(store: GraphStore) -> tuple[list[str], list[int], pd.DataFrame]:
    key = (id(store), getattr(store, "generation", None))
    if key not in _CHOICES or key[1] is None:
        nodes = store.node_frame()
        nodes = nodes[nodes["type"].isin(SEARCHABLE)].reset_index(drop=True)
        texts: list[str] = []
        owners: list[int] = []
        with_alias = nodes["props"].fillna("").str.contains('"aliases"', regex=False).to_numpy()
        for row, (name, props) in enumerate(zip(nodes["name"], nodes["props"], strict=True)):
            texts.append(str(name))
            owners.append(row)
            if with_alias[row]:
                for alias in load_props(props).get("aliases") or []:
                    texts.append(str(alias))
                    owners.append(row)
        _CHOICES.clear()
        _CHOICES[key] = ([_fold(t) for t in texts], owners, nodes)
    return _CHOICES[key]


def find_entities(store: GraphStore, text: str, limit: int = 20, min_score: float = 60.0) -> list[EntityMatch]:
    """Nodes whose name or alias matches ``text`` (fuzzy, accents and case folded), best first.

    An exact node id matches with score 100.

    Args:
        store: any GraphStore.
        text: a name, alias or node id.
        limit: most matches returned.
        min_score: rapidfuzz WRatio cut-off (0-100).

    Returns:
        EntityMatch list sorted by score, then name, then id.
    """
    found: dict[str, EntityMatch] = {}
    exact = store.get_node(text.strip()) if text.strip() else None
    if exact is not None:
        found[exact.id] = EntityMatch(exact.id, exact.name, exact.type.value, exact.country, 100.0, exact.id)
    folded, owners, nodes = _choices(store)
    query = _fold(text)
    if query and folded:
        hits = process.extract(query, folded, scorer=fuzz.WRatio, limit=max(limit * 5, 50), score_cutoff=min_score)
        for _, score, at in hits:
            row = nodes.iloc[owners[at]]
            nid = str(row["id"])
            country = None if pd.isna(row["country"]) else str(row["country"])
            match = EntityMatch(nid, str(row["name"]), str(row["type"]), country, round(float(score), 2), folded[at])
            if nid not in found or found[nid].score < match.score:
                found[nid] = match
    return sorted(found.values(), key=lambda m: (-m.score, m.name, m.node_id))[:limit]


@dataclass(frozen=True)
class Neighbourhood:
    """Nodes and edges (with their evidence) within ``depth`` hops of a node."""

    center: Node
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    truncated: bool = False


def neighbourhood(store: GraphStore, node_id: str, depth: int = 1, max_edges: int = 500) -> Neighbourhood:
    """Everything within ``depth`` hops of ``node_id``, in either direction, with evidence.

    Args:
        store: any GraphStore.
        node_id: the centre.
        depth: hops to go out (1 = direct neighbours).
        max_edges: stop collecting after this many edges (``truncated`` says so).

    Raises:
        ValueError: unknown node id.
    """
    center = store.get_node(node_id)
    if center is None:
        raise ValueError(f"unknown node id: {node_id}")
    edges: dict[str, Edge] = {}
    seen = {node_id}
    frontier = [node_id]
    truncated = False
    for _ in range(max(0, depth)):
        nxt: list[str] = []
        for nid in frontier:
            for edge in store.edges_of(nid):
                if len(edges) >= max_edges and edge.id not in edges:
                    truncated = True
                    break
                edges[edge.id] = edge
                for other in (edge.source, edge.target):
                    if other not in seen:
                        seen.add(other)
                        nxt.append(other)
        frontier = sorted(nxt)
    nodes = tuple(n for n in (store.get_node(i) for i in sorted(seen)) if n is not None)
    return Neighbourhood(center, nodes, tuple(edges[k] for k in sorted(edges)), truncated)


HUB_COLUMNS = ["rank", "node_id", "name", "country", "paths", "path_share", "inbound_value", "outbound_value",
               "pass_through_value", "betweenness", "registered", "age_days_at_first_trace", "listed", "reasons"]


def hubs(store: GraphStore, query: TraceQuery | None = None, top: int = 20) -> pd.DataFrame:
    """Intermediaries of the traced paths, ranked by the value they pass through.

    A hub is an intermediate node (not first, not last) of a traced path: US-origin
    goods in, Russia-bound goods out, same goods, in time (the trace constraints).
    Columns: paths through it and their share; traced value in and out (distinct edges)
    and pass-through value = min(in, out); betweenness centrality on the traced subgraph
    (rustworkx, normalised); ``registered`` and age in days at its first traced outbound
    hop; lists it is on (LISTED_ON); ``reasons`` in words. Ranked by pass-through value,
    then paths, then id.

    Args:
        store: any GraphStore.
        query: the trace whose paths count (default: the default trace).
        top: rows returned.
    """
    traced = traced_paths(store, query)
    index = traced.index
    rows, nodes = traced.intermediates()
    if not len(rows):
        return empty_frame(HUB_COLUMNS)
    n_paths = len(traced.paths)
    path_count = np.bincount(nodes, minlength=index.n_nodes)
    cols = np.nonzero(traced.paths >= 0)
    in_value, out_value, first_out = _traced_values(traced)
    candidates = np.unique(nodes)
    passing = np.minimum(in_value, out_value)
    order = np.lexsort((index.node_ids[candidates].astype(str), -path_count[candidates], -passing[candidates]))
    chosen = candidates[order][:top]
    between = _betweenness(index, np.unique(traced.paths[cols]))
    listed = listings(store, index)
    registered = registered_dates(store, index, chosen)
    country = node_country(index)
    out = []
    for rank, pos in enumerate(chosen.tolist(), start=1):
        age = days_between(registered.get(pos), int(first_out[pos])) if pos in registered else None
        lists = listed.get(pos, [])
        reasons = [f"on {path_count[pos]} of {n_paths} traced paths ({path_count[pos] / n_paths:.0%})",
                   f"passes ${passing[pos]:,.0f} (in ${in_value[pos]:,.0f}, out ${out_value[pos]:,.0f})"]
        if pos in registered:
            after = registered[pos] >= WAR_START
            reasons.append(f"registered {registered[pos]}" + (" (after 24 Feb 2022)" if after else ""))
        reasons.append("listed: " + "; ".join(lists) if lists else "not listed")
        out.append({
            "rank": rank, "node_id": str(index.node_ids[pos]), "name": str(index.node_names[pos]),
            "country": country[pos] or None, "paths": int(path_count[pos]),
            "path_share": round(path_count[pos] / n_paths, 6), "inbound_value": float(in_value[pos]),
            "outbound_value": float(out_value[pos]), "pass_through_value": float(passing[pos]),
            "betweenness": round(float(between.get(pos, 0.0)), 6), "registered": registered.get(pos),
            "age_days_at_first_trace": age, "listed": lists, "reasons": reasons,
        })
    return pd.DataFrame(out, columns=HUB_COLUMNS)


def _traced_values(traced: TracedPaths) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per node: value of distinct traced edges into it as an intermediate, out of it, first outbound day."""
    index, paths, lengths = traced.index, traced.paths, traced.lengths
    width = paths.shape[1]
    col = np.arange(width)
    inbound = (paths >= 0) & (col < (lengths - 1)[:, None])   # hop j lands on an intermediate
    outbound = (paths >= 0) & (col >= 1)                      # hop j leaves an intermediate
    value = np.nan_to_num(index.value, nan=0.0)
    in_edges = np.unique(paths[inbound])
    out_edges = np.unique(paths[outbound])
    in_value = np.bincount(index.dst[in_edges], weights=value[in_edges], minlength=index.n_nodes)
    out_value = np.bincount(index.src[out_edges], weights=value[out_edges], minlength=index.n_nodes)
    first_out = np.full(index.n_nodes, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_out, index.src[out_edges], index.start[out_edges].astype(np.int64))
    return in_value, out_value, first_out


def _betweenness(index: TraceIndex, edges: np.ndarray) -> dict[int, float]:
    """Normalised betweenness centrality of the traced subgraph (rustworkx), by node position."""
    import rustworkx as rx

    pairs = np.unique(np.column_stack([index.src[edges], index.dst[edges]]), axis=0)
    if not len(pairs):
        return {}
    nodes, local = np.unique(pairs, return_inverse=True)
    graph = rx.PyDiGraph(multigraph=False)
    graph.add_nodes_from(range(len(nodes)))
    graph.add_edges_from_no_data([(int(a), int(b)) for a, b in local.reshape(-1, 2)])
    scores = rx.digraph_betweenness_centrality(graph, normalized=True)
    return {int(nodes[k]): float(v) for k, v in scores.items()}


CHOKE_COLUMNS = ["rank", "node_id", "name", "country", "listed", "paths_cut", "value_cut", "cumulative_paths_cut",
                 "cumulative_value_cut", "cumulative_share", "reason"]


def chokepoints(store: GraphStore, query: TraceQuery | None = None, top: int = 10,
                by: str = "paths") -> pd.DataFrame:
    """What if these entities were listed (removed): which cut the most traced paths or value.

    Greedy what-if over the traced paths: pick the intermediary whose removal cuts the
    most remaining paths (``by="paths"``) or bottleneck value (``by="value"``), remove
    its paths, repeat ``top`` times. ``paths_cut``/``value_cut`` are what each pick adds;
    the cumulative columns and ``cumulative_share`` (of all traced paths, or value)
    show how much of the network the first k picks would cut together.

    Args:
        store: any GraphStore.
        query: the trace whose paths count (default: the default trace).
        top: how many entities to pick.
        by: "paths" or "value".
    """
    if by not in ("paths", "value"):
        raise ValueError(f"by must be 'paths' or 'value', got {by!r}")
    traced = traced_paths(store, query)
    index = traced.index
    rows, nodes = traced.intermediates()
    if not len(rows):
        return empty_frame(CHOKE_COLUMNS)
    path_value = traced.values()
    total_paths, total_value = len(traced.paths), float(path_value.sum())
    alive = np.ones(total_paths, dtype=bool)
    listed = listings(store, index)
    country = node_country(index)
    candidates, local = np.unique(nodes, return_inverse=True)  # rank only nodes on traced paths
    ids = index.node_ids[candidates].astype(str)
    out = []
    cum_paths, cum_value = 0, 0.0
    for rank in range(1, top + 1):
        live = alive[rows]
        if not live.any():
            break
        # one count per (path, node): a node appears once per simple path
        local_counts = np.bincount(local[live], minlength=len(candidates))
        local_values = np.bincount(local[live], weights=path_value[rows[live]], minlength=len(candidates))
        primary, secondary = (local_counts, local_values) if by == "paths" else (local_values, local_counts)
        best = int(np.lexsort((ids, -secondary, -primary))[0])
        pos = int(candidates[best])
        counts = {pos: int(local_counts[best])}
        values = {pos: float(local_values[best])}
        cut = np.unique(rows[live & (nodes == pos)])
        alive[cut] = False
        cum_paths += int(counts[pos])
        cum_value += float(values[pos])
        share = cum_paths / total_paths if by == "paths" else (cum_value / total_value if total_value else 0.0)
        lists = listed.get(pos, [])
        out.append({
            "rank": rank, "node_id": str(index.node_ids[pos]), "name": str(index.node_names[pos]), "country": country[pos] or None,
            "listed": lists, "paths_cut": int(counts[pos]), "value_cut": float(values[pos]),
            "cumulative_paths_cut": cum_paths, "cumulative_value_cut": cum_value,
            "cumulative_share": round(share, 6),
            "reason": (f"cuts {int(counts[pos])} more paths (${float(values[pos]):,.0f}); "
                       + ("already listed: " + "; ".join(lists) if lists else "not listed yet")),
        })
    return pd.DataFrame(out, columns=CHOKE_COLUMNS)


FLOW_COLUMNS = ["period", "source_country", "target_country", "category", "value_usd", "edges"]


def _period_labels(days: np.ndarray, period: str) -> np.ndarray:
    stamps = pd.to_datetime(days.astype("int64"), unit="D")
    if period == "month":
        return stamps.strftime("%Y-%m").to_numpy(dtype=object)
    if period == "quarter":
        return (stamps.year.astype(str) + "Q" + stamps.quarter.astype(str)).to_numpy(dtype=object)
    return stamps.year.astype(str).to_numpy(dtype=object)


def flows(store: GraphStore, goods: Sequence[str] = (), since: str | None = None, until: str | None = None,
          period: str = "month", include_text: bool = False) -> pd.DataFrame:
    """Country-to-country value of flow edges by goods category and period: the data of a Sankey picture.

    Countries are each company's own country (else its first LOCATED_IN); SAME_AS-merged
    nodes count as one. Edges without a date, or between nodes of unknown country, are
    left out (they have no period or no side). A month-only date counts in its month.

    Args:
        store: any GraphStore.
        goods: filters as in TraceQuery.goods (HS prefixes, tier:, cat:, pn:).
        since: first date (YYYY, YYYY-MM or YYYY-MM-DD).
        until: last date.
        period: "month", "quarter" or "year".
        include_text: count SUPPLIES claims from text as well as SHIPPED records.

    Returns:
        DataFrame with FLOW_COLUMNS sorted by period, then value descending.
    """
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    index = index_of(store)
    mask = index.dated.copy()
    if not include_text:
        mask &= ~index.is_text
    if goods:
        mask &= goods_mask(index, goods)
    if since is not None:
        mask &= index.end >= day_bound(since, 0, "since")
    if until is not None:
        mask &= index.start <= day_bound(until, 1, "until")
    country = node_country(index)
    src_c, dst_c = country[index.src], country[index.dst]
    mask &= (src_c != "") & (dst_c != "")
    picked = np.flatnonzero(mask)
    if not len(picked):
        return empty_frame(FLOW_COLUMNS)
    cats = np.append(index.category_values, "other").astype(object)[index.category[picked]]
    frame = pd.DataFrame({
        "period": _period_labels(index.start[picked], period), "source_country": src_c[picked],
        "target_country": dst_c[picked], "category": cats,
        "value_usd": np.nan_to_num(index.value[picked], nan=0.0), "edges": 1,
    })
    grouped = frame.groupby(["period", "source_country", "target_country", "category"], as_index=False).sum()
    grouped = grouped.sort_values(["period", "value_usd", "source_country", "target_country", "category"],
                                  ascending=[True, False, True, True, True], ignore_index=True)
    return grouped[FLOW_COLUMNS]


def day_to_iso(day: int) -> str:
    """A day number (days since 1970-01-01) as ISO text."""
    return date.fromordinal(int(day) + EPOCH_ORDINAL).isoformat()


__all__ = ["EntityMatch", "Neighbourhood", "chokepoints", "date_interval", "day_to_iso", "find_entities", "flows",
           "hubs", "neighbourhood"]
