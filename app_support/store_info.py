"""The store the app works on: where it is, which generation, what it holds."""

from __future__ import annotations

import pandas as pd

from graph.stores import GraphStore


def generation_of(store: GraphStore) -> int:
    """The store's generation (bumped by every write); 0 for stores without generations."""
    return int(getattr(store, "generation", 0))


def refresh_store(store: GraphStore) -> int:
    """Pick up writes by other processes (embedded store), then return the generation."""
    refresh = getattr(store, "refresh", None)
    if callable(refresh):
        refresh()
    return generation_of(store)


def stats_table(store: GraphStore) -> pd.DataFrame:
    """Nodes, edges and evidence per type as a two-column table."""
    counts = store.counts()
    return pd.DataFrame([{"what": k, "count": v} for k, v in counts.items()], columns=["what", "count"])


def is_empty(store: GraphStore) -> bool:
    """True when the store holds no nodes yet."""
    return int(store.counts().get("nodes", 0)) == 0
