"""Entity resolution: identifiers first, fuzzy with review band, judgements win, undo loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.identity import canonical_map, same_as_decisions
from graph.schema import Evidence, Node, NodeType
from graph.stores.embedded import EmbeddedStore
from ingest.judgements import JudgementError, load_judgements
from ingest.names import match_key, score_names
from ingest.resolve import NameIndex, resolve

EV = (Evidence("test:resolve", "row 1", "test/1"),)


def company(key: str, name: str, country: str | None, **props: object) -> Node:
    return Node(NodeType.COMPANY, key, name, country, props=props, evidence=EV)


@pytest.fixture()
def store(tmp_path: Path) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path / "store")
    s.write([
        company("inn:7722476458", "OOO Romashka", "RU", identifiers=["inn:7722476458"]),
        company("name:romashka llc|RU", "Romashka LLC", "RU", identifiers=["inn:7722476458"]),
        company("name:mikro tek|TR", "MIKRO TEK ELEKTRONIK SAN. VE TIC. LTD. STI.", "TR"),
        company("name:mikrotek elec|TR", "Mikrotek Electronics Ltd", "TR"),
        company("name:sinotech hk|HK", "Sino Tech Comm Grp Co Ltd", "HK"),
        company("name:sinotech cn|CN", "Sino Technology Communication Group Co., Ltd.", "CN"),
        company("name:zhukovskiy|RU", "Zhukovskiy Priborostroitelnyi Zavod", "RU"),
        company("name:жуковский|RU", "ЖУКОВСКИЙ ПРИБОРОСТРОИТЕЛЬНЫЙ ЗАВОД", "RU"),
        company("name:rostec aviation|RU", "Rostec Aviation Holding", "RU"),
        company("name:rostec|RU", "State Corporation Rostec", "RU"),
        company("inn:7704274402", "ROSTEC", "RU", identifiers=["inn:7704274402"]),
        company("inn:7710277994", "Ruselectronics", "RU", identifiers=["inn:7710277994"]),
    ])
    return s


def node(store: EmbeddedStore, key: str) -> str:
    return Node(NodeType.COMPANY, key, "").id


def test_names_fold_legal_forms_scripts_and_abbreviations() -> None:
    assert match_key("ООО «Ромашка»") == match_key("Romashka LLC") == match_key("ROMASHKA, OOO")
    assert match_key("深圳市华强电子有限公司") == match_key("深圳市华强电子")
    assert match_key("GRAND TECH SRVCES INTL CO LTD") == match_key("Grand Technologies Services International Limited")
    assert match_key("Alfa GmbH") == match_key("ALFA AG")
    assert score_names("Plant No. 1", "Plant No. 2") < 0.9
    assert score_names("Rostec", "Rostec Aviation Holding") < 0.82


def test_resolve_identifier_fuzzy_review_and_country(store: EmbeddedStore) -> None:
    report = resolve(store, decided_at="2024-01-01T00:00:00Z")
    by_pair = {frozenset((d.left, d.right)): d for d in report.decisions}
    inn = by_pair[frozenset((node(store, "inn:7722476458"), node(store, "name:romashka llc|RU")))]
    assert (inn.decision, inn.method, inn.score) == ("match", "identifier:inn", 1.0)
    zh = by_pair[frozenset((node(store, "name:zhukovskiy|RU"), node(store, "name:жуковский|RU")))]
    assert zh.decision == "match" and zh.method == "exact"
    # same name in two countries is not merged
    assert frozenset((node(store, "name:sinotech hk|HK"), node(store, "name:sinotech cn|CN"))) not in by_pair
    # a subsidiary is not its parent; conflicting INNs never match
    assert not any(d.decision == "match" and node(store, "name:rostec aviation|RU") in (d.left, d.right)
                   for d in report.decisions)
    assert frozenset((node(store, "inn:7704274402"), node(store, "inn:7710277994"))) not in by_pair
    mapping = canonical_map(store)
    zk, zc = node(store, "name:zhukovskiy|RU"), node(store, "name:жуковский|RU")
    assert mapping.get(zk, zk) == mapping.get(zc, zc) and (zk in mapping or zc in mapping)
    edges = list(store.edges_of(zh.left))
    same = [e for e in edges if e.type == "SAME_AS"]
    assert same and all(e.evidence[0].extractor == "resolver/1" for e in same)
    assert {"method", "score", "decision", "evidence"} <= set(same[0].props)


def test_rerun_is_idempotent(store: EmbeddedStore) -> None:
    first = resolve(store, decided_at="2024-01-01T00:00:00Z")
    edges = store.counts()["edges"]
    second = resolve(store, decided_at="2024-02-01T00:00:00Z")
    assert second.unchanged == len(first.decisions)
    assert store.counts()["edges"] == edges


def test_judgement_overrules_and_undo_keeps_records(store: EmbeddedStore, tmp_path: Path) -> None:
    resolve(store, decided_at="2024-01-01T00:00:00Z")
    a, b = node(store, "name:zhukovskiy|RU"), node(store, "name:жуковский|RU")
    nodes_before = store.counts()["nodes"]
    file = tmp_path / "judgements.csv"
    file.write_text(f"left,right,decision,decided_at,by,note\n{a},{b},rejected,2024-03-01T10:00:00Z,ana,"
                    "different plants\n", "utf-8")
    resolve(store, judgements=load_judgements(file), decided_at="2024-03-02T00:00:00Z")
    assert a not in canonical_map(store) and b not in canonical_map(store)
    assert store.counts()["nodes"] == nodes_before  # undoing loses nothing
    assert store.get_node(a) is not None and store.get_node(b) is not None
    # a later run respects the judgement
    resolve(store, decided_at="2024-04-01T00:00:00Z")
    assert same_as_decisions(store)[tuple(sorted((a, b)))]["decision"] == "rejected"
    toml = tmp_path / "j.toml"
    toml.write_text(f'[[judgement]]\nleft = "{a}"\nright = "{b}"\ndecision = "confirmed"\n'
                    'decided_at = "2024-05-01"\nby = "ana"\n', "utf-8")
    resolve(store, judgements=load_judgements(toml), decided_at="2024-05-02T00:00:00Z")
    mapping = canonical_map(store)
    assert mapping.get(a, a) == mapping.get(b, b)


def test_bad_judgements_are_clear_errors(store: EmbeddedStore, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("left,right,decision,decided_at\nx,y,maybe,2024-01-01\n", "utf-8")
    with pytest.raises(JudgementError, match="confirmed or rejected"):
        load_judgements(bad)
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("left,right,decision,decided_at\nx,y,rejected,2024-01-01\n", "utf-8")
    with pytest.raises(JudgementError, match="unknown node id"):
        resolve(store, judgements=load_judgements(unknown))


def test_name_index_lookup(store: EmbeddedStore) -> None:
    index = NameIndex.from_store(store)
    hits = index.lookup("Mikro-Tek Elektronik Ltd Sti", country="TR")
    top = {h.entity_id for h in hits[:2]}
    assert top == {node(store, "name:mikro tek|TR"), node(store, "name:mikrotek elec|TR")}
    by_inn = index.lookup("whatever", identifiers=["inn:7710277994"])
    assert by_inn[0].method == "identifier:inn"
    assert index.lookup("Completely Unrelated Name") == []


def test_real_data_pitfalls() -> None:
    from ingest.resolve import Profile, find_decisions

    # a word replaced by another is a different company, even when the rest is generic
    assert score_names("Shiraz Electronics Industries", "Iran Electronics Industries") < 0.82
    assert score_names("Directorate of Internal Affairs of the Gomel Oblast", "Directorate of Internal Affairs of "
                       "the Brest Oblast") < 0.82
    # people with the same name are not merged without an identifier
    people = [Profile("p1", ("IVANOV, Petr Sergeyevich",), "RU", type="Person"),
              Profile("p2", ("IVANOV, Petr Sergeevich",), "RU", type="Person"),
              Profile("p3", ("Petr IVANOV",), "RU", frozenset({"inn:770401234567"}), type="Person"),
              Profile("p4", ("P. S. Ivanov",), "RU", frozenset({"inn:770401234567"}), type="Person")]
    decisions = {(d.left, d.right): d for d in find_decisions(people)}
    assert decisions[("p1", "p2")].decision == "review"
    assert decisions[("p3", "p4")].decision == "match"
    # a junk registration number shared by many entries decides nothing
    junk = [Profile(f"c{i}", (f"Company {name}",), None, frozenset({"reg:XX-C"}))
            for i, name in enumerate(["Alpha", "Borei", "Cygnus"])]
    assert find_decisions(junk) == []
