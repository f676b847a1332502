"""FollowTheMoney JSON lines for Aleph/OpenAleph, built and validated with the ``followthemoney`` model.

Mapping: Company -> Company, Person -> Person, Good/Weapon -> Asset, Document ->
Document; SHIPPED/SUPPLIES -> EconomicActivity (the FtM schema of customs
declarations: sender, receiver, vedCode, originCountry, date), OWNED_BY ->
Ownership, LISTED_ON -> Sanction, MENTIONS -> Documentation, MANUFACTURES/
FOUND_IN/SAME_AS -> UnknownLink with a role; LOCATED_IN becomes ``country``.
Every entity carries its evidence: ``proof`` links to one Document per evidence
source, and the evidence lines (source, locator, extractor, confidence, date,
excerpt) go into ``notes`` (things) or ``summary`` (intervals). Values longer
than FtM allows are cut with a visible marker; control characters are shown as
control pictures because FtM strips them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
import functools
from typing import IO, TYPE_CHECKING, Any

import orjson

from graph.exports.records import visible_controls
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, make_id
from graph.stores import GraphStore
from graph.subgraph import Materialized, Subgraph, materialize

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

NODE_SCHEMA = {
    NodeType.COMPANY: "Company", NodeType.PERSON: "Person", NodeType.GOOD: "Asset", NodeType.WEAPON: "Asset",
    NodeType.DOCUMENT: "Document",
}
IDENTIFIER_PROPS = {
    "inn": "innCode", "ogrn": "ogrnCode", "kpp": "kppCode", "uscc": "uscCode", "lei": "leiCode",
    "duns": "dunsCode", "imo": "imoNumber", "vkn": "taxNumber",
}
LINK_ROLES = {EdgeType.MANUFACTURES: "manufactures", EdgeType.FOUND_IN: "found in",
              EdgeType.SAME_AS: "same as (entity resolution)"}


@functools.lru_cache(maxsize=1)
def ftm_model() -> Any:
    """The followthemoney model (imported on first use: the library takes a while to load)."""
    from followthemoney import model

    return model


def ftm_id(transship_id: str) -> str:
    """An FtM-valid entity id for a transship id (``company:ab12`` -> ``ts-company-ab12``)."""
    return "ts-" + transship_id.replace(":", "-")


def _fit(prop: Any, value: str) -> str:
    """The value with control characters visible, cut with a marker when longer than the type allows."""
    text = visible_controls(value)
    limit = prop.type.max_length
    if limit and len(text) > limit:
        marker = f" … [cut from {len(text)} characters]"
        text = text[: max(limit - len(marker), 0)] + marker
    return text


@functools.lru_cache(maxsize=131072)
def _cleaned(type_name: str, format: str | None, text: str) -> str | None:
    """FtM's own sanitising and cleaning of one value, cached: sources, dates and ids repeat a lot."""
    from followthemoney.types import registry
    from followthemoney.util import sanitize_text

    sane = sanitize_text(text)
    return None if sane is None else registry.get(type_name).clean_text(sane, format=format)


def _add(entity: EntityProxy, name: str, values: Any) -> None:
    prop = entity.schema.get(name)
    if prop is None or values is None or prop.stub:
        return
    for value in values if isinstance(values, (list, tuple)) else [values]:
        if value is None or value == "":
            continue
        clean = _cleaned(prop.type.name, prop.format, _fit(prop, str(value)))
        if clean is not None:
            entity.unsafe_add(prop, clean, cleaned=True)


def evidence_line(ev: Evidence) -> str:
    """One readable line of evidence."""
    parts = [ev.source, ev.locator, ev.extractor, f"confidence {ev.confidence:g}"]
    if ev.observed:
        parts.append(f"observed {ev.observed}")
    if ev.excerpt:
        parts.append(f"excerpt: {ev.excerpt}")
    return " | ".join(parts)


def _source_document_id(source: str) -> str:
    return ftm_id(make_id("source", source))


def _add_evidence(entity: EntityProxy, evidence: Iterable[Evidence], text_prop: str) -> set[str]:
    sources = set()
    for ev in evidence:
        sources.add(ev.source)
        _add(entity, text_prop, evidence_line(ev))
        _add(entity, "proof", _source_document_id(ev.source))
        url = ev.source[ev.source.find("http"):] if "http" in ev.source else None
        if url and url.startswith(("http://", "https://")):
            _add(entity, "sourceUrl", url)
    return sources


def _identifier_prop(schema: Any, scheme: str) -> str:
    name = IDENTIFIER_PROPS.get(scheme, "registrationNumber")
    return name if schema.get(name) is not None else "registrationNumber"


def _node_entity(nid: str, node: Node, countries: list[str]) -> EntityProxy:
    entity = ftm_model().make_entity(NODE_SCHEMA[node.type])
    entity.id = ftm_id(nid)
    props = node.props
    if node.type is NodeType.DOCUMENT:
        _add(entity, "title", node.name)
        _add(entity, "fileName", node.name or node.key)
        _add(entity, "sourceUrl", node.key if node.key.startswith(("http://", "https://")) else None)
    else:
        _add(entity, "name", node.name)
    _add(entity, "country", [node.country, *countries])
    _add(entity, "alias", props.get("aliases"))
    _add(entity, "address", props.get("address"))
    _add(entity, "incorporationDate", props.get("registered"))
    for identifier in props.get("identifiers") or []:
        scheme, _, value = str(identifier).partition(":")
        name = _identifier_prop(entity.schema, scheme.lower())
        before = len(entity.get(name))
        _add(entity, name, value or identifier)
        if len(entity.get(name)) == before:  # FtM checks INN/OGRN/LEI checksums; keep failures as plain numbers
            _add(entity, "registrationNumber", identifier)
    if node.type in (NodeType.GOOD, NodeType.WEAPON):
        _add(entity, "description", [props.get("description"), props.get("category"), node.key])
    roles = props.get("roles") or []
    _add(entity, "keywords", roles)
    _add(entity, "summary", props.get("role_reasons"))
    if "defense_buyer" in roles:
        _add(entity, "topics", "mil")
    return entity


