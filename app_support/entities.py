"""Entity page: fuzzy search, profile (identifiers, aliases, listings), neighbourhood and shipment timeline."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from rapidfuzz import fuzz, process

from app_support.frames import names_of, nodes_for
from graph.schema import FLOW_EDGE_TYPES, EdgeType, Node, NodeType
from graph.stores import GraphStore
from graph.stores.frames import isin, load_props
from ingest.keys import fold_name, normalize_identifier

SEARCH_TYPES = (NodeType.COMPANY, NodeType.PERSON, NodeType.LISTING, NodeType.WEAPON, NodeType.GOOD)
FLOW_TYPES = {t.value for t in FLOW_EDGE_TYPES}


@dataclass(frozen=True)
class SearchIndex:
    """Folded names (and aliases, identifiers) of searchable nodes, built once per store generation."""

    ids: list[str]
    texts: list[str]

    @classmethod
    def build(cls, store: GraphStore) -> SearchIndex:
        frame = store.node_frame()
        frame = frame[frame["type"].isin([t.value for t in SEARCH_TYPES])]
        ids: list[str] = []
        texts: list[str] = []
        for nid, name, key, props in frame[["id", "name", "key", "props"]].itertuples(index=False, name=None):
            ids.append(nid)
            texts.append(fold_name(name))
            if ":" in key and not key.startswith("name:"):
                ids.append(nid)
                texts.append(key.lower())
            if props and '"aliases"' in props:  # cheap test before parsing JSON
                for alias in load_props(props).get("aliases", []):
                    ids.append(nid)
                    texts.append(fold_name(str(alias)))
        return cls(ids, texts)


def search_entities(store: GraphStore, index: SearchIndex, text: str, limit: int = 25) -> pd.DataFrame:
    """Best matches for ``text`` by name, alias or identifier (``inn:7722476458``), best first.

    Returns a frame with id, name, type, country, score (0-100).
    """
    columns = ["id", "name", "type", "country", "score"]
    query = text.strip()
    if not query:
        return pd.DataFrame(columns=columns)
    ident = normalize_identifier(query)
    folded = ident.lower() if ident else fold_name(query)
    if not folded:
        return pd.DataFrame(columns=columns)
    hits = process.extract(folded, index.texts, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=60)
    best: dict[str, float] = {}
    for _, score, position in hits:
        nid = index.ids[position]
        best[nid] = max(best.get(nid, 0.0), float(score))
    ranked = sorted(best.items(), key=lambda item: -item[1])[:limit]
    found = nodes_for(store, [nid for nid, _ in ranked])
    found["score"] = found["id"].map(dict(ranked)).round(1)
    return found[columns].sort_values("score", ascending=False, kind="stable", ignore_index=True)


@dataclass
class EntityProfile:
    """What the Entity page shows about one node."""

    node: Node
    identifiers: list[str]
    aliases: list[str]
    roles: list[str]
    role_reasons: list[str]
    listings: pd.DataFrame
    shipments: pd.DataFrame
    facts: dict[str, object] = field(default_factory=dict)


def _as_list(value: object) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def entity_profile(store: GraphStore, node_id: str) -> EntityProfile | None:
    """Identifiers, aliases, roles, listings and shipments of a node (None when unknown)."""
    node = store.get_node(node_id)
    if node is None:
        return None
    edges = incident_edges(store, node_id)
    names = names_of(store, [*edges["source"], *edges["target"]])
    out = (edges["source"] == node_id).to_numpy()
    listed = edges[(edges["type"] == EdgeType.LISTED_ON.value) & out]
    listing_props = [load_props(p) for p in listed["props"]]
    listings = pd.DataFrame({
        "list": [names[t] for t in listed["target"]],
        "since": [p.get("start_date") or d for p, d in zip(listing_props, listed["date"], strict=True)],
        "until": [p.get("end_date") for p in listing_props], "program": [p.get("program") for p in listing_props],
        "citation": [p.get("citation") for p in listing_props], "confidence": listed["confidence"].round(3).to_numpy(),
    }, columns=["list", "since", "until", "program", "citation", "confidence"])
    moving = edges["type"].isin(FLOW_TYPES).to_numpy()
    flow, flow_out = edges[moving], out[moving]
    counterpart = np.where(flow_out, flow["target"].to_numpy(), flow["source"].to_numpy())
    shipments = pd.DataFrame({
        "date": flow["date"].to_numpy(), "direction": np.where(flow_out, "out", "in"),
        "counterpart": [names[c] for c in counterpart], "type": flow["type"].to_numpy(),
        "hs_code": flow["hs_code"].to_numpy(), "value_usd": flow["value_usd"].to_numpy(),
        "origin": flow["origin_country"].to_numpy(),
        "description": [load_props(p).get("description") for p in flow["props"]],
        "confidence": flow["confidence"].round(3).to_numpy(), "id": flow["id"].to_numpy(),
    }, columns=["date", "direction", "counterpart", "type", "hs_code", "value_usd", "origin", "description",
                "confidence", "id"])
    shipments = shipments.sort_values("date", kind="stable", ignore_index=True)
    props = dict(node.props)
    facts = {k: v for k, v in props.items() if k not in ("identifiers", "aliases", "roles", "role_reasons")
             and v not in (None, "", [])}
    identifiers = _as_list(props.get("identifiers"))
    if ":" in node.key and not node.key.startswith("name:") and node.key not in identifiers:
        identifiers.insert(0, node.key)
    return EntityProfile(node, identifiers, _as_list(props.get("aliases")), _as_list(props.get("roles")),
                         _as_list(props.get("role_reasons")), listings, shipments, facts)


def incident_edges(store: GraphStore, node_id: str) -> pd.DataFrame:
    """Edge rows (EDGE_COLUMNS, with confidence) touching a node, read from the edge frame (no evidence)."""
    frame = store.edge_frame()
    return frame[(frame["source"] == node_id) | (frame["target"] == node_id)]


def shipment_timeline(shipments: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Bar chart of shipment value per month, in and out (from :func:`entity_profile`'s shipments)."""
    frame = shipments.dropna(subset=["date"]).copy()
    frame["month"] = frame["date"].str.slice(0, 7)
    frame["value_usd"] = frame["value_usd"].fillna(0.0)
    monthly = frame.groupby(["month", "direction"], as_index=False).agg(value_usd=("value_usd", "sum"),
                                                                       shipments=("id", "size"))
    fig = px.bar(monthly, x="month", y="value_usd", color="direction", barmode="group", hover_data=["shipments"],
                 title=title, labels={"value_usd": "value (USD)", "month": "month"},
                 color_discrete_map={"in": "#2ca02c", "out": "#9467bd"})
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig


