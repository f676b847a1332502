"""Evidence panels: what the store knows about a node or edge and where each fact came from."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from app_support.frames import edges_for, names_of, nodes_for
from graph.stores import GraphStore

EVIDENCE_TABLE_COLUMNS = ("about", "source", "locator", "extractor", "confidence", "observed", "excerpt")


def describe_edges(store: GraphStore, edges: pd.DataFrame) -> list[str]:
    """One readable line per edge row: ``A → B · TYPE · date``."""
    names = names_of(store, [*edges["source"], *edges["target"]])
    return [f"{names[s]} → {names[t]} · {ty}" + (f" · {d}" if isinstance(d, str) else "")
            for s, t, ty, d in zip(edges["source"], edges["target"], edges["type"], edges["date"], strict=True)]


def labels_of(store: GraphStore, ids: Iterable[str]) -> dict[str, str]:
    """A readable label per node or edge id."""
    wanted = list(dict.fromkeys(ids))
    labels = {nid: f"{name} ({ntype})" for nid, name, ntype in
              nodes_for(store, wanted)[["id", "name", "type"]].itertuples(index=False, name=None)}
    edges = edges_for(store, [i for i in wanted if i not in labels])
    labels |= dict(zip(edges["id"], describe_edges(store, edges), strict=True))
    return {i: labels.get(i, i) for i in wanted}


def evidence_table(store: GraphStore, ids: Iterable[str], *, limit: int | None = 500) -> pd.DataFrame:
    """Evidence rows behind the given node/edge ids, most confident first, with a label of what each is about."""
    wanted = list(dict.fromkeys(ids))
    found = store.evidence_of(wanted)
    labels = labels_of(store, found)
    rows = [
        {"about": labels[owner], "source": ev.source, "locator": ev.locator, "extractor": ev.extractor,
         "confidence": round(ev.confidence, 3), "observed": ev.observed, "excerpt": ev.excerpt, "id": owner}
        for owner in wanted for ev in found.get(owner, ())
    ]
    frame = pd.DataFrame(rows, columns=[*EVIDENCE_TABLE_COLUMNS, "id"])
    frame = frame.sort_values(["confidence", "observed"], ascending=[False, True], kind="stable", ignore_index=True)
    return frame if limit is None else frame.head(limit)


def item_details(store: GraphStore, kind: str, item_id: str) -> dict[str, object]:
    """The scalar facts of one node or edge, for a details panel (empty when unknown)."""
    if kind == "node":
        node = store.get_node(item_id)
        if node is None:
            return {}
        return {"name": node.name, "type": node.type.value, "country": node.country, "key": node.key,
                **{k: v for k, v in node.props.items() if v not in (None, "", [])}}
    edge = store.get_edge(item_id)
    if edge is None:
        return {}
    names = names_of(store, [edge.source, edge.target])
    return {"type": edge.type.value, "from": names[edge.source], "to": names[edge.target], "date": edge.date,
            "hs_code": edge.hs_code, "value_usd": edge.value_usd, "quantity": edge.quantity,
            "origin_country": edge.origin_country, "confidence": round(edge.confidence, 3),
            **{k: v for k, v in edge.props.items() if v not in (None, "", [])}}
