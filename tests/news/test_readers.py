"""Readers for each format, and hostile input: binary, huge, broken HTML, wrong encoding, bad JSON."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language

from graph.schema import Edge, EdgeType
from ingest.news import NewsDocument, NewsStats, extract_documents, read_file, read_paths
from ingest.news.extract import chunks
from ingest.quarantine import Rejected


def read(path: Path, **kwargs: int) -> list[NewsDocument | Rejected]:
    return list(read_file(path, **kwargs))


def test_txt_title_and_text(fixtures: Path) -> None:
    (doc,) = read(fixtures / "article.txt")
    assert isinstance(doc, NewsDocument)
    assert doc.id == "news:article.txt" and doc.title.startswith("Shell firms")
    assert "Sky Harbor Trading Ltd" in doc.text


def test_markdown_front_matter_and_links(fixtures: Path) -> None:
    (doc,) = read(fixtures / "release.md")
    assert isinstance(doc, NewsDocument)
    assert (doc.date, doc.url) == ("2024-03-12", "/news/press-releases/test-0001")
    assert doc.id == "news:/news/press-releases/test-0001"
    assert doc.title.startswith("Treasury Designates")
    assert "---" not in doc.text[:5] and "a U.S.-designated drone producer" in doc.text  # link reduced to its text
    assert "**Brightpath Components Limited**" in doc.text


def test_html_drops_scripts_keeps_bold(fixtures: Path) -> None:
    (doc,) = read(fixtures / "page.html")
    assert isinstance(doc, NewsDocument)
    assert "Evil Corp" not in doc.text and "color: red" not in doc.text
    assert "**Steppe Logistics TOO**" in doc.text and "**OOO Motor-Avia**" in doc.text
    assert (doc.title, doc.date, doc.url) == ("Drone parts route through Central Asia", "2023-09-05",
                                              "https://news.example.org/drone-parts")


def test_json_array_with_a_bad_item(fixtures: Path) -> None:
    items = read(fixtures / "items.json")
    assert isinstance(items[0], NewsDocument) and items[0].url == "https://news.example.org/bearings"
    assert isinstance(items[1], Rejected) and "no text" in items[1].reason and items[1].locator == "item 2"


def test_jsonl_bad_line_does_not_stop_the_file(fixtures: Path) -> None:
    items = read(fixtures / "items.jsonl")
    assert [type(i).__name__ for i in items] == ["NewsDocument", "Rejected", "NewsDocument"]
    assert items[1].locator == "line 2" and items[1].reason.startswith("json:")
    assert items[2].id == "news:items.jsonl#3" and items[2].date == "2024-02-01"


def test_wrong_encoding_is_detected(fixtures: Path) -> None:
    (doc,) = read(fixtures / "cp1251.txt")
    assert isinstance(doc, NewsDocument) and "Радиодеталь" in doc.text


def test_binary_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (item,) = read(path)
    assert isinstance(item, Rejected) and item.reason.startswith("binary")


def test_control_characters_without_nul_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "noise.md"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 200)
    (item,) = read(path)
    assert isinstance(item, Rejected) and item.reason.startswith("binary")


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 30_000)
    (item,) = read(path, max_bytes=100_000)
    assert isinstance(item, Rejected) and item.reason.startswith("too large")
    (doc,) = read(path, max_bytes=200_000)
    assert isinstance(doc, NewsDocument)


def test_unsupported_and_bad_front_matter(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    (tmp_path / "c.json").write_text("{not json")
    (tmp_path / ".hidden.txt").write_text("ignored")
    items = list(read_paths([tmp_path]))
    reasons = {Path(i.source.split(":", 1)[1]).name: i.reason for i in items if isinstance(i, Rejected)}
    assert reasons["a.pdf"].startswith("unsupported")
    assert reasons["b.md"].startswith("front matter")
    assert reasons["c.json"].startswith("json")
    assert len(items) == 3


def test_broken_html_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "broken.html"
    path.write_text("<html><body><p>Alpha <b>Beta Trading LLC</p><div><span>shipped <i>chips</div></table>"
                    "<script>unterminated", encoding="utf-8")
    (doc,) = read(path)
    assert isinstance(doc, NewsDocument) and "Beta Trading LLC" in doc.text and "unterminated" not in doc.text


def test_large_document_is_chunked_with_correct_offsets(nlp: Language) -> None:
    paragraph = "Sky Harbor Trading Ltd shipped chips to OOO Radiotekh in 2023.\n\n"
    text = "Intro.\n\n" + paragraph * 1700  # ~110 kB: more than one chunk
    pieces = list(chunks(text))
    assert len(pieces) == 2 and "".join(p for _, p in pieces) == text
    records = list(extract_documents(nlp, [NewsDocument("news:big", text)]))
    supplies = [r for r in records if isinstance(r, Edge) and r.type is EdgeType.SUPPLIES]
    assert len(supplies) == 1700 and len({e.id for e in supplies}) == 1  # one edge id; the store merges evidence
    last = supplies[-1].evidence[0]
    start, end = map(int, last.locator.removeprefix("chars ").split("-"))
    assert text[start:end] == last.excerpt == paragraph.strip()
    assert start > pieces[1][0]  # offsets of the second chunk are shifted to the whole document


def test_one_failing_document_does_not_stop_the_batch(nlp: Language) -> None:
    good = NewsDocument("news:good", "OFAC designated Golden Falcon FZE.")
    bad = NewsDocument("news:bad", "x" * 10)
    original = nlp.max_length
    stats = NewsStats()
    try:
        nlp.max_length = 5  # makes the short document "too long" for spaCy: a ValueError inside the pipeline
        items = list(extract_documents(nlp, [bad], stats=stats))
    finally:
        nlp.max_length = original
    assert isinstance(items[0], Rejected) and items[0].reason.startswith("pipeline:")
    items = list(extract_documents(nlp, [good], stats=stats))
    assert not any(isinstance(i, Rejected) for i in items)
    assert (stats.documents, stats.skipped) == (1, 1)
