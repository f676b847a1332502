"""Layout profiles: declarative TOML mappings from a vendor's columns to the canonical shipment fields.

A profile (``ingest/profiles/*.toml``, or any file given with ``--layout path.toml``) says which
columns identify the layout, which source column (or columns, first non-missing wins) feeds each
canonical field, with which transform, which extra columns become props of the edge or of the
two companies, and which fields the layout itself implies (e.g. a Russian import declaration's
consignee is in Russia). ``docs/customs.md`` describes the format.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.canonical import CANONICAL_COLUMNS, REQUIRED, CanonicalColumns
from ingest.fastpaths import FastPath, as_text, fast_paths
from ingest.normalize import (
    NormalizationError,
    clean_text,
    declaration_date,
    normalize_country,
    normalize_date,
    normalize_hs,
    normalize_inn,
    normalize_number,
)

# Canonical fields a profile may fill besides CANONICAL_COLUMNS.
EXTRA_FIELDS = ("shipper_alias", "consignee_alias")
PROP_GROUPS = ("edge_props", "shipper_props", "consignee_props")
MIN_AUTO_SCORE = 0.5
TEXT = pa.string()
Transform = Callable[[Any], Any]


class LayoutError(Exception):
    """A profile is malformed, or no profile fits a file; the message says what to do."""


def column_token(name: str) -> str:
    """Column name folded for matching: case, spaces, underscores and punctuation ignored.

    >>> column_token(" Importer_Name (EN) ") == column_token("IMPORTER NAME EN")
    True
    """
    return re.sub(r"[\W_]+", "", name.casefold())


def _inn(value: Any) -> str | None:
    inn = normalize_inn(value, verify=False)  # a check-digit typo is flagged on the company, not fatal
    return f"inn:{inn}" if inn else None


def _kpp(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    if not (len(text) == 9 and text.isdigit()):
        raise NormalizationError(f"KPP {value!r} is not 9 digits")
    return text


def _transforms(decimal_comma: bool) -> dict[str, Transform]:
    return {
        "text": clean_text, "date": normalize_date, "declaration_date": declaration_date,
        "number": lambda v: normalize_number(v, decimal_comma), "country": normalize_country,
        "hs": normalize_hs, "inn": _inn, "kpp": _kpp, "identifier": clean_text,
    }


TRANSFORMS = tuple(_transforms(False))


def output_type(transform: str) -> pa.DataType:
    """The Arrow type of a transform's values."""
    return pa.float64() if transform == "number" else TEXT
DEFAULT_TRANSFORM = {"value_usd": "number", "quantity": "number", "date": "date", "hs_code": "hs",
                     "origin_country": "country", "shipper_country": "country", "consignee_country": "country"}


@dataclass(frozen=True, slots=True)
class Source:
    """One way to fill a field: a column through a transform, or a constant value."""

    column: str | None = None
    transform: str = "text"
    value: Any = None


@dataclass(frozen=True)
class Layout:
    """A parsed profile."""

    name: str
    title: str
    origin: str                                    # file the profile came from
    signature: tuple[str, ...]                     # columns that identify the layout
    required_columns: tuple[str, ...]
    required_fields: tuple[str, ...]
    fields: Mapping[str, tuple[Source, ...]]
    props: Mapping[str, Mapping[str, tuple[Source, ...]]]   # group -> prop -> sources
    inferred: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # field -> (value, reason)

    def columns(self) -> set[str]:
        """Every source column the profile reads (folded)."""
        specs = [*self.fields.values(), *(s for group in self.props.values() for s in group.values())]
        return {column_token(src.column) for spec in specs for src in spec if src.column}

    def score(self, header: Sequence[str]) -> float:
        """How well a header fits, in [0, 1]: 0 if a required column is missing, else the mean of the
        share of the header the profile reads and the share of the signature the header has."""
        present = {column_token(c) for c in header}
        if not present or any(column_token(c) not in present for c in self.required_columns):
            return 0.0
        coverage = len(present & self.columns()) / len(present)
        signature = {column_token(c) for c in self.signature}
        share = len(present & signature) / len(signature) if signature else 0.0
        return round(0.5 * coverage + 0.5 * share, 3)

    def unknown_columns(self, header: Sequence[str]) -> list[str]:
        """Header columns this profile does not read."""
        known = self.columns()
        return [c for c in header if column_token(c) not in known]

    def bind(self, header: Sequence[str], *, decimal_comma: bool = False,
             defaults: Mapping[str, str] | None = None) -> RowMapper:
        """A mapper from rows with this header to canonical rows."""
        return RowMapper(self, header, decimal_comma, dict(defaults or {}))


