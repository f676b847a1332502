"""Core records of the transship graph: nodes, edges and the evidence behind them.

Every record is a frozen dataclass with a deterministic id, so loading the same
input twice yields the same ids and changes nothing. Evidence is a tuple on each
record; stores accumulate evidence from different sources on the same id and
never overwrite it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

SCHEMA_VERSION = 1

# Conventions for props shared by every source (values that accumulate are lists):
#   Company/Person: aliases [str], identifiers ["inn:7722476458", "ogrn:...", "uscc:..."],
#     roles ["manufacturer" | "distributor" | "defense_buyer" | ...],
#     role_reasons ["defense_buyer: <why> [<source>]"], registered "YYYY-MM-DD", address [str],
#     listed ["<list id>"] (see LISTED_ON edges for dates), tags [str]
#   Good: hs6, hs4, category, chpl_tier, description, part_numbers [str]
#   Edge SHIPPED/SUPPLIES: description, brand, part_number, unit, record_id, category, chpl_tier,
#     derivation "record" (customs) or "text" (claims from news; lower confidence)
#   Edge LISTED_ON: list, program, start_date, end_date (delisting), citation
# Company role "defense_buyer" marks a Russian defense buyer; "manufacturer" in a US company marks a US maker.


class NodeType(StrEnum):
    """Kinds of node. Values double as Neo4j labels."""

    COMPANY = "Company"
    PERSON = "Person"
    COUNTRY = "Country"
    GOOD = "Good"
    DOCUMENT = "Document"
    LISTING = "Listing"
    WEAPON = "Weapon"


class EdgeType(StrEnum):
    """Kinds of edge. Values are UPPER_SNAKE because they become Cypher types."""

    SHIPPED = "SHIPPED"            # customs record: goods moved from shipper to consignee
    SUPPLIES = "SUPPLIES"          # claim from text: X supplied goods to Y
    MANUFACTURES = "MANUFACTURES"  # company makes a good (HS code or part number)
    LOCATED_IN = "LOCATED_IN"      # company/person registered or based in a country
    LISTED_ON = "LISTED_ON"        # party appears on a sanctions/export-control list
    OWNED_BY = "OWNED_BY"          # ownership, control, front-company claims
    FOUND_IN = "FOUND_IN"          # good or maker found in a weapon (teardowns)
    MENTIONS = "MENTIONS"          # document mentions an entity
    SAME_AS = "SAME_AS"            # entity resolution decision


# Edges that move goods between companies; the trace walks these.
FLOW_EDGE_TYPES: frozenset[EdgeType] = frozenset({EdgeType.SHIPPED, EdgeType.SUPPLIES})

_C, _P, _CY, _G, _D, _L, _W = (
    NodeType.COMPANY, NodeType.PERSON, NodeType.COUNTRY, NodeType.GOOD,
    NodeType.DOCUMENT, NodeType.LISTING, NodeType.WEAPON,
)

# The one table of allowed (source type, edge type, target type).
EDGE_RULES: frozenset[tuple[NodeType, EdgeType, NodeType]] = frozenset(
    {
        (_C, EdgeType.SHIPPED, _C),
        (_C, EdgeType.SUPPLIES, _C),
        (_P, EdgeType.SUPPLIES, _C),
        (_C, EdgeType.MANUFACTURES, _G),
        (_C, EdgeType.MANUFACTURES, _W),
        (_C, EdgeType.LOCATED_IN, _CY),
        (_P, EdgeType.LOCATED_IN, _CY),
        (_C, EdgeType.LISTED_ON, _L),
        (_P, EdgeType.LISTED_ON, _L),
        (_C, EdgeType.OWNED_BY, _C),
        (_C, EdgeType.OWNED_BY, _P),
        (_P, EdgeType.OWNED_BY, _C),
        (_G, EdgeType.FOUND_IN, _W),
        (_C, EdgeType.FOUND_IN, _W),
        (_D, EdgeType.MENTIONS, _C),
        (_D, EdgeType.MENTIONS, _P),
        (_D, EdgeType.MENTIONS, _CY),
        (_D, EdgeType.MENTIONS, _G),
        (_D, EdgeType.MENTIONS, _W),
        (_C, EdgeType.SAME_AS, _C),
        (_P, EdgeType.SAME_AS, _P),
    }
)


class SchemaError(ValueError):
    """A record breaks the schema (unknown edge shape, bad confidence, ...)."""


ID_SEPARATOR = "\x1f"  # between the parts an id is made of
ID_BYTES = 10  # of an id's sha1, written as 20 hex digits
EDGE_ID_PREFIX = "edge:"


def make_id(kind: str, *parts: object) -> str:
    """Deterministic id: ``kind:`` plus 20 hex chars of sha1 over the parts.

    >>> make_id("company", "inn:7722476458") == make_id("company", "inn:7722476458")
    True
    >>> make_id("company", "a", "b") != make_id("company", "ab")
    True
    """
    text = parts[0] if len(parts) == 1 and type(parts[0]) is str else ID_SEPARATOR.join(map(str, parts))
    return f"{kind}:{hashlib.sha1(text.encode('utf-8')).hexdigest()[:2 * ID_BYTES]}"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact came from and how sure we are of it.

    Attributes:
        source: id of the source document or dataset, e.g. ``customs:demo.csv``.
        locator: where inside it: ``row 17``, ``chars 120-184``, ``ent_num 36123``.
        extractor: what produced the record and its version, ``customs-canonical/1``.
        confidence: in [0, 1].
        observed: ISO date (or ``YYYY-MM``) the fact refers to, if known.
        excerpt: short raw text (row or sentence) before cleaning.
    """

    source: str
    locator: str
    extractor: str
    confidence: float = 1.0
    observed: str | None = None
    excerpt: str | None = None

    def __post_init__(self) -> None:
        if not (0.0 <= self.confidence <= 1.0) or math.isnan(self.confidence):
            raise SchemaError(f"confidence must be in [0, 1], got {self.confidence!r}")
        if not self.source or not self.extractor:
            raise SchemaError("evidence needs a source and an extractor")

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of a piece of evidence: the same source, place and extractor."""
        return (self.source, self.locator, self.extractor)


@dataclass(frozen=True, slots=True)
class Node:
    """A company, person, country, good, document, listing or weapon.

    ``key`` is the natural key within the type (``inn:7722476458``,
    ``name:romashka|RU``, ``RU``, ``hs6:854231``); the id is derived from it.
    ``props`` hold further facts; list values accumulate across sources.
    """

    type: NodeType
    key: str
    name: str
    country: str | None = None
    props: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @property
    def id(self) -> str:
        return node_id(self.type, self.key)


@dataclass(frozen=True, slots=True)
class Edge:
    """A typed, directed fact between two nodes, with the goods, time and value it carries.

    ``key`` tells parallel edges of one type apart (e.g. a declaration line); the
    id is derived from type, endpoints and key, never from the source, so the same
    fact from two sources is one edge with two pieces of evidence.
    ``date`` is ISO ``YYYY-MM-DD`` or ``YYYY-MM`` when only the month is known.
    """

    type: EdgeType
    source: str
    target: str
    key: str = ""
    date: str | None = None
    hs_code: str | None = None
    value_usd: float | None = None
    quantity: float | None = None
    origin_country: str | None = None
    props: Mapping[str, Any] = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()

    @property
    def id(self) -> str:
        return edge_id(self.type, self.source, self.target, self.key)

    @property
    def confidence(self) -> float:
        """Combined confidence of all evidence (noisy-or)."""
        return combine_confidence(e.confidence for e in self.evidence)


Record = Node | Edge


_NODE_KINDS: dict[NodeType | str, str] = {}  # node type -> the kind its ids start with


def node_id(type: NodeType | str, key: str) -> str:
    """Id of the node of ``type`` with natural ``key``."""
    kind = _NODE_KINDS.get(type)
    if kind is None:
        kind = _NODE_KINDS[type] = NodeType(type).value.lower()
    return make_id(kind, key)


def edge_id(type: EdgeType | str, source: str, target: str, key: str = "") -> str:
    """Id of the edge of ``type`` between two node ids, told apart by ``key``."""
    return make_id("edge", EdgeType(type).value, source, target, key)


def edge_ids(type: EdgeType | str, sources: Iterable[str], targets: Iterable[str], keys: Iterable[str]) -> list[str]:
    """:func:`edge_id` of many edges of one type at once.

    >>> edge_ids("SHIPPED", ["a"], ["b"], ["k"]) == [edge_id(EdgeType.SHIPPED, "a", "b", "k")]
    True
    """
    head, sep, digits, sha1 = f"{EdgeType(type).value}{ID_SEPARATOR}", ID_SEPARATOR, 2 * ID_BYTES, hashlib.sha1
    return [EDGE_ID_PREFIX + sha1(f"{head}{s}{sep}{t}{sep}{k}".encode()).hexdigest()[:digits]
            for s, t, k in zip(sources, targets, keys, strict=True)]


def combine_confidence(values: Any) -> float:
    """Noisy-or of independent confidences: 1 - prod(1 - c)."""
    remaining = 1.0
    seen = False
    for c in values:
        seen = True
        remaining *= 1.0 - float(c)
    return 1.0 - remaining if seen else 0.0


def validate(record: Record, node_types: Mapping[str, NodeType] | None = None) -> None:
    """Check a record against the schema; with ``node_types``, check the edge shape too.

    Raises:
        SchemaError: the record is not allowed.
    """
    if isinstance(record, Node):
        if not record.key:
            raise SchemaError(f"{record.type} node without a key: {record.name!r}")
        return
    if record.source == record.target and record.type is not EdgeType.SAME_AS:
        if record.type not in FLOW_EDGE_TYPES:
            raise SchemaError(f"self-loop {record.type} on {record.source}")
    if record.value_usd is not None and (math.isnan(record.value_usd) or record.value_usd < 0):
        raise SchemaError(f"value_usd must be a non-negative number, got {record.value_usd!r}")
    if node_types is not None:
        src, dst = node_types.get(record.source), node_types.get(record.target)
        if src is None or dst is None:
            missing = record.source if src is None else record.target
            raise SchemaError(f"{record.type} edge refers to unknown node {missing}")
        if (src, record.type, dst) not in EDGE_RULES:
            raise SchemaError(f"edge not allowed: ({src}) -[{record.type}]-> ({dst})")
