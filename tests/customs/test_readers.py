"""Readers and layout choice: encodings, delimiters, broken bytes, unknown layouts, the CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import transship as cli
from ingest.layouts import LayoutError, choose_layout, load_layout_file
from ingest.readers import ReadError, detect_encoding, open_table

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("text, encoding, expected", [
    ("a,b\nООО Ромашка,Китай\n" * 20, "cp1251", "cp1251"),
    ("a,b\nООО Ромашка,Китай\n", "utf-8", "utf-8"),
    ("a,b\nMÜLLER GMBH,Köln\n" * 20, "latin-1", {"latin-1", "cp1252", "iso8859-1"}),
])
def test_detect_encoding(text: str, encoding: str, expected: Any) -> None:
    got = detect_encoding(text.encode(encoding))
    assert got in expected if isinstance(expected, set) else got == expected


def test_tsv_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text("date\tshipper_name\tconsignee_name\ths_code\n2024-01-02\tA, Ltd\tB; LLC\t854231\n", "utf-8")
    reader = open_table(path)
    assert reader.info.delimiter == "\t"
    assert [cells for chunk in reader.chunks() for _, cells in chunk] == [["2024-01-02", "A, Ltd", "B; LLC", "854231"]]


def test_bytes_invalid_in_the_detected_encoding_are_quarantined(ingest: Any, tmp_path: Path) -> None:
    head = "date,shipper_name,consignee_name,hs_code\n" + "2024-01-02,Alpha Ltd,Beta LLC,854231\n" * 300
    path = tmp_path / "mixed.csv"
    path.write_bytes(head.encode("utf-8") + b"2024-01-03,Gamma \xff\xfe Ltd,Beta LLC,854231\n")
    counts, _ = ingest(path, encoding="utf-8")  # a small sample would rather be read as cp1252
    assert (counts.read, counts.ingested, counts.quarantined) == (301, 300, 1)
    assert ingest.rejected() == [("line 302", "encoding: bytes not valid in utf-8")]


def test_truncated_gzip_keeps_what_was_read_and_quarantines_the_rest(ingest: Any, tmp_path: Path) -> None:
    rows = "date,shipper_name,consignee_name,hs_code\n" + "".join(
        f"2024-01-02,Alpha {i} Ltd,Beta LLC,854231\n" for i in range(3000))
    whole = gzip.compress(rows.encode())
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    counts, _ = ingest(path)
    assert counts.read == counts.ingested + counts.quarantined
    assert 0 < counts.ingested < 3000
    assert ingest.rejected()[-1][1].startswith("file ends unreadably")


def test_unknown_layout_lists_unknown_columns_and_how_to_map() -> None:
    with pytest.raises(LayoutError) as err:
        choose_layout(["Datum", "Absender", "Empfänger", "Warennummer"])
    message = str(err.value)
    assert "unknown columns: Datum, Absender, Empfänger, Warennummer" in message
    assert "--layout path/to/mapping.toml" in message


def test_a_user_mapping_file_maps_other_column_names(ingest: Any, tmp_path: Path) -> None:
    mapping = tmp_path / "german.toml"
    mapping.write_text('''
name = "german-vendor"
signature = ["Datum", "Absender", "Empfänger", "Warennummer"]
[fields]
date = "Datum"
shipper_name = "Absender"
consignee_name = "Empfänger"
hs_code = "Warennummer"
[infer.shipper_country]
value = "DE"
reason = "this vendor sells German export data only"
''', "utf-8")
    data = tmp_path / "de.csv"
    data.write_text("Datum;Absender;Empfänger;Warennummer\n02.01.2024;Muster GmbH;OOO Vektor;8542 31\n", "utf-8")
    counts, _ = ingest(data, layout=str(mapping))
    assert (counts.read, counts.ingested) == (1, 1)
    assert load_layout_file(mapping).name == "german-vendor"
    shipped = [e for e in ingest.graph()["edges"] if e[0] == "SHIPPED"]
    assert [(e[1], e[2], e[4], e[5]) for e in shipped] == [
        ("Company:name:muster gmbh|DE", "Company:name:ooo vektor|??", "2024-01-02", "854231")]


def test_malformed_mapping_is_a_clear_error(tmp_path: Path) -> None:
    mapping = tmp_path / "bad.toml"
    mapping.write_text('[fields]\nshiper_name = "X"\n', "utf-8")
    with pytest.raises(LayoutError, match="unknown canonical field"):
        load_layout_file(mapping)


def test_empty_and_old_excel_files_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ReadError, match="empty"):
        open_table(tmp_path / "empty.csv")
    with pytest.raises(ReadError, match=".xls is not supported"):
        open_table(tmp_path / "old.xls")


def test_cli_prints_counts_per_file_and_fails_only_on_unreadable_input(tmp_path: Path) -> None:
    store, quarantine = tmp_path / "store", tmp_path / "q.jsonl"
    runner = CliRunner()
    args = ["ingest", "customs", str(FIXTURES / "canonical.csv"), str(FIXTURES / "ru_import_lines_cp1251.csv"),
            "--store", str(store), "--quarantine", str(quarantine), "--format", "json"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["layout"], r["read"], r["ingested"], r["quarantined"]) for r in rows] == [
        ("canonical", 7, 2, 5), ("ru-import-lines", 4, 3, 1)]
    assert len(quarantine.read_text("utf-8").splitlines()) == 6
    again = json.loads(runner.invoke(cli, args).stdout)
    assert [(r["nodes_added"], r["edges_added"], r["evidence_added"]) for r in again] == [(0, 0, 0), (0, 0, 0)]

    (tmp_path / "other.csv").write_text("foo,bar\n1,2\n", "utf-8")
    failed = runner.invoke(cli, ["ingest", "customs", str(tmp_path / "other.csv"), str(tmp_path / "missing.csv"),
                                 "--store", str(store)])
    assert failed.exit_code == 1
    assert "no built-in layout fits" in failed.stderr and "missing.csv: cannot open" in failed.stderr


def test_a_value_that_failed_in_an_earlier_chunk_fails_again() -> None:
    from ingest.layouts import builtin_layouts

    mapper = builtin_layouts()["canonical"].bind(["date", "shipper_name", "consignee_name", "hs_code", "shipper_country"])
    first = mapper.map_chunk([["2024-01-01", "A", "B", "854231", "Atlantis"]])
    second = mapper.map_chunk([["2024-01-01", "A", "B", "854231", "Atlantis"], ["2024-01-01", "A", "B", "854231", "HK"]])
    assert [str(r) for r in first] == ["shipper_country: unknown country 'Atlantis'"]
    assert str(second[0]) == "shipper_country: unknown country 'Atlantis'"
    assert second[1] == {"date": "2024-01-01", "shipper_name": "A", "shipper_country": "HK", "consignee_name": "B",
                         "hs_code": "854231"}
