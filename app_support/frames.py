"""Rows of the store's node and edge frames for a set of ids, with readable names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from graph.stores import GraphStore
from graph.stores.frames import isin, load_props


def nodes_for(store: GraphStore, ids: Iterable[str]) -> pd.DataFrame:
    """Node rows (NODE_COLUMNS) for ``ids``, in the order of ``ids``, unknown ids left out."""
    wanted = list(dict.fromkeys(ids))
    frame = store.node_frame()
    part = frame[isin(frame["id"], wanted)].set_index("id")
    return part.reindex([i for i in wanted if i in part.index]).reset_index()


def edges_for(store: GraphStore, ids: Iterable[str]) -> pd.DataFrame:
    """Edge rows (EDGE_COLUMNS) for ``ids``, in the order of ``ids``, unknown ids left out."""
    wanted = list(dict.fromkeys(ids))
    frame = store.edge_frame()
    part = frame[isin(frame["id"], wanted)].set_index("id")
    return part.reindex([i for i in wanted if i in part.index]).reset_index()


def names_of(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """Display name per node id (the id itself when the node is unknown)."""
    wanted = list(dict.fromkeys(ids))
    part = nodes_for(store, wanted)
    names = dict(zip(part["id"], part["name"], strict=True))
    return {i: names.get(i, i) for i in wanted}


def prop_list(props_text: str | None, key: str) -> list[Any]:
    """A list-valued prop from a props JSON text (a scalar becomes a one-item list)."""
    value = load_props(props_text).get(key)
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def node_role(node_type: str, country: str | None, props_text: str | None) -> str:
    """Role of a node in a picture: US maker, maker, defense buyer, intermediary, or its type (country, good ...)."""
    if node_type not in ("Company", "Person"):
        return node_type.lower()
    roles = prop_list(props_text, "roles")
    if "defense_buyer" in roles:
        return "defense buyer"
    if "manufacturer" in roles and country == "US":
        return "US maker"
    if "manufacturer" in roles:
        return "maker"
    return "intermediary"
