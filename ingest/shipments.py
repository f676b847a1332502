"""The canonical shipment layout and the records one shipment row becomes.

Every customs layout is mapped onto these fields; one row becomes a SHIPPED edge
from shipper to consignee, the two companies, their countries (LOCATED_IN) and the
good (HS-6 node; the brand's maker MANUFACTURES it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from graph.goods import chpl_entry, describe_hs, goods_category
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, node_id
from ingest.keys import company_key, fold_name, normalize_identifier
from ingest.normalize import (
    NormalizationError, clean_text, country_name, is_missing, is_valid_inn, normalize_country, normalize_date,
    normalize_hs, normalize_number, split_glued_identifiers,
)

# Fields of the canonical layout (also the header of canonical CSV files).
CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id",          # declaration line or bill-of-lading id; optional
    "date",               # YYYY-MM-DD, or YYYY-MM for monthly aggregates
    "shipper_name", "shipper_country", "shipper_id",        # id as scheme:value, e.g. inn:7722476458
    "consignee_name", "consignee_country", "consignee_id",
    "origin_country",     # country of origin of the goods
    "hs_code",            # 2-10 digits
    "description", "brand", "part_number",
    "quantity", "unit", "value_usd",
)
REQUIRED = ("date", "shipper_name", "consignee_name", "hs_code")
CUSTOMS_CONFIDENCE = 0.95


class ShipmentBuilder:
    """Turns canonical rows of one source document into records.

    Nodes get evidence once per document (the first row that names them), so a
    company seen in a million rows does not carry a million pieces of evidence;
    every edge gets its own row as evidence. A company is emitted again only when a
    row adds something new about it (another alias, address or identifier).

    Rows may carry, besides CANONICAL_COLUMNS: ``shipper_alias``/``consignee_alias`` (the
    other-script name), ``shipper_props``/``consignee_props``/``edge_props`` (extra facts)
    and ``inferred`` (``"field=value: reason"`` for fields the layout implied).
    """

    def __init__(self, source: str, extractor: str, confidence: float = CUSTOMS_CONFIDENCE,
                 required: tuple[str, ...] = REQUIRED) -> None:
        self.source = source
        self.extractor = extractor
        self.confidence = confidence
        self.required = required
        self._seen: set[str] = set()
        self._companies: dict[tuple[Any, ...], str] = {}
        self._goods: dict[str | None, Node | None] = {}
        self._made: set[tuple[str, str]] = set()
        self._good_props: dict[str, dict[str, Any]] = {}

    def _evidence(self, locator: str, observed: str | None, excerpt: str | None) -> tuple[Evidence, ...]:
        return (Evidence(self.source, locator, self.extractor, self.confidence, observed, excerpt),)

    def _once(self, record: Node | Edge, out: list[Record]) -> None:
        rid = record.id
        if rid not in self._seen:
            self._seen.add(rid)
            out.append(record)

    def records(self, row: Mapping[str, Any], locator: str, excerpt: str | None = None, *,
                normalized: bool = False) -> list[Record]:
        """Records for one canonical row.

        Args:
            normalized: the row's values are already normalised (a layout mapper's output), so
                dates, HS codes, countries, numbers and texts are taken as they are.

        Raises:
            NormalizationError: a required field is missing or a value is unreadable (quarantine reason).
        """
        get = row.get
        if normalized:
            missing = [f for f in self.required if get(f) is None]
        else:
            missing = [f for f in self.required if is_missing(get(f))]
        if missing:
            raise NormalizationError(f"missing required field(s): {', '.join(missing)}")
        if normalized:
            date, hs, origin, value, qty = get("date"), get("hs_code"), get("origin_country"), get("value_usd"), \
                get("quantity")
            brand, part, description, unit, record_id = get("brand"), get("part_number"), get("description"), \
                get("unit"), get("record_id")
        else:
            date = normalize_date(get("date"))
            hs = normalize_hs(get("hs_code"))
            origin = normalize_country(get("origin_country"))
            value = normalize_number(get("value_usd"))
            qty = normalize_number(get("quantity"))
            brand, part, description, unit, record_id = (clean_text(get(k)) for k in (
                "brand", "part_number", "description", "unit", "record_id"))
        evidence = (Evidence(self.source, locator, self.extractor, self.confidence, date, excerpt),)
        out: list[Record] = []
        inferred = get("inferred") or ()
        shipper = self._company(row, "shipper", inferred, evidence, out)
        consignee = self._company(row, "consignee", inferred, evidence, out)
        good = self._good(hs, evidence, out)
        props: dict[str, Any] = dict(get("edge_props") or ())
        if description is not None:
            props["description"] = description
        if brand is not None:
            props["brand"] = brand
        if part is not None:
            props["part_number"] = part
        if unit is not None:
            props["unit"] = unit
        if record_id is not None:
            props["record_id"] = record_id
        if good is not None:
            props.update(self._good_props[good.key])
        # A declaration number names many lines: the key adds what tells the lines apart.
        line = props.get("declaration_line")
        key = f"{record_id or date}|{line or ''}|{hs}|{value}|{qty}|{part or ''}"
        out.append(Edge(EdgeType.SHIPPED, shipper, consignee, key, date, hs, value, qty, origin, props, evidence))
        if brand and good is not None and (brand, good.key) not in self._made and fold_name(brand):
            self._made.add((brand, good.key))  # a brand of punctuation only stays a prop, not a maker
            maker = Node(NodeType.COMPANY, company_key(brand), brand, None, {"roles": ["manufacturer"]}, evidence)
            self._once(maker, out)
            self._once(Edge(EdgeType.MANUFACTURES, maker.id, good.id, evidence=evidence), out)
        return out

    def _company(self, row: Mapping[str, Any], role: str, inferred: Sequence[str], evidence: tuple[Evidence, ...],
                 out: list[Record]) -> str:
        raw_name = row.get(f"{role}_name")
        raw_country = row.get(f"{role}_country")
        raw_id = row.get(f"{role}_id")
        alias = row.get(f"{role}_alias")
        extra = row.get(f"{role}_props") or {}
        cache_key = (raw_name, raw_country, raw_id, alias, tuple(sorted(extra.items())) if extra else ())
        cid = self._companies.get(cache_key)
        if cid is not None:
            return cid
        cid = self._new_company(role, raw_name, raw_country, raw_id, alias, extra, inferred, evidence, out)
        self._companies[cache_key] = cid
        return cid

    def _new_company(self, role: str, raw_name: Any, raw_country: Any, raw_id: Any, raw_alias: Any,
                     extra: Mapping[str, Any], inferred: Sequence[str], evidence: tuple[Evidence, ...],
                     out: list[Record]) -> str:
        name = clean_text(raw_name)
        if name is None:
            raise NormalizationError(f"missing required field(s): {role}_name")
        country = normalize_country(raw_country)
        identifiers: list[str] = []
        identifier = clean_text(raw_id)
        if identifier:
            identifiers.append(normalize_identifier(identifier) or identifier)
        name, inn, kpp = split_glued_identifiers(name)
        if inn:
            identifiers.append(f"inn:{inn}")
        if kpp:
            identifiers.append(f"kpp:{kpp}")
        alias = clean_text(raw_alias)
        if alias:
            alias = split_glued_identifiers(alias)[0]
        key_id = next((i for i in identifiers if normalize_identifier(i)), None)
        try:
            key = company_key(name, country, key_id)
        except ValueError as exc:
            raise NormalizationError(f"{role} name: {exc}") from exc
        props: dict[str, Any] = {}
        if identifiers:
            props["identifiers"] = list(dict.fromkeys(identifiers))
            unverified = [i for i in identifiers if i.startswith("inn:") and not is_valid_inn(i[4:])]
            if unverified:
                props["unverified_identifiers"] = unverified  # check digits do not match: a typo or a fake
        if alias and alias != name:
            props["aliases"] = [name, alias]
        for k, v in extra.items():
            props[k] = v if isinstance(v, list) else [v]
        company = Node(NodeType.COMPANY, key, name, country, props, evidence)
        cid = company.id
        out.append(company)  # again when a row tells something new about a known company: props accumulate
        if cid not in self._seen:
            self._seen.add(cid)
            if country:
                self._country(country, evidence, out)
                why = [i.split(": ", 1)[1] for i in inferred if i.startswith(f"{role}_country=")]
                out.append(Edge(EdgeType.LOCATED_IN, cid, node_id(NodeType.COUNTRY, country),
                                props={"inferred": why[0]} if why else {}, evidence=evidence))
        return cid

    def _country(self, code: str, evidence: tuple[Evidence, ...], out: list[Record]) -> None:
        self._once(Node(NodeType.COUNTRY, code, country_name(code), code, {}, evidence), out)

    def _good(self, hs: str | None, evidence: tuple[Evidence, ...], out: list[Record]) -> Node | None:
        if hs is None or len(hs) < 6:
            return None
        hs6 = hs[:6]
        if hs6 in self._goods:
            return self._goods[hs6]
        entry = chpl_entry(hs6)
        props = {k: v for k, v in (
            ("hs6", hs6), ("hs4", hs6[:4]), ("category", goods_category(hs6)),
            ("chpl_tier", entry.tier if entry else None), ("description", describe_hs(hs6)),
        ) if v is not None}
        good = Node(NodeType.GOOD, f"hs6:{hs6}", f"HS {hs6[:4]}.{hs6[4:]}", None, props, evidence)
        self._once(good, out)
        self._goods[hs6] = good
        self._good_props[good.key] = {k: props[k] for k in ("chpl_tier", "category") if k in props}
        return good
