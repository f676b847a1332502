"""What a chunk of canonical rows holds, worked out without any state of the document it comes from.

The planner finds each row's companies and good, rejects rows that cannot be built, makes the
chunk's SHIPPED edges (one EdgeBatch), and lists the rows that may tell something new about a
node (:class:`RowFacts`). Which of those facts are new to the document is the builder's
(``ingest.shipments``) call, so chunks can be planned in parallel processes and still give
exactly what a single pass gives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from graph.batch import EdgeBatch
from graph.goods import chpl_entry, describe_hs, goods_category
from graph.schema import EdgeType, NodeType, edge_ids, node_id
from graph.stores.frames import SCHEMAS, json_objects
from ingest.canonical import REQUIRED, ROLES, CanonicalColumns
from ingest.keys import company_key, normalize_identifier
from ingest.normalize import NormalizationError, clean_text, is_valid_inn, normalize_country, split_glued_identifiers

EDGE_TEXTS = ("description", "brand", "part_number", "unit", "record_id")  # fields kept as props of SHIPPED
GOOD_EDGE_PROPS = ("chpl_tier", "category")  # props of a good every shipment of it carries


@dataclass(frozen=True)
class Company:
    """A company as rows name it: ``names`` is the (name, country, identifier, alias) the rows give."""

    names: tuple[Any, ...]
    id: str
    key: str
    name: str
    country: str | None
    props: dict[str, Any]


@dataclass(frozen=True)
class Good:
    """An HS-6 good: its node's key, name and props, and the props every shipment of it carries."""

    id: str
    key: str
    name: str
    props: dict[str, Any]
    edge_props: dict[str, Any]


@dataclass(frozen=True)
class RowFacts:
    """What one row says about nodes: its companies (with the facts it adds and why a country was
    implied), its good and brand, and its evidence (locator, date, excerpt)."""

    locator: str
    date: str | None
    excerpt: str | None
    companies: tuple[tuple[Company, dict[str, Any], str | None], ...]
    good: Good | None
    brand: str | None


@dataclass
class ChunkPlan:
    """A planned chunk: rejected rows (row -> reason), the SHIPPED edges, and the rows that may tell something new."""

    rejected: dict[int, str]
    shipments: EdgeBatch | None
    facts: list[RowFacts]


