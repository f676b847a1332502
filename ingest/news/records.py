"""Turn a processed Doc into graph records: a plain function, separate from the spaCy components.

Nodes: the Document, and the companies, persons, countries, goods and lists it mentions. Edges: MENTIONS
from the document, and the claims as SUPPLIES / OWNED_BY / LOCATED_IN / LISTED_ON marked
``derivation="text"``. Evidence carries the sentence as excerpt, ``chars A-B`` as locator, the document id
as source, the document date as observed date and a confidence by pattern strength.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc, Span

from graph.goods import chpl_entry, describe_hs, goods_category
from graph.schema import EDGE_RULES, Edge, EdgeType, Evidence, Node, NodeType, Record, node_id
from ingest.keys import company_key
from ingest.news.claims import Claim
from ingest.news.document import NewsDocument
from ingest.news.gazetteer import LISTS, goods_table
from ingest.news.names_index import NameIndex
from ingest.news.tokens import doc_text, entities_of, token_view
from ingest.listing import LIST_NAMES
from ingest.normalize import country_name

EXTRACTOR = "news-spacy/1"
MENTION_CONFIDENCE = 0.7
MAX_MENTION_EVIDENCE = 3
EXCERPT_CHARS = 600
# Listing node keys are the list loaders' keys, so a claim from text and a list row meet on one node.
LIST_KEYS = {"entity_list": "bis-entity-list", "sdn": "ofac-sdn", "meu": "bis-meu"}
_CLAIM_EDGES = {"supply": EdgeType.SUPPLIES, "owner": EdgeType.OWNED_BY, "located": EdgeType.LOCATED_IN,
                "listed": EdgeType.LISTED_ON}


class DocRecords:
    """Builds the records of one document; ``offset`` shifts char spans of chunked documents."""

    def __init__(self, document: NewsDocument, index: NameIndex | None = None) -> None:
        self.document = document
        self.index = index or NameIndex()
        self.source = document.id
        self._seen: set[str] = set()
        self._types: dict[str, NodeType] = {}

    def evidence(self, start: int, end: int, excerpt: str, confidence: float) -> tuple[Evidence, ...]:
        text = " ".join(excerpt.replace("**", "").split())[:EXCERPT_CHARS]
        return (Evidence(self.source, f"chars {start}-{end}", EXTRACTOR, confidence, self.document.date, text),)

    def document_node(self) -> Node:
        doc = self.document
        props = {k: v for k, v in (("url", doc.url), ("date", doc.date), ("path", doc.path), ("title", doc.title))
                 if v}
        evidence = (Evidence(self.source, "document", EXTRACTOR, 1.0, doc.date, (doc.title or "")[:200] or None),)
        return Node(NodeType.DOCUMENT, self.source, doc.title or self.source, None, props, evidence)

    # ---- nodes ------------------------------------------------------------------------------------------
    def party_node(self, ent: Span, evidence: tuple[Evidence, ...]) -> Node | None:
        name = ent._.canonical or ent.text
        country = ent._.country
        label = "PERSON" if ent.label_ == "PERSON" else "ORG"
        resolved = self.index.resolve(name, label, country)
        node_type = NodeType.PERSON if label == "PERSON" else NodeType.COMPANY
        props: dict[str, Any] = {}
        if resolved is not None:  # an existing graph node: keep its key and country, add this spelling
            key, country = resolved.key, resolved.country or country
            props["aliases"] = [name]
        else:
            try:
                key = company_key(name, country)
            except ValueError:
                return None
        if ent.text != name:
            props["aliases"] = [ent.text]
        return Node(node_type, key, name, country, props, evidence)

    def country_node(self, code: str, evidence: tuple[Evidence, ...]) -> Node:
        return Node(NodeType.COUNTRY, code, country_name(code), code, {}, evidence)

    def good_node(self, ent: Span, evidence: tuple[Evidence, ...]) -> Node:
        info = good_info(ent)
        hs = info["hs"]
        key = f"hs{len(hs)}:{hs}"
        name = f"HS {hs[:4]}.{hs[4:]}" if len(hs) == 6 else f"HS {hs}"
        props = {k: v for k, v in (("hs6" if len(hs) == 6 else "hs4", hs), ("hs4", hs[:4]),
                                   ("category", info.get("category")), ("chpl_tier", info.get("chpl_tier")),
                                   ("description", describe_hs(hs)), ("terms", [ent.text.lower()])) if v}
        return Node(NodeType.GOOD, key, name, None, props, evidence)

    def list_node(self, list_id: str, evidence: tuple[Evidence, ...]) -> Node:
        key = LIST_KEYS[list_id]
        return Node(NodeType.LISTING, key, LIST_NAMES.get(key, LISTS[list_id]), "US", {"list": key}, evidence)

    # ---- records ----------------------------------------------------------------------------------------
    def _emit(self, record: Record, out: list[Record]) -> None:
        if isinstance(record, Node):
            rid = record.id  # computed from a sha1: once
            self._types[rid] = record.type
            if rid in self._seen:
                return
            self._seen.add(rid)
        out.append(record)

    def mentions(self, doc: Doc, offset: int = 0) -> Iterator[Record]:
        """Entity nodes and MENTIONS edges for the entities of one Doc (chunk)."""
        out: list[Record] = []
        per_node: dict[str, int] = {}
        doc_id = node_id(NodeType.DOCUMENT, self.source)
        view = token_view(doc)
        starts = [t.i for t in view if t.is_sent_start] or [0]
        for ent in entities_of(doc):
            node = self.entity_node(ent, offset)
            if node is None:
                continue
            self._emit(node, out)
            count = per_node.get(node.id, 0)
            if count < MAX_MENTION_EVIDENCE:
                per_node[node.id] = count + 1
                k = bisect_right(starts, ent.start) - 1
                end = starts[k + 1] if k + 1 < len(starts) else len(doc)
                sentence = stripped_span(doc[starts[max(k, 0)]:max(end, ent.end)])[2]
                evidence = self.evidence(ent.start_char + offset, ent.end_char + offset, sentence, MENTION_CONFIDENCE)
                out.append(Edge(EdgeType.MENTIONS, doc_id, node.id, props={"text": ent.text, "label": ent.label_},
                                evidence=evidence))
        yield from out

    def entity_node(self, ent: Span, offset: int = 0) -> Node | None:
        evidence = self.evidence(ent.start_char + offset, ent.end_char + offset, ent.text, MENTION_CONFIDENCE)
        if ent.label_ in ("ORG", "PERSON"):
            return self.party_node(ent, evidence)
        if ent.label_ == "GPE" and ent.kb_id_:
            return self.country_node(ent.kb_id_, evidence)
        if ent.label_ == "GOOD" and good_info(ent):
            return self.good_node(ent, evidence)
        return None

    def claims(self, doc: Doc, offset: int = 0) -> Iterator[Record]:
        """Claim edges (and the nodes they need) of one Doc (chunk)."""
        out: list[Record] = []
        for claim in doc._.claims or ():
            edge = self.claim_edge(claim, offset, out)
            if edge is not None:
                out.append(edge)
        yield from out

    def claim_edge(self, claim: Claim, offset: int, out: list[Record]) -> Edge | None:
        start, end, text = stripped_span(claim.sentence)
        evidence = self.evidence(start + offset, end + offset, text, claim.confidence)
        subject = self.party_node(claim.subject, evidence)
        if subject is None:
            return None
        self._emit(subject, out)
        props: dict[str, Any] = {"derivation": "text", "rule": claim.rule}
        props.update(claim.props)
        edge_type = _CLAIM_EDGES[claim.kind]
        key, hs = "", None
        if claim.kind == "located":
            target: Node | None = self.country_node(claim.props["country"], evidence)
        elif claim.kind == "listed":
            list_id = claim.list_id or "sdn"
            target = self.list_node(list_id, evidence)
            props["list"] = list_id
        else:
            target = self.party_node(claim.object, evidence) if claim.object is not None else None
        if claim.kind == "supply" and claim.goods:
            goods = [g for g in claim.goods if good_info(g)]
            if goods:
                best = max(goods, key=lambda g: (bool(good_info(g).get("chpl_tier")), len(good_info(g)["hs"])))
                hs = good_info(best)["hs"]
                props["goods"] = sorted({g.text.lower() for g in goods})
                props["category"] = goods_category(hs) or "other_goods"
                entry = chpl_entry(hs)
                if entry is not None:
                    props["chpl_tier"] = entry.tier
                for good in goods:
                    self._emit(self.good_node(good, evidence), out)
            key = f"text|{hs or ''}"
        if target is None:
            return None
        self._emit(target, out)
        shape = (subject.type, edge_type, target.type)
        if shape not in EDGE_RULES or subject.id == target.id:
            return None
        return Edge(edge_type, subject.id, target.id, key=key, date=claim.date if claim.date and len(claim.date) >= 7
                    else self.document.date, hs_code=hs, props=props, evidence=evidence)


def stripped_span(span: Span) -> tuple[int, int, str]:
    """Start, end and text of a span without surrounding whitespace (sentences start with newline tokens)."""
    start = span.start_char
    text = doc_text(span.doc)[start:span.end_char]  # Span.text would build every Token of the sentence
    lead = len(text) - len(text.lstrip())
    core = text.strip()
    return start + lead, start + lead + len(core), core


def good_info(ent: Span) -> dict[str, str]:
    """HS code, category and CHPL tier of a GOOD span (from the goods table)."""
    return goods_table().get(ent.kb_id_ or ent.text.lower(), {})


def doc_to_records(doc: Doc, document: NewsDocument, index: NameIndex | None = None) -> list[Record]:
    """All records of a document processed as one Doc (the Document node first)."""
    builder = DocRecords(document, index)
    return [builder.document_node(), *builder.mentions(doc), *builder.claims(doc)]
