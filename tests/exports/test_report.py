"""The HTML evidence report: self-contained, one diagram per path, every edge's evidence; Markdown twin."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from graph.exports import export_bytes
from graph.subgraph import everything, from_trace, materialize

URL_ATTRIBUTES = {"src", "href", "xlink:href", "action", "data", "poster", "srcset", "formaction", "background"}


class ReportParser(HTMLParser):
    """Collects tags, URL-bearing attributes, element ids, text and style blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
            if name == "id" and value:
                self.ids.add(value)
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def _parse(raw: bytes) -> ReportParser:
    parser = ReportParser()
    parser.feed(raw.decode("utf-8"))
    parser.close()
    return parser


def test_report_is_self_contained(world: Any, trace_result: Any) -> None:
    parser = _parse(export_bytes(world.store, from_trace(trace_result), "html"))
    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(parser.tags)
    assert parser.urls and all(url.startswith("#") for url in parser.urls)
    assert all(url[1:] in parser.ids for url in parser.urls)  # every internal link lands
    css = " ".join(parser.styles)
    assert "@import" not in css and not re.search(r"url\((?!#)", css)
    assert "@media print" in css


def test_one_diagram_per_path_and_evidence_per_edge(world: Any, trace_result: Any) -> None:
    sub = from_trace(trace_result)
    raw = export_bytes(world.store, sub, "html")
    parser = _parse(raw)
    assert parser.tags.count("svg") == len(sub.paths) + 1  # one per path, plus the shared arrow marker
    text = "".join(parser.text)
    mat = materialize(world.store, sub)
    for edge_id, edge in mat.edges.items():
        assert f"e-{edge_id.replace(':', '-')}" in parser.ids
        for ev in edge.evidence:
            for value in (ev.source, ev.locator, ev.extractor, ev.observed, ev.excerpt):
                if value:
                    shown = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: chr(0x2400 + ord(m.group())), value)
                    assert shown in text, (edge_id, value[:40])
            assert f"{ev.confidence:.2f}" in text
        if edge.value_usd is not None:
            assert f"${edge.value_usd:,.2f}" in text


def test_hostile_text_stays_text(world: Any, hostile: str) -> None:
    raw = export_bytes(world.store, everything(world.store), "html")
    parser = _parse(raw)
    assert "script" not in parser.tags and "b" not in parser.tags
    assert "<script>alert(1)</script>" in "".join(parser.text)
    assert b"\x00" not in raw and b"\x01" not in raw


def test_overview_diagram_when_not_a_trace(world: Any) -> None:
    parser = _parse(export_bytes(world.store, everything(world.store), "html"))
    assert parser.tags.count("svg") == 2 and parser.tags.count("rect") == len(world.store.node_frame())


def test_markdown_report(world: Any, trace_result: Any) -> None:
    text = export_bytes(world.store, from_trace(trace_result), "markdown").decode("utf-8")
    assert text.startswith("# Evidence report")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "customs:fixture\\.csv" in text and "row 1" in text
    assert text.count("\n1. ") == 1 and "\n2. " in text
