"""app_support: tables and figures the app shows, checked without Streamlit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app_support import entities, evidence, network, store_info, uploads
from app_support.frames import edges_for, names_of, node_role, nodes_for
from graph.schema import NodeType, node_id
from graph.stores import open_store

FIXTURES = Path(__file__).parent / "fixtures"
ROMASHKA = node_id(NodeType.COMPANY, "inn:7722476458")
PLANT = node_id(NodeType.COMPANY, "inn:7701234567")


@pytest.fixture(scope="module")
def store(small_store_path: str):
    return open_store(small_store_path, create=False)


def test_search_finds_misspelt_names_and_identifiers(store) -> None:
    index = entities.SearchIndex.build(store)
    hits = entities.search_entities(store, index, "Romaschka")
    assert hits.iloc[0]["id"] == ROMASHKA
    assert entities.search_entities(store, index, "INN: 7701234567").iloc[0]["id"] == PLANT
    assert entities.search_entities(store, index, "   ").empty
    assert entities.search_entities(store, index, "zzzzqqqq xxxx").empty


def test_profile_lists_identifiers_listings_roles_and_shipments(store) -> None:
    profile = entities.entity_profile(store, PLANT)
    assert profile is not None
    assert profile.identifiers == ["inn:7701234567"]
    assert profile.roles == ["defense_buyer"]
    assert list(profile.listings["list"]) == ["BIS Entity List"]
    assert list(profile.shipments["direction"]) == ["in", "in"]
    assert list(profile.shipments["date"]) == sorted(profile.shipments["date"])
    assert set(profile.shipments["counterpart"]) == {"OOO Romashka"}
    fig = entities.shipment_timeline(profile.shipments)
    assert sum(sum(trace.y) for trace in fig.data) == pytest.approx(120000 + 260000)
    assert entities.entity_profile(store, "company:missing") is None


def test_neighbourhood_respects_depth_and_cap(store) -> None:
    one, edges_one = entities.neighbour_ids(store, ROMASHKA, depth=1)
    two, _ = entities.neighbour_ids(store, ROMASHKA, depth=2)
    assert one[0] == ROMASHKA and PLANT in one and len(two) > len(one)
    assert set(edges_for(store, edges_one)["source"]) | set(edges_for(store, edges_one)["target"]) <= set(one)
    capped, _ = entities.neighbour_ids(store, ROMASHKA, depth=2, cap=3)
    assert len(capped) == 3
    russia = node_id(NodeType.COUNTRY, "RU")
    assert russia in one
    eagle = node_id(NodeType.COMPANY, "inn:6600112233")  # two steps from Romashka only through RU or a list
    assert eagle not in two
    assert eagle in entities.neighbour_ids(store, russia, depth=1)[0]  # a country expands when it is the start


def test_network_figure_carries_clickable_ids(store) -> None:
    nodes, edge_ids = entities.neighbour_ids(store, PLANT, depth=1)
    fig = network.network_figure(nodes_for(store, nodes), edges_for(store, edge_ids))
    clickable = [tuple(d) for trace in fig.data if trace.customdata is not None for d in trace.customdata]
    assert {("node", n) for n in nodes} <= set(clickable)
    assert {("edge", e) for e in edge_ids} <= set(clickable)
    legend = {trace.name for trace in fig.data}
    assert {"defense buyer", "intermediary"} <= legend
    assert len(fig.layout.annotations) == len(edge_ids)  # one arrow per edge
    json.loads(fig.to_json())  # serialisable for the browser


def test_selected_item_reads_streamlit_events() -> None:
    event = {"selection": {"points": [{"x": 1, "customdata": ["edge", "edge:abc"]}], "point_indices": [0]}}
    assert network.selected_item(event) == ("edge", "edge:abc")
    assert network.selected_item({"selection": {"points": [{"x": 1}]}}) is None
    assert network.selected_item(None) is None


def test_layered_positions_keep_columns() -> None:
    pos = network.layered_positions({"a": 0, "b": 1, "c": 1, "d": 2})
    assert pos["a"][0] == 0 and pos["b"][0] == pos["c"][0] == 1 and pos["b"][1] != pos["c"][1]


def test_evidence_table_labels_and_orders(store) -> None:
    edge_ids = [e.id for e in store.edges_of(PLANT, "in") if e.type.value == "SHIPPED"]
    table = evidence.evidence_table(store, [PLANT, *edge_ids])
    assert set(table["id"]) == {PLANT, *edge_ids}
    assert any("OOO Romashka → JSC Radio Instrument Plant" in label for label in table["about"])
    assert list(table["confidence"]) == sorted(table["confidence"], reverse=True)
    assert table["excerpt"].str.contains("TMS320F28335|AD9361|defense_buyer").any()
    details = evidence.item_details(store, "edge", edge_ids[0])
    assert details["from"] == "OOO Romashka" and details["to"] == "JSC Radio Instrument Plant"
    assert evidence.item_details(store, "node", "company:none") == {}


def test_names_and_roles(store) -> None:
    assert names_of(store, [ROMASHKA, "x"]) == {ROMASHKA: "OOO Romashka", "x": "x"}
    assert node_role("Company", "US", '{"roles": ["manufacturer"]}') == "US maker"
    assert node_role("Company", "RU", '{"roles": ["defense_buyer"]}') == "defense buyer"
    assert node_role("Company", "HK", "{}") == "intermediary"
    assert node_role("Country", "HK", "{}") == "country"


def test_stats_table(store) -> None:
    stats = store_info.stats_table(store)
    assert dict(zip(stats["what"], stats["count"]))["edges.SHIPPED"] == 18
    assert not store_info.is_empty(store)


def test_upload_preview_then_commit(fresh_store_path: str, tmp_path: Path) -> None:
    store = open_store(fresh_store_path)
    data = (FIXTURES / "bad_customs.csv").read_bytes()
    before = store.counts()
    preview = uploads.preview_upload(store, "customs", "bad_customs.csv", data, folder=str(tmp_path))
    assert store.counts() == before  # a preview writes nothing
    assert [r.locator for r in preview.rejected] == ["line 3", "line 4"]
    assert "date" in preview.rejected[0].reason and "hs_code" in preview.rejected[1].reason
    summary = dict(zip(preview.summary()["what"], preview.summary()["new"]))
    assert summary["edge SHIPPED"] == 1 and summary["node Company"] == 1  # only Nova Parts is new
    sample = preview.sample_table()
    assert list(sample[sample["type"] == "SHIPPED"]["source"]) == ["Nova Parts Ltd"]
    quarantine = tmp_path / "q.jsonl"
    result, quarantined = uploads.commit_upload(store, preview, quarantine)
    assert result.edges_added == 1 + 1 and quarantined == 2  # the shipment and Nova's LOCATED_IN
    assert len(quarantine.read_text().splitlines()) == 2
    again = uploads.preview_upload(store, "customs", "bad_customs.csv", data, folder=str(tmp_path))
    assert sum(again.new_counts.values()) == 0  # committing twice adds nothing


@pytest.mark.parametrize(("name", "data", "message"), [
    ("empty.csv", b"  \n", "empty"),
    ("photo.csv", b"\x89PNG\x00\x00binary", "binary"),
    ("notes.pdf", b"%PDF-1.4", "expected a .csv or"),
    ("wrong.csv", b"a,b,c\n1,2,3\n", "no built-in layout fits"),
    ("header_only.csv", b"date,shipper_name,consignee_name,hs_code\n", "no rows"),
])
def test_bad_uploads_get_clear_errors(store, tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(uploads.UploadError, match=message):
        uploads.preview_upload(store, "customs", name, data, folder=str(tmp_path))


def test_upload_size_limit(store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(uploads.UploadError, match="MB"):
        uploads.check_upload("big.csv", b"x" * 11, "customs")
    with pytest.raises(uploads.UploadError, match="unknown upload kind"):
        uploads.check_upload("x.csv", b"x", "spreadsheet")


def test_latin1_customs_upload_is_decoded(store, tmp_path: Path) -> None:
    data = "date,shipper_name,consignee_name,hs_code\n2023-01-01,Müller GmbH,OOO Romashka,854231\n".encode("latin-1")
    preview = uploads.preview_upload(store, "customs", "latin1.csv", data, folder=str(tmp_path))
    assert "Müller GmbH" in preview.names.values() and not preview.rejected


def test_article_upload_extracts_claims(fresh_store_path: str, tmp_path: Path) -> None:
    store = open_store(fresh_store_path)
    data = (FIXTURES / "article.md").read_bytes()
    preview = uploads.preview_upload(store, "articles", "article.md", data, folder=str(tmp_path))
    assert preview.counts["node Document"] == 1
    assert preview.counts["edge MENTIONS"] >= 2
    result, quarantined = uploads.commit_upload(store, preview)
    assert result.nodes_added >= 1 and quarantined == 0


def test_tag_upload_marks_roles(fresh_store_path: str, tmp_path: Path) -> None:
    store = open_store(fresh_store_path)
    data = b"name,country,identifier,tag,reason\nOOO Romashka,RU,inn:7722476458,defense_buyer,front for a radar maker\n"
    preview = uploads.preview_upload(store, "tags", "tags.csv", data, folder=str(tmp_path))
    assert preview.counts["node Company"] == 1 and preview.new_counts["node Company"] == 0
    uploads.commit_upload(store, preview)
    assert "defense_buyer" in store.get_node(ROMASHKA).props["roles"]


def test_every_export_format_renders_the_neighbourhood(store) -> None:
    from app_support import exporting
    from graph.exports import EXPORT_FORMATS

    node_ids, edge_ids = entities.neighbour_ids(store, PLANT, depth=1)
    sub = exporting.neighbourhood_subgraph(store, PLANT, node_ids, edge_ids)
    assert sub.title == "JSC Radio Instrument Plant: neighbourhood" and sub.focus == (PLANT,)
    for name in EXPORT_FORMATS:
        data = exporting.render(store, sub, name)
        assert data, name
        if not EXPORT_FORMATS[name].binary:
            assert "Radio Instrument Plant" in data.decode("utf-8"), name
    assert exporting.file_name(sub, "graphml") == "transship-jsc-radio-instrument-plant-neighbourhood.graphml"


def test_whole_store_export_has_a_size_limit(store, monkeypatch: pytest.MonkeyPatch) -> None:
    from app_support import exporting

    assert len(exporting.store_subgraph(store).edge_ids) == 44
    monkeypatch.setattr(exporting, "MAX_EXPORT_ELEMENTS", 10)
    with pytest.raises(exporting.ExportTooLarge, match="transship export"):
        exporting.store_subgraph(store)


def test_sankey_puts_senders_left_and_receivers_right() -> None:
    import pandas as pd

    from app_support.flows import sankey_figure

    frame = pd.DataFrame({"source_country": ["US", "HK", "CN", "HK", "US"],
                          "target_country": ["HK", "RU", "HK", "RU", "TR"],
                          "value_usd": [100.0, 50.0, 30.0, 20.0, 5.0]})
    fig = sankey_figure(frame, top=3)
    sankey = fig.data[0]
    assert list(sankey.node.label) == ["United States (US) →", "Hong Kong (HK) →", "China (CN) →",
                                       "→ Hong Kong (HK)", "→ Russian Federation (RU)"]
    assert list(sankey.link.value) == [100.0, 70.0, 30.0]  # HK → RU summed; the smallest pair cut by top=3
    assert list(sankey.link.source) == [0, 1, 2] and list(sankey.link.target) == [3, 4, 3]
