"""The Cypher model of the graph: labels, relationship types, schema statements, row shapes.

Labels and relationship types come from :class:`NodeType` and :class:`EdgeType` only, checked
against the enums and an identifier pattern before they are placed in Cypher text; every value
(ids, names, props, evidence) travels as a query parameter. See docs/cypher.md.
"""

from __future__ import annotations

import re
from typing import Any

from graph.schema import EdgeType, Evidence, NodeType, make_id

EVIDENCE_LABEL = "Evidence"
META_LABEL = "TransshipMeta"
META_ID = "schema"
_IDENTIFIER = re.compile(r"^[A-Z][A-Za-z_]*$")

# Props copied to native properties (besides the canonical JSON text in ``props``) so analysts
# can write ``WHERE 'defense_buyer' IN n.roles`` in Cypher. Only scalars and lists of scalars.
NODE_MIRRORED = ("roles", "identifiers", "aliases", "tags", "listed", "hs6", "category", "chpl_tier")
EDGE_MIRRORED = ("derivation", "category", "chpl_tier", "part_number", "brand")
_PREFIX_TO_TYPE = {t.value.lower(): t for t in NodeType}


def label(node_type: NodeType | str) -> str:
    """The Cypher label of a node type, backquoted; only enum members pass."""
    return _quoted(NodeType(node_type).value)


def rel_type(edge_type: EdgeType | str) -> str:
    """The Cypher relationship type of an edge type, backquoted; only enum members pass."""
    return _quoted(EdgeType(edge_type).value)


def _quoted(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a safe Cypher identifier: {name!r}")
    return f"`{name}`"


def all_rel_types() -> str:
    """``SHIPPED|SUPPLIES|...``: every relationship type of the model, for typed pattern matches."""
    return "|".join(rel_type(t) for t in EdgeType)


def type_of_node_id(node_id: str) -> NodeType | None:
    """The node type encoded in a node id (``company:...`` -> Company), None if it is not one of ours."""
    prefix, sep, _ = node_id.partition(":")
    return _PREFIX_TO_TYPE.get(prefix) if sep else None


def evidence_id(owner: str, evidence_key: tuple[str, str, str]) -> str:
    """Deterministic id of one piece of evidence on one owner (same key, same id)."""
    return make_id("evidence", owner, *evidence_key)


def schema_statements() -> list[str]:
    """Constraints and indexes, idempotent (``IF NOT EXISTS``), in the order they are created."""
    statements = [
        f"CREATE CONSTRAINT transship_{t.value.lower()}_id IF NOT EXISTS FOR (n:{label(t)}) REQUIRE n.id IS UNIQUE"
        for t in NodeType
    ]
    statements += [
        f"CREATE CONSTRAINT transship_evidence_id IF NOT EXISTS FOR (e:{EVIDENCE_LABEL}) REQUIRE e.id IS UNIQUE",
        f"CREATE INDEX transship_evidence_owner IF NOT EXISTS FOR (e:{EVIDENCE_LABEL}) ON (e.owner)",
        f"CREATE CONSTRAINT transship_meta_id IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.id IS UNIQUE",
    ]
    statements += [
        f"CREATE INDEX transship_{t.value.lower()}_rel_id IF NOT EXISTS FOR ()-[r:{rel_type(t)}]-() ON (r.id)"
        for t in EdgeType
    ]
    statements += [
        f"CREATE INDEX transship_{t.value.lower()}_name IF NOT EXISTS FOR (n:{label(t)}) ON (n.name)"
        for t in (NodeType.COMPANY, NodeType.PERSON)
    ]
    return statements


def _mirror(props: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in keys:
        value = props.get(key)
        if isinstance(value, (str, int, float, bool)):
            out[key] = value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out[key] = value
    return out


def node_properties(node_id: str, key: str, name: str, country: str | None, props_json: str,
                    props: dict[str, Any], seq: int) -> dict[str, Any]:
    """Properties of a new node (None values are left out)."""
    base = {"id": node_id, "key": key, "name": name, "country": country, "props": props_json, "seq": seq}
    return {k: v for k, v in (_mirror(props, NODE_MIRRORED) | base).items() if v is not None}


def node_update(country: str | None, props_json: str, props: dict[str, Any]) -> dict[str, Any]:
    """Properties that change when a known node gains props or a country."""
    return {k: v for k, v in (_mirror(props, NODE_MIRRORED) | {"country": country, "props": props_json}).items()
            if v is not None}


def edge_properties(row: dict[str, Any], props: dict[str, Any], seq: int, confidence: float,
                    n_evidence: int) -> dict[str, Any]:
    """Properties of a new relationship from an edge-table row (None values are left out)."""
    base = {k: row[k] for k in ("id", "key", "date", "hs_code", "value_usd", "quantity", "origin_country", "props")}
    base |= {"seq": seq, "confidence": confidence, "n_evidence": n_evidence}
    return {k: v for k, v in (_mirror(props, EDGE_MIRRORED) | base).items() if v is not None}


def evidence_properties(owner: str, ev: Evidence, seq: int) -> dict[str, Any]:
    """Properties of an Evidence node."""
    values = {"id": evidence_id(owner, ev.key), "owner": owner, "seq": seq, "source": ev.source,
              "locator": ev.locator, "extractor": ev.extractor, "confidence": float(ev.confidence),
              "observed": ev.observed, "excerpt": ev.excerpt}
    return {k: v for k, v in values.items() if v is not None}


EDGE_RETURN = ("r.id, a.id, b.id, r.key, r.date, r.hs_code, r.value_usd, r.quantity, r.origin_country, "
               "r.props, r.confidence, r.n_evidence, r.seq")
EDGE_RETURN_FIELDS = ("id", "source", "target", "key", "date", "hs_code", "value_usd", "quantity",
                      "origin_country", "props", "confidence", "n_evidence", "seq")
NODE_RETURN = "n.id, n.key, n.name, n.country, n.props, n.seq"
NODE_RETURN_FIELDS = ("id", "key", "name", "country", "props", "seq")
EVIDENCE_RETURN = "e.owner, e.source, e.locator, e.extractor, e.confidence, e.observed, e.excerpt, e.seq"
EVIDENCE_RETURN_FIELDS = ("owner", "source", "locator", "extractor", "confidence", "observed", "excerpt", "seq")

