"""Helpers for the customs tests: ingest a file into a fresh store and describe the graph exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.stores import open_store
from graph.stores.embedded import EmbeddedStore
from graph.stores.frames import load_props
from ingest.customs import CustomsFile, LoadCounts
from ingest.quarantine import Quarantine

FIXTURES = Path(__file__).parent / "fixtures"


def _without_hs_text(props: dict[str, Any]) -> dict[str, Any]:
    """Props without the long HS nomenclature text (it comes from graph/data, not from the file)."""
    return {k: v for k, v in props.items() if not (k == "description" and "hs6" in props)}


def describe_graph(store: EmbeddedStore) -> dict[str, list[Any]]:
    """Nodes and edges as sorted plain tuples, node ids replaced by ``Type:key`` for reading."""
    nodes = store.node_frame()
    label = {r.id: f"{r.type}:{r.key}" for r in nodes.itertuples()}
    node_rows = sorted(
        (r.type, r.key, r.name, None if r.country is None or r.country != r.country else r.country,
         _without_hs_text(load_props(r.props)))
        for r in nodes.itertuples()
    )
    edge_rows = []
    for r in store.edge_frame().itertuples():
        value = None if r.value_usd != r.value_usd else r.value_usd
        qty = None if r.quantity != r.quantity else r.quantity
        date = r.date if isinstance(r.date, str) else None
        hs = r.hs_code if isinstance(r.hs_code, str) else None
        origin = r.origin_country if isinstance(r.origin_country, str) else None
        edge_rows.append((r.type, label[r.source], label[r.target], r.key, date, hs, value, qty, origin,
                          load_props(r.props)))
    return {"nodes": node_rows, "edges": sorted(edge_rows, key=repr)}


def quarantined(path: Path) -> list[tuple[str, str]]:
    """(locator, reason) of every quarantined row, in file order."""
    if not path.exists():
        return []
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return sorted(((i["locator"], i["reason"]) for i in items), key=lambda x: (len(x[0]), x[0]))


class Ingest:
    """Ingest files into one store under tmp_path; keeps counts and the quarantine path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.store_dir = root / "store"
        self.quarantine = root / "quarantine.jsonl"

    def __call__(self, path: Path, **options: Any) -> tuple[LoadCounts, Any]:
        store = open_store(self.store_dir)
        customs = CustomsFile(path, **options)
        with Quarantine(self.quarantine) as quarantine:
            result = store.write(quarantine.filter(customs.batches()))
        assert quarantine.rejected == customs.counts.quarantined
        counts = customs.counts
        assert counts.read == counts.ingested + counts.quarantined
        self.store = store
        self.customs = customs
        return counts, result

    def graph(self) -> dict[str, list[Any]]:
        return describe_graph(open_store(self.store_dir))  # type: ignore[arg-type]

    def rejected(self) -> list[tuple[str, str]]:
        return quarantined(self.quarantine)


@pytest.fixture
def ingest(tmp_path: Path) -> Ingest:
    return Ingest(tmp_path)

