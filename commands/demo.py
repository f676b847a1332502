"""``transship demo``: generate the synthetic demo world and load it into the store."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from commands.analysis import path_row
from commands.common import emit, format_option, open_cli_store, progress, store_option
from graph.batch import EdgeBatch
from graph.schema import Record
from graph.stores import GraphStore
from graph.trace import TraceQuery, trace
from ingest.customs import bulk_load, load_canonical
from ingest.demo import MAX_ROWS, MIN_ROWS, WorldFiles, generate_world
from ingest.demo_score import load_truth, score_against_truth
from ingest.quarantine import Quarantine, Rejected
from ingest.tags import load_tags

DEFAULT_OUT = "./demo-data"
SHOWN_PATHS = 10
PATH_COLUMNS = ("rank", "score", "hops", "path", "goods", "dates", "value_usd")
COLUMNS = ("step", "file", "records", "quarantined", "nodes_added", "edges_added", "evidence_added", "seconds")


def build_world(out: Path, rows: int, seed: int) -> tuple[WorldFiles, dict[str, Any]]:
    """Generate the world with a progress bar; returns it and its summary row."""
    started = time.perf_counter()
    with tqdm(total=rows, desc="generate", unit="rows", unit_scale=True, file=sys.stderr,
              disable=not sys.stderr.isatty(), dynamic_ncols=True) as bar:
        world = generate_world(out, rows=rows, seed=seed, on_rows=bar.update)
    return world, {"step": "generate", "file": str(world.customs), "records": rows,
                   "seconds": round(time.perf_counter() - started, 2)}


def load_file(store: GraphStore, step: str, path: Path,
              loader: Callable[[Path], Iterable[Record | EdgeBatch | Rejected]],
              quarantine_path: Path) -> dict[str, Any]:
    """Write one file's records to the store through a quarantine; returns its summary row."""
    started = time.perf_counter()
    with Quarantine(quarantine_path) as quarantine, bulk_load():
        result = store.write(quarantine.filter(progress(loader(path), desc=path.name, unit="records")))
    return {"step": step, "file": str(path), "records": quarantine.records, "quarantined": quarantine.rejected,
            "nodes_added": result.nodes_added, "edges_added": result.edges_added,
            "evidence_added": result.evidence_added, "seconds": round(time.perf_counter() - started, 2)}


@click.command()
@click.option("--rows", type=click.IntRange(MIN_ROWS, MAX_ROWS), default=10_000, show_default=True,
              help="Customs rows to generate (about one planted chain per 150 rows).")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Random seed; the same seed gives the same world.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
              help="Directory for the generated files (customs.csv, tags.csv, news/, truth.json).")
@store_option
@format_option
def demo(rows: int, seed: int, out: Path, store_location: str | None, fmt: str) -> None:
    """Generate the synthetic demo world (fictional companies) and load it into the store.

    Plants known chains from US makers to Russian defense buyers among decoys and
    distractors, and writes the ground truth to OUT/truth.json. Loading the same world
    twice changes nothing.
    """
    store = open_cli_store(store_location, must_exist=False)  # a bad store fails before the work
    try:
        world, generated = build_world(out, rows, seed)
        quarantine_path = world.out_dir / "quarantine.jsonl"
        quarantine_path.unlink(missing_ok=True)
        steps = [generated,
                 load_file(store, "ingest customs", world.customs, load_canonical, quarantine_path),
                 load_file(store, "ingest tags", world.tags, load_tags, quarantine_path)]
        counts = store.counts()
        started = time.perf_counter()
        result = trace(store, TraceQuery(limit=max(1000, 20 * world.chains), with_evidence=False))
        seconds = time.perf_counter() - started
        score = score_against_truth(store, result, load_truth(world.truth))
    finally:
        store.close()
    rows = [path_row(i, p) for i, p in enumerate(result.paths[:SHOWN_PATHS], start=1)]
    if fmt == "json":
        click.echo(json.dumps({"steps": steps, "paths_found": result.total_found, "best_paths": rows,
                               "truth": {**asdict(score), "recall": score.recall}}, indent=2, default=str))
    else:
        emit(steps, fmt, COLUMNS)
        click.echo()
        emit(rows, fmt, PATH_COLUMNS)
    click.echo(f"demo world (synthetic): {world.chains} planted chains, {world.decoys} decoys, truth in "
               f"{world.truth}; store {store.location}: {counts.get('nodes', 0):,} nodes, "
               f"{counts.get('edges', 0):,} edges", err=True)
    click.echo(f"traced US makers -> Russian defense buyers: {result.total_found:,} paths in {seconds:.2f} s "
               f"(best {len(rows)} above); ground truth, {score.summary()}", err=True)
    click.echo("next: transship trace --help | transship hubs | transship export --format html -o report.html"
               " | transship app", err=True)


def register(group: click.Group) -> None:
    group.add_command(demo)
