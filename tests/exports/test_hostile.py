"""One hostile company name through every format: read back, it is exact or escaped as the format requires.

Exact: node-link JSON, Cytoscape JSON, Cypher (literal decodes to the value).
Visible control pictures for the C0 controls XML 1.0 and CSV readers cannot carry:
GraphML, GEXF, neo4j-import, HTML, Markdown (each also keeps the exact text in
its evidence JSON where it has one). FtM: control pictures, cut to the name type's length.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from graph.exports import EXPORT_FORMATS, export_bytes
from graph.exports.ftm import ftm_id
from graph.exports.records import visible_controls
from graph.exports.report import md
from graph.subgraph import everything


def _graphml(raw: bytes, node: str) -> list[str]:
    return [nx.read_graphml(io.BytesIO(raw), edge_key_type=str, force_multigraph=True).nodes[node]["name"]]


def _gexf(raw: bytes, node: str) -> list[str]:
    return [nx.read_gexf(io.BytesIO(raw), node_type=str).nodes[node]["name"]]


def _node_link(raw: bytes, node: str) -> list[str]:
    return [nx.node_link_graph(json.loads(raw), edges="edges").nodes[node]["name"]]


def _cytoscape(raw: bytes, node: str) -> list[str]:
    return [n["data"]["name"] for n in json.loads(raw)["elements"]["nodes"] if n["data"]["id"] == node]


def _neo4j_import(raw: bytes, node: str) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("nodes_Company.csv").decode("utf-8"), newline="")))
    return [r["name:string"] for r in rows if r["id:ID"] == node]


def _cypher(raw: bytes, node: str) -> list[str]:
    # Cypher's string escapes are a subset of Python's, so Python can decode the literals.
    literals = re.findall(r"'(?:[^'\\]|\\.)*'", raw.decode("utf-8"))
    values = [ast.literal_eval(lit) for lit in literals]
    return [values[i + 4] for i, v in enumerate(values[:-4]) if v == node and values[i + 1] == node]


def _ftm(raw: bytes, node: str) -> list[str]:
    entities = [json.loads(line) for line in raw.decode("utf-8").splitlines()]
    return [e["properties"]["name"][0] for e in entities if e["id"] == ftm_id(node)]


def _html(raw: bytes, node: str) -> list[str]:
    match = re.search(rf'<section class="node" id="n-{re.escape(node.replace(":", "-"))}"><h3>(.*?)</h3>',
                      raw.decode("utf-8"), re.DOTALL)
    return [html.unescape(match.group(1))] if match else []


def _markdown(raw: bytes, node: str) -> list[str]:
    text = raw.decode("utf-8")
    return [line[4:] for line in text.splitlines() if line.startswith("### ") and f"`{node}`" in text]


def _cut(limit: int) -> Callable[[str], str]:
    return lambda value: visible_controls(value)[:limit]


READERS: dict[str, tuple[Callable[[bytes, str], list[str]], Callable[[str], str]]] = {
    "graphml": (_graphml, visible_controls),
    "gexf": (_gexf, visible_controls),
    "json": (_node_link, lambda v: v),
    "cytoscape": (_cytoscape, lambda v: v),
    "neo4j-import": (_neo4j_import, visible_controls),
    "cypher": (_cypher, lambda v: v),
    "ftm": (_ftm, _cut(300)),
    "html": (_html, visible_controls),
    "markdown": (_markdown, md),
}


def test_every_format_has_a_hostile_check() -> None:
    assert set(READERS) == set(EXPORT_FORMATS)


@pytest.mark.parametrize("fmt", list(READERS))
def test_hostile_name_survives(world: Any, hostile: str, fmt: str) -> None:
    raw = export_bytes(world.store, everything(world.store), fmt)
    reader, expect = READERS[fmt]
    found = reader(raw, world.ids["tr"])
    assert found, f"{fmt}: the hostile company is missing"
    if fmt == "ftm":  # FtM cleans names (whitespace collapsed) and cuts them at 384 characters
        assert found[0].startswith(expect(hostile)[:60]) and "🚀" in found[0] and "\u2400" in found[0]
    elif fmt == "markdown":
        assert md(hostile) in found
    else:
        assert found[0] == expect(hostile)
