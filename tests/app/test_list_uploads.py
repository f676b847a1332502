"""List uploads on the Ingest page: kinds, preview, commit, defense-buyer classification (without Streamlit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app_support import list_uploads, uploads
from graph.stores import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "lists"
LIST_FIXTURES = Path(__file__).resolve().parents[1] / "lists" / "fixtures"


def files_of(*paths: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


@pytest.fixture()
def store(fresh_store_path: str):
    return open_store(fresh_store_path)


def test_csl_upload_previews_then_commits_and_classifies(store, tmp_path: Path) -> None:
    before = store.counts()
    preview = uploads.preview_files(store, "lists", files_of(FIXTURES / "csl_small.csv"), folder=str(tmp_path))
    assert list(list_uploads.kinds_table(preview.path)["kind"]) == ["csl"]
    summary = preview.summary().set_index("what")
    assert summary.loc["node Company", "new"] == 2 and summary.loc["edge LISTED_ON", "records"] == 2
    assert set(preview.node_sample_table()["name"]) >= {"Volga Missile Instruments JSC", "Harbour Lane Trading Limited"}
    assert set(preview.sample_table()["source"]) >= {"Volga Missile Instruments JSC"}  # names, not ids
    assert list(preview.quarantine_table()["reason"]) == ["missing: name or source is empty"]
    assert store.counts() == before  # the preview writes nothing
    quarantine = tmp_path / "q.jsonl"
    result, quarantined = uploads.commit_upload(store, preview, quarantine)
    assert (result.edges_added, quarantined) == (4, 1)
    assert quarantine.read_text().count("\n") == 1
    buyers = list_uploads.classify_buyers(store)
    volga = buyers[buyers["company"] == "Volga Missile Instruments JSC"]
    assert any("military-end-use" in r and "744.21" in r for r in volga["reason"])
    assert "Harbour Lane Trading Limited" not in set(buyers["company"])  # a Hong Kong front stays a supplier
    roles = store.node_frame().set_index("id").loc[volga["id"].iloc[0], "props"]
    assert "defense_buyer" in roles


def test_commit_adds_exactly_the_new_records_of_the_preview(store, tmp_path: Path) -> None:
    preview = uploads.preview_files(store, "lists", files_of(FIXTURES / "csl_small.csv"), folder=str(tmp_path))
    new_nodes = sum(v for k, v in preview.new_counts.items() if k.startswith("node"))
    new_edges = sum(v for k, v in preview.new_counts.items() if k.startswith("edge"))
    result, _ = uploads.commit_upload(store, preview)
    assert (result.nodes_added, result.edges_added) == (new_nodes, new_edges)
    again = uploads.preview_files(store, "lists", files_of(FIXTURES / "csl_small.csv"), folder=str(tmp_path))
    assert sum(again.new_counts.values()) == 0  # everything is known now


def test_sdn_with_address_and_alias_files_uploaded_together(store, tmp_path: Path) -> None:
    sdn = LIST_FIXTURES / "sdn"
    preview = uploads.preview_files(store, "lists", files_of(sdn / "sdn.csv", sdn / "add.csv", sdn / "alt.csv"),
                                    folder=str(tmp_path))
    assert dict(list_uploads.kinds_table(preview.path).values.tolist()) == {
        "add.csv": "sdn-add", "alt.csv": "sdn-alt", "sdn.csv": "sdn"}
    assert preview.counts["edge LOCATED_IN"] > 0 and preview.counts["node Person"] == 2
    alone = uploads.preview_files(store, "lists", files_of(sdn / "sdn.csv"), folder=str(tmp_path))
    assert alone.counts["edge LOCATED_IN"] < preview.counts["edge LOCATED_IN"]  # the addresses came from add.csv
    with pytest.raises(uploads.UploadError, match="need their SDN file"):
        uploads.preview_files(store, "lists", files_of(sdn / "add.csv"), folder=str(tmp_path))


def test_gur_tables_uploaded_together_load_as_one_set(store, tmp_path: Path) -> None:
    tables = sorted((LIST_FIXTURES / "gur").glob("*.csv"))
    preview = uploads.preview_files(store, "lists", files_of(*tables), folder=str(tmp_path))
    assert set(list_uploads.kinds_table(preview.path)["kind"]) == {"gur"}
    assert preview.counts["node Weapon"] == 2 and preview.counts["edge FOUND_IN"] > 0
    with pytest.raises(uploads.UploadError, match="components.csv or supply_chain_edges.csv"):
        uploads.preview_files(store, "lists", files_of(LIST_FIXTURES / "gur" / "drones.csv"), folder=str(tmp_path))


@pytest.mark.parametrize("name", ["csl.csv", "entity_list_rule.xml", "ftm.jsonl", "targets.simple.csv"])
def test_every_list_kind_is_detected_and_previewed(store, tmp_path: Path, name: str) -> None:
    preview = uploads.preview_files(store, "lists", files_of(LIST_FIXTURES / name), folder=str(tmp_path))
    assert preview.records > 0 and preview.counts["edge LISTED_ON"] > 0


def test_chosen_kind_overrides_detection(store, tmp_path: Path) -> None:
    data = files_of(FIXTURES / "csl_small.csv")
    with pytest.raises(uploads.UploadError, match=r"csl_small.csv cannot be read as .*not well-formed XML"):
        uploads.preview_files(store, "lists", data, option="entity-list", folder=str(tmp_path))
    chosen = uploads.preview_files(store, "lists", data, option="csl", folder=str(tmp_path))
    assert list(list_uploads.kinds_table(chosen.path, chosen.option)["kind"]) == ["csl"]


@pytest.mark.parametrize(("files", "message"), [
    ([("people.csv", b"a,b\n1,2\n")], r"people.csv cannot be read as Sanctions .*: people.csv: cannot tell the kind"),
    ([("rule.xml", b"<RULE><P>open")], r"rule.xml cannot be read .*not well-formed XML"),
    ([("sdn.pdf", b"%PDF-1.4")], r"expected a .csv or .xml"),
    ([("empty.csv", b"  \n")], "empty.csv is empty"),
    ([("a.csv", b"1"), ("a.csv", b"2")], "both named a.csv"),
    ([], "no file uploaded"),
])
def test_bad_list_uploads_get_one_clear_error(store, tmp_path: Path, files: list[tuple[str, bytes]],
                                              message: str) -> None:
    with pytest.raises(uploads.UploadError, match=message) as caught:
        uploads.preview_files(store, "lists", files, folder=str(tmp_path))
    assert str(tmp_path) not in str(caught.value)  # no private temporary paths in the message


def test_size_limits_per_file_and_per_upload(store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 12)
    with pytest.raises(uploads.UploadError, match="MB"):
        uploads.preview_files(store, "lists", [("big.csv", b"x" * 13)], folder=str(tmp_path))
    with pytest.raises(uploads.UploadError, match="together exceed"):
        uploads.preview_files(store, "lists", [("a.csv", b"x" * 8), ("b.csv", b"y" * 8)], folder=str(tmp_path))


def test_single_file_kinds_take_one_file(store, tmp_path: Path) -> None:
    with pytest.raises(uploads.UploadError, match="one file at a time"):
        uploads.preview_files(store, "customs", [("a.csv", b"x"), ("b.csv", b"y")], folder=str(tmp_path))