def _sources(spec: Any, target: str, origin: str) -> tuple[Source, ...]:
    default = DEFAULT_TRANSFORM.get(target, "text")
    items = spec if isinstance(spec, list) else [spec]
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(Source(item, default))
        elif isinstance(item, dict) and ("column" in item or "value" in item):
            transform = item.get("transform", default)
            if transform not in TRANSFORMS:
                known = ", ".join(TRANSFORMS)
                raise LayoutError(f"{origin}: {target}: unknown transform {transform!r} (one of {known})")
            out.append(Source(item.get("column"), transform, item.get("value")))
        else:
            raise LayoutError(f"{origin}: {target}: expected a column name, {{column = ...}} or a list of them")
    if len({output_type(src.transform) for src in out}) > 1:
        raise LayoutError(f"{origin}: {target}: its sources mix number and text transforms")
    return tuple(out)


def parse_layout(data: Mapping[str, Any], origin: str) -> Layout:
    """A Layout from the parsed TOML of a profile.

    Raises:
        LayoutError: unknown fields, transforms or missing sections.
    """
    allowed = set(CANONICAL_COLUMNS) | set(EXTRA_FIELDS)
    fields_spec = data.get("fields")
    if not isinstance(fields_spec, dict) or not fields_spec:
        raise LayoutError(f"{origin}: a profile needs a [fields] table mapping canonical fields to columns")
    unknown = sorted(set(fields_spec) - allowed)
    if unknown:
        raise LayoutError(f"{origin}: unknown canonical field(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(allowed))}")
    fields_map = {k: _sources(v, k, origin) for k, v in fields_spec.items()}
    props = {group: {k: _sources(v, k, origin) for k, v in data.get(group, {}).items()} for group in PROP_GROUPS}
    inferred = {}
    for key, spec in data.get("infer", {}).items():
        if key not in allowed or not isinstance(spec, dict) or "value" not in spec or "reason" not in spec:
            raise LayoutError(f"{origin}: [infer.{key}] needs a canonical field with value and reason")
        inferred[key] = (str(spec["value"]), str(spec["reason"]))
    name = str(data.get("name") or Path(origin).stem)
    return Layout(
        name=name, title=str(data.get("title", name)), origin=origin,
        signature=tuple(data.get("signature", ())), required_columns=tuple(data.get("required_columns", ())),
        required_fields=tuple(data.get("required_fields", REQUIRED)), fields=fields_map, props=props,
        inferred=inferred,
    )


