"""Writes are atomic: SIGKILL at any moment leaves the old or the new state; readers never see half a write."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

import pytest

from graph.stores.embedded import EmbeddedStore
from tests.store.store_worker import batch

from tests.store.helpers import snapshot

pytestmark = [pytest.mark.timeout(300), pytest.mark.slow]
BIG_NODES, BIG_EDGES = 1000, 15000
BIG = ("--nodes", str(BIG_NODES), "--edges", str(BIG_EDGES))


@pytest.fixture()
def base_store(tmp_path: Path) -> Path:
    path = tmp_path / "base"
    EmbeddedStore(path).write(batch(0, 50, 500))
    return path


def test_sigkill_while_the_temporary_generation_exists(base_store: Path, tmp_path: Path, worker_factory) -> None:
    before = snapshot(base_store)
    for attempt in range(3):  # on a busy machine the poll may miss the window; then try again
        victim = tmp_path / f"victim-{attempt}"
        shutil.copytree(base_store, victim)
        proc = worker_factory("write", str(victim), "--batches", "1", *BIG)
        while proc.running() and not any(p.name.startswith(".gen-") for p in victim.iterdir()):
            time.sleep(0.0005)
        if proc.running():
            proc.kill()
            break
    else:
        pytest.fail("the writer always finished before its temporary generation was seen")
    assert any(p.name.startswith(".gen-") for p in victim.iterdir())  # killed mid-write indeed
    assert snapshot(victim).same_as(before)
    store = EmbeddedStore(victim)
    assert store.write(batch(2, 10, 10)).edges_added == 10  # a later writer recovers and cleans up
    assert not any(p.name.startswith(".gen-") for p in victim.iterdir())


@pytest.mark.parametrize("step", ["rename", "replace"])
def test_sigkill_before_generation_rename_or_manifest_swap(base_store: Path, worker_factory, step: str) -> None:
    before = snapshot(base_store)
    proc = worker_factory("write", str(base_store), "--batches", "1", "--nodes", "20", "--edges", "200",
                          "--pause-at", step)
    proc.wait_for("PAUSED")
    proc.kill()
    assert snapshot(base_store).same_as(before)
    result = EmbeddedStore(base_store).write(batch(1, 20, 200))
    assert result.edges_added == 200
    assert snapshot(base_store).generation == before.generation + 1


def test_sigkill_at_random_moments_leaves_old_or_new_state(base_store: Path, tmp_path: Path,
                                                           worker_factory) -> None:
    old = snapshot(base_store)
    reference = tmp_path / "reference"
    shutil.copytree(base_store, reference)
    started = time.monotonic()
    EmbeddedStore(reference).write(batch(1, BIG_NODES, BIG_EDGES))
    duration = time.monotonic() - started
    new = snapshot(reference)
    assert new.generation == old.generation + 1
    rng = random.Random(20240229)
    outcomes = []
    for attempt, fraction in enumerate([0.5, 0.95, rng.uniform(0.7, 1.2)]):
        victim = tmp_path / f"victim-{attempt}"
        shutil.copytree(base_store, victim)
        proc = worker_factory("write", str(victim), "--batches", "1", *BIG)
        time.sleep(duration * fraction)
        proc.kill()
        after = snapshot(victim)
        assert after.same_as(old) or after.same_as(new), f"half a write visible after kill at {fraction:.2f}"
        outcomes.append("new" if after.same_as(new) else "old")
        if attempt == 0:  # the next writer completes the write exactly as if nothing had happened
            EmbeddedStore(victim).write(batch(1, BIG_NODES, BIG_EDGES))
            assert snapshot(victim).same_as(new)
    assert "old" in outcomes


def test_readers_during_writes_see_only_committed_states(tmp_path: Path, worker_factory) -> None:
    path = tmp_path / "shared"
    nodes, edges, batches = 200, 3000, 6
    EmbeddedStore(path).write(batch(0, nodes, edges))
    out = tmp_path / "observations.json"
    reader = worker_factory("read", str(path), "--seconds", "120", "--until-generation", str(batches),
                            "--out", str(out))
    writer = worker_factory("write", str(path), "--batches", *map(str, range(1, batches)),
                            "--nodes", str(nodes), "--edges", str(edges))
    writer.wait_for("DONE")
    reader.wait_for("DONE")
    report = json.loads(out.read_text())
    seen = report["observations"]
    assert len(seen) >= 3 and not report["errors"]
    for obs in seen:
        k = len(obs["batches"])
        assert obs["batches"] == list(range(k)), obs
        assert (obs["generation"], obs["nodes"], obs["edges"], obs["evidence"]) == (
            k, k * nodes, k * edges, k * (nodes + edges)), obs
    assert len({obs["generation"] for obs in seen}) >= 3, "the reader should have seen several generations"
