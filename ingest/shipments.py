"""The canonical shipment layout and the records one shipment row becomes.

Every customs layout is mapped onto these fields; one row becomes a SHIPPED edge
from shipper to consignee, the two companies, their countries (LOCATED_IN) and the
good (HS-6 node; the brand's maker MANUFACTURES it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any, TypeVar

from graph.goods import chpl_entry, describe_hs, goods_category
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, node_id
from ingest.keys import company_key, normalize_identifier
from ingest.normalize import (
    NormalizationError, clean_text, country_name, normalize_country, normalize_date, normalize_hs,
    normalize_number,
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
_MEMO_SIZE = 1 << 16


def _memo(normalize: Callable[[object], T]) -> Callable[[object], T]:
    """``normalize`` with a bounded cache: dates, codes and names repeat across millions of rows.

    Errors are not cached (they carry the quarantine reason); unhashable values skip the cache.
    """
    cached = lru_cache(maxsize=_MEMO_SIZE, typed=True)(normalize)

    def call(value: object) -> T:
        try:
            hash(value)
        except TypeError:
            return normalize(value)
        return cached(value)

    return call


_text, _date, _hs, _country, _number = (
    _memo(clean_text), _memo(normalize_date), _memo(normalize_hs), _memo(normalize_country), _memo(normalize_number))
CUSTOMS_CONFIDENCE = 0.95
T = TypeVar("T")


class ShipmentBuilder:
    """Turns canonical rows of one source document into records.

    Nodes get evidence once per document (the first row that names them), so a
    company seen in a million rows does not carry a million pieces of evidence;
    every edge gets its own row as evidence.
    """

    def __init__(self, source: str, extractor: str, confidence: float = CUSTOMS_CONFIDENCE) -> None:
        self.source = source
        self.extractor = extractor
        self.confidence = confidence
        self._seen: set[str] = set()
        # Per-document caches: a company or good named in many rows is normalised once.
        self._company_ids: dict[tuple[Any, Any, Any], str] = {}
        self._goods: dict[str, Node] = {}
        self._brands: set[tuple[str, str]] = set()

    def _evidence(self, locator: str, observed: str | None, excerpt: str | None) -> tuple[Evidence, ...]:
        return (Evidence(self.source, locator, self.extractor, self.confidence, observed, excerpt),)

    def _once(self, record: Node | Edge, out: list[Record]) -> None:
        rid = record.id
        if rid not in self._seen:
            self._seen.add(rid)
            out.append(record)

    def records(self, row: Mapping[str, Any], locator: str, excerpt: str | None = None) -> list[Record]:
        """Records for one canonical row.

        Raises:
            NormalizationError: a required field is missing or a value is unreadable (quarantine reason).
        """
        missing = [f for f in REQUIRED if _text(row.get(f)) is None]
        if missing:
            raise NormalizationError(f"missing required field(s): {', '.join(missing)}")
        date = _date(row.get("date"))
        hs = _hs(row.get("hs_code"))
        origin = _country(row.get("origin_country"))
        value = normalize_number(row.get("value_usd"))
        qty = _number(row.get("quantity"))
        evidence = self._evidence(locator, date, excerpt)
        out: list[Record] = []
        shipper = self._company(row, "shipper", evidence, out)
        consignee = self._company(row, "consignee", evidence, out)
        good = self._good(hs, evidence, out)
        brand = _text(row.get("brand"))
        part = _text(row.get("part_number"))
        props = {k: v for k, v in (
            ("description", _text(row.get("description"))), ("brand", brand), ("part_number", part),
            ("unit", _text(row.get("unit"))), ("record_id", clean_text(row.get("record_id"))),
        ) if v is not None}
        if good is not None:
            props["chpl_tier"] = good.props.get("chpl_tier")
            props["category"] = good.props.get("category")
            props = {k: v for k, v in props.items() if v is not None}
        record_id = props.get("record_id")
        key = record_id or f"{date}|{hs}|{value}|{qty}|{part or ''}"
        out.append(Edge(EdgeType.SHIPPED, shipper, consignee, key=key, date=date, hs_code=hs, value_usd=value,
                        quantity=qty, origin_country=origin, props=props, evidence=evidence))
        if brand and good is not None and (brand, good.key) not in self._brands:
            self._brands.add((brand, good.key))
            maker = Node(NodeType.COMPANY, company_key(brand), brand, None, {"roles": ["manufacturer"]}, evidence)
            self._once(maker, out)
            self._once(Edge(EdgeType.MANUFACTURES, maker.id, good.id, evidence=evidence), out)
        return out

    def _company(self, row: Mapping[str, Any], role: str, evidence: tuple[Evidence, ...], out: list[Record]) -> str:
        raw = (row.get(f"{role}_name"), row.get(f"{role}_country"), row.get(f"{role}_id"))
        known = self._company_ids.get(raw)
        if known is not None:
            return known
        name = clean_text(row.get(f"{role}_name"))
        assert name is not None  # checked as required
        country = normalize_country(row.get(f"{role}_country"))
        identifier = clean_text(row.get(f"{role}_id"))
        try:
            key = company_key(name, country, identifier)
        except ValueError as exc:
            raise NormalizationError(f"{role} name: {exc}") from exc
        props: dict[str, Any] = {}
        if identifier:
            props["identifiers"] = [normalize_identifier(identifier) or identifier]
        company = Node(NodeType.COMPANY, key, name, country, props, evidence)
        cid = company.id
        if cid not in self._seen:
            self._seen.add(cid)
            out.append(company)
            if country:
                self._country(country, evidence, out)
                out.append(Edge(EdgeType.LOCATED_IN, cid, node_id(NodeType.COUNTRY, country), evidence=evidence))
        self._company_ids[raw] = cid
        return cid

    def _country(self, code: str, evidence: tuple[Evidence, ...], out: list[Record]) -> None:
        self._once(Node(NodeType.COUNTRY, code, country_name(code), code, {}, evidence), out)

    def _good(self, hs: str | None, evidence: tuple[Evidence, ...], out: list[Record]) -> Node | None:
        if hs is None or len(hs) < 6:
            return None
        hs6 = hs[:6]
        known = self._goods.get(hs6)
        if known is not None:
            return known
        entry = chpl_entry(hs6)
        props = {k: v for k, v in (
            ("hs6", hs6), ("hs4", hs6[:4]), ("category", goods_category(hs6)),
            ("chpl_tier", entry.tier if entry else None), ("description", describe_hs(hs6)),
        ) if v is not None}
        good = Node(NodeType.GOOD, f"hs6:{hs6}", f"HS {hs6[:4]}.{hs6[4:]}", None, props, evidence)
        self._once(good, out)
        self._goods[hs6] = good
        return good
