"""`transship export`: every format from --all and --entity, trace selection, clear errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import cli
from graph.exports import EXPORT_FORMATS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().err


@pytest.mark.parametrize("fmt", list(EXPORT_FORMATS))
def test_all_formats_from_the_command_line(world: Any, tmp_path: Path, capsys: Any, fmt: str) -> None:
    target = tmp_path / f"out{EXPORT_FORMATS[fmt].extension}"
    code, err = run(capsys, "export", "--store", world.store.location, "--format", fmt, "-o", str(target), "--all")
    assert code == 0, err
    assert target.exists() and target.stat().st_size > 0
    assert f"wrote {fmt} export" in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_entity_neighbourhood(world: Any, tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "hk.json"
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "json", "-o", str(target),
                    "--entity", "Harbour Bright Trading Ltd", "--depth", "1")
    assert code == 0, err
    ids = {n["id"] for n in json.loads(target.read_text("utf-8"))["nodes"]}
    assert world.ids["hk"] in ids and world.ids["maker"] in ids and world.ids["buyer"] not in ids


def test_neo4j_import_directory(world: Any, tmp_path: Path, capsys: Any) -> None:
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "neo4j-import",
                    "-o", str(tmp_path / "bundle"), "--all")
    assert code == 0, err
    assert (tmp_path / "bundle" / "nodes_Company.csv").exists()


@pytest.mark.parametrize("argv, message", [
    (["--format", "xls", "--all"], "Invalid value for '--format'"),
    (["--format", "json", "--entity", "No Such Company Anywhere"], "no entity named"),
    (["--format", "json", "--entity", "x", "--all"], "not both"),
    (["--format", "json", "--all", "--via", "TR"], "do not apply"),
    (["--format", "json", "--entity", "x", "--max-hops", "3"], "do not apply"),
])
def test_usage_errors(world: Any, tmp_path: Path, capsys: Any, argv: list[str], message: str) -> None:
    code, err = run(capsys, "export", "--store", world.store.location, "-o", str(tmp_path / "x.json"), *argv)
    assert code != 0 and message in err
    assert not (tmp_path / "x.json").exists()


def test_unwritable_paths(world: Any, tmp_path: Path, capsys: Any) -> None:
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "json",
                    "-o", str(tmp_path / "missing" / "x.json"), "--all")
    assert code == 1 and "does not exist" in err
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "json", "-o", str(tmp_path),
                    "--all")
    assert code == 1 and "is a directory" in err
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        code, err = run(capsys, "export", "--store", world.store.location, "--format", "json",
                        "-o", str(locked / "x.json"), "--all")
        assert code == 1 and "not a writable directory" in err


def test_missing_store(tmp_path: Path, capsys: Any) -> None:
    code, err = run(capsys, "export", "--store", str(tmp_path / "nostore"), "--format", "json",
                    "-o", str(tmp_path / "x.json"), "--all")
    assert code == 1 and "no store" in err


def test_trace_selection_end_to_end(world: Any, tmp_path: Path, capsys: Any) -> None:
    target = tmp_path / "trace.json"
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "json", "-o", str(target),
                    "--origin", "Lone Star Semiconductors", "--via", "TR", "--continuity", "category")
    assert code == 0, err
    data = json.loads(target.read_text("utf-8"))
    paths = data["graph"]["paths"]
    assert paths and all(p["nodes"][0] == world.ids["maker"] and p["nodes"][-1] == world.ids["buyer"] for p in paths)
    assert set(world.chain[1:]) <= {e["id"] for e in data["edges"]}
    assert all(e["evidence"] for e in data["edges"])
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "html",
                    "-o", str(tmp_path / "trace.html"), "--continuity", "off", "--no-time-order")
    assert code == 0, err
    assert "Path 2" in (tmp_path / "trace.html").read_text("utf-8")


@pytest.mark.parametrize("argv, message", [
    (["--origin", "Nobody Anywhere Ltd"], "no entity matches"),
    (["--via", "AE", "--continuity", "category"], "found no path"),
    (["--continuity", "sideways"], "Invalid value for '--continuity'"),
])
def test_trace_selection_errors(world: Any, tmp_path: Path, capsys: Any, argv: list[str], message: str) -> None:
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "json",
                    "-o", str(tmp_path / "x.json"), *argv)
    assert code != 0 and message in err
    assert not (tmp_path / "x.json").exists()
