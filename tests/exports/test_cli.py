"""`transship export`: every format from --all and --entity, trace selection, clear errors."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from typing import Any

import pytest

import cli
from commands.export import TRACE_OPTIONS, trace_query_fields
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


def test_trace_options_map_to_query_fields() -> None:
    values = {"origin": ("US",), "via": ("TR", "HK"), "max_hops": 4, "since": "2023-01-01", "include_text": False,
              "goods": (), "limit": None}
    assert trace_query_fields(values) == {"origins": ("US",), "via_countries": ("TR", "HK"), "max_hops": 4,
                                          "since": "2023-01-01", "include_text": False}
    fields = [f for _d, f, _k in TRACE_OPTIONS]
    assert fields == ["origins", "destinations", "via_countries", "goods", "max_hops", "since", "until",
                      "min_value", "dwell_days", "continuity", "include_text", "min_confidence", "limit"]


@pytest.mark.skipif(importlib.util.find_spec("graph.trace") is not None, reason="the trace engine is present")
def test_trace_selection_without_engine_says_what_to_do(world: Any, tmp_path: Path, capsys: Any) -> None:
    code, err = run(capsys, "export", "--store", world.store.location, "--format", "json",
                    "-o", str(tmp_path / "x.json"), "--via", "TR")
    assert code == 1 and "--entity" in err
