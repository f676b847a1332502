"""Interactive network pictures (plotly) of a subgraph; clicks come back as node or edge ids.

Nodes are markers; edges are lines with an arrow and a clickable marker at their middle.
Every clickable marker carries ``customdata = [kind, id]`` so a Streamlit selection
event can be turned back into the node or edge it shows (:func:`selected_item`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from app_support.frames import node_role
from graph.stores.frames import isin

ROLE_COLOURS = {
    "US maker": "#1f77b4", "maker": "#6baed6", "intermediary": "#ff7f0e", "defense buyer": "#d62728",
    "country": "#2ca02c", "good": "#bcbd22", "listing": "#8c564b", "document": "#17becf", "weapon": "#000000",
}
OTHER_COLOUR = "#7f7f7f"
MAX_ARROWS = 400  # annotations are slow in the browser beyond a few hundred


def layered_positions(columns: Mapping[str, int]) -> dict[str, tuple[float, float]]:
    """Positions for nodes placed in columns (e.g. hop number on a path), spread evenly in each column.

    >>> layered_positions({"a": 0, "b": 1, "c": 1})
    {'a': (0.0, 0.0), 'b': (1.0, -0.5), 'c': (1.0, 0.5)}
    """
    by_column: dict[int, list[str]] = {}
    for node, column in columns.items():
        by_column.setdefault(column, []).append(node)
    positions: dict[str, tuple[float, float]] = {}
    for column, members in by_column.items():
        span = len(members) - 1
        for i, node in enumerate(members):
            positions[node] = (float(column), (i - span / 2) / max(span, 1) if span else 0.0)
    return positions


def spring_positions(node_ids: list[str], edges: pd.DataFrame, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Force-directed positions (deterministic for a seed)."""
    graph = nx.Graph()
    graph.add_nodes_from(node_ids)
    graph.add_edges_from(zip(edges["source"], edges["target"], strict=True))
    layout = nx.spring_layout(graph, seed=seed, k=1.5 / max(len(node_ids), 1) ** 0.5)
    return {n: (float(x), float(y)) for n, (x, y) in layout.items()}


def _edge_label(row: Mapping[str, Any]) -> str:
    parts = [str(row["type"])]
    for column, fmt in (("date", "{}"), ("hs_code", "HS {}"), ("value_usd", "${:,.0f}"), ("confidence", "conf {:.2f}")):
        value = row.get(column)
        if value is not None and not (isinstance(value, float) and pd.isna(value)):
            parts.append(fmt.format(value))
    return " · ".join(parts)


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame, positions: Mapping[str, tuple[float, float]] | None = None,
                   *, title: str | None = None, height: int = 520) -> go.Figure:
    """A plotly figure of ``nodes`` (NODE_COLUMNS) and ``edges`` (EDGE_COLUMNS) between them.

    Args:
        nodes: node rows; their ``props`` decide the colour (US maker, intermediary, defense buyer).
        edges: edge rows; edges whose ends are not in ``nodes`` are left out.
        positions: x, y per node id; force-directed when omitted.
    """
    node_ids = list(nodes["id"])
    known = set(node_ids)
    edges = edges[isin(edges["source"], known) & isin(edges["target"], known)]
    pos = dict(positions) if positions is not None else spring_positions(node_ids, edges)
    fig = go.Figure()
    line_x: list[float | None] = []
    line_y: list[float | None] = []
    mid_x, mid_y, mid_data, mid_text = [], [], [], []
    for row in edges.to_dict("records"):
        (x0, y0), (x1, y1) = pos[row["source"]], pos[row["target"]]
        line_x += [x0, x1, None]
        line_y += [y0, y1, None]
        mid_x.append((x0 + x1) / 2)
        mid_y.append((y0 + y1) / 2)
        mid_data.append(["edge", row["id"]])
        mid_text.append(_edge_label(row))
    fig.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", hoverinfo="skip", name="edges",
                             line={"width": 1.2, "color": "#9a9a9a"}, showlegend=False))
    fig.add_trace(go.Scatter(x=mid_x, y=mid_y, mode="markers", name="edge (click for evidence)",
                             marker={"size": 9, "symbol": "diamond", "color": "#bbbbbb"},
                             customdata=mid_data, hovertext=mid_text, hoverinfo="text"))
    roles = [node_role(t, c, p) for t, c, p in zip(nodes["type"], nodes["country"], nodes["props"], strict=True)]
    frame = nodes.assign(role=roles)
    for role, part in frame.groupby("role", sort=False):
        labels = [f"{n} ({c})" if isinstance(c, str) else str(n) for n, c in zip(part["name"], part["country"],
                                                                               strict=True)]
        fig.add_trace(go.Scatter(
            x=[pos[i][0] for i in part["id"]], y=[pos[i][1] for i in part["id"]], mode="markers+text",
            name=str(role), text=labels, textposition="top center", hovertext=labels, hoverinfo="text",
            customdata=[["node", i] for i in part["id"]],
            marker={"size": 16, "color": ROLE_COLOURS.get(str(role), OTHER_COLOUR), "line": {"width": 1, "color": "#333"}},
        ))
    if len(edges) <= MAX_ARROWS:
        fig.update_layout(annotations=[
            {"x": pos[t][0], "y": pos[t][1], "ax": pos[s][0], "ay": pos[s][1], "xref": "x", "yref": "y",
             "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2, "arrowwidth": 1,
             "arrowcolor": "#9a9a9a", "standoff": 9, "text": ""}
            for s, t in zip(edges["source"], edges["target"], strict=True)
        ])
    fig.update_layout(
        title=title, height=height, dragmode="pan", hovermode="closest", clickmode="event+select",
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        xaxis={"visible": False, "range": _padded([p[0] for p in pos.values()], 0.25)},
        yaxis={"visible": False, "range": _padded([p[1] for p in pos.values()], 0.15)},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
    )
    return fig


def _padded(values: list[float], share: float) -> list[float] | None:
    """An axis range around ``values`` with room for labels."""
    if not values:
        return None
    low, high = min(values), max(values)
    pad = max(high - low, 1.0) * share
    return [low - pad, high + pad]


def selected_item(event: Any) -> tuple[str, str] | None:
    """The (kind, id) of the first clicked node or edge in a Streamlit plotly selection event."""
    if not event:
        return None
    selection = event.get("selection") if isinstance(event, Mapping) else getattr(event, "selection", None)
    points = (selection or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)) and len(data) == 2 and data[0] in ("node", "edge"):
            return str(data[0]), str(data[1])
    return None
