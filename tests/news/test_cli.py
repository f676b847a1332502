"""``transship ingest news`` end to end into a temporary embedded store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cli import main
from graph.schema import EdgeType, NodeType
from graph.stores import open_store


@pytest.fixture()
def news_dir(tmp_path: Path, fixtures: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("article.txt", "release.md", "page.html", "items.jsonl"):
        shutil.copy(fixtures / name, folder / name)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:
    code = main(["ingest", "news", *args, "--format", "json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out)[0] if code == 0 else {}), out.err


def test_ingest_news_into_store(tmp_path: Path, news_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store_dir = tmp_path / "store"
    code, row, err = run(capsys, str(news_dir), "--store", str(store_dir))
    assert code == 0
    assert row["documents"] == 5 and row["skipped"] == 2  # binary file and the broken JSON line
    assert row["quarantined"] == 2 and row["entities"] > 10 and row["claims"] >= 8
    assert row["claims_supplies"] >= 3 and row["claims_listed_on"] >= 3
    assert "no statistical model" in err or "statistical model:" in err
    assert "binary" in err
    reasons = [json.loads(line)["reason"] for line in (store_dir / "quarantine.jsonl").read_text().splitlines()]
    assert any(r.startswith("binary") for r in reasons) and any(r.startswith("json") for r in reasons)

    store = open_store(str(store_dir), create=False)
    try:
        companies = {n.name: n for n in store.nodes(NodeType.COMPANY)}
        assert companies["Sky Harbor Trading Ltd"].country == "HK"
        assert companies["OOO Aerotekhnika"].country == "RU"
        supplies = list(store.edges(EdgeType.SUPPLIES))
        pairs = {(store.get_node(e.source).name, store.get_node(e.target).name) for e in supplies}
        assert ("Sky Harbor Trading Ltd", "OOO Vympel-Tekh") in pairs
        assert ("Steppe Logistics TOO", "OOO Motor-Avia") in pairs
        edge = next(e for e in supplies if store.get_node(e.source).name == "Brightpath Components Limited")
        full = store.get_edge(edge.id)
        assert full is not None and full.props["derivation"] == "text"
        evidence = full.evidence[0]
        assert evidence.source == "news:/news/press-releases/test-0001" and evidence.locator.startswith("chars ")
        assert evidence.observed == "2024-03-12" and evidence.confidence < 0.95
        listed = {store.get_node(e.source).name for e in store.edges(EdgeType.LISTED_ON)}
        assert {"Sky Harbor Trading Ltd", "Brightpath Components Limited", "Nordic Sea Parts Oy"} <= listed
        assert len(list(store.nodes(NodeType.DOCUMENT))) == 5
        counts = store.counts()
    finally:
        store.close()

    code, again, _ = run(capsys, str(news_dir), "--store", str(store_dir))
    assert code == 0 and again["nodes_added"] == 0  # same files again: no new nodes
    store = open_store(str(store_dir), create=False)
    try:
        assert store.counts()["nodes"] == counts["nodes"]
        assert store.counts()["edges.SUPPLIES"] == counts["edges.SUPPLIES"]
    finally:
        store.close()


def test_size_limit_option(tmp_path: Path, news_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, row, err = run(capsys, str(news_dir / "release.md"), "--max-bytes", "100", "--store", str(tmp_path / "s"))
    assert code == 0 and row["documents"] == 0 and row["skipped"] == 1 and "too large" in err


def test_missing_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "news", str(tmp_path / "nope"), "--store", str(tmp_path / "s")]) == 2
