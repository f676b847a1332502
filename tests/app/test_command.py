"""``transship app``: the streamlit command line and the store passed through TRANSSHIP_STORE."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import commands.app as app_command
from cli import transship


def test_streamlit_command_is_offline_and_headless() -> None:
    cmd = app_command.streamlit_command(8600, "127.0.0.1")
    assert cmd[:4] == [sys.executable, "-m", "streamlit", "run"] and cmd[4].endswith("app.py")
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert flags["--browser.gatherUsageStats"] == "false" and flags["--server.headless"] == "true"
    assert flags["--server.port"] == "8600" and flags["--server.address"] == "127.0.0.1"


def test_store_is_resolved_and_passed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSSHIP_STORE", raising=False)
    assert app_command.app_environment(None)["TRANSSHIP_STORE"] == str(tmp_path / "transship-data")
    assert app_command.app_environment("rel")["TRANSSHIP_STORE"] == str(tmp_path / "rel")
    assert app_command.app_environment("bolt://db:7687")["TRANSSHIP_STORE"] == "bolt://db:7687"
    monkeypatch.setenv("TRANSSHIP_STORE", str(tmp_path / "env"))
    assert app_command.app_environment(None)["TRANSSHIP_STORE"] == str(tmp_path / "env")


def test_cli_runs_streamlit_with_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_call(cmd: list[str], env: dict[str, str], cwd: Path) -> int:
        calls.append((cmd, env))
        return 0

    monkeypatch.setattr(app_command.subprocess, "call", fake_call)
    result = CliRunner().invoke(transship, ["app", "--store", str(tmp_path / "s"), "--port", "8765"])
    assert result.exit_code == 0, result.output
    (cmd, env), = calls
    assert env["TRANSSHIP_STORE"] == str(tmp_path / "s") and "8765" in cmd
    bad = CliRunner().invoke(transship, ["app", "--port", "0"])
    assert bad.exit_code == 2


def test_streamlit_config_keeps_the_app_offline() -> None:
    import tomllib

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False and config["server"]["headless"] is True
