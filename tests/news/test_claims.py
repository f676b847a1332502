"""Claims: supply, ownership, location and listing, with goods, dates, spans and evidence."""

from __future__ import annotations

from spacy.language import Language

from graph.schema import EdgeType, NodeType, validate
from ingest.news import NewsDocument, doc_to_records
from ingest.news.records import EXTRACTOR


def claims(nlp: Language, text: str) -> set[tuple[str, str, str]]:
    out = set()
    for c in nlp(text)._.claims:
        obj = c.list_id if c.kind == "listed" else c.props["country"] if c.kind == "located" else c.object._.canonical
        out.add((c.kind, c.subject._.canonical, obj))
    return out


def test_supply_with_goods_and_date(nlp: Language) -> None:
    doc = nlp("Hong Kong-based Sky Harbor Trading Ltd shipped microcontrollers and GNSS modules to Russian defense "
              "contractor OOO Radiotekh in March 2023.")
    supply = [c for c in doc._.claims if c.kind == "supply"]
    assert len(supply) == 1
    claim = supply[0]
    assert (claim.subject._.canonical, claim.object._.canonical) == ("Sky Harbor Trading Ltd", "OOO Radiotekh")
    assert {g.text for g in claim.goods} == {"microcontrollers", "GNSS modules"}
    assert claim.date == "2023-03"
    assert claim.sentence.text.startswith("Hong Kong-based")


def test_supply_directions(nlp: Language) -> None:
    assert ("supply", "Altamira Electronics Co., Ltd.", "Vostok Components LLC") in claims(
        nlp, "Vostok Components LLC bought microcontrollers from Altamira Electronics Co., Ltd. in 2022.")
    assert ("supply", "Vega Components Limited", "Special Technology Center") in claims(
        nlp, "The parts came from Vega Components Limited, which shipped them to Special Technology Center.")
    assert ("supply", "Polaris Elektronik A.Ş.", "Kronshtadt") in claims(
        nlp, "Drones were shipped by Polaris Elektronik A.Ş. to Kronshtadt.")


def test_negated_supply_is_not_a_claim(nlp: Language) -> None:
    assert not [c for c in nlp("Radiant Systems JSC never supplied radios to Kronshtadt.")._.claims
                if c.kind == "supply"]


def test_front_subsidiary_and_owner(nlp: Language) -> None:
    assert ("owner", "Orion Microsystems Limited", "Rostec") in claims(
        nlp, "Orion Microsystems Limited is a front company for Rostec.")
    assert ("owner", "Kazan Optical Plant", "Shvabe Holding") in claims(
        nlp, "Kazan Optical Plant, a subsidiary of Shvabe Holding, buys optics.")
    found = claims(nlp, "Russian national Pavel Sorokin owns Baltic Radio Parts OU and Riga Radio SIA.")
    assert ("owner", "Baltic Radio Parts OU", "Pavel Sorokin") in found
    assert ("owner", "Riga Radio SIA", "Pavel Sorokin") in found


def test_located_in(nlp: Language) -> None:
    found = claims(nlp, "Xin Quan Electronics Co Limited, based in Hong Kong, sells chips. Hong Kong-based Brightpath "
                        "Limited does too. Pamir Trade OsOO, a Kyrgyz importer, buys them.")
    assert {("located", "Xin Quan Electronics Co Limited", "HK"), ("located", "Brightpath Limited", "HK"),
            ("located", "Pamir Trade OsOO", "KG")} <= found


def test_listing_active_and_passive(nlp: Language) -> None:
    found = claims(nlp, "The Commerce Department added Vostok Components LLC to the Entity List. OFAC designated "
                        "Golden Falcon FZE and Nova Bridge FZCO. Kartli Cargo LLC was later added to the Entity List.")
    assert ("listed", "Vostok Components LLC", "entity_list") in found
    assert ("listed", "Golden Falcon FZE", "sdn") in found and ("listed", "Nova Bridge FZCO", "sdn") in found
    assert ("listed", "Kartli Cargo LLC", "entity_list") in found


def test_records_carry_evidence_spans_and_lower_confidence(nlp: Language) -> None:
    text = "Intro line.\n\nSky Harbor Trading Ltd shipped integrated circuits to the Russian firm OOO Radiotekh."
    document = NewsDocument("news:test-1", text, "Test", "2024-05-01", None, None)
    records = doc_to_records(nlp(text), document)
    nodes = {r.id: r for r in records if not hasattr(r, "target")}
    edges = [r for r in records if hasattr(r, "target")]
    supplies = [e for e in edges if e.type is EdgeType.SUPPLIES]
    assert len(supplies) == 1
    edge = supplies[0]
    evidence = edge.evidence[0]
    start = text.index("Sky Harbor")
    assert evidence.locator == f"chars {start}-{len(text)}"
    assert text[start:len(text)] == evidence.excerpt
    assert evidence.source == "news:test-1" and evidence.extractor == EXTRACTOR
    assert evidence.observed == "2024-05-01" and 0.5 <= evidence.confidence <= 0.7
    assert edge.props["derivation"] == "text" and edge.hs_code == "854239" and edge.props["chpl_tier"] == "1"
    assert nodes[edge.source].name == "Sky Harbor Trading Ltd" and nodes[edge.target].country == "RU"
    types = {r.id: r.type for r in records if r.id in nodes}
    assert any(n.type is NodeType.DOCUMENT for n in nodes.values())
    mentioned = {nodes[e.target].type for e in edges if e.type is EdgeType.MENTIONS}
    assert {NodeType.COMPANY, NodeType.GOOD, NodeType.COUNTRY} <= mentioned
    for record in records:
        validate(record, types if hasattr(record, "target") else None)


def test_records_are_deterministic(nlp: Language) -> None:
    text = "OFAC designated Golden Falcon FZE, a Dubai-based reseller of drones."
    document = NewsDocument("news:test-2", text)
    first = [r.id for r in doc_to_records(nlp(text), document)]
    assert first == [r.id for r in doc_to_records(nlp(text), document)]
