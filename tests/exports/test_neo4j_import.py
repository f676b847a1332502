"""The neo4j-admin import bundle: header syntax, one file per label and type, values, command line."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import zipfile
from typing import Any

from graph.exports import export_bytes, write_export
from graph.exports.neo4j_import import build_bundle, choose_array_delimiter
from graph.subgraph import everything, materialize

# The header grammar of `neo4j-admin database import` (Neo4j 5 operations manual, "CSV header format").
TYPES = ("int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time|localdatetime|"
         "datetime|duration")
PROPERTY = re.compile(rf"[A-Za-z_][A-Za-z0-9_]*(:({TYPES})(\[\])?)?")
NODE_ID = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)?:ID(\([A-Za-z0-9_]+\))?")
REL_ENDS = re.compile(r":(START_ID|END_ID)(\([A-Za-z0-9_]+\))?")


def _read(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def _check_node_header(header: list[str]) -> None:
    assert sum(bool(NODE_ID.fullmatch(h)) for h in header) == 1, header
    assert header.count(":LABEL") == 1
    for column in header:
        assert NODE_ID.fullmatch(column) or column == ":LABEL" or PROPERTY.fullmatch(column), column
    names = [h.split(":")[0] for h in header if h.split(":")[0]]
    assert len(names) == len(set(names)), f"duplicate property names in {header}"


def _check_relationship_header(header: list[str]) -> None:
    assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
    for column in header[3:]:
        assert PROPERTY.fullmatch(column) and not REL_ENDS.fullmatch(column), column


def test_every_header_follows_the_import_syntax(world: Any) -> None:
    mat = materialize(world.store, everything(world.store))
    bundle = build_bundle(mat)
    labels = {n.type.value for n in mat.nodes.values()}
    types = {e.type.value for e in mat.edges.values()}
    assert {f"nodes_{label}.csv" for label in labels} | {f"relationships_{t}.csv" for t in types} | {
        "import.sh", "README.md"} == set(bundle.files)
    node_total = rel_total = 0
    for name, text in bundle.files.items():
        if name.startswith("nodes_"):
            header, rows = _read(text)
            _check_node_header(header)
            assert {r[1] for r in rows} == {name[len("nodes_"):-len(".csv")]}
            assert all(len(r) == len(header) for r in rows)
            node_total += len(rows)
        elif name.startswith("relationships_"):
            header, rows = _read(text)
            _check_relationship_header(header)
            assert all(r[0] in mat.nodes and r[1] in mat.nodes and len(r) == len(header) for r in rows)
            rel_total += len(rows)
    assert (node_total, rel_total) == (len(mat.nodes), len(mat.edges))


def test_typed_columns_and_values(world: Any, hostile: str) -> None:
    bundle = build_bundle(materialize(world.store, everything(world.store)))
    header, rows = _read(bundle.files["relationships_SHIPPED.csv"])
    assert "value_usd:double" in header and "confidence:double" in header and "evidence_count:long" in header
    assert "date:string" in header  # one SHIPPED date is only a month, so the column cannot be :date
    owned_header, _ = _read(bundle.files["relationships_OWNED_BY.csv"])
    assert "date:date" in owned_header
    company_header, company_rows = _read(bundle.files["nodes_Company.csv"])
    assert "aliases:string[]" in company_header and "evidence_sources:string[]" in company_header
    delimiter = next(c for c in bundle.command if c.startswith("--array-delimiter=")).split("=", 1)[1]
    assert delimiter != ";"  # the hostile alias contains ';', so another delimiter was chosen
    by_id = {r[0]: dict(zip(company_header, r)) for r in company_rows}
    tr = by_id[world.ids["tr"]]
    assert tr["aliases:string[]"].split(delimiter)[0] == hostile.replace("\x00", "\u2400").replace(
        "\x01", "\u2401").replace("\x1b", "\u241b")
    evidence = json.loads(tr["evidence_json:string"])
    assert evidence[0]["source"] == "registry:fixture"
    shipped = [dict(zip(header, r)) for r in rows]
    hostile_hop = next(r for r in shipped if r["id:string"] == world.chain[1])
    assert json.loads(hostile_hop["evidence_json:string"])[0]["excerpt"] == hostile  # exact, via JSON escapes


def test_command_names_every_file(world: Any) -> None:
    bundle = build_bundle(materialize(world.store, everything(world.store)))
    command = bundle.command
    assert command[:4] == ["neo4j-admin", "database", "import", "full"] and command[-1] == "neo4j"
    csvs = {c.split("=", 1)[1] for c in command if c.startswith(("--nodes=", "--relationships="))}
    assert csvs == {n for n in bundle.files if n.endswith(".csv")}
    assert "--multiline-fields=true" in command
    script = bundle.files["import.sh"]
    assert shlex.split(script.split("\n", 5)[-1].replace("\\\n", " ")) == command
    assert "neo4j-admin database import full" in bundle.files["README.md"]


def test_zip_and_directory_outputs(world: Any, tmp_path: Any) -> None:
    raw = export_bytes(world.store, everything(world.store), "neo4j-import")
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        names = set(archive.namelist())
    target = write_export(world.store, everything(world.store), "neo4j-import", tmp_path / "bundle")
    assert {p.name for p in target.iterdir()} == names
    assert (target / "import.sh").stat().st_mode & 0o111
    zipped = write_export(world.store, everything(world.store), "neo4j-import", tmp_path / "bundle.zip")
    assert zipfile.is_zipfile(zipped)


def test_array_delimiter_avoids_the_data() -> None:
    assert choose_array_delimiter(["a", "b"]) == ";"
    assert choose_array_delimiter(["a;b", "c|d"]) == "\u00a6"
