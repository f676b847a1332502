"""Russian defense buyers by explainable rules; the reason is stored on the entity.

Rules (each adds ``roles=["defense_buyer"]`` and a ``role_reasons`` entry
``"defense_buyer: <rule and evidence> [<source>]"``; the store merges props, never deletes):

1. ``military-end-use``: a Russian/Belarusian party listed for military end use (Entity List
   entries under EAR 744.21, the BIS Military End-User list).
2. ``defense-sector``: a Russian party whose name, aliases or list remarks name the defense
   sector (Rostec, Almaz-Antey, KRET, defense industrial base, missile/aircraft/drone makers ...).
3. ``owned-by-defense-group``: a Russian/Belarusian (or country unknown) company OWNED_BY (ownership
   or "Linked To") a defense buyer, up to 3 levels; foreign fronts stay suppliers.
4. ``user-tag``: a line in the user's tag file (entity id or exact name, tag, reason).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.schema import EdgeType, Evidence, Node, NodeType
from graph.stores import GraphStore
from graph.stores.frames import load_props

EXTRACTOR = "classify/1"
ROLE = "defense_buyer"
DEFENSE_COUNTRIES = frozenset({"RU", "BY"})
MILITARY_PROGRAMS = ("744.21", "MEU", "military end")
DEFENSE_TERMS = re.compile(
    r"\b(rostec|rostekh|almaz[- ]antey|almaz[- ]antei|kret|radio[- ]electronic technologies|ruselectronics|"
    r"roselektronika|defen[cs]e industr\w*|defen[cs]e[- ]industrial base|military[- ]industrial|"
    r"united aircraft|tactical missiles|high precision systems|kalashnikov|uralvagonzavod|zala aero|"
    r"izhevsk electromechanical|kupol|oboronprom|tecmash|shvabe|vysokotochnye|npo mashinostroyenia|"
    r"uec|united engine|russian helicopters|sukhoi|mikoyan|irkut|kamov|radar mms|mmz avangard|"
    r"concern vko|aerospace defen[cs]e|armament|munitions?|missile|orlan|lancet|geran)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Tag:
    """A user's tag: entity id or exact name, tag (``defense_buyer``) and reason."""

    entity: str
    tag: str
    reason: str
    line: int = 0


@dataclass(slots=True)
class ClassifyReport:
    """Defense buyers found, with the reasons per entity id."""

    reasons: dict[str, list[str]] = field(default_factory=dict)

    @property
    def buyers(self) -> int:
        return len(self.reasons)

    def add(self, node_id: str, reason: str) -> bool:
        known = self.reasons.setdefault(node_id, [])
        if reason in known:
            return False
        known.append(reason)
        return True


def load_tags(path: str | Path) -> list[Tag]:
    """Tags from a CSV with columns entity, tag, reason.

    Raises:
        ValueError: a missing column or empty entity/tag (with the line).
    """
    path = Path(path)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("entity", "tag") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: tag file needs columns entity,tag,reason (missing {', '.join(missing)})")
        tags = []
        for row in reader:
            if not (row.get("entity") or "").strip() or not (row.get("tag") or "").strip():
                raise ValueError(f"{path} line {reader.line_num}: entity and tag must not be empty")
            tags.append(Tag(row["entity"].strip(), row["tag"].strip(), (row.get("reason") or "").strip(),
                            reader.line_num))
    return tags


def _listing_rules(store: GraphStore, countries: dict[str, str | None], report: ClassifyReport) -> None:
    frame = store.edge_frame([EdgeType.LISTED_ON])
    for source, props_text in frame[["source", "props"]].itertuples(index=False, name=None):
        props = load_props(props_text)
        text = f"{props.get('list', '')} {props.get('program', '')}"
        military = props.get("list") == "bis-meu" or any(p in text for p in MILITARY_PROGRAMS)
        if military and countries.get(source) in DEFENSE_COUNTRIES:
            report.add(source, f"{ROLE}: military-end-use: listed on {props.get('list')} "
                               f"{props.get('program', '')} [{props.get('citation') or props.get('list')}]".strip())


