"""The canonical shipment layout and the records a chunk of shipment rows becomes.

Every customs layout is mapped onto these fields; one row becomes a SHIPPED edge
from shipper to consignee, the two companies, their countries (LOCATED_IN) and the
good (HS-6 node; the brand's maker MANUFACTURES it). Rows are built a chunk at a time:
the few nodes as records, the many edges as one :class:`~graph.batch.EdgeBatch`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from graph.batch import EdgeBatch
from graph.goods import chpl_entry, describe_hs, goods_category
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, make_id, node_id
from graph.stores.frames import SCHEMAS, dump_props
from ingest.keys import company_key, fold_name, normalize_identifier
from ingest.normalize import (
    NormalizationError, clean_text, country_name, is_valid_inn, normalize_country, normalize_date, normalize_hs,
    normalize_number, split_glued_identifiers,
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
ROLES = ("shipper", "consignee")
PROP_GROUPS = ("edge_props", "shipper_props", "consignee_props")
CUSTOMS_CONFIDENCE = 0.95
_NUMBERS = ("value_usd", "quantity")
_TEXTS = ("brand", "part_number", "description", "unit", "record_id")


@dataclass
class CanonicalColumns:
    """A chunk of rows in the canonical layout, column by column, with normalised values (None: missing).

    ``fields`` holds the canonical fields the layout fills (``CANONICAL_COLUMNS`` plus the companies'
    other-script names ``shipper_alias``/``consignee_alias``), ``props`` the extra facts per group
    (``edge_props``, ``shipper_props``, ``consignee_props``) and prop name, ``inferred`` per field the
    rule text (``"field=value: reason"``) and the rows where the layout implied the value, ``errors``
    the rows whose values could not be read, with the reason.
    """

    n: int
    fields: dict[str, list[Any]]
    props: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    inferred: dict[str, tuple[str, list[bool]]] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    def column(self, name: str) -> list[Any]:
        """The values of a canonical field (all None when the layout does not fill it)."""
        values = self.fields.get(name)
        return [None] * self.n if values is None else values

    def rows(self) -> list[dict[str, Any] | NormalizationError]:
        """The chunk as one dict per row, or the error of each bad row."""
        names = list(self.fields)
        out: list[dict[str, Any] | NormalizationError] = (
            [dict(zip(names, vals)) for vals in zip(*self.fields.values())] if names else [{} for _ in range(self.n)])
        for group, specs in self.props.items():
            for row, vals in zip(out, zip(*specs.values())):
                row[group] = {k: v for k, v in zip(specs, vals) if v is not None}  # type: ignore[index]
        for row_index, row in enumerate(out if self.inferred else ()):
            row["inferred"] = [why for why, flags in self.inferred.values() if flags[row_index]]  # type: ignore[index]
        for i, reason in self.errors.items():
            out[i] = NormalizationError(reason)
        return out

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CanonicalColumns:
        """One raw canonical row (values as a file gives them) as a normalised one-row chunk.

        Raises:
            NormalizationError: a value cannot be read.
        """
        fields: dict[str, list[Any]] = {}
        for name, value in row.items():
            if name in PROP_GROUPS or name == "inferred":
                continue
            if name == "date":
                value = normalize_date(value)
            elif name == "hs_code":
                value = normalize_hs(value)
            elif name == "origin_country":
                value = normalize_country(value)
            elif name in _NUMBERS:
                value = normalize_number(value)
            elif name in _TEXTS:
                value = clean_text(value)
            fields[name] = [value]
        props = {group: {k: [v] for k, v in row[group].items()} for group in PROP_GROUPS if row.get(group)}
        inferred = {why.split("=", 1)[0]: (why, [True]) for why in row.get("inferred") or ()}
        return cls(1, fields, props, inferred)


@dataclass
class BuiltChunk:
    """What a chunk of rows became: node (and few-edge) records, the shipments as one batch, the rejected rows."""

    records: list[Record]
    shipments: EdgeBatch | None
    rejected: dict[int, str]  # row in the chunk -> reason


@dataclass
class _Company:
    """A company as one row names it (name, country, identifier, other-script name)."""

    id: str
    key: str
    name: str
    country: str | None
    props: dict[str, Any]
    emitted: bool = False


class ShipmentBuilder:
    """Turns chunks of canonical rows of one source document into records.

    Nodes get evidence once per document (the first row that names them), so a
    company seen in a million rows does not carry a million pieces of evidence;
    every edge gets its own row as evidence. A company is emitted again only when a
    row adds something new about it (another name, or a value of one of its props).
    """

    def __init__(self, source: str, extractor: str, confidence: float = CUSTOMS_CONFIDENCE,
                 required: tuple[str, ...] = REQUIRED) -> None:
        self.source = source
        self.extractor = extractor
        self.confidence = confidence
        self.required = required
        self._seen: set[str] = set()
        self._companies: dict[tuple[Any, ...], _Company | NormalizationError] = {}
        self._facts: set[tuple[str, str, Any]] = set()  # (company id, prop, value) already emitted
        self._goods: dict[str, Node] = {}
        self._made: set[tuple[str, str]] = set()
        self._good_props: dict[str, dict[str, Any]] = {}

    def records(self, row: Mapping[str, Any], locator: str, excerpt: str | None = None) -> list[Record]:
        """Records for one raw canonical row (a convenience over :meth:`build`).

        Raises:
            NormalizationError: a required field is missing or a value is unreadable (quarantine reason).
        """
        built = self.build(CanonicalColumns.from_row(row), [locator], [excerpt])
        if built.rejected:
            raise NormalizationError(built.rejected[0])
        shipments = list(built.shipments.records()) if built.shipments is not None else []
        return [*built.records, *shipments]

    def build(self, chunk: CanonicalColumns, locators: Sequence[str], excerpts: Sequence[str | None]) -> BuiltChunk:
        """Records of a chunk of normalised canonical rows; rows that cannot be built are rejected with the reason."""
        rejected = dict(chunk.errors)
        self._reject_missing(chunk, rejected)
        col = chunk.column
        dates, hs_codes, usd, qtys = col("date"), col("hs_code"), col("value_usd"), col("quantity")
        record_ids, brands, parts = col("record_id"), col("brand"), col("part_number")
        texts = [(name, col(name)) for name in ("description", "brand", "part_number", "unit", "record_id")]
        edge_props = list(chunk.props.get("edge_props", {}).items())
        roles = [_RoleColumns(chunk, role) for role in ROLES]
        self._context = (locators, dates, excerpts)
        out: list[Record] = []
        kept: list[int] = []
        ids: list[str] = []
        sources: list[str] = []
        targets: list[str] = []
        keys: list[str] = []
        props_json: list[str] = []
        for i in range(chunk.n):
            if i in rejected:
                continue
            try:
                shipper, consignee = (self._identity(role, i) for role in roles)
            except NormalizationError as exc:
                rejected[i] = str(exc)
                continue
            for company, role in ((shipper, roles[0]), (consignee, roles[1])):
                self._emit_company(company, role, i, out)
            hs = hs_codes[i]
            good = self._good(hs, i, out)
            props = {name: v for name, column in edge_props if (v := column[i]) is not None}
            for name, column in texts:
                if (v := column[i]) is not None:
                    props[name] = v
            if good is not None:
                props.update(self._good_props[good.key])
            # A declaration number names many lines: the key adds what tells the lines apart.
            part = parts[i]
            key = f"{record_ids[i] or dates[i]}|{props.get('declaration_line') or ''}|{hs}|{usd[i]}|{qtys[i]}|" \
                  f"{part or ''}"
            kept.append(i)
            ids.append(make_id("edge", EdgeType.SHIPPED.value, shipper.id, consignee.id, key))
            sources.append(shipper.id)
            targets.append(consignee.id)
            keys.append(key)
            props_json.append(dump_props(props))
            brand = brands[i]
            if brand and good is not None and (brand, good.key) not in self._made and fold_name(brand):
                self._made.add((brand, good.key))  # a brand of punctuation only stays a prop, not a maker
                maker = Node(NodeType.COMPANY, company_key(brand), brand, None, {"roles": ["manufacturer"]},
                             self._evidence(i))
                self._once(maker, out)
                self._once(Edge(EdgeType.MANUFACTURES, maker.id, good.id, evidence=self._evidence(i)), out)
        batch = self._batch(kept, ids, sources, targets, keys, props_json, chunk) if kept else None
        return BuiltChunk(out, batch, rejected)

    def _reject_missing(self, chunk: CanonicalColumns, rejected: dict[int, str]) -> None:
        missing: dict[int, list[str]] = {}
        for name in self.required:
            values = chunk.fields.get(name)
            rows = range(chunk.n) if values is None else [i for i, v in enumerate(values) if v is None]
            for i in rows:
                missing.setdefault(i, []).append(name)
        for i, names in missing.items():
            rejected.setdefault(i, f"missing required field(s): {', '.join(names)}")

    def _batch(self, kept: list[int], ids: list[str], sources: list[str], targets: list[str], keys: list[str],
               props_json: list[str], chunk: CanonicalColumns) -> EdgeBatch:
        """The kept rows' SHIPPED edges and their evidence rows as Arrow tables."""
        m = len(kept)
        locators, dates, excerpts = self._context

        def take(values: Sequence[Any]) -> list[Any]:
            return [values[i] for i in kept]

        kept_dates = take(dates)
        edges = pa.Table.from_arrays([
            pa.array(ids, pa.string()), pa.array([EdgeType.SHIPPED.value] * m, pa.string()),
            pa.array(sources, pa.string()), pa.array(targets, pa.string()), pa.array(keys, pa.string()),
            pa.array(kept_dates, pa.string()), pa.array(take(chunk.column("hs_code")), pa.string()),
            pa.array(take(chunk.column("value_usd")), pa.float64()),
            pa.array(take(chunk.column("quantity")), pa.float64()),
            pa.array(take(chunk.column("origin_country")), pa.string()), pa.array(props_json, pa.string()),
        ], schema=SCHEMAS["edges"])
        evidence = pa.Table.from_arrays([
            edges.column("id"), pa.array([self.source] * m, pa.string()), pa.array(take(locators), pa.string()),
            pa.array([self.extractor] * m, pa.string()), pa.array([float(self.confidence)] * m, pa.float64()),
            edges.column("date"), pa.array(take(excerpts), pa.string()),
        ], schema=SCHEMAS["evidence"])
        return EdgeBatch(edges, evidence)

    def _evidence(self, i: int) -> tuple[Evidence, ...]:
        """Evidence of a record that row ``i`` of the current chunk tells."""
        locators, dates, excerpts = self._context
        return (Evidence(self.source, locators[i], self.extractor, self.confidence, dates[i], excerpts[i]),)

    def _once(self, record: Node | Edge, out: list[Record]) -> None:
        rid = record.id
        if rid not in self._seen:
            self._seen.add(rid)
            out.append(record)

    def _identity(self, role: _RoleColumns, i: int) -> _Company:
        """The company a row names in one role (cached per distinct name, country, identifier and alias)."""
        cache_key = (role.names[i], role.countries[i], role.ids[i], role.aliases[i])
        company = self._companies.get(cache_key)
        if company is None:
            try:
                company = _new_company(role.role, *cache_key)
            except NormalizationError as exc:
                company = exc
            self._companies[cache_key] = company
        if isinstance(company, NormalizationError):
            raise company
        return company

    def _emit_company(self, company: _Company, role: _RoleColumns, i: int, out: list[Record]) -> None:
        """The company's node the first time a row names it so, and again with each new fact a row adds."""
        facts = {name: v for name, column in role.props if (v := column[i]) is not None}
        if facts:
            fresh = {k: v for k, v in facts.items() if (company.id, k, _hashable(v)) not in self._facts}
            self._facts.update((company.id, k, _hashable(v)) for k, v in fresh.items())
        else:
            fresh = facts
        if company.emitted and not fresh:
            return
        props = {k: v if isinstance(v, list) else [v] for k, v in fresh.items()}
        if not company.emitted:
            props = {**company.props, **props}
            company.emitted = True
        evidence = self._evidence(i)
        out.append(Node(NodeType.COMPANY, company.key, company.name, company.country, props, evidence))
        if company.id not in self._seen:
            self._seen.add(company.id)
            if company.country:
                self._once(Node(NodeType.COUNTRY, company.country, country_name(company.country), company.country,
                                {}, evidence), out)
                why = role.inferred_reason if role.inferred_rows is not None and role.inferred_rows[i] else None
                out.append(Edge(EdgeType.LOCATED_IN, company.id, node_id(NodeType.COUNTRY, company.country),
                                props={"inferred": why} if why else {}, evidence=evidence))

    def _good(self, hs: str | None, i: int, out: list[Record]) -> Node | None:
        if hs is None or len(hs) < 6:
            return None
        hs6 = hs[:6]
        good = self._goods.get(hs6)
        if good is not None:
            return good
        entry = chpl_entry(hs6)
        props = {k: v for k, v in (
            ("hs6", hs6), ("hs4", hs6[:4]), ("category", goods_category(hs6)),
            ("chpl_tier", entry.tier if entry else None), ("description", describe_hs(hs6)),
        ) if v is not None}
        good = Node(NodeType.GOOD, f"hs6:{hs6}", f"HS {hs6[:4]}.{hs6[4:]}", None, props, self._evidence(i))
        self._once(good, out)
        self._goods[hs6] = good
        self._good_props[good.key] = {k: props[k] for k in ("chpl_tier", "category") if k in props}
        return good


class _RoleColumns:
    """The columns of one role (shipper or consignee) in a chunk."""

    def __init__(self, chunk: CanonicalColumns, role: str) -> None:
        self.role = role
        self.names = chunk.column(f"{role}_name")
        self.countries = chunk.column(f"{role}_country")
        self.ids = chunk.column(f"{role}_id")
        self.aliases = chunk.column(f"{role}_alias")
        self.props = list(chunk.props.get(f"{role}_props", {}).items())
        why, rows = chunk.inferred.get(f"{role}_country", ("", None))
        self.inferred_reason = why.split(": ", 1)[1] if ": " in why else why
        self.inferred_rows = rows


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _new_company(role: str, raw_name: Any, raw_country: Any, raw_id: Any, raw_alias: Any) -> _Company:
    """A company's key, name, country and props from the values one row gives.

    Raises:
        NormalizationError: the name is missing or has no letters or digits.
    """
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
    return _Company(node_id(NodeType.COMPANY, key), key, name, country, props)
