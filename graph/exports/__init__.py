"""Exports of a subgraph, with its evidence, in the formats investigators' tools read.

``EXPORT_FORMATS`` maps a format name to its writer ``export_<fmt>(store, sub, fh)``,
file extension, media type and whether it writes text or bytes; the CLI and the
app use it. :func:`write_export` writes a file (atomically) or, for
``neo4j-import`` without ``.zip``, a directory; :func:`export_bytes` returns the
file content for a download button.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from graph.exports.cypher import export_cypher
from graph.exports.ftm import export_ftm
from graph.exports.jsongraph import export_cytoscape, export_node_link
from graph.exports.neo4j_import import export_neo4j_import, write_neo4j_import_dir
from graph.exports.report import export_html, export_markdown
from graph.exports.xmlgraph import export_gexf, export_graphml
from graph.stores import GraphStore
from graph.subgraph import Subgraph

Writer = Callable[[GraphStore, Subgraph, IO[Any]], None]


class ExportError(ValueError):
    """The export cannot be written (unknown format, unwritable path); the message says why."""


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A format: its writer, file extension, media type, text or binary, and the tools that open it."""

    name: str
    writer: Writer
    extension: str
    media_type: str
    binary: bool
    opens_in: str


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("graphml", export_graphml, ".graphml", "application/graphml+xml", False,
                     "yEd, Gephi, Cytoscape, networkx"),
        ExportFormat("gexf", export_gexf, ".gexf", "application/gexf+xml", False, "Gephi, networkx"),
        ExportFormat("json", export_node_link, ".json", "application/json", False,
                     "networkx node_link_graph, D3, web tools"),
        ExportFormat("cytoscape", export_cytoscape, ".cyjs", "application/json", False,
                     "Cytoscape.js, Cytoscape desktop (File > Import > Network)"),
        ExportFormat("neo4j-import", export_neo4j_import, ".zip", "application/zip", True,
                     "neo4j-admin database import full"),
        ExportFormat("cypher", export_cypher, ".cypher", "application/x-cypher-query", False,
                     "cypher-shell, Neo4j Browser, any Neo4j 4.4+"),
        ExportFormat("ftm", export_ftm, ".ftm.json", "application/x-ndjson", False,
                     "Aleph/OpenAleph (alephclient write-entities), ftm tools"),
        ExportFormat("html", export_html, ".html", "text/html", False, "any web browser, offline; printable"),
        ExportFormat("markdown", export_markdown, ".md", "text/markdown", False, "any Markdown viewer"),
    )
}


def export_format(name: str) -> ExportFormat:
    """The format called ``name``; raises ExportError naming the known ones."""
    try:
        return EXPORT_FORMATS[name]
    except KeyError:
        raise ExportError(f"unknown export format {name!r}; known: {', '.join(EXPORT_FORMATS)}") from None


def export_bytes(store: GraphStore, sub: Subgraph, name: str) -> bytes:
    """The export as bytes (UTF-8 for text formats), e.g. for a download button."""
    fmt = export_format(name)
    if fmt.binary:
        raw = io.BytesIO()
        fmt.writer(store, sub, raw)
        return raw.getvalue()
    text = io.StringIO()
    fmt.writer(store, sub, text)
    return text.getvalue().encode("utf-8")


def _check_writable_dir(directory: Path) -> None:
    if not directory.exists():
        raise ExportError(f"cannot write to {directory}: the directory does not exist")
    if not directory.is_dir() or not os.access(directory, os.W_OK):
        raise ExportError(f"cannot write to {directory}: not a writable directory")


def write_export(store: GraphStore, sub: Subgraph, name: str, path: str | os.PathLike[str]) -> Path:
    """Write the export to ``path`` and return it.

    Files are written to a temporary name and renamed into place, so a failed
    export never leaves a half-written file. ``neo4j-import`` writes a zip when
    ``path`` ends in ``.zip`` and a directory of CSV files otherwise.

    Raises:
        ExportError: unknown format or unwritable path.
    """
    fmt = export_format(name)
    target = Path(path)
    if fmt.name == "neo4j-import" and target.suffix.lower() != ".zip":
        _check_writable_dir(target.parent if not target.exists() else target)
        if target.exists() and not target.is_dir():
            raise ExportError(f"cannot write the import bundle to {target}: it is a file (use a .zip name)")
        write_neo4j_import_dir(store, sub, target)
        return target
    if target.is_dir():
        raise ExportError(f"cannot write to {target}: it is a directory")
    _check_writable_dir(target.parent)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        if fmt.binary:
            with os.fdopen(handle, "wb") as fh:
                fmt.writer(store, sub, fh)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as fh:
                fmt.writer(store, sub, fh)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; os.umask() is process-wide, so not read here
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


__all__ = [
    "EXPORT_FORMATS", "ExportError", "ExportFormat", "export_bytes", "export_cypher", "export_cytoscape",
    "export_format", "export_ftm", "export_gexf", "export_graphml", "export_html", "export_markdown",
    "export_neo4j_import", "export_node_link", "write_export",
]
