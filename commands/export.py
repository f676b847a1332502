"""``transship export``: the subgraph behind a trace, an entity's neighbourhood or the whole store, to a file."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import click
from click.core import ParameterSource

from commands.analysis import build_query, trace_options
from commands.common import CliError, open_cli_store, store_option
from graph.exports import EXPORT_FORMATS, ExportError, write_export
from graph.stores import GraphStore
from graph.subgraph import SelectionError, Subgraph, around, everything, find_nodes, from_trace
from graph.trace import trace


def trace_selection(store: GraphStore, opts: dict[str, Any], limit: int) -> Subgraph:
    """Run the trace engine with the trace command's options and take the subgraph of its ranked paths."""
    query = replace(build_query(store, opts, limit), with_evidence=False)  # the exporter reads evidence itself
    try:
        result = trace(store, query)
    except ValueError as exc:
        raise CliError(f"trace: {exc}") from exc
    if not result.paths:
        raise CliError("the trace found no path: nothing to export (loosen --continuity, --dwell-days, --max-hops)")
    return from_trace(result, title=f"transship trace: {len(result.paths)} of {result.total_found} path(s)")


def given_trace_options(ctx: click.Context, opts: dict[str, Any]) -> list[str]:
    """Trace options the user set (not left at their defaults)."""
    return [name for name in opts if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)]


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
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True,
              help="Most ranked paths to export (trace selection).")
@store_option
@click.pass_context
def export(ctx: click.Context, fmt: str, output: str, entity: str | None, depth: int, everything_: bool,
           limit: int, store_location: str | None, **opts: Any) -> None:
    """Write the subgraph behind an answer, with every node's and edge's evidence, to a file.

    Select a trace with the same options as `transship trace`, an entity's
    neighbourhood with --entity NAME --depth K, or everything with --all.
    """
    if entity and everything_:
        raise click.UsageError("use either --entity or --all, not both")
    if (entity or everything_) and given_trace_options(ctx, {**opts, "limit": limit}):
        raise click.UsageError("trace options (--origin, --via, ...) do not apply with --entity or --all")
    store = open_cli_store(store_location)
    try:
        if everything_:
            sub = everything(store)
        elif entity:
            sub = entity_selection(store, entity, depth)
        else:
            sub = trace_selection(store, opts, limit)
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