def _flow_entity(eid: str, edge: Edge) -> EntityProxy:
    entity = ftm_model().make_entity("EconomicActivity")
    entity.id = ftm_id(eid)
    props = edge.props
    _add(entity, "sender", ftm_id(edge.source))
    _add(entity, "receiver", ftm_id(edge.target))
    _add(entity, "date", edge.date)
    _add(entity, "vedCode", edge.hs_code)
    _add(entity, "goodsDescription", [props.get("description"), props.get("brand"), props.get("part_number")])
    _add(entity, "originCountry", edge.origin_country)
    _add(entity, "recordId", props.get("record_id") or edge.key)
    if edge.value_usd is not None:
        _add(entity, "invoiceAmount", f"{edge.value_usd:.2f} USD")
    how = "customs record" if props.get("derivation", "record") == "record" else "claim from text"
    _add(entity, "description", f"{edge.type.value} ({how}); combined confidence {edge.confidence:.3f}")
    return entity


def _edge_entity(eid: str, edge: Edge, mat: Materialized) -> EntityProxy | None:
    """The FtM entity for an edge, or None for edges folded into nodes (LOCATED_IN)."""
    props = edge.props
    if edge.type in (EdgeType.SHIPPED, EdgeType.SUPPLIES):
        return _flow_entity(eid, edge)
    if edge.type is EdgeType.LOCATED_IN:
        return None
    if edge.type is EdgeType.OWNED_BY:
        entity = ftm_model().make_entity("Ownership")
        _add(entity, "asset", ftm_id(edge.source))
        _add(entity, "owner", ftm_id(edge.target))
        _add(entity, "percentage", props.get("percentage"))
        _add(entity, "role", props.get("role") or props.get("description"))
        _add(entity, "startDate", edge.date)
    elif edge.type is EdgeType.LISTED_ON:
        listing = mat.nodes[edge.target]
        entity = ftm_model().make_entity("Sanction")
        _add(entity, "entity", ftm_id(edge.source))
        _add(entity, "authority", props.get("list") or listing.name)
        _add(entity, "program", props.get("program") or listing.props.get("program"))
        _add(entity, "startDate", props.get("start_date") or edge.date)
        _add(entity, "endDate", props.get("end_date"))
        _add(entity, "reason", props.get("citation"))
    elif edge.type is EdgeType.MENTIONS:
        entity = ftm_model().make_entity("Documentation")
        _add(entity, "document", ftm_id(edge.source))
        _add(entity, "entity", ftm_id(edge.target))
        _add(entity, "role", "mentions")
    else:
        entity = ftm_model().make_entity("UnknownLink")
        _add(entity, "subject", ftm_id(edge.source))
        _add(entity, "object", ftm_id(edge.target))
        _add(entity, "role", LINK_ROLES.get(edge.type, edge.type.value.lower()))
        _add(entity, "date", edge.date)
    entity.id = ftm_id(eid)
    return entity


def ftm_entities(mat: Materialized) -> Iterator[EntityProxy]:
    """FtM entities of a subgraph: nodes, edges as interval entities, one Document per evidence source."""
    countries: dict[str, list[str]] = {}
    for edge in mat.edges.values():
        if edge.type is EdgeType.LOCATED_IN:
            countries.setdefault(edge.source, []).append(mat.nodes[edge.target].key)
    sources: set[str] = set()
    emitted: set[str] = set()
    for nid, node in mat.nodes.items():
        if node.type not in NODE_SCHEMA:
            continue
        entity = _node_entity(nid, node, countries.get(nid, []))
        sources |= _add_evidence(entity, node.evidence, "notes" if entity.schema.get("notes") else "summary")
        emitted.add(nid)
        yield entity
    for eid, edge in mat.edges.items():
        # Countries and listings are not entities here: they become ``country`` and Sanction fields.
        ends = (edge.source,) if edge.type is EdgeType.LISTED_ON else (edge.source, edge.target)
        if not all(end in emitted for end in ends):
            continue
        link = _edge_entity(eid, edge, mat)
        if link is None:
            continue
        sources |= _add_evidence(link, edge.evidence, "summary")
        yield link
    for source in sorted(sources):
        document = ftm_model().make_entity("Document")
        document.id = _source_document_id(source)
        _add(document, "fileName", source)
        _add(document, "title", source)
        yield document


def validate_entity(data: dict[str, Any]) -> None:
    """Raise ``followthemoney.exc.InvalidData`` when an entity dict breaks its schema."""
    schema = ftm_model().get(data["schema"])
    if schema is None:
        raise ValueError(f"unknown FtM schema {data['schema']!r}")
    schema.validate(data)
    for name in schema.required:
        if not data.get("properties", {}).get(name):
            raise ValueError(f"{data['schema']} {data.get('id')} lacks required property {name}")


def export_ftm(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write FtM entities as JSON lines, each validated against the model first."""
    for entity in ftm_entities(materialize(store, sub)):
        data = entity.to_dict()
        validate_entity(data)
        fh.write(orjson.dumps(data).decode("utf-8"))
        fh.write("\n")
