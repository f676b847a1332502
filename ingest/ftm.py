"""OpenSanctions data: FollowTheMoney JSON lines (entities, Sanction, Ownership) and targets.simple.csv."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record
from ingest.listing import ListingEvent, Party, party_records, split_list
from ingest.normalize import NormalizationError, normalize_country, normalize_date
from ingest.quarantine import Rejected

EXTRACTOR = "opensanctions-ftm/1"
PARTY_SCHEMAS = {"Company": False, "Organization": False, "LegalEntity": False, "PublicBody": False,
                 "Person": True, "Vessel": False, "Airplane": False}
ID_PROPS = {"innCode": "inn", "ogrnCode": "ogrn", "leiCode": "lei", "uscCode": "uscc", "imoNumber": "imo",
            "taxNumber": "reg", "registrationNumber": "reg", "vatCode": "reg"}


def _country(values: list[str]) -> str | None:
    for value in values:
        try:
            code = normalize_country(value)
        except NormalizationError:
            continue
        if code:
            return code
    return None


def _date(value: object) -> str | None:
    try:
        return normalize_date(str(value)[:10]) if value else None
    except NormalizationError:
        return None


def _identifiers(props: dict[str, list[str]], country: str | None) -> list[str]:
    out = []
    for prop, scheme in ID_PROPS.items():
        for value in props.get(prop, []):
            out.append(f"{scheme}:{value}" if scheme != "reg" else f"reg:{country or 'XX'}-{value}")
    return out


def _party(entity: dict[str, Any]) -> Party:
    props: dict[str, list[str]] = entity.get("properties", {}) or {}
    names = props.get("name", []) or [entity.get("caption", "")]
    country = _country(props.get("country", []) or props.get("jurisdiction", []) or props.get("nationality", []))
    extra: dict[str, object] = {"opensanctions_id": entity["id"], "datasets": entity.get("datasets", [])}
    if props.get("topics"):
        extra["tags"] = props["topics"]
    if entity.get("schema") in ("Vessel", "Airplane"):
        extra["entity_kind"] = entity["schema"].lower()
    if props.get("incorporationDate"):
        extra["registered"] = props["incorporationDate"][0]
    return Party(names[0], is_person=PARTY_SCHEMAS.get(entity.get("schema", ""), False), country=country,
                 aliases=[*names[1:], *props.get("alias", []), *props.get("previousName", [])],
                 identifiers=_identifiers(props, country), addresses=props.get("address", []),
                 source_id=f"os:{entity['id']}", props=extra)


def _sanction_event(props: dict[str, list[str]], entity: dict[str, Any]) -> ListingEvent:
    authority = " ".join(props.get("authority", [])).lower()
    datasets = " ".join(entity.get("datasets", [])).lower()
    list_key = "opensanctions"
    if "us_ofac_sdn" in datasets or "foreign assets control" in authority:
        list_key = "ofac-sdn"
    elif "us_bis_entity" in datasets or "entity list" in " ".join(props.get("program", [])).lower():
        list_key = "bis-entity-list"
    program = "; ".join(props.get("program", []) or props.get("programId", []))
    start = _date((props.get("startDate") or props.get("listingDate") or [None])[0])
    end = _date((props.get("endDate") or [None])[0])
    citation = "; ".join(props.get("sourceUrl", [])) or None
    return ListingEvent(list_key, program, start, end, citation)


def load_ftm(path: str | Path) -> Iterator[Record | Rejected]:
    """Records of OpenSanctions data: FtM JSON lines (.json/.jsonl/.ndjson) or targets.simple.csv."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        yield from load_targets_simple(path)
        return
    source = f"list:{path.name}"
    ids: dict[str, tuple[str, NodeType]] = {}
    pending: list[tuple[int, dict[str, Any]]] = []
    with open(path, "rb") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entity = orjson.loads(line)
                schema = entity["schema"]
                entity_id = entity["id"]
            except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
                yield Rejected(source, f"line {line_no}", f"malformed: not an FtM entity ({exc})",
                               line[:300].decode("utf-8", "replace"))
                continue
            if schema in PARTY_SCHEMAS:
                party = _party(entity)
                if not party.name:
                    yield Rejected(source, f"line {line_no}", "missing: entity without a name")
                    continue
                ev = Evidence(source, f"id {entity_id}", EXTRACTOR, observed=_date(entity.get("last_seen")),
                              excerpt=f"{schema} {party.name}"[:300])
                node = party.node(ev)
                ids[entity_id] = (node.id, node.type)
                yield from party_records(party, [], ev)
            elif schema in ("Sanction", "Ownership", "Directorship"):
                pending.append((line_no, entity))
    yield from _relations(pending, ids, source)


def _relations(pending: list[tuple[int, dict[str, Any]]], ids: dict[str, tuple[str, NodeType]],
               source: str) -> Iterator[Record | Rejected]:
    for line_no, entity in pending:
        props = entity.get("properties", {}) or {}
        ev = Evidence(source, f"id {entity['id']}", EXTRACTOR, observed=_date(entity.get("last_seen")),
                      excerpt=entity["schema"])
        if entity["schema"] == "Sanction":
            target = ids.get((props.get("entity") or [""])[0])
            if target is None:
                yield Rejected(source, f"line {line_no}", "unknown entity: Sanction refers to an entity not in the file")
                continue
            event = _sanction_event(props, entity)
            yield Node(NodeType.LISTING, event.list_key, event.list_key, props={"list": event.list_key}, evidence=(ev,))
            yield event.edge(target[0], ev)
            continue
        role = ("asset", "owner") if entity["schema"] == "Ownership" else ("organization", "director")
        child, parent = (ids.get((props.get(r) or [""])[0]) for r in role)
        if child is None or parent is None:
            yield Rejected(source, f"line {line_no}", f"unknown entity: {entity['schema']} refers to an entity not in "
                           "the file")
            continue
        if child[1] is NodeType.PERSON and parent[1] is NodeType.PERSON:
            continue
        yield Edge(EdgeType.OWNED_BY, child[0], parent[0], key=entity["schema"].lower(),
                   props={"relation": entity["schema"].lower(), "share": "; ".join(props.get("percentage", []))},
                   evidence=(ev,))


def load_targets_simple(path: str | Path) -> Iterator[Record | Rejected]:
    """Records of OpenSanctions ``targets.simple.csv`` (one row per target, sanctions as text)."""
    path = Path(path)
    source = f"list:{path.name}"
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            line = reader.line_num
            if not row.get("id") or not row.get("name"):
                yield Rejected(source, f"line {line}", "missing: id or name", str(row)[:300])
                continue
            entity = {"id": row["id"], "schema": row.get("schema", "LegalEntity"), "datasets": split_list(row.get(
                "dataset")), "properties": {"name": [row["name"]], "alias": split_list(row.get("aliases")),
                                            "country": split_list(row.get("countries")),
                                            "address": split_list(row.get("addresses"))}}
            party = _party(entity)
            party.identifiers.extend(split_list(row.get("identifiers")))
            ev = Evidence(source, f"line {line}", EXTRACTOR, observed=_date(row.get("last_seen")),
                          excerpt=f"{row['name']} | {row.get('sanctions', '')}"[:500])
            events = [ListingEvent("opensanctions", s[:200], _date(row.get("first_seen")), None, None)
                      for s in split_list(row.get("sanctions"))]
            yield from party_records(party, events, ev)
