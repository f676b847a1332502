"""The records a customs document becomes, a chunk of rows at a time.

One row becomes a SHIPPED edge from shipper to consignee, the two companies, their
countries (LOCATED_IN) and the good (HS-6 node; the brand's maker MANUFACTURES it).
``ingest.shipment_plan`` works out each chunk on its own (possibly in another process);
the :class:`ShipmentBuilder` of the document decides which nodes are new to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from graph.batch import EdgeBatch
from graph.schema import EdgeType, Evidence, Node, NodeType, Record, edge_ids
from graph.stores.frames import SCHEMAS, dump_props
from ingest.canonical import CANONICAL_COLUMNS, REQUIRED, CanonicalColumns
from ingest.keys import company_key, fold_name
from ingest.normalize import NormalizationError, country_name
from ingest.shipment_plan import ChunkPlan, Company, RowFacts, ShipmentPlanner, evidence_table

__all__ = ["CANONICAL_COLUMNS", "CUSTOMS_CONFIDENCE", "REQUIRED", "BuiltChunk", "ShipmentBuilder"]
CUSTOMS_CONFIDENCE = 0.95


@dataclass
class BuiltChunk:
    """What a chunk of rows became: node records, the edges as one batch, the rejected rows (row -> reason)."""

    records: list[Record]
    edges: list[EdgeBatch]
    rejected: dict[int, str]


class ShipmentBuilder:
    """Turns the planned chunks of one source document, in order, into records.

    Nodes get evidence once per document (the first row that names them), so a
    company seen in a million rows does not carry a million pieces of evidence;
    every edge gets its own row as evidence. A company is emitted again only when a
    row adds something new about it (another name, or a value of one of its props).
    """

    def __init__(self, source: str, extractor: str, confidence: float = CUSTOMS_CONFIDENCE,
                 required: tuple[str, ...] = REQUIRED) -> None:
        self.source = source
        self.extractor = extractor
        self.confidence = confidence
        self.planner = ShipmentPlanner(source, extractor, confidence, required)
        self._seen: set[str] = set()  # ids of nodes emitted
        self._named: set[tuple[Any, ...]] = set()  # company names (name, country, identifier, alias) emitted
        self._facts: set[tuple[str, str, Any]] = set()  # (company id, prop, value) emitted
        self._makers: dict[str, str | None] = {}  # brand -> id of its maker (None: a brand of punctuation only)
        self._linked: set[tuple[str, str]] = set()  # (source, target) of LOCATED_IN and MANUFACTURES edges emitted
        self._countries: dict[str, str] = {}  # code -> id of the country nodes emitted

    def records(self, row: Mapping[str, Any], locator: str, excerpt: str | None = None) -> list[Record]:
        """Records for one raw canonical row (a convenience over :meth:`build`).

        Raises:
            NormalizationError: a required field is missing or a value is unreadable (quarantine reason).
        """
        built = self.build(CanonicalColumns.from_row(row), [locator], [excerpt])
        if built.rejected:
            raise NormalizationError(built.rejected[0])
        return [*built.records, *(edge for batch in built.edges for edge in batch.records())]

    def build(self, chunk: CanonicalColumns, locators: Sequence[str], excerpts: Sequence[str | None]) -> BuiltChunk:
        """Plan a chunk here and now, then :meth:`add` it."""
        return self.add(self.planner.plan(chunk, locators, excerpts))

    def add(self, plan: ChunkPlan) -> BuiltChunk:
        """Records of the next planned chunk of the document: the nodes it names first or tells something new
        about, their LOCATED_IN and MANUFACTURES edges, and its shipments."""
        out: list[Record] = []
        links: list[tuple[EdgeType, str, str, dict[str, Any], RowFacts]] = []
        named = self._named
        for row in plan.facts:
            evidence: tuple[Evidence, ...] | None = None
            for company, facts, why in row.companies:
                if company.names in named and not facts:
                    continue  # (the common case, checked here: a company named before, with no facts)
                evidence = evidence or self._evidence(row)
                self._company(company, facts, why, row, evidence, out, links)
            good = row.good
            if good is not None:
                if good.id not in self._seen:
                    evidence = evidence or self._evidence(row)
                    self._node(Node(NodeType.GOOD, good.key, good.name, None, good.props, evidence), good.id, out)
                maker = self._maker(row.brand, row, out) if row.brand else None
                if maker is not None and (maker, good.id) not in self._linked:
                    self._linked.add((maker, good.id))
                    links.append((EdgeType.MANUFACTURES, maker, good.id, {}, row))
        edges = [batch for batch in (plan.shipments, self._links_batch(links)) if batch is not None]
        return BuiltChunk(out, edges, plan.rejected)

    def _evidence(self, row: RowFacts) -> tuple[Evidence, ...]:
        return (Evidence(self.source, row.locator, self.extractor, self.confidence, row.date, row.excerpt),)

    def _node(self, node: Node, nid: str, out: list[Record]) -> str:
        """Emit a node (of id ``nid``) the first time its id comes; returns the id."""
        if nid not in self._seen:
            self._seen.add(nid)
            out.append(node)
        return nid

    def _company(self, company: Company, facts: dict[str, Any], why: str | None, row: RowFacts,
                 evidence: tuple[Evidence, ...], out: list[Record],
                 links: list[tuple[EdgeType, str, str, dict[str, Any], RowFacts]]) -> None:
        """The company's node the first time a row names it so, and again with each new fact a row adds."""
        first = company.names not in self._named
        fresh = {k: v for k, v in facts.items() if (company.id, k, _hashable(v)) not in self._facts}
        if not first and not fresh:
            return
        self._facts.update((company.id, k, _hashable(v)) for k, v in fresh.items())
        props = {k: v if isinstance(v, list) else [v] for k, v in fresh.items()}
        if first:
            self._named.add(company.names)
            props = {**company.props, **props}
        out.append(Node(NodeType.COMPANY, company.key, company.name, company.country, props, evidence))
        if company.id not in self._seen:
            self._seen.add(company.id)
            if company.country:
                country = self._country(company.country, evidence, out)
                links.append((EdgeType.LOCATED_IN, company.id, country, {"inferred": why} if why else {}, row))

    def _country(self, code: str, evidence: tuple[Evidence, ...], out: list[Record]) -> str:
        """Id of a country's node, emitted the first time it comes."""
        nid = self._countries.get(code)
        if nid is None:
            node = Node(NodeType.COUNTRY, code, country_name(code), code, {}, evidence)
            nid = self._countries[code] = self._node(node, node.id, out)
        return nid

    def _maker(self, brand: str, row: RowFacts, out: list[Record]) -> str | None:
        """Id of the company a brand names as its maker (emitted once); None for a brand of punctuation only."""
        if brand not in self._makers:
            maker = None
            if fold_name(brand):  # a brand of punctuation only stays a prop, not a maker
                node = Node(NodeType.COMPANY, company_key(brand), brand, None, {"roles": ["manufacturer"]},
                            self._evidence(row))
                maker = self._node(node, node.id, out)
            self._makers[brand] = maker
        return self._makers[brand]

    def _links_batch(self, links: Iterable[tuple[EdgeType, str, str, dict[str, Any], RowFacts]]) -> EdgeBatch | None:
        """LOCATED_IN and MANUFACTURES edges (one row of evidence each) as a batch."""
        links = list(links)
        if not links:
            return None
        types, sources, targets, props, rows = zip(*links)
        m = len(rows)
        ids = pa.array(_link_ids(types, sources, targets), pa.string())
        nothing = pa.nulls(m, pa.string())
        edges = pa.Table.from_arrays([
            ids, pa.array([t.value for t in types], pa.string()), pa.array(sources, pa.string()),
            pa.array(targets, pa.string()), pa.array([""] * m, pa.string()), nothing, nothing,
            pa.nulls(m, pa.float64()), pa.nulls(m, pa.float64()), nothing,
            pa.array(map(dump_props, props), pa.string()),
        ], schema=SCHEMAS["edges"])
        evidence = evidence_table(ids, self.source, self.extractor, self.confidence, [r.locator for r in rows],
                                  [r.date for r in rows], [r.excerpt for r in rows])
        return EdgeBatch(edges, evidence)


def _link_ids(types: Sequence[EdgeType], sources: Sequence[str], targets: Sequence[str]) -> list[str]:
    """Ids of edges without a key, one type at a time."""
    ids = [""] * len(types)
    for kind in set(types):
        at = [i for i, t in enumerate(types) if t is kind]
        found = edge_ids(kind, [sources[i] for i in at], [targets[i] for i in at], [""] * len(at))
        for i, nid in zip(at, found):
            ids[i] = nid
    return ids


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value
