"""CSV bundle for ``neo4j-admin database import full``: one file per label and per relationship type.

Headers follow the import tool's syntax: ``id:ID``, ``:LABEL``, ``:START_ID``,
``:END_ID``, ``:TYPE`` and typed properties (``value_usd:double``,
``date:date`` when every value is a full ISO date, ``aliases:string[]``). The
array delimiter is picked per bundle so that no list value contains it, and the
command line in ``README.md``/``import.sh`` passes it along with
``--multiline-fields=true`` (values may hold newlines).
"""

from __future__ import annotations

import csv
import io
import re
import shlex
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from graph.exports.records import (
    edge_record, node_record, property_map, value_kind, visible_controls,
)
from graph.exports.report import md
from graph.stores import GraphStore
from graph.subgraph import Materialized, Subgraph, materialize

ARRAY_DELIMITERS = (";", "|", "\u00a6", "\u2016", "\u2063")
_NAME = re.compile(r"[^A-Za-z0-9_]")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
KIND_TO_NEO4J = {"long": "long", "double": "double", "boolean": "boolean", "string": "string"}


def property_name(name: str) -> str:
    """A header-safe property name: letters, digits and underscores, not starting with a digit."""
    clean = _NAME.sub("_", name) or "_"
    return f"_{clean}" if clean[0].isdigit() else clean


def is_iso_day(value: Any) -> bool:
    """True for a valid ``YYYY-MM-DD`` string."""
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class Column:
    """One property column: its name in the rows and its typed header."""

    name: str
    header: str
    is_list: bool


def _column(name: str, values: list[Any]) -> Column:
    header_name = property_name(name)
    lists = [v for v in values if isinstance(v, list)]
    if lists:
        items = [item for v in values for item in (v if isinstance(v, list) else [v])]
        kind = value_kind(items)
        return Column(name, f"{header_name}:{KIND_TO_NEO4J[kind]}[]", True)
    if name == "date" and all(is_iso_day(v) for v in values):
        return Column(name, f"{header_name}:date", False)
    return Column(name, f"{header_name}:{KIND_TO_NEO4J[value_kind(values)]}", False)


def _columns(rows: Iterable[Mapping[str, Any]]) -> list[Column]:
    seen: dict[str, list[Any]] = {}
    for row in rows:
        for key, value in row.items():
            seen.setdefault(key, []).append(value)
    columns = [_column(name, values) for name, values in seen.items()]
    headers = [c.header.split(":")[0] for c in columns]
    duplicates = {h for h in headers if headers.count(h) > 1}
    if duplicates:  # two prop names that clean to the same header name
        columns = [Column(c.name, f"{c.header.split(':')[0]}_{i}:{c.header.split(':', 1)[1]}", c.is_list)
                   if c.header.split(":")[0] in duplicates else c for i, c in enumerate(columns)]
    return columns


def choose_array_delimiter(values: Iterable[str]) -> str:
    """The first candidate delimiter that occurs in no list item."""
    text = "".join(values)
    for candidate in ARRAY_DELIMITERS:
        if candidate not in text:
            return candidate
    raise ValueError("every candidate array delimiter occurs in the data")


def _cell(value: Any, column: Column, delimiter: str) -> str:
    if value is None:
        return ""
    if column.is_list:
        items = value if isinstance(value, list) else [value]
        return delimiter.join(_scalar_text(v) for v in items)
    return _scalar_text(value)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return visible_controls(str(value))  # NUL and friends break CSV readers; evidence_json keeps them escaped


@dataclass(slots=True)
class Bundle:
    """The files of an import bundle, in memory: name -> CSV text, plus the command line."""

    files: dict[str, str]
    command: list[str]


