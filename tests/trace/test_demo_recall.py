"""On a small demo world the default trace finds every planted chain and no decoy record."""

from __future__ import annotations

import json
from pathlib import Path

from graph.stores.embedded import EmbeddedStore
from graph.stores.frames import load_props
from graph.trace import TraceQuery, trace
from ingest.customs import load_canonical
from ingest.demo import generate_world
from ingest.quarantine import Rejected
from ingest.tags import load_tags


def test_planted_chains_recall_one_decoys_zero(tmp_path: Path) -> None:
    world = generate_world(tmp_path / "world", rows=3_000, seed=3)
    store = EmbeddedStore(tmp_path / "store")
    store.write(r for r in load_canonical(world.customs) if not isinstance(r, Rejected))
    store.write(r for r in load_tags(world.tags) if not isinstance(r, Rejected))
    truth = json.loads(world.truth.read_text("utf-8"))
    frame = store.edge_frame()
    record_of = {i: load_props(p).get("record_id") for i, p in zip(frame["id"], frame["props"], strict=True)}
    result = trace(store, TraceQuery(limit=100_000, with_evidence=False))
    found = {tuple(record_of[e] for e in p.edge_ids) for p in result.paths}
    chains = {tuple(h["record_id"] for h in c["hops"]) for c in truth["chains"]}
    assert chains and chains <= found
    decoys = set(truth["decoy_only_record_ids"])
    assert not any(set(path) & decoys for path in found)
    relaxed = {tuple(h["record_id"] for h in c["hops"]) for c in truth["scenarios"]["relaxed_goods"]["chains"]}
    assert not relaxed & found
    loose = trace(store, TraceQuery(limit=100_000, with_evidence=False, continuity="off"))
    assert relaxed <= {tuple(record_of[e] for e in p.edge_ids) for p in loose.paths}
