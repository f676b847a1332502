"""Commands for the Neo4j backend: push (copy a store into Neo4j over Bolt)."""

from __future__ import annotations

import sys
import time

import click
from tqdm import tqdm

from commands.common import CliError, emit, format_option
from graph.stores import is_bolt_uri, open_store, resolve_location
from graph.stores.transfer import copy_store, count_records


@click.command()
@click.option("--to", "target", required=True, metavar="URI",
              help="bolt:// or neo4j:// URI of the target database [credentials from NEO4J_USER/NEO4J_PASSWORD, "
                   "else a prompt; database from NEO4J_DATABASE].")
@click.option("--from", "source", default=None, metavar="PATH",
              help="Store to copy [default: $TRANSSHIP_STORE, else ./transship-data].")
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=5000, show_default=True,
              help="Records per write (and rows per transaction).")
@format_option
def push(target: str, source: str | None, batch_size: int, fmt: str) -> None:
    """Copy a store (normally the embedded one) into Neo4j; re-running it adds nothing twice."""
    if not is_bolt_uri(target):
        raise CliError(f"--to must be a bolt:// or neo4j:// URI, got {target!r}")
    where = resolve_location(source)
    if is_bolt_uri(where) and where.rstrip("/") == target.rstrip("/"):
        raise CliError("--from and --to are the same database")
    src = open_store(where, create=False)
    try:
        from graph.stores.neo4j import Neo4jStore

        dst = Neo4jStore.connect(target, batch_size=batch_size)
        try:
            total = count_records(src)
            started = time.perf_counter()
            with tqdm(total=total, desc="push", unit="rec", unit_scale=True, file=sys.stderr,
                      disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
                result = copy_store(src, dst, batch_size, on_batch=bar.update)
            seconds = time.perf_counter() - started
        finally:
            dst.close()
    finally:
        src.close()
    rows = [{"records": total, "nodes_added": result.nodes_added, "nodes_updated": result.nodes_updated,
             "edges_added": result.edges_added, "evidence_added": result.evidence_added,
             "seconds": round(seconds, 2), "records_per_s": round(total / seconds, 1) if seconds else None}]
    emit(rows, fmt)


def register(group: click.Group) -> None:
    group.add_command(push)
