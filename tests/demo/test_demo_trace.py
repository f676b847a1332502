"""Issue 2's promise: ``transship demo --rows 10000`` then ``transship trace --format json`` finds every
planted chain and no decoy, scored against the truth.json the generator wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
from graph.stores import open_store
from graph.trace import TraceQuery, trace
from ingest.demo_score import load_truth, planted_chains, score_against_truth


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("demo10k")
    out_dir, store_dir = base / "world", base / "store"
    assert cli.main(["demo", "--rows", "10000", "--out", str(out_dir), "--store", str(store_dir),
                     "--format", "json"]) == 0
    return out_dir, store_dir


def test_trace_json_finds_every_planted_chain_and_no_decoy(world: tuple[Path, Path],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out_dir, store_dir = world
    capsys.readouterr()
    paths = json.loads(run(capsys, "trace", "--format", "json", "--limit", "100000", "--store", str(store_dir)))
    assert all(hop["evidence"] for path in paths for hop in path["hops"]), "every hop carries its evidence"
    store = open_store(store_dir, create=False)
    props = store.edge_frame().set_index("id")["props"]
    returned = {tuple(json.loads(props[h["edge_id"]])["record_id"] for h in p["hops"]) for p in paths}
    truth = load_truth(out_dir / "truth.json")
    expected = planted_chains(truth)
    assert len(expected) >= 50
    assert set(expected) <= returned, f"missed {len(set(expected) - returned)} planted chains"
    decoy_only = set(truth["decoy_only_record_ids"])
    assert not [p for p in returned if decoy_only.intersection(p)]


def test_iran_drone_route_needs_relaxed_goods(world: tuple[Path, Path]) -> None:
    out_dir, store_dir = world
    store = open_store(store_dir, create=False)
    truth = load_truth(out_dir / "truth.json")
    assert planted_chains(truth, "relaxed_goods"), "the world plants the Iranian drone-maker route"
    strict = score_against_truth(store, trace(store, TraceQuery(limit=100000, with_evidence=False)), truth,
                                 "relaxed_goods")
    relaxed = score_against_truth(
        store, trace(store, TraceQuery(continuity="off", limit=100000, with_evidence=False)), truth, "relaxed_goods")
    assert strict.found == 0
    assert relaxed.recall == 1.0
