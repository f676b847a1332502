"""``transship ingest list``, ``transship resolve`` and ``transship screen``."""

from __future__ import annotations

from pathlib import Path

import click

from commands.common import CliError, emit, format_option, open_cli_store, progress, store_option
from ingest.quarantine import Quarantine

DECISION_COLUMNS = ("decision", "score", "method", "left", "left_name", "right", "right_name", "evidence")
SCREEN_COLUMNS = ("score", "method", "name", "matched_name", "country", "lists", "entity_id")


@click.command("list")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--kind", type=click.Choice(["sdn", "csl", "entity-list", "ftm", "gur"]), default=None,
              help="Kind of list [default: detected from each file].")
@click.option("--quarantine", "quarantine_path", type=click.Path(path_type=Path), default=None,
              help="JSON-lines file for rows that could not be ingested [default: <store>/quarantine.jsonl].")
@click.option("--classify/--no-classify", default=True, show_default=True,
              help="Run the Russian defense buyer rules after loading.")
@click.option("--tags", "tags_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV of user tags (name or id, tag, reason) for the defense buyer rules.")
@store_option
@format_option
def ingest_list(files: tuple[Path, ...], kind: str | None, quarantine_path: Path | None, classify: bool,
                tags_path: Path | None, store_location: str | None, fmt: str) -> None:
    """Load sanctions/export-control lists and teardown tables from FILES.

    Kinds: sdn (OFAC legacy CSV; add*.csv/alt*.csv beside it or given too), csl (trade.gov
    Consolidated Screening List), entity-list (Federal Register rule XML), ftm (OpenSanctions
    JSON lines or targets.simple.csv), gur (component teardown tables; give any of them).
    """
    from ingest.classify import classify_defense_buyers, load_tags
    from ingest.lists import ListKindError, load_lists

    paths = [f / "components.csv" if f.is_dir() else f for f in files]
    store = open_cli_store(store_location, must_exist=False)
    target = quarantine_path or Path(store.location) / "quarantine.jsonl"
    try:
        with Quarantine(target) as quarantine:
            try:
                stream = progress(load_lists(paths, kind), desc="lists", unit="records")
                result = store.write(quarantine.filter(stream))
            except ListKindError as exc:
                raise CliError(str(exc)) from exc
        row = {"files": len(files), "records": quarantine.records, "quarantined": quarantine.rejected,
               "nodes_added": result.nodes_added, "edges_added": result.edges_added,
               "evidence_added": result.evidence_added}
        if quarantine.reasons:
            row["quarantine_reasons"] = ", ".join(f"{k} {v}" for k, v in sorted(quarantine.reasons.items()))
        if classify:
            tags = load_tags(tags_path) if tags_path else []
            report = classify_defense_buyers(store, tags)
            row["defense_buyers"] = report.buyers
    finally:
        store.close()
    emit([row], fmt)


@click.command("resolve")
@click.option("--threshold", type=click.FloatRange(0.0, 1.0), default=None, help="Merge at or above [0.92].")
@click.option("--review-band", type=click.FloatRange(0.0, 1.0), default=None,
              help="Keep pairs at or above this (below the threshold) for review [0.82].")
@click.option("--judgements", "judgements_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="CSV or TOML file of confirmed/rejected pairs (see docs/lists.md).")
@click.option("--show", type=click.Choice(["review", "match", "all", "none"]), default="review", show_default=True,
              help="Which decisions to list after the counts.")
@click.option("--dry-run", is_flag=True, help="Decide but write nothing.")
@store_option
@format_option
def resolve_command(threshold: float | None, review_band: float | None, judgements_path: Path | None, show: str,
                    dry_run: bool, store_location: str | None, fmt: str) -> None:
    """Resolve companies and persons across sources; print counts and decisions.

    Every decision is stored as a SAME_AS edge; review pairs can be copied into a
    judgements file (left,right,decision,decided_at,by,note) to confirm or reject them.
    """
    from ingest.judgements import JudgementError, load_judgements
    from ingest.resolve import DEFAULT_REVIEW_BAND, DEFAULT_THRESHOLD, resolve

    threshold = DEFAULT_THRESHOLD if threshold is None else threshold
    review_band = DEFAULT_REVIEW_BAND if review_band is None else review_band
    if review_band > threshold:
        raise CliError(f"--review-band ({review_band}) must not exceed --threshold ({threshold})")
    store = open_cli_store(store_location)
    try:
        judgements = load_judgements(judgements_path) if judgements_path else []
        report = resolve(store, threshold, review_band, judgements=judgements, write=not dry_run)
        names = dict(zip(store.node_frame()["id"], store.node_frame()["name"], strict=True))
    except JudgementError as exc:
        raise CliError(str(exc)) from exc
    finally:
        store.close()
    counts = {"profiles": report.profiles, **report.counts(), "unchanged": report.unchanged,
              "judgements": report.judgements}
    click.echo(" ".join(f"{k}={v}" for k, v in counts.items()), err=fmt != "table")
    if show == "none":
        return
    rows = [{"decision": d.decision, "score": round(d.score, 3), "method": d.method, "left": d.left,
             "left_name": names.get(d.left, ""), "right": d.right, "right_name": names.get(d.right, ""),
             "evidence": d.evidence} for d in report.decisions if show == "all" or d.decision == show]
    rows.sort(key=lambda r: (-float(r["score"]), str(r["left"])))  # type: ignore[arg-type]
    emit(rows, fmt, DECISION_COLUMNS)


@click.command("screen")
@click.argument("names", nargs=-1, required=True)
@click.option("--country", default=None, help="Country of the party (name or ISO code); other countries score lower.")
@click.option("--identifier", "identifiers", multiple=True, help="Identifier such as inn:7704274402 (repeatable).")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.82, show_default=True)
@store_option
@format_option
def screen_command(names: tuple[str, ...], country: str | None, identifiers: tuple[str, ...], limit: int,
                   min_score: float, store_location: str | None, fmt: str) -> None:
    """Screen NAMES against every listed party in the store: ranked matches, lists, since when, why."""
    from ingest.normalize import NormalizationError, normalize_country
    from ingest.screen import ScreenIndex

    try:
        code = normalize_country(country) if country else None
    except NormalizationError as exc:
        raise CliError(str(exc)) from exc
    store = open_cli_store(store_location)
    try:
        index = ScreenIndex.from_store(store)
    finally:
        store.close()
    if not len(index):
        raise CliError("no listed parties in the store: run 'transship ingest list FILE' first")
    rows = []
    for name in names:
        hits = index.screen(name, country=code, identifiers=identifiers, limit=limit, min_score=min_score)
        rows.extend(h.row() for h in hits)
    columns = (("query",) if len(names) > 1 else ()) + SCREEN_COLUMNS
    emit(rows, fmt, columns)


def register(group: click.Group) -> None:
    """Attach ``ingest list`` to the ingest group, and ``resolve`` and ``screen`` to the main group."""
    from commands.ingest import ingest

    ingest.add_command(ingest_list)
    group.add_command(resolve_command)
    group.add_command(screen_command)
