"""Entities: countries with demonyms, goods with HS codes, agencies and lists, company and person names."""

from __future__ import annotations

import pytest
from spacy.language import Language

from ingest.news import KnownName, build_pipeline


def ents(nlp: Language, text: str) -> list[tuple[str, str, str | None, str | None]]:
    doc = nlp(text)
    return [(e.text, e.label_, e.kb_id_ if e.label_ in ("GPE", "GOOD", "LIST", "AGENCY") else e._.canonical,
             e._.country) for e in doc.ents]


@pytest.mark.parametrize(("text", "code"), [
    ("Chinese entities bought the parts.", "CN"),
    ("A Hong Kong-based trader bought the parts.", "HK"),
    ("Suppliers in the PRC bought the parts.", "CN"),
    ("Firms in Türkiye bought the parts.", "TR"),
    ("Firms in Turkey bought the parts.", "TR"),
    ("The UAE is a hub.", "AE"),
    ("An Emirati trader bought the parts.", "AE"),
    ("Russian buyers got the parts.", "RU"),
])
def test_country_mentions_and_demonyms(nlp: Language, text: str, code: str) -> None:
    countries = [kb for _, label, kb, _ in ents(nlp, text) if label == "GPE"]
    assert countries == [code]


def test_lowercase_turkey_and_china_are_not_countries(nlp: Language) -> None:
    assert not [e for e in ents(nlp, "We ate turkey on fine china.") if e[1] == "GPE"]


def test_goods_map_to_hs_codes_and_chpl_tiers(nlp: Language) -> None:
    from ingest.news.records import good_info

    doc = nlp("They shipped integrated circuits, UAV engines, GNSS receivers, jamming technology, fighter jet "
              "parts, lithography systems, machine tools and ball bearings.")
    goods = {e.text: good_info(e) for e in doc.ents if e.label_ == "GOOD"}
    assert goods["integrated circuits"]["hs"].startswith("8542") and goods["integrated circuits"]["chpl_tier"] == "1"
    assert goods["GNSS receivers"]["hs"] == "852691" and goods["GNSS receivers"]["chpl_tier"] == "2"
    assert goods["UAV engines"]["category"] == "engines"
    assert goods["lithography systems"]["category"] == "semiconductor_equipment"
    assert goods["machine tools"]["category"] == "machine_tools"
    assert goods["ball bearings"]["category"] == "bearings"
    assert goods["fighter jet parts"]["category"] == "aircraft_parts"
    assert "jamming technology" in goods


def test_agencies_and_lists(nlp: Language) -> None:
    found = {(t, label, kb) for t, label, kb, _ in ents(nlp, "BIS added it to the Entity List and OFAC put it on "
                                                          "the SDN List; Treasury and Commerce agreed.")}
    assert ("Entity List", "LIST", "entity_list") in found
    assert ("SDN List", "LIST", "sdn") in found
    assert ("OFAC", "AGENCY", "sdn") in found and ("BIS", "AGENCY", "entity_list") in found
    assert ("Commerce", "AGENCY", "entity_list") in found and ("Treasury", "AGENCY", "sdn") in found


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Records name OOO Vostok-Radio as the buyer.", "OOO Vostok-Radio", "RU"),
    ("Records name Mikro-Tek Ltd. Şti. as the seller.", "Mikro-Tek Ltd. Şti.", "TR"),
    ("Records name Sky Harbor Trading Co., Ltd. as the seller.", "Sky Harbor Trading Co., Ltd.", None),
    ("Records name Falcon Line FZCO as the seller.", "Falcon Line FZCO", "AE"),
    ("Records name Nordlicht Handels GmbH as the seller.", "Nordlicht Handels GmbH", "DE"),
    ("Records name Limited Liability Company Kvazar-M as the buyer.", "Limited Liability Company Kvazar-M", "RU"),
    ("Records name 深圳市华强电子有限公司 as the seller.", "深圳市华强电子有限公司", "CN"),
    ("Records name Baltic Parts OU as the seller.", "Baltic Parts OU", "EE"),
])
def test_legal_forms_in_several_languages(nlp: Language, text: str, name: str, country: str | None) -> None:
    orgs = [(canonical, c) for _, label, canonical, c in ents(nlp, text) if label == "ORG"]
    assert orgs == [(name, country)]


