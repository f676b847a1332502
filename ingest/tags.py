"""User tag files: an analyst marks companies as US makers, Russian defense buyers, distributors ...

A tag file is CSV with the columns ``name,country,identifier,tag,reason``. Each row becomes a
Company node keyed like customs records (ingest.keys.company_key), so it merges into the company
the customs rows name, carrying ``roles=[tag]`` and ``role_reasons=["<tag>: <reason> [tags:<file>]"]``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, node_id
from ingest.keys import company_key, normalize_identifier
from ingest.normalize import NormalizationError, clean_text, country_name, normalize_country
from ingest.quarantine import Rejected

EXTRACTOR = "tags/1"
TAG_COLUMNS = ("name", "country", "identifier", "tag", "reason")
TAG_CONFIDENCE = 1.0  # an analyst's explicit statement
_TAG = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
MAX_FIELD = 1000


def load_tags(path: str | Path) -> Iterator[Record | Rejected]:
    """Company nodes with roles from a tag file; unusable rows come out as Rejected with the reason.

    Raises:
        ValueError: the file is not a tag file (missing columns) or not UTF-8 text.
    """
    path = Path(path)
    source = f"tags:{path.name}"
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("name", "tag") if c not in (reader.fieldnames or ())]
            if missing:
                raise ValueError(f"{path}: not a tag file, missing column(s) {', '.join(missing)} "
                                 f"(expected {','.join(TAG_COLUMNS)})")
            countries: set[str] = set()
            for number, row in enumerate(reader, start=2):
                locator = f"row {number}"
                raw = ",".join(str(row.get(c) or "") for c in TAG_COLUMNS)[:500]
                try:
                    yield from _records(row, source, locator, raw, countries)
                except NormalizationError as exc:
                    yield Rejected(source, locator, str(exc), raw)
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _records(row: dict[str, str | None], source: str, locator: str, raw: str,
             countries: set[str]) -> Iterator[Record]:
    if None in row:
        raise NormalizationError(f"too many fields ({len(row) - 1 + len(row[None] or [])})")  # type: ignore[index]
    values = {c: clean_text(row.get(c)) for c in TAG_COLUMNS}
    if any(v is not None and len(v) > MAX_FIELD for v in values.values()):
        raise NormalizationError(f"field longer than {MAX_FIELD} characters")
    name, tag, reason = values["name"], values["tag"], values["reason"]
    if name is None:
        raise NormalizationError("missing required field(s): name")
    if tag is None or not _TAG.match(tag.lower()):
        raise NormalizationError(f"tag {tag!r} is not a role name (lower-case letters, digits, _)")
    tag = tag.lower()
    country = normalize_country(values["country"])
    identifier = values["identifier"]
    ident = normalize_identifier(identifier) if identifier else None
    if identifier and ident is None:
        raise NormalizationError(f"identifier {identifier!r} is not scheme:value with a known scheme")
    try:
        key = company_key(name, country, ident)
    except ValueError as exc:
        raise NormalizationError(f"name: {exc}") from exc
    evidence = (Evidence(source, locator, EXTRACTOR, TAG_CONFIDENCE, None, raw),)
    props: dict[str, object] = {"roles": [tag], "role_reasons": [f"{tag}: {reason or 'tagged'} [{source}]"]}
    if ident:
        props["identifiers"] = [ident]
    company = Node(NodeType.COMPANY, key, name, country, props, evidence)
    yield company
    if country:
        if country not in countries:
            countries.add(country)
            yield Node(NodeType.COUNTRY, country, country_name(country), country, {}, evidence)
        yield Edge(EdgeType.LOCATED_IN, company.id, node_id(NodeType.COUNTRY, country), evidence=evidence)
