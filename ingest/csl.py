"""trade.gov Consolidated Screening List CSV (29 columns) → parties and dated listings per source list."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from graph.schema import Evidence, Record
from ingest.listing import ListingEvent, Party, list_key_for, party_records, split_list
from ingest.normalize import NormalizationError, clean_text, normalize_country, normalize_date
from ingest.quarantine import Rejected
from ingest.remarks import identifier_of, parse_remarks
from ingest.sdn import read_text

EXTRACTOR = "csl/1"
CSL_COLUMNS = (
    "_id", "source", "entity_number", "type", "programs", "name", "title", "addresses", "federal_register_notice",
    "start_date", "end_date", "standard_order", "license_requirement", "license_policy", "call_sign",
    "vessel_type", "gross_tonnage", "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks",
    "source_list_url", "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids",
)
ID_LABELS = ("Tax ID No.", "Registration ID", "Registration Number", "Public Registration Number",
             "Unified Social Credit Code", "Legal Entity Number", "Business Registration Number", "Company Number",
             "Government Gazette Number", "Identification Number", "V.A.T. Number", "National ID No.",
             "Vessel Registration Identification")
_SUFFIX = "; and any successor, sub-unit, or subsidiary thereof"


def _country_code(text: str) -> str | None:
    try:
        return normalize_country(text.strip())
    except NormalizationError:
        return None


def parse_ids(value: str) -> tuple[list[str], list[str]]:
    """Identifiers and websites of a CSL ``ids`` cell ("Tax ID No., 7704274402, RU; Website, x.ru").

    >>> parse_ids("Tax ID No., 7704274402, RU; Website, rostec.ru; Gender, Male")
    (['inn:7704274402'], ['rostec.ru'])
    """
    idents, sites = [], []
    for part in split_list(value):
        cells = [c.strip() for c in part.split(",")]
        if len(cells) < 2:
            continue
        label, number = cells[0], cells[1]
        country = _country_code(cells[2]) if len(cells) > 2 else None
        if label == "Website":
            sites.append(number)
        elif label in ID_LABELS and number:
            idents.append(identifier_of(label, number, country))
    return idents, sites


def _addresses(value: str) -> tuple[list[str], str | None]:
    addresses = split_list(value)
    country = None
    for address in addresses:
        tail = address.rsplit(",", 1)[-1].strip()
        country = country or (_country_code(tail) if len(tail) == 2 else None)
    return addresses, country


def _row_records(row: dict[str, str], evidence: Evidence) -> Iterator[Record]:
    name = row["name"].removesuffix(_SUFFIX).strip()
    list_key = list_key_for(row["source"])
    idents, sites = parse_ids(row.get("ids", ""))
    facts = parse_remarks(row.get("remarks"))
    addresses, country = _addresses(row.get("addresses", ""))
    kind = (row.get("type") or "").lower()
    country = country or facts.country or _country_code(row.get("nationalities", "").split(";")[0] or "-")
    props: dict[str, object] = {"csl_source": row["source"]}
    for label in ("title", "license_requirement", "license_policy", "remarks"):
        if row.get(label):
            props[label] = row[label]
    if sites or facts.websites:
        props["websites"] = [*sites, *facts.websites]
    if kind in ("vessel", "aircraft"):
        props["entity_kind"] = kind
    number = row.get("entity_number") or ""
    source_id = f"ofac:{number}" if number and list_key.startswith(("ofac", "csl-s", "csl-f", "csl-p")) else None
    party = Party(name, is_person=kind == "individual", country=country, aliases=split_list(row.get("alt_names")),
                  identifiers=[*idents, *facts.identifiers, *([f"ofac:{number}"] if number else [])],
                  addresses=addresses, source_id=source_id or f"csl:{row['_id']}", props=props)
    start = normalize_date(row.get("start_date")) if row.get("start_date") else None
    end = normalize_date(row.get("end_date")) if row.get("end_date") else None
    citation = row.get("federal_register_notice") or None
    programs = split_list(row.get("programs")) or [_program_of(row)]
    events = [ListingEvent(list_key, p, start, end, citation) for p in programs]
    yield from party_records(party, events, evidence)


def _program_of(row: dict[str, str]) -> str:
    text = f"{row.get('license_requirement', '')} {row.get('license_policy', '')}"
    sections = [s for s in ("744.11", "744.21", "746.8") if s in text]
    return "; ".join(sections)


def load_csl(path: str | Path) -> Iterator[Record | Rejected]:
    """Records of a Consolidated Screening List CSV; rows that cannot be read come out as Rejected."""
    path = Path(path)
    source = f"list:{path.name}"
    reader = csv.DictReader(read_text(path).splitlines())
    header = tuple(reader.fieldnames or ())
    missing = [c for c in ("_id", "source", "name", "programs", "start_date") if c not in header]
    if missing:
        raise ValueError(f"{path}: not a Consolidated Screening List CSV, missing column(s) {', '.join(missing)}")
    for row in reader:
        line = reader.line_num
        clean = {k: clean_text(v) or "" for k, v in row.items() if k}
        excerpt = "|".join(clean.get(c, "") for c in ("source", "name", "programs", "start_date"))[:500]
        if not clean.get("name") or not clean.get("source"):
            yield Rejected(source, f"line {line}", "missing: name or source is empty", excerpt)
            continue
        if None in row:
            yield Rejected(source, f"line {line}", f"malformed: more cells than the {len(header)} columns", excerpt)
            continue
        evidence = Evidence(source, f"line {line}", EXTRACTOR, observed=clean.get("start_date") or None,
                            excerpt=excerpt)
        try:
            yield from list(_row_records(clean, evidence))
        except (NormalizationError, ValueError) as exc:
            yield Rejected(source, f"line {line}", f"unreadable: {exc}", excerpt)
