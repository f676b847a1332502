"""Options, output formats and progress shared by every command."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import click
from tqdm import tqdm

from graph.stores import GraphStore, open_store

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("table", "json", "csv")


class CliError(Exception):
    """A user-facing error: printed as one line, exit code 1."""


def store_option(func: F) -> F:
    """``--store`` (else $TRANSSHIP_STORE, else ./transship-data)."""
    return click.option(
        "--store", "store_location", envvar="TRANSSHIP_STORE", default=None, metavar="PATH|URI",
        help="Store directory or bolt:// URI [env TRANSSHIP_STORE; default ./transship-data].",
    )(func)


def format_option(func: F) -> F:
    """``--format table|json|csv`` for commands that print data."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(func)


def open_cli_store(location: str | None, *, must_exist: bool = True) -> GraphStore:
    """Open the store for a command; reading commands require that it exists."""
    return open_store(location, create=not must_exist)


def progress(items: Iterable[Any], *, desc: str, total: int | None = None, unit: str = "rows") -> Iterator[Any]:
    """A progress bar on stderr (hidden when stderr is not a terminal)."""
    yield from tqdm(items, desc=desc, total=total, unit=unit, unit_scale=True, file=sys.stderr,
                    disable=not sys.stderr.isatty(), dynamic_ncols=True)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def emit(rows: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str] | None = None,
         out: Any = None) -> None:
    """Print rows as an aligned table, a JSON array or CSV."""
    out = out or sys.stdout
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        json.dump([dict(r) for r in rows], out, ensure_ascii=False, indent=2, default=str)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in columns})
    else:
        cells = [[_cell(r.get(c)) for c in columns] for r in rows]
        widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(columns)]
        out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
        for row in cells:
            out.write("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() + "\n")
