"""Federal Register Entity List rules (XML with a GPOTABLE) → one dated listing event per entity.

Table rows hold country, entity (name, "a.k.a." aliases as "—" items, addresses), licence
requirement, licence review policy and FR citation. The listing date is the rule's effective
date; the citation is the cell's, with the page filled in from the rule when it says
"[INSERT FR PAGE NUMBER ...]".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from graph.schema import Evidence, Record
from ingest.listing import ListingEvent, Party, party_records
from ingest.normalize import NormalizationError, normalize_country
from ingest.quarantine import Rejected

EXTRACTOR = "fr-entity-list/1"
LIST_KEY = "bis-entity-list"
_EFFECTIVE = re.compile(r"effective\s+([A-Z][a-z]+ \d{1,2}, \d{4})")
_AKA = re.compile(r",?\s*a\.k\.a\.,?.*$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"(\d+)\s+FR\s+\[INSERT FR PAGE NUMBER AND ([\d/]+)\]")
_ADDRESS_START = re.compile(r"^\s*(?:\d|No\.|Room|Floor|Flat|Unit|Building|Bldg|Office|Suite|ul\.|Ulitsa|"
                            r"[A-Z][a-z]+ (?:Street|St\.|Road|Rd\.?|Avenue|Ave\.|Prospekt|pr\.))")
_LEGAL_TAIL = re.compile(r"^\s*(?:Ltd\.?|Limited|LLC|Inc\.?|Co\.?|JSC|OOO|GmbH|S\.A\.|Corp\.?|PLC|LLP)\s*$",
                         re.IGNORECASE)
SECTIONS = ("744.11", "744.21", "746.8")


def _country(text: str) -> str | None:
    for candidate in (text, text.split(",")[0]):  # "CHINA, PEOPLE'S REPUBLIC OF"
        try:
            return normalize_country(candidate.title())
        except NormalizationError:
            continue
    return None


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


@dataclass(slots=True)
class _Entry:
    country: str | None
    country_text: str
    name: str
    aliases: list[str]
    addresses: list[str]
    requirement: str
    policy: str
    citation: str
    line: int
    extra_addresses: list[str] = field(default_factory=list)


def split_entity_cell(cell: ET.Element) -> tuple[str, list[str], list[str]]:
    """(name, aliases, addresses) of an entity cell."""
    head = (cell.text or "")
    for child in cell:
        if child.tag == "LI":
            break
        head += "".join(child.itertext()) + (child.tail or "")
    head = " ".join(head.split())
    aliases, addresses = [], []
    for item in cell.findall("LI"):
        text = _text(item).strip()
        if text.startswith(("—", "-", "–")):
            aliases.append(re.sub(r";?\s*(?:and)?\s*$", "", text.lstrip("—–- ")).rstrip(".;").strip())
        elif text:
            addresses.extend(a.strip().rstrip(".") for a in re.split(r";\s*and\s+|;\s*", text) if a.strip())
    if _AKA.search(head):
        name = _AKA.sub("", head).strip().rstrip(",")
        return name, aliases, addresses
    # "Name, address ..." without aliases: the name ends before the first part that looks like an address
    parts = head.split(", ")
    for i in range(1, len(parts)):
        if _ADDRESS_START.match(parts[i]) and not _LEGAL_TAIL.match(parts[i]):
            return ", ".join(parts[:i]).strip(), aliases, [", ".join(parts[i:]).rstrip(".")] + addresses
    return head.rstrip("."), aliases, addresses


def _rule_facts(root: ET.Element) -> tuple[str | None, int | None]:
    effective = None
    for node in root.iter("EFFDATE"):
        if m := _EFFECTIVE.search(_text(node)):
            effective = datetime.strptime(m.group(1), "%B %d, %Y").date().isoformat()
    pages = [int(p.get("P", "0")) for p in root.iter("PRTPAGE") if (p.get("P") or "").isdigit()]
    first_page = min(pages) - 1 if pages else None  # text before the first page marker sits on the page before
    return effective, first_page


def _citation(text: str, first_page: int | None) -> str:
    if first_page is None:
        return text
    return _PLACEHOLDER.sub(lambda m: f"{m.group(1)} FR {first_page}, {m.group(2)}", text).rstrip(".")


def _entries(root: ET.Element, first_page: int | None) -> Iterator[_Entry | tuple[int, str]]:
    country_text, country = "", None
    last: _Entry | None = None
    for number, row in enumerate(root.iter("ROW"), 1):
        cells = row.findall("ENT")
        texts = [_text(c) for c in cells]
        if not texts or all(not t or set(t) <= {"*", " "} for t in texts):
            continue
        if texts[0] and not set(texts[0]) <= {"*", " "}:
            if texts[0] == "Country":
                continue  # the header row
            country_text = texts[0]
            country = _country(country_text)
        body = [c for c, t in zip(cells[1:], texts[1:], strict=True) if t and not set(t) <= {"*", " "}]
        if len(body) >= 4:
            name, aliases, addresses = split_entity_cell(body[0])
            last = _Entry(country, country_text, name, aliases, addresses, _text(body[1]), _text(body[2]),
                          _citation(_text(body[3]), first_page), number)
            yield last
        elif len(body) == 1 and last is not None and not texts[0]:
            last.extra_addresses.append(_text(body[0]).rstrip("."))  # an address row continuing the entry
        elif body:
            yield (number, " | ".join(texts))


def load_entity_list(path: str | Path) -> Iterator[Record | Rejected]:
    """Records of a Federal Register Entity List rule: party, aliases, addresses, dated listing with citation."""
    path = Path(path)
    source = f"list:{path.name}"
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed XML ({exc})") from exc
    effective, first_page = _rule_facts(root)
    entries = list(_entries(root, first_page))
    if not any(isinstance(e, _Entry) for e in entries):
        raise ValueError(f"{path}: no Entity List table rows (GPOTABLE with country/entity/licence columns)")
    for entry in entries:
        if isinstance(entry, tuple):
            yield Rejected(source, f"table row {entry[0]}", "malformed: row is neither an entry nor an address",
                           entry[1][:500])
            continue
        if not entry.name:
            yield Rejected(source, f"table row {entry.line}", "missing: entity cell has no name")
            continue
        text = f"{entry.requirement} {entry.policy}"
        program = "; ".join(s for s in SECTIONS if s in text)
        evidence = Evidence(source, f"table row {entry.line}", EXTRACTOR, observed=effective,
                            excerpt=f"{entry.country_text} | {entry.name} | {entry.citation}"[:500])
        party = Party(entry.name, country=entry.country, aliases=entry.aliases,
                      addresses=[*entry.addresses, *entry.extra_addresses],
                      props={"license_requirement": entry.requirement, "license_policy": entry.policy,
                             "entity_list_country": entry.country_text})
        event = ListingEvent(LIST_KEY, program, effective, None, entry.citation)
        yield from party_records(party, [event], evidence)