def _sector_rule(node: tuple[str, str, str | None, str], report: ClassifyReport) -> None:
    node_id, name, country, props_text = node
    if country not in DEFENSE_COUNTRIES:
        return
    props = load_props(props_text)
    texts = [("name", name), *(("alias", a) for a in props.get("aliases", []) or []),
             ("remarks", str(props.get("remarks", ""))), ("programs", " ".join(props.get("programs", []) or []))]
    for where, text in texts:
        if m := DEFENSE_TERMS.search(text or ""):
            source = ", ".join(props.get("listed", []) or []) or "store"
            report.add(node_id, f"{ROLE}: defense-sector: {where} mentions {m.group(0)!r} [{source}]")
            return


def _ownership_rule(store: GraphStore, report: ClassifyReport, names: dict[str, str],
                    countries: dict[str, str | None], depth: int = 3) -> None:
    frame = store.edge_frame([EdgeType.OWNED_BY])
    pairs = list(frame[["source", "target", "props"]].itertuples(index=False, name=None))
    for _ in range(depth):
        buyers = set(report.reasons)
        changed = False
        for child, parent, props_text in pairs:
            if parent in buyers and child not in buyers and countries.get(child, "") in (*DEFENSE_COUNTRIES, None):
                relation = load_props(props_text).get("relation", "owned by")
                changed |= report.add(child, f"{ROLE}: owned-by-defense-group: {relation} "
                                             f"{names.get(parent, parent)!r} [OWNED_BY edge]")
        if not changed:
            break


def _tag_rule(tags: Sequence[Tag], ids: set[str], by_name: dict[str, list[str]], report: ClassifyReport) -> None:
    for tag in tags:
        if tag.tag != ROLE:
            continue
        targets = [tag.entity] if tag.entity in ids else by_name.get(tag.entity.casefold(), [])
        if not targets:
            raise ValueError(f"tag file line {tag.line}: no entity with id or name {tag.entity!r}")
        for node_id in targets:
            report.add(node_id, f"{ROLE}: user-tag: {tag.reason or 'tagged by user'} [tag file line {tag.line}]")


def classify_defense_buyers(store: GraphStore, tags: Sequence[Tag] = (), write: bool = True) -> ClassifyReport:
    """Apply the rules to every Company in the store and write the roles and reasons as node records."""
    frame = store.node_frame()
    companies = frame[frame["type"] == NodeType.COMPANY.value]
    countries = {nid: (c if isinstance(c, str) else None) for nid, c in zip(companies["id"], companies["country"],
                                                                              strict=True)}
    names = dict(zip(companies["id"], companies["name"], strict=True))
    report = ClassifyReport()
    _listing_rules(store, countries, report)
    for row in companies[["id", "name", "country", "props"]].itertuples(index=False, name=None):
        _sector_rule(row, report)
    by_name: dict[str, list[str]] = {}
    for nid, name in names.items():
        by_name.setdefault(str(name).casefold(), []).append(nid)
    _tag_rule(tags, set(names), by_name, report)
    _ownership_rule(store, report, names, countries)
    if write and report.reasons:
        store.write(_records(companies, report))
    return report


def _records(companies: object, report: ClassifyReport) -> Iterable[Node]:
    import pandas as pd

    assert isinstance(companies, pd.DataFrame)
    rows = companies[companies["id"].isin(list(report.reasons))]
    for nid, key, name, country in rows[["id", "key", "name", "country"]].itertuples(index=False, name=None):
        reasons = report.reasons[nid]
        ev = Evidence("classifier:defense-buyer", nid, EXTRACTOR, confidence=0.9, excerpt="; ".join(reasons)[:500])
        yield Node(NodeType.COMPANY, key, name, country if isinstance(country, str) else None,
                   props={"roles": [ROLE], "role_reasons": reasons}, evidence=(ev,))
