"""A Cypher script that recreates the subgraph in any Neo4j (``cypher-shell -f export.cypher``).

A script cannot use driver parameters, so every value is a literal built here:
strings are single-quoted with every quote, backslash, control, format (bidi,
zero-width), line- and paragraph-separator character written as an escape;
names are back-quoted. Nodes and relationships are MERGEd on their transship id
in batches of ``UNWIND`` rows, so running the script twice changes nothing.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

from graph.exports.records import edge_record, node_record, property_map
from graph.stores import GraphStore
from graph.subgraph import Materialized, Subgraph, materialize

BATCH = 500
_SIMPLE = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}


@functools.lru_cache(maxsize=1)
def _needs_escape() -> re.Pattern[str]:
    """Characters written as escapes: quotes, backslash, and every control/format/separator character."""
    # Format and control characters live in planes 0, 1 and 14; private use fills planes 15-16 whole.
    scanned = [*range(0x20000), *range(0xE0000, 0xE1000)]
    codes = [c for c in scanned if chr(c) in _SIMPLE or unicodedata.category(chr(c)) in _ESCAPED_CATEGORIES]
    codes += range(0xF0000, sys.maxunicode + 1)
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    parts = "".join(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)
    return re.compile(f"[{parts}]")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    simple = _SIMPLE.get(char)
    if simple is not None:
        return simple
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def cypher_string(value: str) -> str:
    """A single-quoted Cypher string literal that decodes to exactly ``value``.

    >>> print(cypher_string("O'Brien \\\\ ООО\\n"))
    'O\\'Brien \\\\ ООО\\n'
    """
    return "'" + _needs_escape().sub(_escape_char, value) + "'"


def cypher_name(name: str) -> str:
    """A back-quoted Cypher name (label, type, property key); back-quotes doubled.

    >>> cypher_name("a`b")
    '`a``b`'
    """
    return "`" + name.replace("`", "``") + "`"


def cypher_value(value: Any) -> str:
    """A Cypher literal for a string, number, boolean, None, list or map."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"cannot write {value!r} as a Cypher literal")
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{cypher_name(str(k))}: {cypher_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    raise ValueError(f"cannot write {type(value).__name__} as a Cypher literal")


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def cypher_statements(mat: Materialized, *, constraints: bool = True, batch: int = BATCH) -> Iterator[str]:
    """The statements of the script, without the trailing semicolons."""
    labels = sorted({n.type.value for n in mat.nodes.values()})
    if constraints:
        for label in labels:
            yield (f"CREATE CONSTRAINT {cypher_name('transship_' + label.lower() + '_id')} IF NOT EXISTS "
                   f"FOR (n:{cypher_name(label)}) REQUIRE n.id IS UNIQUE")
    by_label: dict[str, list[str]] = {}
    for nid, node in mat.nodes.items():
        by_label.setdefault(node.type.value, []).append(nid)
    for label, ids in sorted(by_label.items()):
        for part in _batches(ids, batch):
            rows = [{"id": nid, "props": {"id": nid, **property_map(node_record(nid, mat.nodes[nid]))}}
                    for nid in part]
            yield (f"UNWIND {cypher_value(rows)} AS row\nMERGE (n:{cypher_name(label)} {{id: row.id}})\n"
                   "SET n += row.props")
    by_shape: dict[tuple[str, str, str], list[str]] = {}
    for eid, edge in mat.edges.items():
        shape = (mat.nodes[edge.source].type.value, edge.type.value, mat.nodes[edge.target].type.value)
        by_shape.setdefault(shape, []).append(eid)
    for (src_label, rel_type, dst_label), ids in sorted(by_shape.items()):
        for part in _batches(ids, batch):
            rows = [{"id": eid, "source": mat.edges[eid].source, "target": mat.edges[eid].target,
                     "props": {"id": eid, **property_map(edge_record(eid, mat.edges[eid]))}} for eid in part]
            yield (f"UNWIND {cypher_value(rows)} AS row\n"
                   f"MATCH (a:{cypher_name(src_label)} {{id: row.source}})\n"
                   f"MATCH (b:{cypher_name(dst_label)} {{id: row.target}})\n"
                   f"MERGE (a)-[r:{cypher_name(rel_type)} {{id: row.id}}]->(b)\n"
                   "SET r += row.props")


def write_cypher(mat: Materialized, fh: IO[str], *, constraints: bool = True, batch: int = BATCH) -> None:
    """Write the script for a materialized subgraph."""
    fh.write(f"// transship export: {len(mat.nodes)} nodes, {len(mat.edges)} relationships.\n"
             "// Run with: cypher-shell -f <this file>   (MERGE on ids: running it twice changes nothing)\n")
    for statement in cypher_statements(mat, constraints=constraints, batch=batch):
        fh.write(statement)
        fh.write(";\n")


def export_cypher(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write a Cypher script that MERGEs the subgraph's nodes and relationships."""
    write_cypher(materialize(store, sub), fh)


def split_statements(script: str) -> list[str]:
    """Statements of a script: split on ``;`` outside string literals, names and ``//`` comments."""
    statements, current = [], []
    i, n = 0, len(script)
    while i < n:
        char = script[i]
        if char in "'\"`":
            end = i + 1
            while end < n and script[end] != char:
                end += 2 if script[end] == "\\" and char != "`" else 1
            current.append(script[i:end + 1])
            i = end + 1
        elif script.startswith("//", i):
            end = script.find("\n", i)
            i = n if end < 0 else end + 1
        elif char == ";":
            statements.append("".join(current).strip())
            current = []
            i += 1
        else:
            current.append(char)
            i += 1
    tail = "".join(current).strip()
    if tail:
        statements.append(tail)
    return [s for s in statements if s]
