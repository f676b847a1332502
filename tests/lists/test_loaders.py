"""List loaders on our fixtures: SDN (+add/alt), CSL, Entity List rule XML, FtM, GUR; kind detection."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from graph.listings import listed_on, listings_of
from graph.schema import Edge, EdgeType, Node, NodeType
from graph.stores.embedded import EmbeddedStore
from ingest.lists import ListKindError, detect_kind, load_lists
from ingest.quarantine import Quarantine, Rejected
from ingest.sdn import load_sdn, sdn_program_counts

RUSSIA_ROWS = {"17260", "18769", "18770", "30001", "30002", "30003", "30004", "30005", "30007", "30009"}


def split(items: list[object]) -> tuple[list[Node], list[Edge], list[Rejected]]:
    nodes = [i for i in items if isinstance(i, Node)]
    edges = [i for i in items if isinstance(i, Edge)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    return nodes, edges, rejected


def load_into(tmp_path: Path, paths: list[Path], kind: str | None = None) -> tuple[EmbeddedStore, Quarantine]:
    store = EmbeddedStore(tmp_path / "store")
    with Quarantine(tmp_path / "q.jsonl") as quarantine:
        store.write(quarantine.filter(load_lists(paths, kind)))
    return store, quarantine


def test_detect_kinds(fixtures: Path, tmp_path: Path) -> None:
    assert detect_kind(fixtures / "sdn" / "sdn.csv") == "sdn"
    assert detect_kind(fixtures / "sdn" / "add.csv") == "sdn-add"
    assert detect_kind(fixtures / "sdn" / "alt.csv") == "sdn-alt"
    assert detect_kind(fixtures / "csl.csv") == "csl"
    assert detect_kind(fixtures / "entity_list_rule.xml") == "entity-list"
    assert detect_kind(fixtures / "ftm.jsonl") == "ftm"
    assert detect_kind(fixtures / "targets.simple.csv") == "ftm"
    assert detect_kind(fixtures / "gur" / "components.csv") == "gur"
    with pytest.raises(ListKindError, match="--kind"):
        detect_kind(Path(__file__))
    with pytest.raises(ListKindError, match="need their SDN file"):
        list(load_lists([fixtures / "sdn" / "add.csv"]))


def test_sdn_every_russia_program_row_present(fixtures: Path, tmp_path: Path) -> None:
    sdn = fixtures / "sdn" / "sdn.csv"
    counts = sdn_program_counts(sdn)
    assert counts["RUSSIA-EO14024"] == 9 and counts["BPI-RUSSIA-EO14024"] == 1 and counts["UKRAINE-EO13662"] == 3
    store, quarantine = load_into(tmp_path, [sdn])  # add.csv and alt.csv are found beside it
    listed = store.edge_frame([EdgeType.LISTED_ON])
    programs = Counter(p.split('"program":"')[1].split('"')[0] for p in listed["props"])
    assert programs["RUSSIA-EO14024"] == 9 and programs["BPI-RUSSIA-EO14024"] == 1
    nodes = store.node_frame()
    ent_nums = {p.split('"ofac_ent_num":"')[1].split('"')[0] for p in nodes["props"] if "ofac_ent_num" in p}
    russia = {e for e in ent_nums if any("RUSSIA" in p for p in _programs(store, e))}
    assert russia == RUSSIA_ROWS
    assert len(ent_nums) == 13  # 14 rows, one malformed
    assert quarantine.reasons == {"malformed": 2, "orphan": 1}


def _programs(store: EmbeddedStore, ent_num: str) -> list[str]:
    for node in store.nodes():
        if node.props.get("ofac_ent_num") == ent_num:
            return list(node.props.get("programs", []))
    return []


def test_sdn_fields_identifiers_links_and_encoding(fixtures: Path) -> None:
    nodes, edges, _ = split(list(load_sdn(fixtures / "sdn" / "sdn.csv")))
    by_name = {n.name: n for n in nodes if n.type in (NodeType.COMPANY, NodeType.PERSON)}
    rostec = by_name["STATE CORPORATION ROSTEC"]
    assert rostec.key == "ofac:17260" and rostec.country == "RU"
    assert {"inn:7704274402", "ogrn:1077799030847", "ofac:17260"} <= set(rostec.props["identifiers"])
    assert {"ROSTEC", "ROSTEKH"} <= set(rostec.props["aliases"]) and rostec.props["registered"] == "2007-12-03"
    assert rostec.props["websites"] == ["www.rostec.ru"]
    assert "CAFÉ MÜLLER HANDELS GMBH" in by_name and by_name["CAFÉ MÜLLER HANDELS GMBH"].country == "DE"
    assert by_name["IVANOV, Petr Sergeyevich"].type is NodeType.PERSON
    assert "imo:9123456" in by_name["OCEAN STAR"].props["identifiers"] and by_name["OCEAN STAR"].props["entity_kind"] == "vessel"
    assert by_name["MIKRO TEK ELEKTRONIK SANAYI VE TICARET LIMITED SIRKETI"].props["identifiers"][-1] == "vkn:6190512345"
    links = [e for e in edges if e.type is EdgeType.OWNED_BY]
    assert {(e.source, e.target) for e in links} >= {
        (by_name["JSC NPO HIGH PRECISION SYSTEMS"].id, rostec.id),
        (by_name["OPEN JOINT STOCK COMPANY RUSSIAN ELECTRONICS"].id, rostec.id),
        (by_name["SINO ELECTRONICS TRADING CO., LIMITED"].id, by_name["JSC NPO HIGH PRECISION SYSTEMS"].id),
    }
    assert all(e.evidence[0].observed is None for e in edges)  # no date in the fixture's file name


def test_listed_on_dates_and_delisting(fixtures: Path, tmp_path: Path) -> None:
    store, _ = load_into(tmp_path, [fixtures / "csl.csv", fixtures / "ftm.jsonl"])
    names = {n.name: n.id for n in store.nodes()}
    radiant = names["Radiant Components Limited"]
    assert listed_on(store, radiant, "2023-10-11").listed is True
    assert listed_on(store, radiant, "2023-10-10").listed is False
    old = names["Old Exporter Inc"]
    assert listed_on(store, old, "2005-01-01").listed is True
    assert listed_on(store, old, "2013-01-01").listed is False  # delisted (end_date 2012-03-04)
    kron = names["Kronshtadt Group"]
    assert listed_on(store, kron, "2019-06-01").listed is True
    answer = listed_on(store, kron, "2021-01-01")
    assert answer.listed is False and len(answer.hits) == 2
    assert listed_on(store, kron, "2023-01-01").reason.startswith("ofac-sdn RUSSIA-EO14024 since 2022-03-24")


def test_sdn_snapshot_listing_is_as_of(fixtures: Path, tmp_path: Path) -> None:
    dated = tmp_path / "in" / "sdn_2023-10-31.csv"
    dated.parent.mkdir()
    dated.write_bytes((fixtures / "sdn" / "sdn.csv").read_bytes())
    store, _ = load_into(tmp_path, [dated])
    rostec = next(n.id for n in store.nodes() if n.name == "STATE CORPORATION ROSTEC")
    assert listed_on(store, rostec, "2023-11-01").listed is True
    assert listed_on(store, rostec, "2023-01-01").listed is None  # undated snapshot taken later: unknown
    assert {h.as_of for h in listings_of(store, rostec)} == {"2023-10-31"}


def test_csl_rows(fixtures: Path) -> None:
    nodes, edges, rejected = split(list(load_lists([fixtures / "csl.csv"])))
    assert [r.reason.split(":")[0] for r in rejected] == ["missing"]
    lists = Counter(e.props["list"] for e in edges if e.type is EdgeType.LISTED_ON)
    assert lists == {"bis-entity-list": 3, "bis-dpl": 1, "ofac-sdn": 1}
    pribor = next(n for n in nodes if n.name == "Zavod Pribor OOO")
    assert pribor.key == "csl:el-2" and "inn:7701234567" in pribor.props["identifiers"] and pribor.country == "RU"
    el = next(e for e in edges if e.source == pribor.id and e.type is EdgeType.LISTED_ON)
    assert el.props["program"] == "744.21; 746.8" and el.props["citation"] == "88 FR 12170"


def test_entity_list_rule(fixtures: Path) -> None:
    nodes, edges, rejected = split(list(load_lists([fixtures / "entity_list_rule.xml"])))
    companies = {n.name: n for n in nodes if n.type is NodeType.COMPANY}
    assert set(companies) == {"Sample Microchip Trading Co., Ltd.", "Pribor Design Bureau JSC"}
    sample = companies["Sample Microchip Trading Co., Ltd."]
    assert sample.country == "CN" and sample.props["aliases"] == ["Sample Micro", "SMT Co"]
    assert len(sample.props["address"]) == 2
    listed = [e for e in edges if e.type is EdgeType.LISTED_ON]
    assert {(e.props["start_date"], e.props["citation"]) for e in listed} == {("2023-10-06", "88 FR 70352, 10/6/2023")}
    assert len(rejected) == 1 and rejected[0].reason.startswith("malformed")


def test_ftm_and_targets(fixtures: Path) -> None:
    nodes, edges, rejected = split(list(load_lists([fixtures / "ftm.jsonl", fixtures / "targets.simple.csv"])))
    owned = [e for e in edges if e.type is EdgeType.OWNED_BY]
    assert len(owned) == 1 and owned[0].props["share"] == "100"
    assert sorted(r.reason.split(":")[0] for r in rejected) == ["malformed", "unknown entity"]
    stc = next(n for n in nodes if n.name == "Special Technology Center LLC")
    assert stc.country == "RU" and "STC" in stc.props["aliases"]
    assert any(e.type is EdgeType.LISTED_ON and e.source == stc.id and e.props["start_date"] == "2021-03-02"
               for e in edges)


def test_gur_maker_part_weapon(fixtures: Path, tmp_path: Path) -> None:
    store, quarantine = load_into(tmp_path, [fixtures / "gur" / "components.csv"])
    assert quarantine.reasons == {"unknown weapon": 1, "unsupported": 1}
    names = {n.name: n for n in store.nodes()}
    ti, kh = names["Texas Instruments"], names["Kh-101 cruise missile"]
    assert ti.country == "US" and ti.props["roles"] == ["manufacturer"]
    part = names["TMS320F28335"]
    shapes = {(e.source, e.type, e.target) for e in store.edges()}
    assert (ti.id, "MANUFACTURES", part.id) in shapes and (part.id, "FOUND_IN", kh.id) in shapes
    assert (ti.id, "FOUND_IN", kh.id) in shapes
    ti_edge = [e for e in store.edges_of(ti.id, "out") if e.type == "FOUND_IN" and e.target == kh.id][0]
    assert len(ti_edge.evidence) >= 2  # components and the curated edge agree
    assert names["STMicroelectronics"].country == "CH"  # from manufacturers.csv when the row has none


def test_hostile_inputs_are_clear_errors(tmp_path: Path) -> None:
    broken = tmp_path / "rule.xml"
    broken.write_text("<RULE><GPOTABLE><ROW><ENT>unclosed", "utf-8")
    with pytest.raises(ValueError, match="not well-formed XML"):
        list(load_lists([broken]))
    empty_rule = tmp_path / "empty.xml"
    empty_rule.write_text("<RULE><P>no table</P></RULE>", "utf-8")
    with pytest.raises(ValueError, match="no Entity List table rows"):
        list(load_lists([empty_rule]))
    odd = tmp_path / "sdn.csv"
    odd.write_bytes(b'1,"\xff\xfe WEIRD \x00 NAME",-0- ,"RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n')
    nodes, _, rejected = split(list(load_lists([odd], kind="sdn")))
    party = [n for n in nodes if n.type is NodeType.COMPANY]
    assert not rejected and len(party) == 1 and "\x00" not in party[0].name
