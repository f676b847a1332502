"""``transship ingest ...``: load sources into the store, with a quarantine for what cannot be read."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from commands.common import emit, format_option, open_cli_store, store_option
from graph.schema import Record
from ingest.customs import CustomsFile, bulk_load
from ingest.layouts import LayoutError
from ingest.quarantine import Quarantine, Rejected
from ingest.readers import ReadError

# One process (a thread reading and mapping ahead of the planner) is the fastest on the 2 vCPUs measured here
# (docs/customs.md); worker processes duplicate per-company work and pay for pickling plans.
DEFAULT_WORKERS = 1
REPORT_COLUMNS = ("file", "layout", "score", "format", "read", "ingested", "quarantined", "nodes_added",
                  "edges_added", "evidence_added", "error")


@click.group()
def ingest() -> None:
    """Load customs records, news or lists into the store."""


def _defaults(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(f"expected FIELD=VALUE, got {pair!r}", param_hint="--default")
        out[key.strip()] = value.strip()
    return out


@ingest.command("customs")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--layout", default="auto", show_default=True, metavar="auto|NAME|MAPPING.toml",
              help="Layout profile: auto-detect from the header, a built-in name, or a mapping file.")
@click.option("--default", "defaults", multiple=True, metavar="FIELD=VALUE",
              help="Value for a canonical field the file lacks, e.g. consignee_country=KZ (repeatable).")
@click.option("--encoding", default=None, help="Text encoding [default: detected].")
@click.option("--delimiter", default=None, help="CSV delimiter [default: sniffed].")
@click.option("--sheet", default=None, help="Excel sheet name [default: the first].")
@click.option("--workers", type=click.IntRange(1, 64), default=DEFAULT_WORKERS, show_default=True,
              help="Processes that plan a big CSV file; more pay off only on machines with more real cores "
                   "(the result is the same).")
@click.option("--quarantine", "quarantine_path", type=click.Path(path_type=Path), default=None,
              help="JSON-lines file for rows that could not be ingested [default: <store>/quarantine.jsonl].")
@store_option
@format_option
def ingest_customs(files: tuple[Path, ...], layout: str, defaults: tuple[str, ...], encoding: str | None,
                   delimiter: str | None, sheet: str | None, workers: int, quarantine_path: Path | None,
                   store_location: str | None, fmt: str) -> None:
    """Load customs records (declarations, aggregates, bills of lading) from FILES.

    Each row is ingested or quarantined with its reason; the exit code is non-zero only when a
    file could not be read at all (missing, unknown format or layout).
    """
    options: dict[str, Any] = {"layout": layout, "defaults": _defaults(defaults), "encoding": encoding,
                               "delimiter": delimiter, "sheet": sheet, "workers": workers}
    store = open_cli_store(store_location, must_exist=False)
    target = quarantine_path or Path(store.location) / "quarantine.jsonl"
    rows: list[dict[str, Any]] = []
    failed = 0
    try:
        for file in files:
            try:
                customs = CustomsFile(file, **options)
            except (ReadError, LayoutError, OSError) as exc:
                failed += 1
                click.echo(f"error: {file}: {exc}", err=True)
                rows.append({"file": str(file), "error": str(exc)})
                continue
            choice = customs.choice
            click.echo(f"{file}: layout {choice.layout.name} ({choice.how}, score {choice.score:.2f}), "
                       f"{customs.info.describe()}", err=True)
            with Quarantine(target) as quarantine, bulk_load():
                result = store.write(quarantine.filter(_with_row_progress(customs)))
            counts = customs.counts
            rows.append({"file": str(file), "layout": choice.layout.name, "score": choice.score,
                         "format": customs.info.describe(), "read": counts.read, "ingested": counts.ingested,
                         "quarantined": counts.quarantined, "nodes_added": result.nodes_added,
                         "edges_added": result.edges_added, "evidence_added": result.evidence_added})
    finally:
        store.close()
    emit(rows, fmt, columns=[c for c in REPORT_COLUMNS if c != "error" or failed])
    if any(r.get("quarantined") for r in rows):
        click.echo(f"quarantined rows written to {target}", err=True)
    if failed:
        sys.exit(1)


def _with_row_progress(customs: CustomsFile) -> Iterator[Record | Rejected]:
    """The file's records, with a progress bar of rows read (rows/s) on a terminal."""
    bar = tqdm(desc=customs.path.name, unit="rows", unit_scale=True, file=sys.stderr, disable=not sys.stderr.isatty(),
               dynamic_ncols=True)
    shown = 0
    try:
        for item in customs.batches():
            yield item
            if customs.counts.read - shown >= 10_000:
                bar.update(customs.counts.read - shown)
                shown = customs.counts.read
        bar.update(customs.counts.read - shown)
    finally:
        bar.close()


def register(group: click.Group) -> None:
    group.add_command(ingest)
