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
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, edge_id, edge_ids, node_id
from graph.stores.frames import SCHEMAS, dump_props, json_objects
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


@dataclass(frozen=True)
class _Good:
    """An HS-6 good: its node id and the props it gives every shipment of it."""

    id: str
    props: dict[str, Any]


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
        self._goods: dict[str, _Good] = {}  # by HS-6
        self._makers: dict[str, str | None] = {}  # brand -> id of its maker (None: a brand of punctuation only)
        self._countries: dict[str, str] = {}  # code -> id of the country's node, once emitted
        self._made: set[tuple[str, str]] = set()  # (maker id, good id) linked by MANUFACTURES
        self._links: list[tuple[EdgeType, str, str, dict[str, Any], int]] = []  # this chunk's other edges

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
        roles = [_RoleColumns(chunk, role) for role in ROLES]
        companies = [self._identities(role, rejected) for role in roles]
        kept = [i for i in range(chunk.n) if i not in rejected]
        self._context = (locators, chunk.column("date"), excerpts)
        self._links = []
        out: list[Record] = []
        goods = self._nodes_of_rows(chunk, kept, roles, companies, out)
        if not kept:
            return BuiltChunk(out, None, rejected)
        shipments = self._shipments(chunk, kept, companies, goods)
        links = self._links_batch()
        if links is not None:
            shipments = EdgeBatch(pa.concat_tables([shipments.edges, links.edges]),
                                  pa.concat_tables([shipments.evidence, links.evidence]))
        return BuiltChunk(out, shipments, rejected)

    def _identities(self, role: _RoleColumns, rejected: dict[int, str]) -> list[_Company | None]:
        """The company each row names in ``role``; rows naming none that can be read are rejected."""
        keys = list(zip(role.names, role.countries, role.ids, role.aliases))
        for key in dict.fromkeys(keys):
            if key not in self._companies:
                try:
                    self._companies[key] = _new_company(role.role, *key)
                except NormalizationError as exc:
                    self._companies[key] = exc
        found: list[_Company | None] = []
        for i, company in enumerate(map(self._companies.__getitem__, keys)):
            if isinstance(company, NormalizationError):
                rejected.setdefault(i, str(company))
                found.append(None)
            else:
                found.append(company)
        return found

    def _nodes_of_rows(self, chunk: CanonicalColumns, kept: list[int], roles: list[_RoleColumns],
                       companies: list[list[_Company | None]], out: list[Record]) -> list[_Good | None]:
        """Emit, row by row, the nodes (and their LOCATED_IN and MANUFACTURES edges) a row names first or
        adds a fact to; returns each row's good (None where the HS code is shorter than HS-6)."""
        hs_codes, brands = chunk.column("hs_code"), chunk.column("brand")
        goods: list[_Good | None] = [None] * chunk.n
        with_facts = [bool(role.props) for role in roles]
        for i in kept:
            for role, found, facts in zip(roles, companies, with_facts):
                company = found[i]
                if facts or not company.emitted:  # type: ignore[union-attr]
                    self._emit_company(company, role, i, out)  # type: ignore[arg-type]
            good = goods[i] = self._good(hs_codes[i], i, out)
            brand = brands[i]
            if brand and good is not None:
                maker = self._maker(brand, i, out)
                if maker is not None and (maker, good.id) not in self._made:
                    self._made.add((maker, good.id))
                    self._links.append((EdgeType.MANUFACTURES, maker, good.id, {}, i))
        return goods

    def _maker(self, brand: str, i: int, out: list[Record]) -> str | None:
        """Id of the company a brand names as its maker (emitted once); None for a brand of punctuation only."""
        if brand not in self._makers:
            maker = None
            if fold_name(brand):  # a brand of punctuation only stays a prop, not a maker
                node = Node(NodeType.COMPANY, company_key(brand), brand, None, {"roles": ["manufacturer"]},
                            self._evidence(i))
                self._once(node, out)
                maker = node.id
            self._makers[brand] = maker
        return self._makers[brand]

    def _links_batch(self) -> EdgeBatch | None:
        """The chunk's LOCATED_IN and MANUFACTURES edges (one row of evidence each) as a batch."""
        if not self._links:
            return None
        types, sources, targets, props, rows = zip(*self._links)
        m = len(rows)
        ids = pa.array([edge_id(t, s, d) for t, s, d in zip(types, sources, targets)], pa.string())
        nothing = pa.nulls(m, pa.string())
        edges = pa.Table.from_arrays([
            ids, pa.array([t.value for t in types], pa.string()), pa.array(sources, pa.string()),
            pa.array(targets, pa.string()), pa.array([""] * m, pa.string()), nothing, nothing,
            pa.nulls(m, pa.float64()), pa.nulls(m, pa.float64()), nothing, pa.array(map(dump_props, props), pa.string()),
        ], schema=SCHEMAS["edges"])
        return EdgeBatch(edges, self._evidence_table(ids, list(rows)))

    def _reject_missing(self, chunk: CanonicalColumns, rejected: dict[int, str]) -> None:
        missing: dict[int, list[str]] = {}
        for name in self.required:
            values = chunk.fields.get(name)
            rows = range(chunk.n) if values is None else [i for i, v in enumerate(values) if v is None]
            for i in rows:
                missing.setdefault(i, []).append(name)
        for i, names in missing.items():
            rejected.setdefault(i, f"missing required field(s): {', '.join(names)}")

    def _shipments(self, chunk: CanonicalColumns, kept: list[int], companies: list[list[_Company | None]],
                   goods: list[_Good | None]) -> EdgeBatch:
        """The kept rows' SHIPPED edges and their evidence rows as Arrow tables."""
        def take(values: Sequence[Any]) -> list[Any]:
            return [values[i] for i in kept]

        shippers, consignees = ([found[i].id for i in kept] for found in companies)  # type: ignore[union-attr]
        record_ids, kept_dates, hs_codes, usd, qtys, parts = (take(chunk.column(name)) for name in (
            "record_id", "date", "hs_code", "value_usd", "quantity", "part_number"))
        props = {name: take(values) for name, values in chunk.props.get("edge_props", {}).items()}
        for name in ("description", "brand", "part_number", "unit", "record_id"):
            _overlay(props, name, take(chunk.column(name)))
        good_props = [good.props if good is not None else {} for good in take(goods)]
        for name in ("chpl_tier", "category"):
            _overlay(props, name, [p.get(name) for p in good_props])
        lines = props.get("declaration_line") or [None] * len(kept)
        # A declaration number names many lines: the key adds what tells the lines apart.
        keys = [f"{r or d}|{line or ''}|{h}|{u}|{q}|{p or ''}"
                for r, d, line, h, u, q, p in zip(record_ids, kept_dates, lines, hs_codes, usd, qtys, parts)]
        ids = pa.array(edge_ids(EdgeType.SHIPPED, shippers, consignees, keys), pa.string())
        m = len(kept)
        edges = pa.Table.from_arrays([
            ids, pa.array([EdgeType.SHIPPED.value] * m, pa.string()), pa.array(shippers, pa.string()),
            pa.array(consignees, pa.string()), pa.array(keys, pa.string()), pa.array(kept_dates, pa.string()),
            pa.array(hs_codes, pa.string()), pa.array(usd, pa.float64()), pa.array(qtys, pa.float64()),
            pa.array(take(chunk.column("origin_country")), pa.string()), json_objects(props, m),
        ], schema=SCHEMAS["edges"])
        return EdgeBatch(edges, self._evidence_table(ids, kept))

    def _evidence_table(self, owners: pa.Array, rows: list[int]) -> pa.Table:
        """One evidence row per owner, told by the chunk's row at the same position of ``rows``."""
        locators, dates, excerpts = self._context
        m = len(rows)
        return pa.Table.from_arrays([
            owners, pa.array([self.source] * m, pa.string()), pa.array([locators[i] for i in rows], pa.string()),
            pa.array([self.extractor] * m, pa.string()), pa.array([float(self.confidence)] * m, pa.float64()),
            pa.array([dates[i] for i in rows], pa.string()), pa.array([excerpts[i] for i in rows], pa.string()),
        ], schema=SCHEMAS["evidence"])

    def _evidence(self, i: int) -> tuple[Evidence, ...]:
        """Evidence of a record that row ``i`` of the current chunk tells."""
        locators, dates, excerpts = self._context
        return (Evidence(self.source, locators[i], self.extractor, self.confidence, dates[i], excerpts[i]),)

    def _once(self, record: Node | Edge, out: list[Record]) -> None:
        rid = record.id
        if rid not in self._seen:
            self._seen.add(rid)
            out.append(record)

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
                why = role.inferred_reason if role.inferred_rows is not None and role.inferred_rows[i] else None
                self._links.append((EdgeType.LOCATED_IN, company.id, self._country(company.country, evidence, out),
                                    {"inferred": why} if why else {}, i))

    def _country(self, code: str, evidence: tuple[Evidence, ...], out: list[Record]) -> str:
        """Id of a country's node, emitted the first time."""
        known = self._countries.get(code)
        if known is None:
            node = Node(NodeType.COUNTRY, code, country_name(code), code, {}, evidence)
            self._once(node, out)
            known = self._countries[code] = node.id
        return known

    def _good(self, hs: str | None, i: int, out: list[Record]) -> _Good | None:
        """The HS-6 good of a code (its node emitted once); None for codes shorter than HS-6."""
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
        node = Node(NodeType.GOOD, f"hs6:{hs6}", f"HS {hs6[:4]}.{hs6[4:]}", None, props, self._evidence(i))
        self._once(node, out)
        good = self._goods[hs6] = _Good(node.id, {k: props[k] for k in ("chpl_tier", "category") if k in props})
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


def _overlay(props: dict[str, list[Any]], name: str, values: list[Any]) -> None:
    """Set prop ``name`` to ``values`` where they are not None (earlier values stay elsewhere)."""
    earlier = props.get(name)
    props[name] = values if earlier is None else [v if v is not None else e for v, e in zip(values, earlier)]


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