class ShipmentPlanner:
    """Plans chunks of canonical rows of one document, in document order (several planners may each take
    every n-th chunk). Caches make repeated names cheap; they change no result."""

    def __init__(self, source: str, extractor: str, confidence: float, required: tuple[str, ...] = REQUIRED) -> None:
        self.source = source
        self.extractor = extractor
        self.confidence = confidence
        self.required = required
        self._companies: dict[tuple[Any, ...], Company | NormalizationError] = {}
        self._goods: dict[str, Good] = {}
        # Companies (with facts), goods and brands of rows planned so far. A builder sees every chunk of a
        # planner, in order, so a row repeating one of these cannot tell it anything new.
        self._told: set[Any] = set()

    def plan(self, chunk: CanonicalColumns, locators: Sequence[str], excerpts: Sequence[str | None]) -> ChunkPlan:
        """The plan of a chunk of normalised canonical rows."""
        rejected = dict(chunk.errors)
        self._reject_missing(chunk, rejected)
        roles = [_RoleColumns(chunk, role) for role in ROLES]
        companies = [self._identities(role, rejected) for role in roles]
        kept = [i for i in range(chunk.n) if i not in rejected]
        if not kept:
            return ChunkPlan(rejected, None, [])
        hs_codes = chunk.column("hs_code")
        good_of = {hs: self._good(hs) for hs in {hs_codes[i] for i in kept}}
        goods = [good_of.get(hs) if i not in rejected else None for i, hs in enumerate(hs_codes)]
        facts = self._facts(chunk, kept, roles, companies, goods, locators, excerpts)
        return ChunkPlan(rejected, self._shipments(chunk, kept, companies, goods, locators, excerpts), facts)

    def _reject_missing(self, chunk: CanonicalColumns, rejected: dict[int, str]) -> None:
        missing: dict[int, list[str]] = {}
        for name in self.required:
            values = chunk.fields.get(name)
            rows = range(chunk.n) if values is None else [i for i, v in enumerate(values) if v is None]
            for i in rows:
                missing.setdefault(i, []).append(name)
        for i, names in missing.items():
            rejected.setdefault(i, f"missing required field(s): {', '.join(names)}")

    def _identities(self, role: _RoleColumns, rejected: dict[int, str]) -> list[Company | None]:
        """The company each row names in ``role``; rows naming none that can be read are rejected."""
        keys = list(zip(role.names, role.countries, role.ids, role.aliases))
        failed = False
        for key in dict.fromkeys(keys):
            if key not in self._companies:
                try:
                    self._companies[key] = new_company(role.role, key)
                except NormalizationError as exc:
                    self._companies[key] = exc
            failed = failed or isinstance(self._companies[key], NormalizationError)
        found: list[Any] = list(map(self._companies.__getitem__, keys))
        if failed:
            for i, company in enumerate(found):
                if isinstance(company, NormalizationError):
                    rejected.setdefault(i, str(company))
                    found[i] = None
        return found

    def _good(self, hs: str | None) -> Good | None:
        """The HS-6 good of a code; None for codes shorter than HS-6."""
        if hs is None or len(hs) < 6:
            return None
        hs6 = hs[:6]
        good = self._goods.get(hs6)
        if good is None:
            entry = chpl_entry(hs6)
            props = {k: v for k, v in (
                ("hs6", hs6), ("hs4", hs6[:4]), ("category", goods_category(hs6)),
                ("chpl_tier", entry.tier if entry else None), ("description", describe_hs(hs6)),
            ) if v is not None}
            key = f"hs6:{hs6}"
            good = self._goods[hs6] = Good(node_id(NodeType.GOOD, key), key, f"HS {hs6[:4]}.{hs6[4:]}", props,
                                           {k: props[k] for k in GOOD_EDGE_PROPS if k in props})
        return good

    def _facts(self, chunk: CanonicalColumns, kept: list[int], roles: list[_RoleColumns],
               companies: list[list[Company | None]], goods: list[Good | None], locators: Sequence[str],
               excerpts: Sequence[str | None]) -> list[RowFacts]:
        """The kept rows that name a company, company fact, good or brand this planner has not seen before."""
        dates, brands = chunk.column("date"), chunk.column("brand")
        seen = self._told
        out: list[RowFacts] = []
        for i in kept:
            new = False
            for role, found in zip(roles, companies):
                mark: Any = found[i].names  # type: ignore[union-attr]
                if role.props:
                    mark = (mark, tuple((name, column[i]) for name, column in role.props))
                if mark not in seen:
                    seen.add(mark)
                    new = True
            good, brand = goods[i], brands[i]
            mark = (good.id if good is not None else None, brand)
            if mark not in seen:
                seen.add(mark)
                new = True
            if new:
                told = tuple((found[i], role.facts(i), role.inferred_at(i)) for role, found in zip(roles, companies))
                out.append(RowFacts(locators[i], dates[i], excerpts[i], told, good, brand))  # type: ignore[arg-type]
        return out

    def _shipments(self, chunk: CanonicalColumns, kept: list[int], companies: list[list[Company | None]],
                   goods: list[Good | None], locators: Sequence[str], excerpts: Sequence[str | None]) -> EdgeBatch:
        """The kept rows' SHIPPED edges and their evidence rows as Arrow tables."""
        def take(values: Sequence[Any]) -> list[Any]:
            return [values[i] for i in kept]

        shippers, consignees = ([found[i].id for i in kept] for found in companies)  # type: ignore[union-attr]
        record_ids, dates, hs_codes, usd, qtys, parts = (take(chunk.column(name)) for name in (
            "record_id", "date", "hs_code", "value_usd", "quantity", "part_number"))
        props = {name: take(values) for name, values in chunk.props.get("edge_props", {}).items()}
        for name in EDGE_TEXTS:
            _overlay(props, name, take(chunk.column(name)))
        good_props = [good.edge_props if good is not None else {} for good in take(goods)]
        for name in GOOD_EDGE_PROPS:
            _overlay(props, name, [p.get(name) for p in good_props])
        lines = props.get("declaration_line") or [None] * len(kept)
        # A declaration number names many lines: the key adds what tells the lines apart.
        keys = [f"{r or d}|{line or ''}|{h}|{u}|{q}|{p or ''}"
                for r, d, line, h, u, q, p in zip(record_ids, dates, lines, hs_codes, usd, qtys, parts)]
        ids = pa.array(edge_ids(EdgeType.SHIPPED, shippers, consignees, keys), pa.string())
        m = len(kept)
        edges = pa.Table.from_arrays([
            ids, pa.array([EdgeType.SHIPPED.value] * m, pa.string()), pa.array(shippers, pa.string()),
            pa.array(consignees, pa.string()), pa.array(keys, pa.string()), pa.array(dates, pa.string()),
            pa.array(hs_codes, pa.string()), pa.array(usd, pa.float64()), pa.array(qtys, pa.float64()),
            pa.array(take(chunk.column("origin_country")), pa.string()), json_objects(props, m),
        ], schema=SCHEMAS["edges"])
        evidence = evidence_table(ids, self.source, self.extractor, self.confidence, take(locators), dates,
                                  take(excerpts))
        return EdgeBatch(edges, evidence)


def evidence_table(owners: pa.Array, source: str, extractor: str, confidence: float, locators: list[str],
                   observed: list[str | None], excerpts: list[str | None]) -> pa.Table:
    """One evidence row per owner from one source and extractor."""
    m = len(owners)
    return pa.Table.from_arrays([
        owners, pa.array([source] * m, pa.string()), pa.array(locators, pa.string()),
        pa.array([extractor] * m, pa.string()), pa.array([float(confidence)] * m, pa.float64()),
        pa.array(observed, pa.string()), pa.array(excerpts, pa.string()),
    ], schema=SCHEMAS["evidence"])


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

    def facts(self, i: int) -> dict[str, Any]:
        """The company's props row ``i`` gives."""
        return {name: v for name, column in self.props if (v := column[i]) is not None}

    def inferred_at(self, i: int) -> str | None:
        """Why the layout implied the company's country in row ``i`` (None when the row gives it)."""
        return self.inferred_reason if self.inferred_rows is not None and self.inferred_rows[i] else None


def _overlay(props: dict[str, list[Any]], name: str, values: list[Any]) -> None:
    """Set prop ``name`` to ``values`` where they are not None (earlier values stay elsewhere)."""
    earlier = props.get(name)
    props[name] = values if earlier is None else [v if v is not None else e for v, e in zip(values, earlier)]


def new_company(role: str, names: tuple[Any, ...]) -> Company:
    """A company's key, name, country and props from the (name, country, identifier, alias) one row gives.

    Raises:
        NormalizationError: the name is missing or has no letters or digits.
    """
    raw_name, raw_country, raw_id, raw_alias = names
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
    return Company(names, node_id(NodeType.COMPANY, key), key, name, country, props)
