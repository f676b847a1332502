"""Planning a file in worker processes gives the graph, quarantine and counts of one process."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ingest.parallel
import ingest.readers
from graph.stores import open_store
from ingest.customs import CustomsFile
from ingest.parallel import count_lines, safe_cut, segments
from ingest.quarantine import Quarantine
from ingest.shipments import CANONICAL_COLUMNS
from tests.customs.conftest import describe_graph, quarantined

SEGMENT = 2048  # bytes: a few dozen rows per segment


def canonical_rows(n: int) -> list[list[str]]:
    """Rows in the canonical layout with the awkward cells: quoted newlines, commas, quotes, bad values."""
    rows = []
    for i in range(n):
        description = ["plain", "two\nlines", 'say "hi", twice', "a,b", "ends\r\nwith crlf"][i % 5]
        row = [f"R{i}", f"2023-{i % 12 + 1:02d}-{i % 27 + 1:02d}", f"Shipper {i % 37} Ltd", "HK", "",
               f"OOO Buyer {i % 23}", "RU", "", "US", ["854231", "8542390000", "847150"][i % 3], description,
               f"Brand {i % 7}", f"P-{i}", str(i % 50), "pcs", f"{i * 1.5:.2f}"]
        if i % 41 == 0:
            row[1] = "2023-13-45"  # unreadable date: quarantined
        if i % 53 == 0:
            row = row[:5]  # ragged
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[list[str]], *, header: list[str] | None = None, newline: str = "\n",
              encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header or list(CANONICAL_COLUMNS))
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def load(path: Path, root: Path, workers: int) -> tuple[Any, dict[str, Any], list[tuple[str, str]], set[Any]]:
    store_dir, quarantine_file = root / f"store-{workers}", root / f"quarantine-{workers}.jsonl"
    customs = CustomsFile(path, layout="canonical", workers=workers)
    with Quarantine(quarantine_file) as quarantine:
        open_store(store_dir).write(quarantine.filter(customs.batches()))
    store = open_store(store_dir)
    evidence = {tuple(r) for r in store.evidence_frame()[["owner", "locator", "observed", "excerpt"]].itertuples(
        index=False, name=None)}
    return customs.counts, describe_graph(store), quarantined(quarantine_file), evidence  # type: ignore[arg-type]


def assert_same_in_parallel(path: Path, root: Path) -> None:
    assert ingest.parallel.can_split(CustomsFile(path, layout="canonical").reader)
    one, two = load(path, root, 1), load(path, root, 2)
    assert one[0] == two[0]
    assert one[1] == two[1]
    assert one[2] == two[2]
    assert one[3] == two[3]  # the same evidence rows: locators (physical lines) and excerpts included


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.parallel, "SEGMENT_BYTES", SEGMENT)
    monkeypatch.setattr(ingest.parallel, "WORKER_SEGMENT_BYTES", SEGMENT)


def test_workers_give_the_records_of_one_process(tmp_path: Path, small_segments: None) -> None:
    path = write_csv(tmp_path / "c.csv", canonical_rows(400))
    cuts = list(segments(path, skip=1))
    assert len(cuts) > 10 and all(s.whole for s in cuts)
    assert b"".join(s.data for s in cuts) == path.read_bytes()
    assert_same_in_parallel(path, tmp_path)
    counts = load(path, tmp_path / "again", 2)[0]
    assert counts.read == 400 and counts.quarantined > 10 and counts.ingested + counts.quarantined == counts.read


def test_crlf_lines_bom_and_cp1251_keep_their_line_numbers(tmp_path: Path, small_segments: None) -> None:
    rows = canonical_rows(150)
    for row in rows:
        if len(row) > 5:
            row[5] = f"ООО «Покупатель {row[0]}»"  # Cyrillic consignee
    assert_same_in_parallel(write_csv(tmp_path / "crlf.csv", rows, newline="\r\n", encoding="utf-8-sig"),
                            tmp_path / "a")
    assert_same_in_parallel(write_csv(tmp_path / "cp1251.csv", rows, encoding="cp1251"), tmp_path / "b")


def test_a_stray_quote_that_fools_the_cut_falls_back_to_one_process(tmp_path: Path, small_segments: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    rows = canonical_rows(300)
    rows[40][10] = "STRAY"
    path = write_csv(tmp_path / "stray.csv", rows)
    # A quote inside an unquoted cell: from here on the quote count is odd at every true row end, so the
    # cutter picks line ends inside quoted multi-line cells; the sentinel check must catch that.
    path.write_bytes(path.read_bytes().replace(b",STRAY,", b',5" floppy,'))
    fallbacks: list[int] = []
    sequential = ingest.parallel._planned_from

    def spy(reader: Any, settings: Any, segment: Any) -> Any:
        fallbacks.append(segment.start)
        return sequential(reader, settings, segment)

    monkeypatch.setattr(ingest.parallel, "_planned_from", spy)
    assert_same_in_parallel(path, tmp_path)
    assert fallbacks and fallbacks[0] > 0  # the segments before the stray quote were planned in parallel


def test_safe_cut_and_line_counts() -> None:
    assert safe_cut(b'a,b\n"x\ny",z\n') == 12  # after the last line end: two quotes before it
    assert safe_cut(b'a,b\n"x\ny') == 4  # the last line end is inside a quoted cell: the one before it
    assert safe_cut(b'a,"b\nc') is None and safe_cut(b"no line end") is None
    assert count_lines(b"a\r\nb\rc\n") == 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=["a", "\r", "\n"], max_size=30))
def test_line_counts_are_those_of_python_text_reading(text: str) -> None:
    assert count_lines(text.encode()) == len(io.StringIO(text, newline=None).readlines()) - (
        1 if text and not text.endswith(("\r", "\n")) else 0)


def test_arrow_reading_gives_the_records_of_the_csv_module(tmp_path: Path, small_segments: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    rows = canonical_rows(400)
    for i, row in enumerate(rows):
        if len(row) > 10 and "\n" in row[10]:
            row[10] = ["ООО «Ромашка»", "5\" floppy", ""][i % 3]  # no quoted newlines: most segments are plain
    path = write_csv(tmp_path / "plain.csv", rows)
    read = ingest.parallel.read_columns
    taken: list[bool] = []

    def probe(*args: Any, **kwargs: Any) -> Any:
        columns = read(*args, **kwargs)
        taken.append(columns is not None)
        return columns

    monkeypatch.setattr(ingest.parallel, "read_columns", probe)
    by_arrow = load(path, tmp_path / "arrow", 1)
    assert sum(taken) > 5 and not all(taken)  # plain segments by Arrow, those with a ragged row by the csv module
    monkeypatch.setattr(ingest.parallel, "read_columns", lambda *args, **kwargs: None)
    by_csv_module = load(path, tmp_path / "csv", 1)
    assert by_arrow[0] == by_csv_module[0]
    assert by_arrow[1] == by_csv_module[1]
    assert by_arrow[2] == by_csv_module[2]
    assert by_arrow[3] == by_csv_module[3]


def test_small_chunks_give_the_records_of_one_big_chunk(tmp_path: Path, small_segments: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    rows = canonical_rows(400)
    for i, row in enumerate(rows):  # brands and goods recur across chunks in new combinations
        if len(row) > 11:
            row[11] = f"Brand {i % 11}"
    path = write_csv(tmp_path / "recurring.csv", rows)
    many = load(path, tmp_path / "many", 1)
    monkeypatch.setattr(ingest.parallel, "SEGMENT_BYTES", 1 << 30)
    monkeypatch.setattr(ingest.parallel, "WORKER_SEGMENT_BYTES", 1 << 30)
    monkeypatch.setattr(ingest.parallel, "CHUNK_ROWS", 1 << 30, raising=False)
    monkeypatch.setattr(ingest.readers, "CHUNK_ROWS", 1 << 30)
    one = load(path, tmp_path / "one", 1)
    assert many[0] == one[0] and many[1] == one[1] and many[2] == one[2] and many[3] == one[3]


def test_read_ahead_keeps_order_passes_errors_and_stops_with_its_consumer() -> None:
    assert list(ingest.parallel.read_ahead(iter(range(50)), 2)) == list(range(50))

    def failing() -> Any:
        yield 1
        raise ValueError("unreadable")

    items = ingest.parallel.read_ahead(failing(), 2)
    assert next(items) == 1
    with pytest.raises(ValueError, match="unreadable"):
        next(items)
    produced: list[int] = []

    def counting() -> Any:
        for i in range(10_000):
            produced.append(i)
            yield i

    early = ingest.parallel.read_ahead(counting(), 2)
    assert [next(early) for _ in range(3)] == [0, 1, 2]
    early.close()  # the consumer stops: the producer does too, a few items ahead at most
    assert len(produced) <= 3 + 2 + 2


def test_a_company_named_in_both_roles_is_told_by_its_first_row(tmp_path: Path) -> None:
    rows = [[f"R{i}", "2023-01-05", f"Shipper {i} Ltd", "CN", "", f"Buyer {i} LLC", "RU", "", "CN", "854231",
             "chip", "", "", "1", "pcs", "10"] for i in range(6)]
    rows[1][2] = "Shipper 0 Ltd"  # (so nothing else in line 3 is new)
    rows[1][5:7] = ["Both Ways Ltd", "HK"]  # a consignee here (line 3) ...
    rows[4][2:4] = ["Both Ways Ltd", "HK"]  # ... and a shipper later in the same chunk (line 6)
    path = write_csv(tmp_path / "both.csv", rows)
    with Quarantine(tmp_path / "q.jsonl") as quarantine:
        open_store(tmp_path / "store").write(quarantine.filter(CustomsFile(path, layout="canonical").batches()))
    store = open_store(tmp_path / "store")
    nodes = store.node_frame()
    company = nodes.loc[nodes["name"] == "Both Ways Ltd", "id"].item()
    evidence = store.evidence_frame()
    assert evidence.loc[evidence["owner"] == company, "locator"].tolist() == ["line 3"]
