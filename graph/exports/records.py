"""Nodes and edges as attribute maps, the one shape every writer starts from.

``node_record``/``edge_record`` keep native values (lists stay lists, evidence is a
list of objects) for JSON formats. ``flat_attributes`` turns a record into scalars
for formats with typed scalar attributes (GraphML, GEXF): lists are joined with
``"; "`` and evidence becomes ``evidence_count``, ``evidence_sources`` and a
lossless ``evidence_json``. ``property_map`` keeps homogeneous lists for Neo4j.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from graph.schema import Edge, Evidence, Node

NODE_BASE = ("type", "key", "name", "country", "label")
EDGE_BASE = (
    "type", "edge_key", "key", "date", "hs_code", "value_usd", "quantity", "origin_country", "confidence", "label",
)
EVIDENCE_FIELDS = ("source", "locator", "extractor", "confidence", "observed", "excerpt")
LIST_JOIN = "; "

Scalar = str | int | float | bool

# C0/C1 controls other than tab, newline and carriage return are not allowed in XML 1.0 (not even as
# references) and are stripped by FtM; writers that cannot carry them show them as Unicode control pictures.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def visible_controls(text: str) -> str:
    """Replace characters XML 1.0 cannot carry with visible stand-ins (U+2400 control pictures, U+FFFD)."""
    return _INVALID_XML.sub(_picture, text) if _INVALID_XML.search(text) else text


def evidence_dicts(evidence: Iterable[Evidence]) -> list[dict[str, Any]]:
    """Evidence as plain dicts (every field, None kept)."""
    return [
        {"source": ev.source, "locator": ev.locator, "extractor": ev.extractor, "confidence": ev.confidence,
         "observed": ev.observed, "excerpt": ev.excerpt}
        for ev in evidence
    ]


def dump_json(value: Any) -> str:
    """Compact JSON text (UTF-8 kept, control characters escaped, keys in order)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


def _put_props(out: dict[str, Any], props: Mapping[str, Any], reserved: Iterable[str]) -> None:
    """Props next to the base fields; a prop whose name is taken is written as ``prop_<name>``."""
    taken = set(reserved) | {"id", "source", "target", "evidence"}
    for key, value in props.items():
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        name = f"prop_{key}" if key in taken else str(key)
        out[name] = value


def node_record(node_id: str, node: Node) -> dict[str, Any]:
    """A node's attributes with native values: base fields, props, ``evidence`` list."""
    out: dict[str, Any] = {"type": node.type.value, "key": node.key, "name": node.name, "label": node.name}
    if node.country:
        out["country"] = node.country
    _put_props(out, node.props, NODE_BASE)
    out["evidence"] = evidence_dicts(node.evidence)
    return out


def edge_record(edge_id: str, edge: Edge) -> dict[str, Any]:
    """An edge's attributes with native values: base fields, combined confidence, props, ``evidence``."""
    out: dict[str, Any] = {"type": edge.type.value, "label": edge.type.value}
    if edge.key:
        out["edge_key"] = edge.key  # "key" is the multigraph key (the edge id) in node-link JSON
    for name in ("date", "hs_code", "value_usd", "quantity", "origin_country"):
        value = getattr(edge, name)
        if value is not None:
            out[name] = value
    out["confidence"] = round(edge.confidence, 6)
    _put_props(out, edge.props, EDGE_BASE)
    out["evidence"] = evidence_dicts(edge.evidence)
    return out


def _evidence_summary(evidence: list[dict[str, Any]]) -> dict[str, Scalar]:
    sources = list(dict.fromkeys(ev["source"] for ev in evidence))
    return {"evidence_count": len(evidence), "evidence_sources": LIST_JOIN.join(sources),
            "evidence_json": dump_json(evidence)}


def _scalar(value: Any) -> Scalar:
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float, bool)) for v in value):
        return LIST_JOIN.join(str(v) for v in value)
    return dump_json(value)


def flat_attributes(record: Mapping[str, Any]) -> dict[str, Scalar]:
    """Scalar attributes of a record: lists joined, nested values as JSON, evidence summarised."""
    out: dict[str, Scalar] = {}
    for key, value in record.items():
        if key == "evidence":
            out.update(_evidence_summary(value))
        else:
            out[key] = _scalar(value)
    return out


def _homogeneous(values: list[Any]) -> bool:
    kinds = {bool if isinstance(v, bool) else int if isinstance(v, int) else type(v) for v in values}
    return len(kinds) == 1 and kinds <= {str, int, float, bool}


def property_map(record: Mapping[str, Any]) -> dict[str, Any]:
    """Neo4j properties of a record: scalars, homogeneous lists, else JSON text; evidence as JSON + sources."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if key == "evidence":
            out["evidence_count"] = len(value)
            out["evidence_sources"] = list(dict.fromkeys(ev["source"] for ev in value))
            out["evidence_json"] = dump_json(value)
        elif isinstance(value, (bool, int, float, str)):
            out[key] = value
        elif isinstance(value, (list, tuple)) and value and _homogeneous(list(value)):
            out[key] = list(value)
        elif isinstance(value, (list, tuple)) and not value:
            continue
        else:
            out[key] = dump_json(value)
    return out


def value_kind(values: Iterable[Scalar]) -> str:
    """The narrowest of ``boolean``, ``long``, ``double``, ``string`` that holds every value."""
    kinds = set()
    for value in values:
        if isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, int):
            kinds.add("long")
        elif isinstance(value, float):
            kinds.add("double")
        else:
            return "string"
    if not kinds:
        return "string"
    if len(kinds) == 1:
        return kinds.pop()
    return "double" if kinds == {"long", "double"} else "string"


def attribute_kinds(rows: Iterable[Mapping[str, Scalar]]) -> dict[str, str]:
    """Kind of every attribute over many rows, attributes in first-seen order."""
    seen: dict[str, list[Scalar]] = {}
    for row in rows:
        for key, value in row.items():
            seen.setdefault(key, []).append(value)
    return {key: value_kind(values) for key, values in seen.items()}


def coerce(value: Scalar, kind: str) -> Scalar:
    """A value in the attribute's kind (ints widen to float; anything becomes text for ``string``)."""
    if kind == "double":
        return float(value)
    if kind != "string" or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)
