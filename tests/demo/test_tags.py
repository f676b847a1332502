"""User tag files: roles and reasons on the same company nodes customs rows create."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import Edge, EdgeType, Node, NodeType, node_id
from graph.stores.embedded import EmbeddedStore
from ingest.customs import load_canonical
from ingest.quarantine import Quarantine, Rejected
from ingest.shipments import CANONICAL_COLUMNS
from ingest.tags import load_tags

FIXTURES = Path(__file__).parent / "fixtures"


def test_good_rows_become_tagged_companies_and_bad_rows_say_why() -> None:
    items = list(load_tags(FIXTURES / "tags_mixed.csv"))
    rejected = {r.locator: r.reason for r in items if isinstance(r, Rejected)}
    assert rejected.keys() == {"row 5", "row 6", "row 7", "row 8", "row 9", "row 10"}
    assert "name" in rejected["row 5"]
    assert "unknown country" in rejected["row 6"]
    assert "scheme" in rejected["row 7"]
    assert "role name" in rejected["row 8"]
    assert "too many fields" in rejected["row 9"]
    assert "no letters" in rejected["row 10"]
    companies = [r for r in items if isinstance(r, Node) and r.type is NodeType.COMPANY]
    maker, buyer, reseller = companies
    assert maker.key == "name:harrowgate microsystems inc fictional|US" and maker.props["roles"] == ["manufacturer"]
    assert buyer.key == reseller.key == "inn:0000000011" and buyer.country == "RU"
    assert buyer.props["role_reasons"] == ["defense_buyer: fictional Rostec-group missile maker [tags:tags_mixed.csv]"]
    assert reseller.props["roles"] == ["distributor"]
    located = [r for r in items if isinstance(r, Edge)]
    assert {e.type for e in located} == {EdgeType.LOCATED_IN}
    assert all(e.evidence[0].source == "tags:tags_mixed.csv" for e in located)
    countries = [r for r in items if isinstance(r, Node) and r.type is NodeType.COUNTRY]
    assert sorted(c.key for c in countries) == ["RU", "US"]


def test_tags_merge_into_customs_companies(tmp_path: Path) -> None:
    customs = tmp_path / "customs.csv"
    row = {c: "" for c in CANONICAL_COLUMNS} | {
        "record_id": "R1", "date": "2023-05-02", "shipper_name": "Harrowgate Microsystems Inc. (FICTIONAL)",
        "shipper_country": "US", "consignee_name": "OOO Lumen Avionics Works (FICTIONAL)",
        "consignee_country": "RU", "consignee_id": "inn:0000000011", "hs_code": "8542310000", "origin_country": "US"}
    customs.write_text(",".join(CANONICAL_COLUMNS) + "\n" + ",".join(row[c] for c in CANONICAL_COLUMNS) + "\n")
    store = EmbeddedStore(tmp_path / "store")
    store.write(load_canonical(customs))
    companies_before = store.counts()["nodes.Company"]
    with Quarantine() as quarantine:
        result = store.write(quarantine.filter(load_tags(FIXTURES / "tags_mixed.csv")))
    assert quarantine.rejected == 6
    assert result.nodes_added == 0 and result.edges_added == 0 and result.nodes_updated == 2
    assert store.counts()["nodes.Company"] == companies_before
    buyer = store.get_node(node_id(NodeType.COMPANY, "inn:0000000011"))
    assert buyer is not None and buyer.props["roles"] == ["defense_buyer", "distributor"]
    assert {e.source for e in buyer.evidence} == {"customs:customs.csv", "tags:tags_mixed.csv"}
    again = store.write(Quarantine().filter(load_tags(FIXTURES / "tags_mixed.csv")))
    assert not again.changed


def test_not_a_tag_file_is_a_clear_error(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("company,label\nA,b\n")
    with pytest.raises(ValueError, match="not a tag file, missing column"):
        list(load_tags(wrong))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("name,country,identifier,tag,reason\nK\xf6ln GmbH,DE,,distributor,x\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        list(load_tags(latin))
