"""Mentions resolve to existing graph nodes through the shared resolver (ingest/resolve.py)."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from graph.schema import EdgeType, Evidence, Node, NodeType
from graph.stores import open_store
from ingest.keys import company_key
from ingest.news import NameIndex, NewsDocument, build_pipeline, doc_to_records


CUSTOMS = (Evidence("customs:test.csv", "row 2", "customs-canonical/1", 0.95, "2023-01-05"),)


def test_mentions_resolve_to_store_nodes(tmp_path: Path, nlp: Language) -> None:
    store = open_store(str(tmp_path / "store"))
    try:
        customs_key = company_key("SKY HARBOR TRADING LIMITED", "HK")
        store.write([Node(NodeType.COMPANY, customs_key, "SKY HARBOR TRADING LIMITED", "HK",
                          {"aliases": ["SKYHARBOR TRADING"]}, CUSTOMS)])
        index = NameIndex.from_store(store)
    finally:
        store.close()
    assert any(n.text == "SKY HARBOR TRADING LIMITED" for n in index.names)
    text = "Sky Harbor Trading Ltd shipped integrated circuits to OOO Radiotekh."
    records = doc_to_records(nlp(text), NewsDocument("news:t", text), index)
    supply = next(r for r in records if getattr(r, "type", None) is EdgeType.SUPPLIES)
    resolved = next(r for r in records if isinstance(r, Node) and r.id == supply.source)
    assert resolved.key == customs_key and resolved.country == "HK"
    assert resolved.props["aliases"] == ["Sky Harbor Trading Ltd"]
    target = next(r for r in records if isinstance(r, Node) and r.id == supply.target)
    assert target.key == company_key("OOO Radiotekh", "RU")  # unknown names get their own key


def test_store_names_become_gazetteer_patterns(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store"))
    try:
        store.write([Node(NodeType.COMPANY, "name:quorvex|KG", "Quorvex", "KG", {}, CUSTOMS)])
        index = NameIndex.from_store(store)
    finally:
        store.close()
    nlp = build_pipeline(index.names, use_model=False)
    doc = nlp("Investigators traced the parts to Quorvex.")
    assert [(e.text, e.label_, e._.country) for e in doc.ents] == [("Quorvex", "ORG", "KG")]
    assert index.resolve("Quorvex", "ORG", None).key == "name:quorvex|KG"
    assert index.resolve("Quorvex", "PERSON", None) is None