# Nodes a neighbourhood walk reaches but does not expand through: every Russian company is
# LOCATED_IN Russia and every chip shipment touches HS 8542, so expanding them floods the picture.
HUB_TYPES = frozenset({NodeType.COUNTRY.value, NodeType.GOOD.value, NodeType.LISTING.value, NodeType.DOCUMENT.value})


def neighbour_ids(store: GraphStore, node_id: str, depth: int = 1, cap: int = 150,
                  edge_types: Iterable[EdgeType] | None = None, max_edges: int = 1500) -> tuple[list[str], list[str]]:
    """Node and edge ids within ``depth`` hops of a node (breadth first, at most ``cap`` nodes and
    ``max_edges`` edges among them; on a hub, the first neighbours in edge-id order).

    Countries, goods, listings and documents are reached but not walked through (unless they are the start).
    """
    frame = store.edge_frame(edge_types)
    seen = [node_id]
    known = {node_id}
    frontier = [node_id]
    for _ in range(depth):
        touching = frame[isin(frame["source"], frontier) | isin(frame["target"], frontier)]
        following: list[str] = []
        for other in (*touching["source"], *touching["target"]):
            if other not in known and len(seen) < cap:
                known.add(other)
                seen.append(other)
                following.append(other)
        found = nodes_for(store, following)
        frontier = list(found.loc[~found["type"].isin(HUB_TYPES), "id"])
    inside = frame[isin(frame["source"], known) & isin(frame["target"], known)]
    return seen, list(inside["id"][:max_edges])