def _csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _list_items(props: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    for row in props:
        for value in row.values():
            if isinstance(value, list):
                yield from (_scalar_text(v) for v in value)


def build_bundle(mat: Materialized, database: str = "neo4j") -> Bundle:
    """CSV files per label and relationship type, and the ``neo4j-admin`` command that imports them."""
    node_props = {nid: property_map(node_record(nid, n)) for nid, n in mat.nodes.items()}
    edge_props = {eid: property_map(edge_record(eid, e)) for eid, e in mat.edges.items()}
    delimiter = choose_array_delimiter([*_list_items(node_props.values()), *_list_items(edge_props.values())])
    files: dict[str, str] = {}
    command = ["neo4j-admin", "database", "import", "full", "--overwrite-destination=true",
               "--multiline-fields=true", f"--array-delimiter={delimiter}", "--id-type=string"]
    by_label: dict[str, list[str]] = {}
    for nid, node in mat.nodes.items():
        by_label.setdefault(node.type.value, []).append(nid)
    for label, ids in sorted(by_label.items()):
        props = [{k: v for k, v in node_props[i].items() if k != "type"} for i in ids]
        columns = _columns(props)
        header = ["id:ID", ":LABEL", *(c.header for c in columns)]
        rows = ([nid, label, *(_cell(p.get(c.name), c, delimiter) for c in columns)] for nid, p in zip(ids, props))
        name = f"nodes_{property_name(label)}.csv"
        files[name] = _csv_text(header, rows)
        command.append(f"--nodes={name}")
    by_type: dict[str, list[str]] = {}
    for eid, edge in mat.edges.items():
        by_type.setdefault(edge.type.value, []).append(eid)
    for rel_type, ids in sorted(by_type.items()):
        props = [{"id": eid, **{k: v for k, v in edge_props[eid].items() if k != "type"}} for eid in ids]
        columns = _columns(props)
        header = [":START_ID", ":END_ID", ":TYPE", *(c.header for c in columns)]
        rows = ([mat.edges[eid].source, mat.edges[eid].target, rel_type,
                 *(_cell(p.get(c.name), c, delimiter) for c in columns)] for eid, p in zip(ids, props))
        name = f"relationships_{property_name(rel_type)}.csv"
        files[name] = _csv_text(header, rows)
        command.append(f"--relationships={name}")
    command.append(database)
    files["import.sh"] = _script(command)
    files["README.md"] = _readme(mat, command, delimiter)
    return Bundle(files, command)


def _script(command: list[str]) -> str:
    quoted = " \\\n  ".join(shlex.quote(part) for part in command)
    return ("#!/bin/sh\n# Import this bundle into an empty Neo4j database (stop the database first).\n"
            "# Run from this directory; NEO4J_HOME/bin must be on PATH.\nset -e\ncd \"$(dirname \"$0\")\"\n"
            f"{quoted}\n")


def _readme(mat: Materialized, command: list[str], delimiter: str) -> str:
    line = " ".join(shlex.quote(part) for part in command)
    return (
        f"# transship export for neo4j-admin\n\n{md(mat.title)}: {len(mat.nodes)} nodes, "
        f"{len(mat.edges)} relationships.\n\n"
        "Stop the target database (or use a new one), then run from this directory (or `sh import.sh`):\n\n"
        f"```sh\n{line}\n```\n\n"
        "Then `START DATABASE neo4j` (or restart the server) and create indexes, e.g.\n"
        "`CREATE CONSTRAINT FOR (n:Company) REQUIRE n.id IS UNIQUE`.\n\n"
        "Each node keeps its transship id in `id`; every node and relationship has `evidence_json` (the\n"
        "full evidence list as JSON), `evidence_sources` and `evidence_count`; relationships carry their\n"
        f"combined `confidence`. The array delimiter of list properties is `{delimiter}`.\n"
    )


def export_neo4j_import(store: GraphStore, sub: Subgraph, fh: IO[bytes]) -> None:
    """Write the bundle as a zip archive (CSV files, ``import.sh``, ``README.md``)."""
    bundle = build_bundle(materialize(store, sub))
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in bundle.files.items():
            archive.writestr(name, text.encode("utf-8"))


def write_neo4j_import_dir(store: GraphStore, sub: Subgraph, directory: str | Path) -> list[Path]:
    """Write the bundle into a directory (created if missing); returns the files written."""
    bundle = build_bundle(materialize(store, sub))
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in bundle.files.items():
        path = target / name
        path.write_text(text, encoding="utf-8", newline="")
        written.append(path)
    (target / "import.sh").chmod(0o755)
    return written
