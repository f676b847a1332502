"""Analysis commands: trace, hubs, entity, flows, chokepoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from commands.common import CliError, emit, format_option, open_cli_store, store_option
from graph.queries import chokepoints, find_entities, flows, hubs, neighbourhood
from graph.stores import GraphStore
from graph.trace import TracePath, TraceQuery, trace
from graph.tracewalk import CONTINUITY

MIN_NAME_SCORE = 85.0


def resolve_entity(store: GraphStore, text: str) -> str:
    """A node id for a name or id given on the command line (best fuzzy match, reported on stderr)."""
    if store.get_node(text) is not None:
        return text
    matches = find_entities(store, text, limit=5)
    if not matches or matches[0].score < MIN_NAME_SCORE:
        near = ", ".join(f"{m.name} ({m.score:.0f})" for m in matches[:3]) or "none"
        raise CliError(f"no entity matches {text!r} well enough; closest: {near}")
    best = matches[0]
    click.echo(f"transship: {text!r} -> {best.name} [{best.node_id}] (score {best.score:.0f})", err=True)
    return best.node_id


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def trace_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options that shape a trace, shared by trace, hubs and chokepoints."""
    options = [
        click.option("--origin", "origins", multiple=True, metavar="NAME|ID",
                     help="Start here instead of the US makers (repeatable)."),
        click.option("--to", "destinations", multiple=True, metavar="NAME|ID",
                     help="End here instead of the defense buyers (repeatable)."),
        click.option("--via", multiple=True, metavar="CC", help="An intermediary located in this country (ISO-2)."),
        click.option("--goods", multiple=True, metavar="SPEC",
                     help="HS prefix (8542), tier:1, cat:integrated_circuits or pn:XC7Z020 (repeatable, any)."),
        click.option("--max-hops", type=click.IntRange(1, 8), default=4, show_default=True),
        click.option("--since", metavar="DATE", help="Hops on or after (YYYY, YYYY-MM, YYYY-MM-DD)."),
        click.option("--until", metavar="DATE", help="Hops on or before."),
        click.option("--min-value", type=float, help="Smallest hop value in USD."),
        click.option("--dwell-days", type=click.IntRange(0), default=180, show_default=True,
                     help="Most days between consecutive hops."),
        click.option("--no-time-order", is_flag=True, help="Do not require hops in time order."),
        click.option("--continuity", type=click.Choice(CONTINUITY), default="hs6", show_default=True,
                     help="Goods kept from hop to hop: same HS-6 or part number, same category, or off."),
        click.option("--no-text", is_flag=True, help="Leave out SUPPLIES claims from text."),
        click.option("--min-confidence", type=click.FloatRange(0, 1), default=0.0, show_default=True),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def build_query(store: GraphStore, opts: dict[str, Any], limit: int = 100) -> TraceQuery:
    """A TraceQuery from the trace options (names resolved to node ids)."""
    return TraceQuery(
        origins=tuple(resolve_entity(store, o) for o in opts["origins"]),
        destinations=tuple(resolve_entity(store, d) for d in opts["destinations"]),
        via_countries=tuple(v.upper() for v in _split(opts["via"])), goods=_split(opts["goods"]),
        max_hops=opts["max_hops"], since=opts["since"], until=opts["until"], min_value=opts["min_value"],
        dwell_days=None if opts["no_time_order"] else opts["dwell_days"], continuity=opts["continuity"],
        include_text=not opts["no_text"], min_confidence=opts["min_confidence"], limit=limit,
    )


def path_row(rank: int, path: TracePath) -> dict[str, Any]:
    """One output row for a path."""
    goods = sorted({h.part_number or h.hs_code or "?" for h in path.hops})
    dates = [h.date for h in path.hops if h.date]
    return {
        "rank": rank, "score": round(path.score, 4), "hops": len(path.hops),
        "path": " > ".join([path.hops[0].source_name, *(h.target_name for h in path.hops)]),
        "goods": ", ".join(goods), "dates": f"{dates[0]}..{dates[-1]}" if dates else "",
        "value_usd": path.value_usd, "edge_ids": " ".join(path.edge_ids),
    }


def path_json(rank: int, path: TracePath) -> dict[str, Any]:
    """A path with every hop and its evidence, for --format json."""
    hops = []
    for hop, evidence in zip(path.hops, path.explanation or [()] * len(path.hops), strict=True):
        hops.append({**hop.__dict__, "evidence": [
            {"source": e.source, "locator": e.locator, "extractor": e.extractor, "confidence": e.confidence,
             "observed": e.observed, "excerpt": e.excerpt} for e in evidence]})
    return {"rank": rank, "score": path.score, "value_usd": path.value_usd, "nodes": list(path.node_ids),
            "hops": hops}


@click.command("trace")
@store_option
@trace_options
@click.option("--limit", type=click.IntRange(0), default=100, show_default=True, help="Paths shown.")
@format_option
def trace_command(store_location: str | None, limit: int, fmt: str, **opts: Any) -> None:
    """Chains from US makers to Russian defense buyers: hops, goods, dates, value, score, evidence."""
    store = open_cli_store(store_location)
    try:
        result = trace(store, build_query(store, opts, limit))
        if fmt == "json":
            emit([path_json(i, p) for i, p in enumerate(result.paths, start=1)], "json")
        else:
            columns = ["rank", "score", "hops", "path", "goods", "dates", "value_usd"]
            emit([path_row(i, p) for i, p in enumerate(result.paths, start=1)], fmt,
                 columns + (["edge_ids"] if fmt == "csv" else []))
        more = " (walk cut at its cap: a lower bound)" if result.stats.get("truncated") else ""
        click.echo(f"transship: {len(result.paths)} of {result.total_found} paths shown{more}", err=True)
    finally:
        store.close()


@click.command("hubs")
@store_option
@trace_options
@click.option("--top", type=click.IntRange(1), default=20, show_default=True)
@format_option
def hubs_command(store_location: str | None, top: int, fmt: str, **opts: Any) -> None:
    """Intermediaries ranked by traced pass-through value, with betweenness, age and listing status."""
    store = open_cli_store(store_location)
    try:
        frame = hubs(store, build_query(store, opts), top=top)
        columns = ["rank", "name", "country", "paths", "pass_through_value", "betweenness", "registered",
                   "listed", "reasons"]
        emit(frame.to_dict("records"), fmt, columns if fmt == "table" else list(frame.columns))
    finally:
        store.close()


@click.command("chokepoints")
@store_option
@trace_options
@click.option("--top", type=click.IntRange(1), default=10, show_default=True)
@click.option("--by", type=click.Choice(["paths", "value"]), default="paths", show_default=True)
@format_option
def chokepoints_command(store_location: str | None, top: int, by: str, fmt: str, **opts: Any) -> None:
    """What if these were listed: the entities whose removal cuts the most traced paths or value."""
    store = open_cli_store(store_location)
    try:
        frame = chokepoints(store, build_query(store, opts), top=top, by=by)
        columns = ["rank", "name", "country", "paths_cut", "value_cut", "cumulative_share", "reason"]
        emit(frame.to_dict("records"), fmt, columns if fmt == "table" else list(frame.columns))
    finally:
        store.close()


@click.command("entity")
@store_option
@click.argument("name")
@click.option("--depth", type=click.IntRange(1, 3), default=1, show_default=True)
@click.option("--max-edges", type=click.IntRange(1), default=500, show_default=True)
@format_option
def entity_command(store_location: str | None, name: str, depth: int, max_edges: int, fmt: str) -> None:
    """An entity's neighbourhood: its edges with dates, goods, value and evidence."""
    store = open_cli_store(store_location)
    try:
        hood = neighbourhood(store, resolve_entity(store, name), depth=depth, max_edges=max_edges)
        names = {n.id: n.name for n in hood.nodes}
        c = hood.center
        click.echo(f"{c.name} [{c.id}] {c.type.value} {c.country or ''} {dict(c.props)}", err=True)
        rows = [{
            "type": e.type.value, "source": names.get(e.source, e.source), "target": names.get(e.target, e.target),
            "date": e.date, "hs_code": e.hs_code, "value_usd": e.value_usd, "confidence": round(e.confidence, 4),
            "evidence": [f"{ev.source} {ev.locator}" for ev in e.evidence], "edge_id": e.id,
        } for e in hood.edges]
        emit(rows, fmt, ["type", "source", "target", "date", "hs_code", "value_usd", "confidence", "evidence"]
             + (["edge_id"] if fmt != "table" else []))
        if hood.truncated:
            click.echo(f"transship: stopped at {max_edges} edges (--max-edges)", err=True)
    finally:
        store.close()


@click.command("flows")
@store_option
@click.option("--goods", multiple=True, metavar="SPEC", help="HS prefix, tier:N, cat:NAME or pn:PART (repeatable).")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--period", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True)
@click.option("--include-text", is_flag=True, help="Count SUPPLIES claims from text too.")
@format_option
def flows_command(store_location: str | None, goods: tuple[str, ...], since: str | None, until: str | None,
                  period: str, include_text: bool, fmt: str) -> None:
    """Country-to-country value by goods category and period (the data of a Sankey picture)."""
    store = open_cli_store(store_location)
    try:
        frame = flows(store, goods=_split(goods), since=since, until=until, period=period,
                      include_text=include_text)
        emit(frame.to_dict("records"), fmt, list(frame.columns))
    finally:
        store.close()


def register(group: click.Group) -> None:
    for command in (trace_command, hubs_command, entity_command, flows_command, chokepoints_command):
        group.add_command(command)


__all__ = ["build_query", "register", "resolve_entity"]
