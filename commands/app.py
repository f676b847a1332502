"""``transship app``: the analyst workspace (Streamlit) over the current store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from commands.common import CliError, store_option
from graph.stores import STORE_ENV, is_bolt_uri, resolve_location

APP_FILE = Path(__file__).resolve().parent.parent / "app.py"
# Offline and quiet: no usage statistics, no browser pop-up (also in .streamlit/config.toml).
STREAMLIT_FLAGS = ("--browser.gatherUsageStats", "false", "--server.headless", "true",
                   "--server.fileWatcherType", "none")


def streamlit_command(port: int, address: str, app_file: Path = APP_FILE) -> list[str]:
    """The command line that serves the app."""
    return [sys.executable, "-m", "streamlit", "run", str(app_file), *STREAMLIT_FLAGS,
            "--server.port", str(port), "--server.address", address]


def app_environment(store_location: str | None) -> dict[str, str]:
    """The environment for the app: the resolved store passed on in TRANSSHIP_STORE (absolute for directories)."""
    location = resolve_location(store_location)
    if not is_bolt_uri(location):
        location = str(Path(location).expanduser().resolve())
    env = dict(os.environ)
    env[STORE_ENV] = location
    env.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    return env


@click.command("app")
@store_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="Port to serve on.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 to share on the network).")
def app(store_location: str | None, port: int, address: str) -> None:
    """Open the analyst workspace (trace, entities, hubs, flows, ingest, export) in the browser."""
    if not APP_FILE.exists():
        raise CliError(f"app file {APP_FILE} is missing from this installation")
    env = app_environment(store_location)
    click.echo(f"transship app: store {env[STORE_ENV]}, open http://{address}:{port}", err=True)
    try:
        status = subprocess.call(streamlit_command(port, address), env=env, cwd=APP_FILE.parent)
    except KeyboardInterrupt:
        status = 0
    if status not in (0, -2, 130):
        raise CliError(f"streamlit exited with status {status}")


def register(group: click.Group) -> None:
    group.add_command(app)
