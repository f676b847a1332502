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

from ingest.canonical import CANONICAL_COLUMNS, REQUIRED, CanonicalColumns
from ingest.fastpaths import FastPath, as_text, fast_paths
from ingest.normalize import (
    NormalizationError, clean_text, declaration_date, normalize_country, normalize_date, normalize_hs, normalize_inn,
    normalize_number,
)

# Canonical fields a profile may fill besides CANONICAL_COLUMNS.
EXTRA_FIELDS = ("shipper_alias", "consignee_alias")
PROP_GROUPS = ("edge_props", "shipper_props", "consignee_props")
MIN_AUTO_SCORE = 0.5
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


@dataclass(frozen=True, slots=True)
class _Failed:
    """A value whose transform raised: the reason travels in place of the value."""

    reason: str


class _ColumnTransform:
    """One column through one transform, applied a chunk at a time: each distinct raw value once,
    or, for a column of mostly distinct text values, the plain ones at once through the fast path."""

    def __init__(self, index: int | None, transform: Transform, constant: Any = None,
                 fast: FastPath | None = None) -> None:
        self.index = index
        self.transform = transform
        self.fast = fast
        self.constant = None if index is not None else transform(constant)
        self.cache: dict[Any, Any] = {}
        self.failed = False  # set when a value of the current chunk could not be read
        self.unreadable: set[Any] = set()  # cached raw values whose transform failed

    def _apply(self, raw: Any) -> Any:
        try:
            return self.transform(raw)
        except NormalizationError as exc:
            return _Failed(str(exc))

    def column(self, columns: Sequence[Sequence[Any]], n: int, only: list[int] | None = None) -> list[Any]:
        """Transformed values of the chunk (``_Failed`` where a value cannot be read).

        With ``only``, just those row positions are transformed and the others are None
        (a fallback column is read only where the preferred one is missing).
        """
        if self.index is None:
            return [self.constant] * n
        raw_values = columns[self.index]
        if only is None:
            return self.values(raw_values)
        out: list[Any] = [None] * n
        for i, v in zip(only, self.values([raw_values[i] for i in only])):
            out[i] = v
        return out

    def values(self, raw_values: Sequence[Any]) -> list[Any]:
        """Transformed raw values; sets ``failed`` if one failed."""
        if self.fast is not None and len(raw_values) >= SAMPLE and _mostly_distinct(raw_values) \
                and (strings := as_text(raw_values)) is not None:
            read, out = self.fast(raw_values, strings)
            values = out.tolist()
            rest = np.flatnonzero(~read).tolist()
            if rest:
                for i, value in zip(rest, self.cached_values([raw_values[i] for i in rest])):
                    values[i] = value
            return values
        return self.cached_values(raw_values)

    def cached_values(self, raw_values: Sequence[Any]) -> list[Any]:
        """Transformed raw values, each distinct value transformed once; sets ``failed`` if one failed."""
        cache = self.cache
        try:
            distinct = dict.fromkeys(raw_values)
        except TypeError:  # unhashable cells (lists in Parquet): no caching
            self.failed = True  # look for failures in the values
            return [self._apply(v) for v in raw_values]
        fresh = [v for v in distinct if v not in cache]
        if len(cache) + len(fresh) > CACHE_CAP:
            cache.clear()  # high-cardinality column: keep memory bounded, the chunk's values suffice
            self.unreadable.clear()
            fresh = list(distinct)
        for v in fresh:
            value = cache[v] = self._apply(v)
            if type(value) is _Failed:
                self.unreadable.add(v)
        if self.unreadable and not self.unreadable.isdisjoint(distinct):
            self.failed = True
        return list(map(cache.__getitem__, raw_values))


def _mostly_distinct(raw_values: Sequence[Any]) -> bool:
    try:
        return len(set(raw_values[:SAMPLE])) > SAMPLE // 4
    except TypeError:  # unhashable cells
        return False


def _first_present(steps: list[_ColumnTransform], columns: Sequence[Sequence[Any]], n: int) -> list[Any]:
    """Per row, the value of the first step that is not None (a failure counts as present)."""
    out = steps[0].column(columns, n)
    for step in steps[1:]:
        missing = [i for i, v in enumerate(out) if v is None]
        if not missing:
            break
        fallback = step.column(columns, n, missing)
        for i in missing:
            out[i] = fallback[i]
    return out


class RowMapper:
    """Maps chunks of rows (cell sequences under one header) to canonical rows, column by column.

    The canonical rows hold normalised values (ISO dates, HS digits, ISO-2 countries, floats),
    ready for ``ShipmentBuilder.records(..., normalized=True)``. Each distinct raw value of a
    column is transformed once per chunk (names, countries and dates repeat a lot).
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
            for src in spec:
                if src.column is None:
                    steps.append(_ColumnTransform(None, transforms[src.transform], src.value))
                elif (index := position.get(column_token(src.column))) is not None:
                    steps.append(_ColumnTransform(index, transforms[src.transform], fast=fast.get(src.transform)))
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
        n = len(rows)
        columns = list(zip(*rows))
        errors: dict[int, str] = {}

        def values(name: str, steps: list[_ColumnTransform]) -> list[Any]:
            for step in steps:
                step.failed = False
            merged = _first_present(steps, columns, n) if n else []
            if any(step.failed for step in steps):
                for i, v in enumerate(merged):
                    if type(v) is _Failed and i not in errors:
                        errors[i] = f"{name}: {v.reason}"
            return merged

        fields = {name: values(name, steps) for name, steps in self.fields}
        props = {group: {name: values(name, steps) for name, steps in specs} for group, specs in self.props if specs}
        inferred: dict[str, tuple[str, list[bool]]] = {}
        for key, value, why in self.inferred:
            column = fields.get(key)
            flags = [True] * n if column is None else [v is None for v in column]
            fields[key] = [value] * n if column is None else [value if v is None else v for v in column]
            inferred[key] = (why, flags)
        return CanonicalColumns(n, fields, props, inferred, errors)
