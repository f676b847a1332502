"""``transship ingest ...``: load sources into the store, with a quarantine for what cannot be read."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import emit, format_option, open_cli_store, progress, store_option
from ingest.customs import load_canonical
from ingest.quarantine import Quarantine


@click.group()
def ingest() -> None:
    """Load customs records, news or lists into the store."""


@ingest.command("customs")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--quarantine", "quarantine_path", type=click.Path(path_type=Path), default=None,
              help="JSON-lines file for rows that could not be ingested [default: <store>/quarantine.jsonl].")
@store_option
@format_option
def ingest_customs(files: tuple[Path, ...], quarantine_path: Path | None, store_location: str | None,
                   fmt: str) -> None:
    """Load customs records (canonical layout) from FILES."""
    store = open_cli_store(store_location, must_exist=False)
    target = quarantine_path or Path(store.location) / "quarantine.jsonl"
    rows = []
    try:
        for file in files:
            with Quarantine(target) as quarantine:
                result = store.write(quarantine.filter(progress(load_canonical(file), desc=file.name,
                                                                unit="records")))
            rows.append({"file": str(file), "records": quarantine.records, "quarantined": quarantine.rejected,
                         "nodes_added": result.nodes_added, "edges_added": result.edges_added,
                         "evidence_added": result.evidence_added})
    finally:
        store.close()
    emit(rows, fmt)


def register(group: click.Group) -> None:
    group.add_command(ingest)
