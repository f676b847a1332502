"""Every page of app.py driven with Streamlit's AppTest against the small store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.stores import open_store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FIXTURES = Path(__file__).parent / "fixtures"
LIST_FIXTURES = Path(__file__).resolve().parents[1] / "lists" / "fixtures"
TIMEOUT = 60


def open_page(store_path: str, page: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app on ``page`` over the store at ``store_path``, with no exception raised."""
    monkeypatch.setenv("TRANSSHIP_STORE", store_path)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    at.sidebar.radio(key="page").set_value(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """All visible text of the main elements, for loose checks."""
    parts = [e.value for kind in ("header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def plotly_charts(at: AppTest) -> list[object]:
    return list(at.get("plotly_chart"))


def test_first_page_shows_store_and_pages(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSSHIP_STORE", small_store_path)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.sidebar.radio(key="page").options == ["Trace", "Entity", "Hubs & choke points", "Flows", "Ingest",
                                                    "Export"]
    assert any(small_store_path in c.value for c in at.sidebar.caption)
    stats = at.sidebar.dataframe[0].value
    assert dict(zip(stats["what"], stats["count"]))["edges.SHIPPED"] == 18


def test_empty_store_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(str(tmp_path / "none"), "Entity", monkeypatch)
    assert "is empty" in texts(at)


def test_entity_page_search_profile_and_picture(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(small_store_path, "Entity", monkeypatch)
    at.text_input(key="entity-query").set_value("radio instrument plant").run()
    assert not at.exception
    page = texts(at)
    assert "JSC Radio Instrument Plant" in [s.value.split(" (")[0] for s in at.subheader]
    assert "inn:7701234567" in page and "defense_buyer: fictional radar maker" in page
    frames = [d.value for d in at.dataframe]
    assert any("list" in f.columns and "BIS Entity List" in set(f["list"]) for f in frames)
    assert any("counterpart" in f.columns and len(f) == 2 for f in frames)  # the shipments in
    assert len(plotly_charts(at)) == 2  # neighbourhood picture and timeline
    at.radio(key="entity-depth").set_value(2).run()
    assert not at.exception
    at.text_input(key="entity-query").set_value("qqqqzzzz").run()
    assert "Nothing matches" in texts(at)


def test_ingest_page_previews_then_commits(fresh_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(fresh_store_path, "Ingest", monkeypatch)
    data = (FIXTURES / "bad_customs.csv").read_bytes()
    at.get("file_uploader")[0].set_value(("bad_customs.csv", data, "text/csv")).run()
    assert not at.exception
    assert "2 row(s) will go to quarantine" in texts(at)
    quarantine = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert list(quarantine["locator"]) == ["line 3", "line 4"]
    assert open_store(fresh_store_path).counts()["edges.SHIPPED"] == 18  # nothing written yet
    at.button(key="ingest-commit").click().run()
    assert not at.exception
    assert "Committed: 1 nodes and 2 edges added" in texts(at)
    assert open_store(fresh_store_path).counts()["edges.SHIPPED"] == 19
    assert (Path(fresh_store_path) / "quarantine.jsonl").read_text().count("\n") == 2


def test_ingest_page_list_upload_previews_then_commits(fresh_store_path: str, monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    at = open_page(fresh_store_path, "Ingest", monkeypatch)
    at.radio(key="ingest-kind").set_value("lists").run()
    assert at.selectbox(key="ingest-list-kind").value == "auto"
    sdn = LIST_FIXTURES / "sdn"
    files = [(p.name, p.read_bytes(), "text/csv") for p in (sdn / "sdn.csv", sdn / "add.csv", sdn / "alt.csv")]
    at.get("file_uploader")[0].set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    kinds = next(f for f in frames if "kind" in f.columns)
    assert dict(kinds.values.tolist()) == {"add.csv": "sdn-add", "alt.csv": "sdn-alt", "sdn.csv": "sdn"}
    assert "STATE CORPORATION ROSTEC" in set(next(f for f in frames if "name" in f.columns)["name"])
    assert "3 row(s) will go to quarantine" in texts(at)
    before = open_store(fresh_store_path).counts().get("edges.LISTED_ON", 0)
    at.button(key="ingest-commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Committed:" in texts(at) and "3 row(s) quarantined" in texts(at)
    assert open_store(fresh_store_path).counts()["edges.LISTED_ON"] == before + 17
    buyers = next(d.value for d in at.dataframe if "reason" in d.value.columns and "company" in d.value.columns)
    assert any("defense-sector" in r for r in buyers[buyers["company"] == "STATE CORPORATION ROSTEC"]["reason"])


def test_ingest_page_list_kind_can_be_chosen(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(small_store_path, "Ingest", monkeypatch)
    at.radio(key="ingest-kind").set_value("lists").run()
    at.get("file_uploader")[0].set_value(("people.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert "people.csv: cannot tell the kind of list; choose the kind above" in texts(at)
    at.selectbox(key="ingest-list-kind").set_value("csl").run()
    assert not at.exception
    assert "not a Consolidated Screening List CSV" in texts(at)


def test_ingest_page_rejects_bad_file_clearly(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(small_store_path, "Ingest", monkeypatch)
    at.get("file_uploader")[0].set_value(("other.csv", b"a,b\n1,2\n", "text/csv")).run()
    assert not at.exception
    assert "other.csv cannot be read as Customs records: no built-in layout fits this header" in texts(at)


def test_export_page_offers_every_format(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.exports import EXPORT_FORMATS

    at = open_page(small_store_path, "Entity", monkeypatch)
    at.text_input(key="entity-query").set_value("romashka").run()
    at.sidebar.radio(key="page").set_value("Export").run()
    assert not at.exception, [e.value for e in at.exception]
    choices = at.radio(key="export-choice").options
    assert choices[0].startswith("Neighbourhood of OOO Romashka") and choices[-1] == "Whole store"
    assert "OOO Romashka: neighbourhood" in texts(at)
    buttons = {b.proto.label for b in at.get("download_button")}
    assert buttons == {f"Download {name}" for name in EXPORT_FORMATS}
    at.radio(key="export-choice").set_value("Whole store").run()
    assert "transship: whole store**: 36 nodes, 44 edges" in texts(at)


def test_trace_page_ranks_paths_and_draws_them(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(small_store_path, "Trace", monkeypatch)
    at.text_input(key="trace-via").set_value("HK")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("ranked paths" in s.value for s in at.subheader)
    frames = [d.value for d in at.dataframe]
    paths = next(f for f in frames if "route" in f.columns)
    assert any(r.startswith("Texas Instruments Inc → Global Parts Distribution LLC") for r in paths["route"])
    evidence_rows = next(f for f in frames if "excerpt" in f.columns)
    assert evidence_rows["source"].str.startswith("customs:small_world.csv").all()
    assert len(plotly_charts(at)) == 1
    at.text_input(key="trace-destinations").set_value("no such company at all")
    at.button[0].click().run()
    assert "no entity in the store matches" in texts(at)
    at.text_input(key="trace-destinations").set_value("")
    at.text_input(key="trace-via").set_value("IR")
    at.button[0].click().run()
    assert "No path matches" in texts(at)


def test_hubs_page_ranks_intermediaries_and_cuts(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(small_store_path, "Hubs & choke points", monkeypatch)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe if "name" in d.value.columns]
    ranking, cuts = frames[0], frames[1]
    assert "OOO Romashka" in set(ranking["name"]) and "Sky Bright Trading Ltd" in set(ranking["name"])
    assert ranking["reasons"].str.len().gt(0).all()
    assert list(cuts["cumulative_share"]) == sorted(cuts["cumulative_share"]) and cuts["cumulative_share"].iloc[-1] <= 1


def test_flows_page_draws_a_sankey(small_store_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page(small_store_path, "Flows", monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    table = next(d.value for d in at.dataframe if "source_country" in d.value.columns)
    assert {("HK", "RU"), ("US", "HK")} <= set(zip(table["source_country"], table["target_country"]))
    assert len(plotly_charts(at)) == 1
    at.text_input(key="flows-goods").set_value("852691")
    at.button[0].click().run()
    table = next(d.value for d in at.dataframe if "source_country" in d.value.columns)
    assert set(table["source_country"]) == {"US", "AE", "KZ", "RU"}
