"""OFAC SDN legacy CSV (sdn.csv + add.csv + alt.csv) → parties, dated listings, identifiers and links.

The legacy files have no header, write ``-0-`` for empty cells and are Latin-1 (UTF-8 is
accepted too). Addresses (ent_num, add_num, address, city/state/postal, country, remarks) and
aliases (ent_num, alt_num, alt_type, alt_name, remarks) join the names on ent_num.
The legacy layout carries no listing dates: a LISTED_ON edge says "listed as of" the snapshot
date (``as_of``, read from a ``YYYY-MM-DD`` in the file name when not given).
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record
from ingest.listing import ListingEvent, Party, party_records
from ingest.normalize import NormalizationError, clean_text, is_missing, normalize_country
from ingest.quarantine import Rejected
from ingest.remarks import parse_remarks

EXTRACTOR = "ofac-sdn/1"
LIST_KEY = "ofac-sdn"
SDN_COLUMNS = ("ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage",
               "GRT", "Vess_flag", "Vess_owner", "Remarks")
ADD_COLUMNS = ("ent_num", "add_num", "address", "city_state_postal", "country", "remarks")
ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "remarks")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")
_PROGRAM_SPLIT = re.compile(r"\]\s*\[")
EOF_MARK = "\x1a"  # old OFAC files end with a Ctrl-Z line


def read_text(path: Path) -> str:
    """File text as UTF-8 when it is valid UTF-8, else Latin-1 (the legacy OFAC encoding)."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def legacy_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells with ``-0-`` as "") of a headerless legacy OFAC CSV."""
    reader = csv.reader(read_text(path).splitlines())
    for cells in reader:
        line = reader.line_num
        if not cells or (len(cells) == 1 and cells[0].strip() in ("", EOF_MARK)):
            continue
        yield line, ["" if is_missing(c) else (clean_text(c) or "") for c in cells]


def split_programs(value: str) -> list[str]:
    """Programs of an SDN row: ``"FTO] [SDGT] [RUSSIA-EO14024"`` -> ``['FTO', 'SDGT', 'RUSSIA-EO14024']``."""
    return [p.strip(" []") for p in _PROGRAM_SPLIT.split(value or "") if p.strip(" []")]


def find_companions(path: Path) -> tuple[Path | None, Path | None]:
    """The address and alias files beside an SDN file (add*.csv, alt*.csv), if any."""
    def pick(prefix: str) -> Path | None:
        found = sorted(p for p in path.parent.glob(f"{prefix}*.csv") if p != path)
        return found[-1] if found else None

    return pick("add"), pick("alt")


@dataclass(slots=True)
class SdnExtras:
    """Addresses and aliases per ent_num, with the rows that could not be read."""

    addresses: dict[str, list[tuple[str, str | None]]] = field(default_factory=lambda: defaultdict(list))
    aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    rejected: list[Rejected] = field(default_factory=list)


def read_extras(address_path: Path | None, alias_path: Path | None) -> SdnExtras:
    """Read the address and alias files (either may be missing)."""
    extras = SdnExtras()
    if address_path is not None:
        source = f"list:{address_path.name}"
        for line, cells in legacy_rows(address_path):
            if len(cells) != len(ADD_COLUMNS) or not cells[0].isdigit():
                extras.rejected.append(Rejected(source, f"line {line}", f"malformed: expected {len(ADD_COLUMNS)} "
                                                f"cells with a numeric ent_num, got {len(cells)}", "|".join(cells)))
                continue
            text = ", ".join(c for c in cells[2:5] if c)
            try:
                country = normalize_country(cells[4]) if cells[4] else None
            except NormalizationError:
                country = None
            if text:
                extras.addresses[cells[0]].append((text, country))
    if alias_path is not None:
        source = f"list:{alias_path.name}"
        for line, cells in legacy_rows(alias_path):
            if len(cells) != len(ALT_COLUMNS) or not cells[0].isdigit() or not cells[3]:
                extras.rejected.append(Rejected(source, f"line {line}", f"malformed: expected {len(ALT_COLUMNS)} "
                                                f"cells with ent_num and alt_name, got {len(cells)}", "|".join(cells)))
                continue
            extras.aliases[cells[0]].append(cells[3])
    return extras