def test_bold_names_short_forms_and_aliases(nlp: Language) -> None:
    doc = nlp("Moscow-based **OOO Serp Engineering** (Serp) and Malta-based** Kelvin Marine Ltd** work together. "
              "Serp pays Kelvin Marine.")
    found = [(e.text, e._.canonical, e._.country) for e in doc.ents if e.label_ == "ORG"]
    assert ("OOO Serp Engineering", "OOO Serp Engineering", "RU") in found
    assert ("Kelvin Marine Ltd", "Kelvin Marine Ltd", "MT") in found
    assert found.count(("Serp", "OOO Serp Engineering", "RU")) == 2  # the short form and its later mention
    assert ("Kelvin Marine", "Kelvin Marine Ltd", "MT") in found


def test_persons_from_cues_bold_and_given_names(nlp: Language) -> None:
    doc = nlp("Russian national **Oleg Petrovich Zimin** (Zimin) runs it. Its owner, Anna Petrova, is Kazakh. "
              "Zimin denies it.")
    persons = {(e._.canonical, e._.country) for e in doc.ents if e.label_ == "PERSON"}
    assert ("Oleg Petrovich Zimin", "RU") in persons
    assert any(name == "Anna Petrova" for name, _ in persons)
    assert [e._.canonical for e in doc.ents if e.text == "Zimin"] == ["Oleg Petrovich Zimin"] * 2


def test_country_based_appositions(nlp: Language) -> None:
    doc = nlp("Sinotek Semiconductor Limited, a Hong Kong-based company, and Aral Trade, registered in Kazakhstan, "
              "sold it. Moscow-based Tekhnoline bought it.")
    found = {e._.canonical: e._.country for e in doc.ents if e.label_ == "ORG"}
    assert found["Sinotek Semiconductor Limited"] == "HK"
    assert found["Tekhnoline"] == "RU"


def test_capitalised_words_without_evidence_are_not_names(nlp: Language) -> None:
    assert not [e for e in ents(nlp, "Investigators Said On Monday That Prices Rose.") if e[1] in ("ORG", "PERSON")]


def test_known_graph_names_become_patterns() -> None:
    nlp = build_pipeline([KnownName("Zeta Obscure", "ORG", "KG", "name:zeta obscure|KG")], use_model=False)
    doc = nlp("Buyers paid Zeta Obscure twice.")
    assert [(e.text, e.label_, e._.country) for e in doc.ents] == [("Zeta Obscure", "ORG", "KG")]


def test_pipeline_says_what_it_lacks_without_a_model() -> None:
    from ingest.news import pipeline_notes
    from ingest.news.pipeline import model_available

    nlp = build_pipeline(use_model=True)
    notes = " ".join(pipeline_notes(nlp))
    if model_available("en_core_web_sm"):
        assert "statistical model" in notes
    else:
        assert "no statistical model installed" in notes and "ner" not in nlp.pipe_names


def test_marker_in_parentheses_after_every_name_is_not_a_short_form(nlp: Language) -> None:
    doc = nlp("Export records show that Amber Microsystems Inc. (FICTIONAL), a chip maker in United States, sold "
              "chips to Kestrel Components Ltd (FICTIONAL) in United Kingdom.")
    found = {(e.text, e._.canonical, e._.country) for e in doc.ents if e.label_ == "ORG"}
    assert found == {("Amber Microsystems Inc.", "Amber Microsystems Inc.", "US"),
                     ("Kestrel Components Ltd", "Kestrel Components Ltd", "GB")}
