"""What a chunk of canonical rows holds, worked out without any state of the document it comes from.

The planner finds each row's companies and good, rejects rows that cannot be built, makes the
chunk's SHIPPED edges (one EdgeBatch), and lists the rows that may tell something new about a
node (:class:`RowFacts`). Which of those facts are new to the document is the builder's
(``ingest.shipments``) call, so chunks can be planned in parallel processes and still give
exactly what a single pass gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graph.batch import EdgeBatch
from graph.goods import chpl_entry, describe_hs, goods_category
from graph.schema import EdgeType, NodeType, node_id
from graph.stores.arrays import string_bytes
from graph.stores.frames import SCHEMAS, edge_id_column, float_texts, json_objects
from ingest.canonical import REQUIRED, ROLES, CanonicalColumns
from ingest.keys import company_key, normalize_identifier
from ingest.normalize import NormalizationError, clean_text, is_valid_inn, normalize_country, split_glued_identifiers

EDGE_TEXTS = ("description", "brand", "part_number", "unit", "record_id")  # fields kept as props of SHIPPED
GOOD_EDGE_PROPS = ("chpl_tier", "category")  # props of a good every shipment of it carries


@dataclass(frozen=True, slots=True)
class Company:
    """A company as rows name it: ``names`` is the (name, country, identifier, alias) the rows give."""

    names: tuple[Any, ...]
    id: str
    key: str
    name: str
    country: str | None
    props: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Good:
    """An HS-6 good: its node's key, name and props, and the props every shipment of it carries."""

    id: str
    key: str
    name: str
    props: dict[str, Any]
    edge_props: dict[str, Any]


@dataclass(frozen=True, slots=True)
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


@dataclass
class _Named:
    """What the rows of a chunk name in one place: per row the position of its thing in ``things`` (-1: none)."""

    codes: np.ndarray
    things: list[Any]

    def ids(self, rows: np.ndarray) -> pa.Array:
        """The ``id`` of each row's thing (null for none)."""
        return self.values(lambda thing: thing.id, rows, pa.string())

    def values(self, value_of: Callable[[Any], Any], rows: np.ndarray, type: pa.DataType | None = None) -> pa.Array:
        """Each row's ``value_of`` its thing (null for none), worked out once per thing."""
        distinct, inverse = np.unique(self.codes[rows], return_inverse=True)
        values = [None if code < 0 else value_of(self.things[code]) for code in distinct.tolist()]
        return pa.array(values, type).take(pa.array(inverse.reshape(-1)))

    def at(self, rows: np.ndarray) -> list[Any]:
        return [self.things[c] if c >= 0 else None for c in self.codes[rows].tolist()]