def load_layout_file(path: str | Path) -> Layout:
    """A profile from a TOML file."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LayoutError(f"{path}: cannot read mapping: {exc}") from exc
    return parse_layout(data, str(path))


def builtin_layouts() -> dict[str, Layout]:
    """The profiles shipped in ``ingest/profiles``, by name."""
    out = {}
    for entry in sorted(resources.files("ingest.profiles").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            layout = parse_layout(tomllib.loads(entry.read_text("utf-8")), f"ingest/profiles/{entry.name}")
            out[layout.name] = layout
    return out


@dataclass(frozen=True, slots=True)
class LayoutChoice:
    """The profile used for a file, and how sure the choice was."""

    layout: Layout
    score: float
    how: str  # "auto", "named", "file"


def choose_layout(header: Sequence[str], spec: str = "auto") -> LayoutChoice:
    """The layout named by ``spec`` (``auto``, a built-in name, or a mapping file path).

    Raises:
        LayoutError: the name is unknown, or auto-detection found no profile that fits,
            with the columns no profile knows and how to write a mapping.
    """
    layouts = builtin_layouts()
    if spec != "auto":
        if spec in layouts:
            return LayoutChoice(layouts[spec], layouts[spec].score(header), "named")
        if spec.endswith(".toml") or Path(spec).exists():
            layout = load_layout_file(spec)
            return LayoutChoice(layout, layout.score(header), "file")
        raise LayoutError(f"unknown layout {spec!r}; built-in: {', '.join(layouts)}, or give a mapping .toml path")
    ranked = sorted(((lay.score(header), lay.name) for lay in layouts.values()), reverse=True)
    best_score, best_name = ranked[0]
    if best_score >= MIN_AUTO_SCORE:
        return LayoutChoice(layouts[best_name], best_score, "auto")
    known = set().union(*(lay.columns() for lay in layouts.values()))
    unknown = [c for c in header if column_token(c) not in known]
    raise LayoutError(
        f"no built-in layout fits this header (best: {best_name}, score {best_score:.2f}); "
        f"unknown columns: {', '.join(unknown) or '(none)'}. Write a mapping file (see docs/customs.md, "
        f"e.g. copy ingest/profiles/canonical.toml and name your columns) and pass --layout path/to/mapping.toml"
    )


CACHE_CAP = 100_000  # distinct raw values remembered per column and transform across chunks
SAMPLE = 256  # values looked at to tell a column of mostly distinct values (ids, amounts) from a repetitive one
RawColumn = pa.Array | Sequence[Any]  # a column of raw cells: Arrow strings (text files) or typed cells


@dataclass(frozen=True, slots=True)
class _Failed:
    """A value whose transform raised: the reason travels in place of the value."""

    reason: str


@dataclass
class Mapped:
    """A column through its transforms: the values (null where missing or unreadable), and per unreadable row
    the reason."""

    values: pa.Array
    failed: dict[int, str]


class _ColumnTransform:
    """One column through one transform, applied a chunk at a time: each distinct raw value once,
    or, for a column of mostly distinct text values, the plain ones at once through the fast path."""

    def __init__(self, index: int | None, transform: Transform, constant: Any = None,
                 fast: FastPath | None = None, type: pa.DataType = TEXT) -> None:
        self.index = index
        self.transform = transform
        self.fast = fast
        self.type = type
        self.constant = None if index is not None else transform(constant)
        self.cache: dict[Any, Any] = {}

    def _apply(self, raw: Any) -> Any:
        try:
            return self.transform(raw)
        except NormalizationError as exc:
            return _Failed(str(exc))

    def column(self, columns: Sequence[RawColumn], n: int, only: np.ndarray | None = None) -> Mapped:
        """Transformed values of the chunk. With ``only``, just those row positions are transformed and
        the others are null (a fallback column is read only where the preferred one is missing)."""
        if self.index is None:
            return Mapped(pa.array([self.constant] * n, self.type), {})
        raw = columns[self.index]
        if only is None:
            return self.values(raw)
        picked = raw.take(pa.array(only)) if isinstance(raw, pa.Array) else [raw[i] for i in only]
        mapped = self.values(picked)
        return Mapped(_scattered(mapped.values, only, n), {int(only[i]): why for i, why in mapped.failed.items()})

    def values(self, raw: RawColumn) -> Mapped:
        """Transformed raw values: Arrow strings column-wise, other cells one distinct value at a time."""
        if not isinstance(raw, pa.Array):
            strings = as_text(raw) if len(raw) else None
            if strings is None:
                return self._python_values(raw)
            raw = strings
        if self.fast is not None and len(raw) >= SAMPLE and raw.null_count == 0 and \
                pc.count_distinct(raw.slice(0, SAMPLE)).as_py() > SAMPLE // 4:
            read, fast = self.fast(raw)
            rest = np.flatnonzero(~read)
            if not len(rest):
                return Mapped(_typed(fast, self.type), {})
            slow = self._distinct_values(raw.take(pa.array(rest)))
            merged = pc.replace_with_mask(_typed(fast, self.type), pa.array(~read), slow.values)
            return Mapped(merged, {int(rest[i]): why for i, why in slow.failed.items()})
        return self._distinct_values(raw)

    def _distinct_values(self, raw: pa.Array) -> Mapped:
        """Arrow strings transformed one distinct value at a time."""
        encoded = raw.dictionary_encode()
        results = self._transformed(encoded.dictionary.to_pylist())
        values = pa.array([None if type(r) is _Failed else r for r in results], self.type).take(encoded.indices)
        failed_codes = [code for code, r in enumerate(results) if type(r) is _Failed]
        if not failed_codes:
            return Mapped(values, {})
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        rows = np.flatnonzero(np.isin(codes, failed_codes))
        return Mapped(values, {int(i): results[codes[i]].reason for i in rows})

    def _python_values(self, raw: Sequence[Any]) -> Mapped:
        """Typed cells (spreadsheets, Parquet) transformed one distinct value at a time."""
        try:
            distinct = list(dict.fromkeys(raw))
        except TypeError:  # unhashable cells (lists in Parquet): no caching
            results = [self._apply(v) for v in raw]
        else:
            known = dict(zip(distinct, self._transformed(distinct)))
            results = list(map(known.__getitem__, raw))
        failed = {i: r.reason for i, r in enumerate(results) if type(r) is _Failed}
        return Mapped(pa.array([None if type(r) is _Failed else r for r in results], self.type), failed)

    def _transformed(self, distinct: list[Any]) -> list[Any]:
        """Results of distinct raw values, from the cache where it has them."""
        cache = self.cache
        fresh = [v for v in distinct if v not in cache]
        if len(cache) + len(fresh) > CACHE_CAP:
            cache.clear()  # high-cardinality column: keep memory bounded, the chunk's values suffice
            fresh = distinct
        for v in fresh:
            cache[v] = self._apply(v)
        return list(map(cache.__getitem__, distinct))


def _typed(values: pa.Array, type: pa.DataType) -> pa.Array:
    return values if values.type == type else values.cast(type)


def _scattered(values: pa.Array, positions: np.ndarray, n: int) -> pa.Array:
    """An array of ``n`` nulls with ``values`` at ``positions`` (ascending)."""
    mask = np.zeros(n, bool)
    mask[positions] = True
    return pc.replace_with_mask(pa.nulls(n, values.type), pa.array(mask), values)


def _first_present(steps: list[_ColumnTransform], columns: Sequence[RawColumn], n: int) -> Mapped:
    """Per row, the value of the first step that is not missing (a failure counts as present)."""
    mapped = steps[0].column(columns, n)
    for step in steps[1:]:
        missing = _mask(pc.is_null(mapped.values))
        if mapped.failed:
            missing[list(mapped.failed)] = False
        if not missing.any():
            break
        fallback = step.column(columns, n, np.flatnonzero(missing))
        mapped = Mapped(pc.coalesce(mapped.values, _typed(fallback.values, mapped.values.type)),
                        {**mapped.failed, **fallback.failed})
    return mapped


def _mask(flags: pa.Array) -> np.ndarray:
    return flags.to_numpy(zero_copy_only=False).copy()


class RowMapper:
    """Maps chunks of rows (cells under one header) to canonical columns, column by column.

    The canonical columns hold normalised values (ISO dates, HS digits, ISO-2 countries, floats)
    as Arrow arrays. Each distinct raw value of a column is transformed once (names, countries and
    dates repeat a lot); plain values of mostly distinct text columns go through the fast paths.
    """

    def __init__(self, layout: Layout, header: Sequence[str], decimal_comma: bool, defaults: dict[str, str]) -> None:
        self.layout = layout
        self.width = len(header)
        position: dict[str, int] = {}
        for i, name in enumerate(header):
            position.setdefault(column_token(name), i)
        transforms = _transforms(decimal_comma)
        fast = fast_paths(decimal_comma)

        def compile_spec(spec: tuple[Source, ...]) -> list[_ColumnTransform]:
            steps = []
            kind = output_type(spec[0].transform)
            for src in spec:
                if src.column is None:
                    steps.append(_ColumnTransform(None, transforms[src.transform], src.value, type=kind))
                elif (index := position.get(column_token(src.column))) is not None:
                    steps.append(_ColumnTransform(index, transforms[src.transform], fast=fast.get(src.transform),
                                                  type=kind))
            return steps  # empty when every column is absent from this file (optional)

        self.fields = [(name, steps) for name, spec in layout.fields.items() if (steps := compile_spec(spec))]
        self.props = [(group, [(name, steps) for name, spec in specs.items() if (steps := compile_spec(spec))])
                      for group, specs in layout.props.items()]
        for key in defaults:
            if key not in CANONICAL_COLUMNS and key not in EXTRA_FIELDS:
                raise LayoutError(f"--default {key}=...: not a canonical field")
        inferred = {**layout.inferred, **{k: (v, "given with --default") for k, v in defaults.items()}}
        self.inferred = [(key, transforms[DEFAULT_TRANSFORM.get(key, "text")](value), f"{key}={value}: {reason}")
                         for key, (value, reason) in inferred.items()]

    def map(self, cells: Sequence[Any]) -> dict[str, Any]:
        """The canonical row of one source row.

        Raises:
            NormalizationError: a value cannot be read (the message names the field).
        """
        result = self.map_chunk([cells])[0]
        if isinstance(result, NormalizationError):
            raise result
        return result

    def map_chunk(self, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any] | NormalizationError]:
        """Canonical rows of a chunk of source rows (all of the header's width), or the error of each bad row."""
        return self.map_columns(rows).rows()

    def map_columns(self, rows: Sequence[Sequence[Any]]) -> CanonicalColumns:
        """A chunk of source rows (all of the header's width) as canonical columns, with each bad row's reason."""
        columns = list(zip(*rows)) if rows else [()] * self.width
        return self.map_arrays(columns, len(rows))

    def map_arrays(self, columns: Sequence[RawColumn], n: int) -> CanonicalColumns:
        """``n`` source rows given column by column (Arrow strings or cell sequences) as canonical columns."""
        errors: dict[int, str] = {}

        def values(name: str, steps: list[_ColumnTransform]) -> pa.Array:
            mapped = _first_present(steps, columns, n)
            for i, reason in mapped.failed.items():
                errors.setdefault(i, f"{name}: {reason}")
            return mapped.values

        fields = {name: values(name, steps) for name, steps in self.fields}
        props = {group: {name: values(name, steps) for name, steps in specs} for group, specs in self.props if specs}
        inferred: dict[str, tuple[str, np.ndarray]] = {}
        for key, value, why in self.inferred:
            column = fields.get(key)
            if column is None:
                fields[key] = pa.array([value] * n, output_type(DEFAULT_TRANSFORM.get(key, "text")))
                inferred[key] = (why, np.ones(n, bool))
            else:
                inferred[key] = (why, _mask(pc.is_null(column)))
                fields[key] = pc.fill_null(column, value)
        return CanonicalColumns(n, fields, props, inferred, dict(sorted(errors.items())))
