"""``transship ingest news PATH...``: articles and press releases -> entities and text-derived claims."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from commands.common import emit, format_option, open_cli_store, progress, store_option
from ingest.quarantine import Quarantine

log = logging.getLogger(__name__)


@click.command("news")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--quarantine", "quarantine_path", type=click.Path(path_type=Path), default=None,
              help="JSON-lines file for documents that could not be read [default: <store>/quarantine.jsonl].")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, metavar="N",
              help="Skip files larger than N bytes [default: 5000000].")
@click.option("--model/--no-model", "use_model", default=True, show_default=True,
              help="Use the statistical spaCy model when its package is installed (never downloaded).")
@store_option
@format_option
def ingest_news(paths: tuple[Path, ...], quarantine_path: Path | None, max_bytes: int | None, use_model: bool,
                store_location: str | None, fmt: str) -> None:
    """Read news files (.txt .md .html .json .jsonl) or folders of them from PATHS into the store.

    Companies, persons, countries and goods become nodes with MENTIONS edges from the document; supply,
    ownership, location and listing claims become SUPPLIES / OWNED_BY / LOCATED_IN / LISTED_ON edges
    marked derivation=text, each with the sentence, character span, document and date as evidence.
    """
    from ingest.news import DEFAULT_MAX_BYTES, NameIndex, NewsStats, build_pipeline, load_news, pipeline_notes

    store = open_cli_store(store_location, must_exist=False)
    target = quarantine_path or Path(store.location) / "quarantine.jsonl"
    try:
        index = NameIndex.from_store(store)
        nlp = build_pipeline(index.names, use_model=use_model)
        for note in pipeline_notes(nlp):
            click.echo(f"transship: {note}", err=True)
        stats = NewsStats()
        with Quarantine(target) as quarantine:
            records = load_news(paths, nlp, index, max_bytes or DEFAULT_MAX_BYTES, stats)
            result = store.write(quarantine.filter(progress(records, desc="news", unit="records")))
    finally:
        store.close()
    row = {"documents": stats.documents, "skipped": stats.skipped, "words": stats.words,
           "entities": stats.entities, **{f"claims_{k.lower()}": v for k, v in sorted(stats.claims.items())},
           "claims": sum(stats.claims.values()), "quarantined": quarantine.rejected,
           "quarantine_file": str(target) if quarantine.rejected else "",
           "nodes_added": result.nodes_added, "edges_added": result.edges_added,
           "evidence_added": result.evidence_added}
    emit([row], fmt)
    for reason, count in sorted(quarantine.reasons.items()):
        click.echo(f"transship: skipped {count} item(s): {reason}", err=True)


def register(group: click.Group) -> None:
    """Attach ``news`` to the ``ingest`` group (created by commands.ingest)."""
    ingest = group.commands.get("ingest")
    if not isinstance(ingest, click.Group):
        raise RuntimeError("commands.news must be registered after commands.ingest")
    ingest.add_command(ingest_news)