class ShipmentPlanner:
    """Plans chunks of canonical rows of one document, in document order (several planners may each take
    every n-th chunk). Caches make repeated names cheap; they change no result."""

    def __init__(self, source: str, extractor: str, confidence: float, required: tuple[str, ...] = REQUIRED) -> None:
        self.source = source
        self.extractor = extractor
        self.confidence = confidence
        self.required = required
        # Companies by the (name, country, identifier, alias) rows give, as key_texts writes them.
        self._company_at: dict[str, int] = {}
        self._companies: list[Company | NormalizationError] = []
        self._company_ids = pa.array([], pa.string())  # the id of each of _companies (null for an error)
        self._unreadable: set[int] = set()  # positions of errors in _companies
        self._goods: dict[str, Good] = {}
        # What rows planned so far named: companies (by position), companies with facts, goods with brands.
        # A builder sees every chunk of a planner, in order, so a row repeating one of these cannot tell
        # it anything new.
        self._told_companies = np.zeros(0, bool)
        self._told: dict[str, set[tuple[Any, ...]]] = {}  # per kind of mark

    def plan(self, chunk: CanonicalColumns, locators: pa.Array | Sequence[str],
             excerpts: pa.Array | Sequence[str | None]) -> ChunkPlan:
        """The plan of a chunk of normalised canonical rows."""
        locators, excerpts = _strings(locators), _strings(excerpts)
        rejected = dict(chunk.errors)
        self._reject_missing(chunk, rejected)
        roles = [_RoleColumns(chunk, role) for role in ROLES]
        companies = [self._identities(role, rejected) for role in roles]
        kept = np.ones(chunk.n, bool)
        kept[list(rejected)] = False
        kept = np.flatnonzero(kept)
        if not len(kept):
            return ChunkPlan(rejected, None, [])
        goods = self._goods_of(chunk.column("hs_code"), kept)
        facts = self._facts(chunk, kept, roles, companies, goods, locators, excerpts)
        return ChunkPlan(rejected, self._shipments(chunk, kept, companies, goods, locators, excerpts), facts)

    def _reject_missing(self, chunk: CanonicalColumns, rejected: dict[int, str]) -> None:
        missing: dict[int, list[str]] = {}
        for name in self.required:
            values = chunk.fields.get(name)
            rows = range(chunk.n) if values is None else np.flatnonzero(_flags(pc.is_null(values))).tolist()
            for i in rows:
                missing.setdefault(i, []).append(name)
        for i, names in missing.items():
            rejected.setdefault(i, f"missing required field(s): {', '.join(names)}")

    def _identities(self, role: _RoleColumns, rejected: dict[int, str]) -> _Named:
        """The company each row names in ``role``; rows naming none that can be read are rejected."""
        columns = (role.names, role.countries, role.ids, role.aliases)
        encoded = key_texts(columns).dictionary_encode()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        positions = self._positions(role.role, columns, encoded.dictionary, codes)
        found = positions[codes]
        failed = self._unreadable.intersection(positions.tolist())
        if failed:
            bad = np.isin(found, list(failed))
            for i in np.flatnonzero(bad).tolist():
                rejected.setdefault(i, str(self._companies[found[i]]))
            found[bad] = -1
        return _Named(found, self._companies)

    def _positions(self, role: str, columns: Sequence[pa.Array], keys: pa.Array, codes: np.ndarray) -> np.ndarray:
        """The position in ``_companies`` of each of a chunk's distinct company keys; the companies new to this
        planner are made from the first row giving their key."""
        at = self._company_at
        positions = [at.get(key, -1) for key in keys.to_pylist()]
        fresh = [code for code, position in enumerate(positions) if position < 0]
        if fresh:
            first = pa.array(_first_rows(codes)[fresh])
            names = zip(*(column.take(first).to_pylist() for column in columns))
            for code, key, name in zip(fresh, keys.take(pa.array(fresh)).to_pylist(), names):
                positions[code] = at[key] = len(self._companies)
                try:
                    self._companies.append(new_company(role, name))
                except NormalizationError as exc:
                    self._unreadable.add(len(self._companies))
                    self._companies.append(exc)
            made = self._companies[len(self._company_ids):]
            self._company_ids = pa.concat_arrays([self._company_ids, pa.array(
                [None if isinstance(c, NormalizationError) else c.id for c in made], pa.string())])
        return np.array(positions, np.int64)

    def _goods_of(self, hs_codes: pa.Array, kept: np.ndarray) -> _Named:
        """The HS-6 good of each row (none for codes shorter than HS-6 and for rejected rows)."""
        encoded = hs_codes.dictionary_encode(null_encoding="encode")
        goods = [self._good(hs) for hs in encoded.dictionary.to_pylist()]
        none = np.array([good is None for good in goods] + [True])
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        kept_codes = np.full(len(codes), -1, np.int64)
        kept_codes[kept] = np.where(none[codes[kept]], -1, codes[kept])
        return _Named(kept_codes, goods)

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

    def _facts(self, chunk: CanonicalColumns, kept: np.ndarray, roles: list[_RoleColumns], companies: list[_Named],
               goods: _Named, locators: pa.Array, excerpts: pa.Array) -> list[RowFacts]:
        """The kept rows that name a company, company fact, good or brand this planner has not seen before."""
        brands = chunk.column("brand")
        new_rows = [self._first_untold_companies(kept, [named.codes[kept] for named in companies])]
        for role, named in zip(roles, companies):
            if role.props:  # (the company's own mark is the same with and without its facts)
                new_rows.append(kept[self._first_untold(role.role, [named.codes[kept], *(
                    _kept_rows(column, kept) for _, column in role.props)])])
        new_rows.append(kept[self._first_untold("good", [goods.ids(kept), _kept_rows(brands, kept)])])
        rows = np.unique(np.concatenate(new_rows))
        if not len(rows):
            return []
        at = pa.array(rows)
        dates, brand_of = chunk.column("date").take(at).to_pylist(), brands.take(at).to_pylist()
        told = [list(zip(named.at(rows), role.facts(rows), role.inferred_at(rows))) for role, named in
                zip(roles, companies)]
        return [RowFacts(locator, date, excerpt, tuple(role_told[k] for role_told in told), good, brand)
                for k, (locator, date, excerpt, good, brand) in enumerate(zip(
                    locators.take(at).to_pylist(), dates, excerpts.take(at).to_pylist(), goods.at(rows), brand_of))]

    def _first_untold_companies(self, kept: np.ndarray, role_codes: list[np.ndarray]) -> np.ndarray:
        """The first kept row naming each company no earlier row named, in whichever role (``role_codes``: per
        role, the company of each kept row)."""
        told = self._told_companies
        if len(told) < len(self._companies):
            told = self._told_companies = np.concatenate([told, np.zeros(len(self._companies) - len(told), bool)])
        codes = np.stack(role_codes, axis=1).ravel()  # row by row: a company's first row, whatever its role there
        distinct, first = np.unique(codes, return_index=True)
        if len(distinct) and distinct[0] < 0:  # (no company)
            distinct, first = distinct[1:], first[1:]
        untold = ~told[distinct]
        told[distinct] = True
        return kept[first[untold] // len(role_codes)]

    def _first_untold(self, kind: str, columns: list[np.ndarray | pa.Array]) -> np.ndarray:
        """Positions of the first of each combination of values no earlier row had (values of Arrow columns, or
        positions in ``_companies``: values that mean the same in every chunk)."""
        key = np.zeros(len(columns[0]), np.int64)
        for column in columns:
            if isinstance(column, np.ndarray):
                codes = column + 1  # (-1 for none)
            else:
                codes = pc.fill_null(column.dictionary_encode().indices, -1).to_numpy(zero_copy_only=False) + 1
            key = np.unique(key * (int(codes.max(initial=0)) + 1) + codes, return_inverse=True)[1].reshape(-1)
        _, first = np.unique(key, return_index=True)
        values = [column[first].tolist() if isinstance(column, np.ndarray) else column.take(pa.array(first)).to_pylist()
                  for column in columns]
        marks = list(zip(*values))  # (distinct within the chunk)
        told = self._told.setdefault(kind, set())
        fresh = set(marks).difference(told)
        if not fresh:
            return np.empty(0, np.int64)
        told.update(fresh)
        return np.sort(first[[mark in fresh for mark in marks]]).astype(np.int64)

    def _shipments(self, chunk: CanonicalColumns, kept: np.ndarray, companies: list[_Named], goods: _Named,
                   locators: pa.Array, excerpts: pa.Array) -> EdgeBatch:
        """The kept rows' SHIPPED edges and their evidence rows as Arrow tables."""
        def take(name: str) -> pa.Array:
            return _kept_rows(chunk.column(name), kept)

        shippers, consignees = (self._company_ids.take(pa.array(named.codes[kept])) for named in companies)
        record_ids, dates, hs_codes, usd, qtys, parts = (take(name) for name in (
            "record_id", "date", "hs_code", "value_usd", "quantity", "part_number"))
        props: dict[str, pa.Array | list[Any]] = {
            name: _kept_rows(values, kept) for name, values in chunk.props.get("edge_props", {}).items()}
        for name in EDGE_TEXTS:
            _overlay(props, name, take(name))
        for name in GOOD_EDGE_PROPS:
            _overlay(props, name, goods.values(lambda good, name=name: good.edge_props.get(name), kept))
        lines = props.get("declaration_line")
        # A declaration number names many lines: the key adds what tells the lines apart.
        keys = pc.binary_join_element_wise(
            pc.coalesce(record_ids, dates, "None"), "" if lines is None else pc.fill_null(_strings(lines), ""),
            pc.fill_null(hs_codes, "None"), pc.fill_null(float_texts(usd), "None"),
            pc.fill_null(float_texts(qtys), "None"), pc.fill_null(parts, ""), "|")
        ids = edge_id_column(EdgeType.SHIPPED, shippers, consignees, keys)
        m = len(kept)
        edges = pa.Table.from_arrays([
            ids, pa.array([EdgeType.SHIPPED.value] * m, pa.string()), shippers, consignees, keys, dates, hs_codes,
            usd, qtys, take("origin_country"), json_objects(props, m),
        ], schema=SCHEMAS["edges"])
        evidence = evidence_table(ids, self.source, self.extractor, self.confidence, _kept_rows(locators, kept),
                                  dates, _kept_rows(excerpts, kept))
        return EdgeBatch(edges, evidence)


def key_texts(columns: Sequence[pa.Array]) -> pa.Array:
    """Per row, one text that tells its values (null included) apart from any other row's, in any call (so a
    company's key is the same in every chunk): the values joined by ``\\x1f``, with ``\\x1e`` for null. A row
    with either byte in a value gets ``\\x1e\\x1e`` (which no joined row holds) and :func:`_length_prefixed` instead.

    >>> key_texts([pa.array(["ab", None, "a\\x1fb"]), pa.array(["c", "", None])]).to_pylist()
    ['ab\\x1fc', '\\x1e\\x1f', '\\x1e\\x1e3:a\\x1fbn:']
    """
    joined = pc.binary_join_element_wise(*(pc.fill_null(c, _NULL) if c.null_count else c for c in columns),
                                         _SEPARATOR)
    if not any(((raw := string_bytes(column)) == 0x1E).any() or (raw == 0x1F).any() for column in columns):
        return joined
    marked = None
    for column in columns:
        found = pc.fill_null(pc.match_substring_regex(column, f"[{_NULL}{_SEPARATOR}]"), False)
        marked = found if marked is None else pc.or_(marked, found)
    return pc.if_else(marked, pc.binary_join_element_wise(_NULL * 2, _length_prefixed(columns), ""), joined)


_SEPARATOR, _NULL = "\x1f", "\x1e"


def _length_prefixed(columns: Sequence[pa.Array]) -> pa.Array:
    """Per row, each value's length, ``:`` and the value (``n:`` for null), one after another.

    >>> _length_prefixed([pa.array(["ab", None]), pa.array(["c", ""])]).to_pylist()
    ['2:ab1:c', 'n:0:']
    """
    parts: list[Any] = []
    for column in columns:
        parts += [pc.fill_null(pc.cast(pc.utf8_length(column), pa.string()), "n"), ":", pc.fill_null(column, "")]
    return pc.binary_join_element_wise(*parts, "")


def _first_rows(codes: np.ndarray) -> np.ndarray:
    """Per code, the first position where it occurs, for the codes of Arrow's ``dictionary_encode`` (numbered in
    order of first appearance)."""
    highest = np.maximum.accumulate(codes)
    return np.flatnonzero(np.concatenate(([True], highest[1:] > highest[:-1]))) if len(codes) else codes


def evidence_table(owners: pa.Array, source: str, extractor: str, confidence: float,
                   locators: pa.Array | Sequence[str], observed: pa.Array | Sequence[str | None],
                   excerpts: pa.Array | Sequence[str | None]) -> pa.Table:
    """One evidence row per owner from one source and extractor."""
    m = len(owners)
    return pa.Table.from_arrays([
        owners, pa.array([source] * m, pa.string()), _strings(locators),
        pa.array([extractor] * m, pa.string()), pa.array([float(confidence)] * m, pa.float64()),
        _strings(observed), _strings(excerpts),
    ], schema=SCHEMAS["evidence"])


def _strings(values: pa.Array | Sequence[Any]) -> pa.Array:
    return values if isinstance(values, pa.Array) else pa.array(values, pa.string())


def _kept_rows(values: pa.Array, kept: np.ndarray) -> pa.Array:
    """The values of the ``kept`` rows (ascending positions): the values themselves when every row is kept."""
    return values if len(kept) == len(values) else values.take(pa.array(kept))


def _flags(mask: pa.Array) -> np.ndarray:
    return mask.to_numpy(zero_copy_only=False)


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

    def facts(self, rows: np.ndarray) -> list[dict[str, Any]]:
        """Per row, the company's props it gives."""
        at = pa.array(rows)
        columns = [(name, column.take(at).to_pylist()) for name, column in self.props]
        return [{name: values[k] for name, values in columns if values[k] is not None} for k in range(len(rows))]

    def inferred_at(self, rows: np.ndarray) -> list[str | None]:
        """Per row, why the layout implied the company's country (None when the row gives it)."""
        if self.inferred_rows is None:
            return [None] * len(rows)
        return [self.inferred_reason if flag else None for flag in self.inferred_rows[rows].tolist()]


def _overlay(props: dict[str, pa.Array | list[Any]], name: str, values: pa.Array) -> None:
    """Set prop ``name`` to ``values`` where they are not null (earlier values stay elsewhere)."""
    earlier = props.get(name)
    if earlier is None:
        props[name] = values
    elif isinstance(earlier, pa.Array) and earlier.type == values.type:
        props[name] = pc.coalesce(values, earlier)
    else:  # values of other kinds (a number where text was): JSON keeps each as it is
        old = earlier.to_pylist() if isinstance(earlier, pa.Array) else earlier
        props[name] = [v if v is not None else e for v, e in zip(values.to_pylist(), old)]


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
