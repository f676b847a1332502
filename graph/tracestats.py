"""All traced paths as arrays, and what hubs and chokepoints compute from them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graph.schema import EdgeType
from graph.stores import GraphStore
from graph.stores.frames import load_props
from graph.trace import TraceQuery, run_walk
from graph.traceindex import TraceIndex, date_interval
from graph.tracewalk import AllPaths, WalkStats, pad

PATH_CAP = 2_000_000  # paths kept for the analyses; beyond it they say they are truncated
WAR_START = "2022-02-24"


@dataclass
class TracedPaths:
    """Every traced path padded to ``max_hops`` columns of edge positions (-1 = no hop)."""

    index: TraceIndex
    paths: np.ndarray
    lengths: np.ndarray
    stats: WalkStats
    dropped: int

    @property
    def truncated(self) -> bool:
        return self.stats.truncated or self.dropped > 0

    def values(self) -> np.ndarray:
        """Bottleneck value per path (smallest hop value; unknown counts as 0)."""
        vals = np.where(self.paths >= 0, self.index.value[np.maximum(self.paths, 0)], np.inf)
        return np.where(np.isnan(vals), 0.0, vals).min(axis=1) if len(vals) else np.empty(0)

    def intermediates(self) -> tuple[np.ndarray, np.ndarray]:
        """(path row, node position) of every intermediate node on every path."""
        rows, cols = np.nonzero((self.paths >= 0) & (np.arange(self.paths.shape[1]) < (self.lengths - 1)[:, None]))
        return rows, self.index.dst[self.paths[rows, cols]]


def traced_paths(store: GraphStore, query: TraceQuery | None, cap: int = PATH_CAP) -> TracedPaths:
    """Walk a query keeping every path (up to ``cap``)."""
    query = query or TraceQuery()
    index, stats, sink = run_walk(store, query, lambda ix: AllPaths(cap))
    assert isinstance(sink, AllPaths)
    width = query.max_hops
    paths = np.vstack([pad(p, width) for p in sink.parts]) if sink.parts else np.empty((0, width), dtype=np.int64)
    return TracedPaths(index, paths, (paths >= 0).sum(axis=1), stats, sink.dropped)


def listings(store: GraphStore, index: TraceIndex) -> dict[int, list[str]]:
    """Lists each canonical node is on (LISTED_ON edges, names of the Listing nodes, with start dates)."""
    frame = store.edge_frame([EdgeType.LISTED_ON])
    if frame.empty:
        return {}
    nodes = store.node_frame()
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    out: dict[int, list[str]] = {}
    for source, target, props in frame[["source", "target", "props"]].itertuples(index=False, name=None):
        pos = index.position.get(source)
        if pos is None:
            continue
        extra = load_props(props)
        label = str(extra.get("list") or names.get(target) or target)
        if extra.get("start_date"):
            label += f" since {extra['start_date']}"
        if extra.get("end_date"):
            label += f" until {extra['end_date']}"
        if label not in out.setdefault(pos, []):
            out[pos].append(label)
    return out


def registered_dates(store: GraphStore, index: TraceIndex, positions: np.ndarray) -> dict[int, str]:
    """Earliest ``registered`` prop among the (merged) nodes at ``positions``."""
    wanted = set(positions.tolist())
    nodes = store.node_frame()
    props = nodes["props"].fillna("")
    out: dict[int, str] = {}
    for nid, text in zip(nodes["id"][props.str.contains('"registered"', regex=False)],
                         props[props.str.contains('"registered"', regex=False)], strict=True):
        pos = index.position.get(nid)
        registered = load_props(text).get("registered")
        if pos in wanted and registered and (pos not in out or str(registered) < out[pos]):
            out[pos] = str(registered)
    return out


def node_country(index: TraceIndex) -> np.ndarray:
    """One country per canonical node (its own field first, else its first LOCATED_IN), '' if none."""
    out = np.full(index.n_nodes, "", dtype=object)
    nodes, where = np.unique(index.country_node, return_index=True)
    out[nodes] = index.country_code[where]
    return out


def days_between(first: str | None, second_day: int) -> int | None:
    """Days from a date text to a day number, or None."""
    found = date_interval(first)
    return None if found is None else int(second_day - found[0])


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty result frame with the given columns."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
