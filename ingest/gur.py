"""Component teardown tables (GUR "War & Sanctions" layout) → maker → part → weapon records.

Tables (in one directory): ``drones.csv`` (weapons), ``manufacturers.csv``, ``components.csv``
(one identified part: marking, maker, maker country, OEM part number, weapons it was found
in), ``supply_chain_edges.csv`` (curated maker → weapon), ``teardowns.csv`` (reports).
A US maker's part found in a Russian weapon becomes
Company -MANUFACTURES-> Good -FOUND_IN-> Weapon, plus Company -FOUND_IN-> Weapon: the end of
a path the trace can use.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record
from ingest.keys import company_key, fold_name
from ingest.listing import country_records
from ingest.names import match_key
from ingest.normalize import NormalizationError, clean_text, normalize_country
from ingest.quarantine import Rejected

EXTRACTOR = "gur/1"
UNKNOWN_MAKERS = frozenset({"", "not identified", "unknown", "n/a", "unidentified"})
CONFIDENCE = {"high": 0.9, "medium": 0.7, "low": 0.5}
_PART = re.compile(r"[^0-9A-Z]+")


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.exists():
        return
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            yield reader.line_num, {k: clean_text(v) or "" for k, v in row.items() if k}


def _json_list(text: str) -> list[str]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return [p.strip() for p in text.strip("[]").split(",") if p.strip()]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _country(text: str) -> str | None:
    try:
        return normalize_country(text) if text and text.upper() != "UNK" else None
    except NormalizationError:
        return None


def part_key(part_number: str) -> str:
    """Key of a part number: upper-case letters and digits only (``STM32F103-C8T6`` -> ``STM32F103C8T6``)."""
    return _PART.sub("", part_number.upper())


class _Weapons:
    """Weapons by GUR id and by name (supply_chain_edges name them by display name)."""

    def __init__(self) -> None:
        self.by_id: dict[str, Node] = {}
        self.by_name: dict[str, Node] = {}

    def add(self, node: Node, names: list[str]) -> None:
        self.by_id[node.key.removeprefix("gur:")] = node
        for name in names:
            self.by_name.setdefault(match_key(name), node)

    def find(self, text: str) -> Node | None:
        return self.by_id.get(text) or self.by_name.get(match_key(text))


def _weapon_records(directory: Path, weapons: _Weapons) -> Iterator[Record | Rejected]:
    source = f"gur:{directory.name}/drones.csv"
    for line, row in _rows(directory / "drones.csv"):
        if not row.get("id") or not row.get("display_name"):
            yield Rejected(source, f"line {line}", "missing: id or display_name", str(row)[:300])
            continue
        aliases = _json_list(row.get("aka", ""))
        ev = Evidence(source, f"line {line}", EXTRACTOR, observed=row.get("last_verified") or None,
                      excerpt=f"{row['id']} | {row['display_name']} | {row.get('role', '')}")
        props = {"aliases": aliases, "role": row.get("role", ""), "operators": _json_list(row.get("operators", "")),
                 "source_url": row.get("primary_source_url", ""), "gur_id": row["id"]}
        node = Node(NodeType.WEAPON, f"gur:{row['id']}", row["display_name"], _country(row.get("manufacturer_country", "")),
                    props={k: v for k, v in props.items() if v}, evidence=(ev,))
        weapons.add(node, [row["display_name"], row["id"], *aliases])
        yield node


def _maker(name: str, country: str | None, ev: Evidence) -> list[Record]:
    node = Node(NodeType.COMPANY, company_key(name, country), name, country,
                props={"roles": ["manufacturer"]}, evidence=(ev,))
    return [node, *(country_records(node.id, country, ev) if country else [])]


def _maker_countries(directory: Path) -> dict[str, str | None]:
    return {fold_name(row["name"]): _country(row.get("country", ""))
            for _, row in _rows(directory / "manufacturers.csv") if row.get("name")}


def _component_records(directory: Path, weapons: _Weapons) -> Iterator[Record | Rejected]:
    source = f"gur:{directory.name}/components.csv"
    countries = _maker_countries(directory)
    for line, row in _rows(directory / "components.csv"):
        cid = row.get("component_id", "")
        excerpt = " | ".join(row.get(c, "") for c in ("component_id", "name_marking", "manufacturer",
                                                       "manufacturer_country", "oem_part_number", "found_in_drones"))
        if not cid:
            yield Rejected(source, f"line {line}", "missing: component_id", excerpt[:300])
            continue
        ev = Evidence(source, f"component {cid}", EXTRACTOR, confidence=0.9, observed=row.get("last_verified") or None,
                      excerpt=excerpt[:500])
        part = row.get("oem_part_number", "")
        props: dict[str, object] = {"description": row.get("name_marking", ""), "category": row.get("category", ""),
                                    "gur_components": [cid], "source_url": row.get("source_url", "")}
        if part and part_key(part):
            props["part_numbers"] = [part]
        good = Node(NodeType.GOOD, f"part:{part_key(part)}" if part and part_key(part) else f"gur:{cid}",
                    part or row.get("name_marking") or cid, props={k: v for k, v in props.items() if v}, evidence=(ev,))
        yield good
        maker_name = row.get("manufacturer", "")
        maker: Node | None = None
        if fold_name(maker_name) not in UNKNOWN_MAKERS:
            country = _country(row.get("manufacturer_country", "")) or countries.get(fold_name(maker_name))
            records = _maker(maker_name, country, ev)
            maker = records[0]  # type: ignore[assignment]
            yield from records
            yield Edge(EdgeType.MANUFACTURES, maker.id, good.id, props={"part_number": part} if part else {},
                       evidence=(ev,))
        drones = _json_list(row.get("found_in_drones", ""))
        if not drones:
            yield Rejected(source, f"line {line}", f"missing: component {cid} names no weapon", excerpt[:300])
        for drone in drones:
            weapon = weapons.find(drone)
            if weapon is None:
                yield Rejected(source, f"line {line}", f"unknown weapon: {drone!r} is not in drones.csv", excerpt[:300])
                continue
            yield Edge(EdgeType.FOUND_IN, good.id, weapon.id, key=cid, props={"component": cid}, evidence=(ev,))
            if maker is not None:
                yield Edge(EdgeType.FOUND_IN, maker.id, weapon.id, evidence=(ev,))


def _curated_records(directory: Path, weapons: _Weapons) -> Iterator[Record | Rejected]:
    source = f"gur:{directory.name}/supply_chain_edges.csv"
    countries = _maker_countries(directory)
    for line, row in _rows(directory / "supply_chain_edges.csv"):
        excerpt = " | ".join(row.get(c, "") for c in ("edge_id", "source_entity", "relation", "target_entity", "notes"))
        if row.get("source_type") != "manufacturer" or row.get("target_type") != "drone":
            yield Rejected(source, f"line {line}", f"unsupported: {row.get('source_type')} -> "
                           f"{row.get('target_type')} edges are not read", excerpt[:300])
            continue
        ev = Evidence(source, f"edge {row.get('edge_id', line)}", EXTRACTOR,
                      confidence=CONFIDENCE.get(row.get("confidence", "").lower(), 0.7), excerpt=excerpt[:500])
        weapon = weapons.find(row.get("target_entity", ""))
        if weapon is None:  # curated edges may name a weapon the drones table lacks: add it
            weapon = Node(NodeType.WEAPON, f"name:{fold_name(row['target_entity'])}", row["target_entity"],
                          evidence=(ev,))
            weapons.add(weapon, [row["target_entity"]])
            yield weapon
        name = row.get("source_entity", "")
        records = _maker(name, countries.get(fold_name(name)), ev)
        yield from records
        yield Edge(EdgeType.FOUND_IN, records[0].id, weapon.id, props={"notes": row.get("notes", "")}, evidence=(ev,))


def _teardown_records(directory: Path, weapons: _Weapons) -> Iterator[Record | Rejected]:
    source = f"gur:{directory.name}/teardowns.csv"
    for line, row in _rows(directory / "teardowns.csv"):
        if not row.get("url"):
            yield Rejected(source, f"line {line}", "missing: url", str(row)[:300])
            continue
        ev = Evidence(source, f"teardown {row.get('teardown_id', line)}", EXTRACTOR,
                      observed=row.get("published_date") or None, excerpt=row.get("title", "")[:300])
        doc = Node(NodeType.DOCUMENT, row["url"], row.get("title") or row["url"],
                   props={"organization": row.get("organization", ""), "published": row.get("published_date", "")},
                   evidence=(ev,))
        yield doc
        weapon = weapons.find(row.get("drone_id", ""))
        if weapon is not None:
            yield Edge(EdgeType.MENTIONS, doc.id, weapon.id, evidence=(ev,))


def load_gur(directory: str | Path) -> Iterator[Record | Rejected]:
    """Records of a GUR component table set (any of the five files may be missing except components.csv)."""
    directory = Path(directory)
    if directory.is_file():
        directory = directory.parent
    if not (directory / "components.csv").exists() and not (directory / "supply_chain_edges.csv").exists():
        raise ValueError(f"{directory}: no components.csv or supply_chain_edges.csv")
    weapons = _Weapons()
    yield from _weapon_records(directory, weapons)
    yield from _component_records(directory, weapons)
    yield from _curated_records(directory, weapons)
    yield from _teardown_records(directory, weapons)
