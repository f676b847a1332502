"""Commands about the store itself: stats."""

from __future__ import annotations

import click

from commands.common import emit, format_option, open_cli_store, store_option


@click.command()
@store_option
@format_option
def stats(store_location: str | None, fmt: str) -> None:
    """Numbers of nodes, edges and evidence in the store, by type."""
    store = open_cli_store(store_location)
    try:
        rows = [{"what": k, "count": v} for k, v in store.counts().items()]
        emit(rows, fmt, ["what", "count"])
    finally:
        store.close()


def register(group: click.Group) -> None:
    group.add_command(stats)
