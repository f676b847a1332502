"""Canonical identities derived at read time from SAME_AS decisions (merges never rewrite records).

A SAME_AS edge carries ``props["decision"]``: ``match`` (resolver, above threshold),
``review`` (resolver, in the review band: not merged), ``confirmed`` or ``rejected``
(a person's judgement, key ``judgement:<decided_at>``). For each pair the latest
judgement wins over the resolver, and among resolver runs the latest ``decided_at`` wins
(a re-run with another threshold supersedes, never deletes); undoing a merge is a newer
``rejected`` judgement.
"""

from __future__ import annotations

from typing import Any

from graph.schema import EdgeType
from graph.stores import GraphStore
from graph.stores.frames import load_props

LINKING = frozenset({"match", "confirmed"})


def same_as_decisions(store: GraphStore) -> dict[tuple[str, str], dict[str, Any]]:
    """The deciding SAME_AS props per unordered node pair (latest judgement, else resolver)."""
    frame = store.edge_frame([EdgeType.SAME_AS])
    best: dict[tuple[str, str], tuple[tuple[int, str], dict[str, Any]]] = {}
    for source, target, key, props_text in frame[["source", "target", "key", "props"]].itertuples(
        index=False, name=None
    ):
        props = load_props(props_text)
        pair = (min(source, target), max(source, target))
        is_judgement = str(key).startswith("judgement:")
        rank = (1 if is_judgement else 0, str(props.get("decided_at", "")))
        if pair not in best or rank > best[pair][0]:
            best[pair] = (rank, props)
    return {pair: props for pair, (_, props) in best.items()}


def canonical_map(store: GraphStore) -> dict[str, str]:
    """Node id -> canonical id (the smallest id of its merged group), for merged nodes only.

    Nodes that were never merged are absent; use ``mapping.get(node_id, node_id)``.
    """
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:  # path compression
            parent[node], node = root, parent[node]
        return root

    for (a, b), props in same_as_decisions(store).items():
        if props.get("decision") in LINKING:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {node: find(node) for node in parent}
