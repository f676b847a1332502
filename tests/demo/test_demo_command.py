"""``transship demo``: generates the world, loads customs and tags, and is idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cli
from graph.schema import EdgeType
from graph.stores import open_store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_loads_the_world_and_a_rerun_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir, store_dir = tmp_path / "world", tmp_path / "store"
    args = ("demo", "--rows", "800", "--seed", "2", "--out", str(out_dir), "--store", str(store_dir))
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0, err
    steps = {s["step"]: s for s in json.loads(out)["steps"]}
    assert steps["generate"]["records"] == 800
    assert steps["ingest customs"]["quarantined"] == 0 and steps["ingest customs"]["edges_added"] > 800
    assert steps["ingest tags"]["quarantined"] == 0 and steps["ingest tags"]["nodes_added"] == 0
    assert "planted chains" in err and "synthetic" in err

    store = open_store(store_dir, create=False)
    generation = store.generation  # type: ignore[attr-defined]
    shipped = store.edge_frame([EdgeType.SHIPPED])
    assert len(shipped) == 800
    truth = json.loads((out_dir / "truth.json").read_text("utf-8"))
    record_ids = set(shipped["props"].map(lambda p: json.loads(p)["record_id"]))
    assert {h["record_id"] for c in truth["chains"] for h in c["hops"]} <= record_ids
    buyers = store.node_frame()[store.node_frame()["props"].str.contains('"defense_buyer"')]
    assert set(buyers["name"]) == set(truth["defense_buyers"])

    code, out, _ = run(capsys, *args, "--format", "json")
    assert code == 0
    assert all(s.get("edges_added", 0) == 0 and s.get("evidence_added", 0) == 0 for s in json.loads(out)["steps"])
    assert open_store(store_dir, create=False).generation == generation  # type: ignore[attr-defined]


def test_demo_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    code, _, err = run(capsys, "demo", "--rows", "600", "--out", str(tmp_path / "w"), "--store", str(not_a_dir))
    assert code == 1 and err.count("\n") == 1 and "not a directory" in err
    code, _, err = run(capsys, "demo", "--rows", "5")
    assert code == 2 and "--rows" in err


def test_demo_world_loads_completely_when_value_caches_overflow(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """At a million rows the per-column value caches of the customs mapper overflow; nothing may break."""
    import ingest.layouts
    import ingest.readers
    from graph.batch import expand
    from ingest.customs import load_canonical
    from ingest.demo import generate_world
    from ingest.quarantine import Quarantine

    monkeypatch.setattr(ingest.layouts, "CACHE_CAP", 50)
    monkeypatch.setattr(ingest.readers, "CHUNK_ROWS", 200)
    world = generate_world(tmp_path, rows=1500, seed=5)
    with Quarantine() as quarantine:
        shipped = [r for r in expand(quarantine.filter(load_canonical(world.customs)))
                   if getattr(r, "type", None) == EdgeType.SHIPPED]
    assert quarantine.rejected == 0 and len(shipped) == 1500
