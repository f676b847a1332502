"""Records shared by every list loader: the listed party, the Listing node and the dated LISTED_ON event."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record
from ingest.keys import company_key, fold_name, normalize_identifier

# Lists we know by name: key -> display name. Other lists get a key from their source (see list_key_for).
LIST_NAMES: dict[str, str] = {
    "ofac-sdn": "OFAC Specially Designated Nationals and Blocked Persons List",
    "ofac-non-sdn": "OFAC Non-SDN Lists (SSI, NS-MBS, CAPTA ...)",
    "bis-entity-list": "BIS Entity List (15 CFR 744 Supp. 4)",
    "bis-meu": "BIS Military End-User List (15 CFR 744 Supp. 7)",
    "bis-uvl": "BIS Unverified List",
    "bis-dpl": "BIS Denied Persons List",
    "state-isn": "State Department Nonproliferation Sanctions",
    "state-dtc": "State Department ITAR Debarred",
    "opensanctions": "OpenSanctions",
}
CSL_SOURCES: dict[str, str] = {
    "SDN": "ofac-sdn", "EL": "bis-entity-list", "MEU": "bis-meu", "UVL": "bis-uvl", "DPL": "bis-dpl",
    "ISN": "state-isn", "DTC": "state-dtc",
}
STRONG_KEY_SCHEMES = ("inn", "ogrn", "uscc", "lei", "imo")
_PARENS = re.compile(r"\(([A-Z0-9-]{2,12})\)")


def list_key_for(source: str) -> str:
    """Key of a list from a CSL ``source`` like "Entity List (EL) - Bureau of Industry and Security".

    >>> list_key_for("Entity List (EL) - Bureau of Industry and Security"), list_key_for("Foo (XYZ) - Dept")
    ('bis-entity-list', 'csl-xyz')
    """
    for abbrev in _PARENS.findall(source):
        if abbrev in CSL_SOURCES:
            return CSL_SOURCES[abbrev]
        if abbrev != "EO":
            return f"csl-{abbrev.lower()}"
    slug = re.sub(r"[^a-z0-9]+", "-", fold_name(source)).strip("-")
    return f"csl-{slug[:40] or 'unknown'}"


def listing_node(list_key: str, evidence: Evidence, name: str | None = None) -> Node:
    """The Listing node of one list."""
    return Node(NodeType.LISTING, list_key, name or LIST_NAMES.get(list_key, list_key),
                props={"list": list_key}, evidence=(evidence,))


@dataclass(slots=True)
class Party:
    """A listed person or company as a loader reads it, before it becomes records."""

    name: str
    is_person: bool = False
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    source_id: str | None = None         # e.g. "ofac:36" (used as key when no strong identifier)
    props: dict[str, object] = field(default_factory=dict)

    def key(self) -> str:
        """Natural key: the list's own entry id, else a strong identifier (INN, OGRN, USCC, LEI, IMO), else name|country.

        The entry id comes first so that two entries sharing an identifier (it happens in
        the SDN list) stay two nodes; the resolver links them with an undoable SAME_AS.
        """
        if self.source_id:
            return self.source_id
        idents = [i for i in (normalize_identifier(x) for x in self.identifiers) if i]
        for scheme in STRONG_KEY_SCHEMES:
            for ident in idents:
                if ident.startswith(scheme + ":") and not self.is_person:
                    return ident
        return company_key(self.name, self.country)

    def node(self, evidence: Evidence) -> Node:
        """The Company or Person node."""
        idents = sorted({i for i in (normalize_identifier(x) for x in self.identifiers) if i})
        props: dict[str, object] = dict(self.props)
        aliases = [a for a in dict.fromkeys(self.aliases) if a and a != self.name]
        if aliases:
            props["aliases"] = aliases
        if idents:
            props["identifiers"] = idents
        if self.addresses:
            props["address"] = list(dict.fromkeys(self.addresses))
        node_type = NodeType.PERSON if self.is_person else NodeType.COMPANY
        return Node(node_type, self.key(), self.name, self.country, props=props, evidence=(evidence,))


@dataclass(frozen=True, slots=True)
class ListingEvent:
    """One party on one list under one program, from a date (and until one, if delisted)."""

    list_key: str
    program: str = ""
    start_date: str | None = None
    end_date: str | None = None
    citation: str | None = None

    def edge(self, party_id: str, evidence: Evidence) -> Edge:
        """The LISTED_ON edge of this event."""
        props = {"list": self.list_key, "program": self.program, "start_date": self.start_date,
                 "end_date": self.end_date, "citation": self.citation}
        target = Node(NodeType.LISTING, self.list_key, "").id
        return Edge(EdgeType.LISTED_ON, party_id, target, key=f"{self.program}|{self.start_date or ''}",
                    date=self.start_date, props={k: v for k, v in props.items() if v is not None}, evidence=(evidence,))


def party_records(party: Party, events: Sequence[ListingEvent], evidence: Evidence) -> Iterator[Record]:
    """The party node, its Listing nodes and LISTED_ON edges, and its country."""
    node = party.node(evidence)
    lists = sorted({e.list_key for e in events})
    if lists:
        node = Node(node.type, node.key, node.name, node.country, props={**node.props, "listed": lists},
                    evidence=node.evidence)
    yield node
    for list_key in lists:
        yield listing_node(list_key, evidence)
    for event in events:
        yield event.edge(node.id, evidence)
    if party.country:
        yield from country_records(node.id, party.country, evidence)


def country_records(owner_id: str, country: str, evidence: Evidence) -> Iterator[Record]:
    """Country node and the LOCATED_IN edge of a party."""
    from ingest.normalize import country_name

    yield Node(NodeType.COUNTRY, country, country_name(country), country, evidence=(evidence,))
    yield Edge(EdgeType.LOCATED_IN, owner_id, Node(NodeType.COUNTRY, country, "").id, evidence=(evidence,))


def split_list(value: str | None, separators: Iterable[str] = (";",)) -> list[str]:
    """Non-empty stripped parts of a multi-valued cell."""
    if not value:
        return []
    parts = [value]
    for sep in separators:
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [p.strip() for p in parts if p.strip()]
