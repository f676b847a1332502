"""``transship export``: the subgraph behind a trace, an entity's neighbourhood or the whole store, to a file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from commands.common import CliError, open_cli_store, store_option
from graph.exports import EXPORT_FORMATS, ExportError, write_export
from graph.stores import GraphStore
from graph.subgraph import SelectionError, Subgraph, around, everything, find_nodes, from_trace

F = TypeVar("F", bound=Callable[..., Any])

# Trace selectors: (option declaration, TraceQuery field, click keyword arguments).
TRACE_OPTIONS: tuple[tuple[tuple[str, ...], str, dict[str, Any]], ...] = (
    (("--origin",), "origins", {"multiple": True, "metavar": "NAME|ID|CC",
                                "help": "Origin company or country (repeatable) [default: US makers]."}),
    (("--destination",), "destinations", {"multiple": True, "metavar": "NAME|ID|CC",
                                          "help": "Destination (repeatable) [default: Russian defense buyers]."}),
    (("--via",), "via_countries", {"multiple": True, "metavar": "CC", "help": "Pass through a country (repeatable)."}),
    (("--goods",), "goods", {"multiple": True, "metavar": "HS|tier|category|part",
                             "help": "Goods filter (repeatable)."}),
    (("--max-hops",), "max_hops", {"type": click.IntRange(1, 12), "help": "Longest path in hops."}),
    (("--since",), "since", {"metavar": "DATE", "help": "First hop on or after this date."}),
    (("--until",), "until", {"metavar": "DATE", "help": "Last hop on or before this date."}),
    (("--min-value",), "min_value", {"type": click.FloatRange(0), "help": "Minimum USD value per hop."}),
    (("--dwell-days",), "dwell_days", {"type": click.IntRange(0), "help": "Longest wait between hops (0: off)."}),
    (("--continuity",), "continuity", {"metavar": "MODE", "help": "Goods continuity between hops."}),
    (("--include-text/--records-only",), "include_text", {"default": None,
                                                          "help": "Use claims from text too."}),
    (("--min-confidence",), "min_confidence", {"type": click.FloatRange(0, 1), "help": "Confidence floor."}),
    (("--limit",), "limit", {"type": click.IntRange(1), "help": "Most paths to export."}),
)


def _param_name(declaration: str) -> str:
    return declaration.split("/")[0].lstrip("-").replace("-", "_")


def trace_options(func: F) -> F:
    """Add the trace selectors (they map one-to-one to TraceQuery fields)."""
    for declaration, _field, kwargs in reversed(TRACE_OPTIONS):
        func = click.option(*declaration, **kwargs)(func)
    return func


def trace_query_fields(values: dict[str, Any]) -> dict[str, Any]:
    """TraceQuery keyword arguments for the selectors the user gave."""
    fields: dict[str, Any] = {}
    for declaration, field_name, _kwargs in TRACE_OPTIONS:
        value = values.get(_param_name(declaration[0]))
        if value is None or value == ():
            continue
        fields[field_name] = tuple(value) if isinstance(value, tuple) else value
    return fields


def trace_selection(store: GraphStore, fields: dict[str, Any]) -> Subgraph:
    """Run the trace engine and take the subgraph of its paths."""
    try:
        from graph.trace import TraceQuery, trace
    except ImportError as exc:
        raise CliError(f"trace selection needs the trace engine (graph.trace): {exc}; "
                       "use --entity NAME or --all") from exc
    result = trace(store, TraceQuery(**fields))
    return from_trace(result, title="transship trace")


def entity_selection(store: GraphStore, name: str, depth: int) -> Subgraph:
    """The neighbourhood of one entity named by id or name."""
    ids = find_nodes(store, name)
    if not ids:
        raise CliError(f"no entity named {name!r} in the store")
    if len(ids) > 1:
        sample = ", ".join(ids[:5])
        raise CliError(f"{len(ids)} entities are named {name!r} ({sample}...); pass one id instead")
    return around(store, ids[0], depth)


@click.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(list(EXPORT_FORMATS)),
              help="Output format (see docs/exports.md).")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=True, writable=False),
              help="File to write (neo4j-import: a directory, or a .zip).")
@click.option("--entity", metavar="NAME|ID", help="Export this entity's neighbourhood instead of a trace.")
@click.option("--depth", type=click.IntRange(0, 6), default=1, show_default=True,
              help="Neighbourhood depth for --entity.")
@click.option("--all", "everything_", is_flag=True, help="Export the whole store.")
@trace_options
@store_option
def export(fmt: str, output: str, entity: str | None, depth: int, everything_: bool,
           store_location: str | None, **selectors: Any) -> None:
    """Write the subgraph behind an answer, with every node's and edge's evidence, to a file.

    Select a trace with the same options as `transship trace`, an entity's
    neighbourhood with --entity NAME --depth K, or everything with --all.
    """
    fields = trace_query_fields(selectors)
    if entity and everything_:
        raise click.UsageError("use either --entity or --all, not both")
    if (entity or everything_) and fields:
        raise click.UsageError("trace options (--origin, --via, ...) do not apply with --entity or --all")
    store = open_cli_store(store_location)
    try:
        if everything_:
            sub = everything(store)
        elif entity:
            sub = entity_selection(store, entity, depth)
        else:
            sub = trace_selection(store, fields)
        if not sub.node_ids and not sub.edge_ids:
            raise CliError("the selection is empty: nothing to export")
        try:
            path = write_export(store, sub, fmt, output)
        except (ExportError, SelectionError, OSError) as exc:
            raise CliError(str(exc)) from exc
        click.echo(f"wrote {fmt} export of {len(sub.node_ids)} node(s) and {len(sub.edge_ids)} edge(s) "
                   f"({len(sub.paths)} path(s)) to {path}", err=True)
    finally:
        store.close()


def register(group: click.Group) -> None:
    group.add_command(export)