def _party(cells: list[str], extras: SdnExtras) -> tuple[Party, list[str]]:
    ent, name, sdn_type = cells[0], cells[1], cells[2].lower()
    facts = parse_remarks(cells[11])
    addresses = extras.addresses.get(ent, [])
    country = next((c for _, c in addresses if c), None) or facts.country
    props: dict[str, object] = {"ofac_ent_num": ent, "programs": split_programs(cells[3])}
    if sdn_type in ("vessel", "aircraft"):
        props["entity_kind"] = sdn_type
        for label, value in zip(("call_sign", "vessel_type", "tonnage", "grt", "flag", "vessel_owner"),
                                cells[5:11], strict=True):
            if value:
                props[label] = value
    if cells[4]:
        props["title"] = cells[4]
    if facts.websites:
        props["websites"] = facts.websites
    if facts.established:
        props["registered"] = facts.established
    if facts.birth_date:
        props["birth_date"] = facts.birth_date
    if facts.linked_to:
        props["linked_to"] = facts.linked_to
    if cells[11]:
        props["remarks"] = cells[11][:2000]
    party = Party(name, is_person=sdn_type == "individual", country=country,
                  aliases=[*extras.aliases.get(ent, []), *facts.aliases],
                  identifiers=[f"ofac:{ent}", *facts.identifiers], addresses=[a for a, _ in addresses],
                  source_id=f"ofac:{ent}", props=props)
    return party, facts.linked_to


def sdn_as_of(path: Path) -> str | None:
    """The snapshot date in an SDN file name (``sdn_2023-10-31.csv``), if any."""
    match = _DATE_IN_NAME.search(path.name)
    return match.group(1) if match else None


def load_sdn(path: str | Path, address_path: str | Path | None = None, alias_path: str | Path | None = None,
             as_of: str | None = None, find_extras: bool = True) -> Iterator[Record | Rejected]:
    """Records of an OFAC SDN legacy CSV joined with its address and alias files.

    Yields a Company/Person node per row (identifiers from remarks, aliases, addresses,
    country), the ``ofac-sdn`` Listing node, one LISTED_ON edge per program, LOCATED_IN,
    OWNED_BY edges for ``Linked To:`` parties found in the same file, and Rejected items for
    rows that cannot be read and for address/alias rows of entries missing from the file.
    """
    path = Path(path)
    found_add, found_alt = find_companions(path) if find_extras else (None, None)
    add = Path(address_path) if address_path else found_add
    alt = Path(alias_path) if alias_path else found_alt
    extras = read_extras(add, alt)
    yield from extras.rejected
    as_of = as_of or sdn_as_of(path)
    source = f"list:{path.name}"
    parties: list[tuple[Party, list[str], Evidence, list[str]]] = []
    by_name: dict[str, tuple[str, NodeType]] = {}
    seen: set[str] = set()
    for line, cells in legacy_rows(path):
        if len(cells) != len(SDN_COLUMNS) or not cells[0].isdigit() or not cells[1]:
            yield Rejected(source, f"line {line}", f"malformed: expected {len(SDN_COLUMNS)} cells with a numeric "
                           f"ent_num and a name, got {len(cells)}", "|".join(cells)[:500])
            continue
        if cells[0] in seen:
            yield Rejected(source, f"line {line}", f"duplicate: ent_num {cells[0]} appears twice", "|".join(cells)[:500])
            continue
        seen.add(cells[0])
        party, linked = _party(cells, extras)
        evidence = Evidence(source, f"ent_num {cells[0]}", EXTRACTOR, observed=as_of,
                            excerpt=",".join(cells)[:500])
        node_type = NodeType.PERSON if party.is_person else NodeType.COMPANY
        by_name[party.name.upper()] = (Node(node_type, party.key(), "").id, node_type)
        parties.append((party, linked, evidence, split_programs(cells[3])))
    for ent in sorted((set(extras.addresses) | set(extras.aliases)) - seen, key=int):
        yield Rejected(source, f"ent_num {ent}", f"orphan: address/alias rows for ent_num {ent}, which is not in "
                       f"{path.name}")
    for party, linked, evidence, programs in parties:
        events = [ListingEvent(LIST_KEY, program, None, None, f"OFAC SDN as of {as_of}" if as_of else None)
                  for program in programs or [""]]
        records = list(party_records(party, events, evidence))
        yield from records
        yield from _links(records[0], linked, by_name, evidence)


def _links(node: Record, linked: list[str], by_name: dict[str, tuple[str, NodeType]],
           evidence: Evidence) -> Iterator[Edge]:
    assert isinstance(node, Node)
    for name in linked:
        target = by_name.get(name.upper())
        if target is None or target[0] == node.id:
            continue
        if node.type is NodeType.PERSON and target[1] is NodeType.PERSON:
            continue  # person-to-person links have no edge type; kept in props["linked_to"]
        link_ev = Evidence(evidence.source, evidence.locator, EXTRACTOR, confidence=0.7, observed=evidence.observed,
                           excerpt=f"Linked To: {name}")
        yield Edge(EdgeType.OWNED_BY, node.id, target[0], key="linked_to", props={"relation": "linked_to"},
                   evidence=(link_ev,))


def sdn_program_counts(path: str | Path) -> Counter[str]:
    """Rows per program in an SDN file (a row with two programs counts in both), for checks."""
    counts: Counter[str] = Counter()
    for _, cells in legacy_rows(Path(path)):
        if len(cells) == len(SDN_COLUMNS) and cells[0].isdigit():
            counts.update(split_programs(cells[3]))
    return counts
