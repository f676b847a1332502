"""The evidence report: one self-contained, printable HTML file (and a Markdown twin) for a case file.

Paths come first, each with an inline SVG diagram and its hops; then every edge
once with its facts and full evidence (source, locator, extractor, confidence,
observed date, excerpt); then every entity with its identifiers and evidence.
No scripts, fonts, images or style sheets are fetched: the file opens offline.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Iterator
from typing import IO, Any

from graph.exports.diagram import MARKER, Arrow, Box, esc, svg_diagram
from graph.exports.records import visible_controls
from graph.schema import Edge, Evidence, Node
from graph.stores import GraphStore
from graph.subgraph import Materialized, PathView, Subgraph, materialize

OVERVIEW_LIMIT = 120  # nodes; larger selections get tables only

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;margin:0 auto;
max-width:1200px;padding:18px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:22px 0 6px;border-bottom:1px solid #ccc}
h3{font-size:15px;margin:14px 0 4px}.meta{color:#555}
table{border-collapse:collapse;width:100%;margin:4px 0 10px}th,td{border:1px solid #d0d0d0;padding:3px 6px;
text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:anywhere}th{background:#f2f2f2}
td.num{text-align:right;white-space:nowrap}
table.hops td,th{white-space:nowrap}table.hops td.name{white-space:normal}table.evidence td{min-width:6em}
.excerpt{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.diagram{max-width:100%;height:auto;display:block;margin:6px 0}
.diagram rect{fill:#eef3fb;stroke:#35608f}.diagram .Company rect{fill:#eef3fb}
.diagram .Person rect{fill:#f7eefb;stroke:#7a3f8f}.diagram .Country rect,.diagram .Good rect{fill:#f4f4f4;stroke:#777}
.diagram text{font-size:12px;fill:#1b1b1b}.diagram .name{font-weight:600}.diagram .detail{fill:#555}
.diagram .above,.diagram .below{text-anchor:middle;font-size:11px;fill:#333}
.diagram line{stroke:#444;stroke-width:1.5}.defs{position:absolute}
section{margin-bottom:14px}nav a{margin-right:12px}
@page{size:A4;margin:14mm}
@media print{nav{display:none}body{max-width:none;padding:0;font-size:11px}a{color:inherit;text-decoration:none}
section.path,section.edge,section.node{break-inside:avoid}h2{break-after:avoid}th{background:#eee}}
"""


@functools.lru_cache(maxsize=65536)
def _anchor(prefix: str, ident: str) -> str:
    return f"{prefix}-{re.sub(r'[^A-Za-z0-9_-]', '-', ident)}"


def _money(value: float | None) -> str:
    return "" if value is None else f"${value:,.2f}"


def _evidence_table(evidence: tuple[Evidence, ...]) -> str:
    if not evidence:
        return "<p class=\"meta\">No evidence recorded.</p>"
    rows = "".join(
        f"<tr><td>{esc(ev.source)}</td><td>{esc(ev.locator)}</td><td>{esc(ev.extractor)}</td>"
        f"<td class=\"num\">{ev.confidence:.2f}</td><td>{esc(ev.observed or '')}</td>"
        f"<td class=\"excerpt\">{esc(ev.excerpt or '')}</td></tr>"
        for ev in evidence
    )
    return ("<table class=\"evidence\"><tr><th>source</th><th>locator</th><th>extractor</th><th>confidence</th>"
            f"<th>observed</th><th>excerpt</th></tr>{rows}</table>")


def _props_text(props: Any) -> str:
    if not props:
        return ""
    return "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in props.items())


def _box(mat: Materialized, node_id: str) -> Box:
    node = mat.nodes[node_id]
    return Box(node_id, node.name or node_id, " · ".join(x for x in (node.country, node.type.value) if x),
               node.type.value)


def _arrow(edge_id: str, edge: Edge) -> Arrow:
    below = " ".join(x for x in (edge.hs_code or "", _money(edge.value_usd)) if x)
    return Arrow(edge.source, edge.target, " ".join(x for x in (edge.type.value, edge.date or "") if x), below,
                 "#" + _anchor("e", edge_id))


class _PathParts:
    """Boxes, arrows and hop-table cells per id, built once: 10,000 paths share a few thousand edges."""

    def __init__(self, mat: Materialized) -> None:
        self.mat = mat
        self.boxes: dict[str, Box] = {}
        self.arrows: dict[str, Arrow] = {}
        self.cells: dict[str, str] = {}

    def box(self, node_id: str) -> Box:
        if node_id not in self.boxes:
            self.boxes[node_id] = _box(self.mat, node_id)
        return self.boxes[node_id]

    def arrow(self, edge_id: str) -> Arrow:
        if edge_id not in self.arrows:
            self.arrows[edge_id] = _arrow(edge_id, self.mat.edges[edge_id])
        return self.arrows[edge_id]

    def hop_cells(self, edge_id: str) -> str:
        if edge_id not in self.cells:
            mat, e = self.mat, self.mat.edges[edge_id]
            self.cells[edge_id] = (
                f"<td class=\"name\">{esc(mat.label(e.source))}</td>"
                f"<td class=\"name\">{esc(mat.label(e.target))}</td>"
                f"<td>{esc(e.type.value)}</td><td>{esc(e.date or '')}</td><td>{esc(e.hs_code or '')}</td>"
                f"<td class=\"num\">{_money(e.value_usd)}</td><td class=\"num\">{e.confidence:.2f}</td>"
                f"<td><a href=\"#{_anchor('e', edge_id)}\">{len(e.evidence)} item(s)</a></td>")
        return self.cells[edge_id]


def _path_section(parts: _PathParts, rank: int, path: PathView) -> str:
    boxes = [parts.box(n) for n in dict.fromkeys(path.node_ids)]
    arrows = [parts.arrow(eid) for eid in path.edge_ids]
    hops = "".join(f"<tr><td class=\"num\">{i}</td>{parts.hop_cells(eid)}</tr>"
                   for i, eid in enumerate(path.edge_ids, start=1))
    score = "" if path.score is None else f" · score {path.score:.3f}"
    return (f"<section class=\"path\" id=\"path-{rank}\"><h3>Path {rank}{score} · {len(path.edge_ids)} hop(s)</h3>"
            f"{svg_diagram(boxes, arrows, roots=path.node_ids[:1])}"
            "<table class=\"hops\"><tr><th>#</th><th>from</th><th>to</th><th>type</th><th>date</th><th>HS</th>"
            f"<th>value</th><th>confidence</th><th>evidence</th></tr>{hops}</table></section>")


def _edge_section(mat: Materialized, edge_id: str, edge: Edge) -> str:
    facts = [("id", edge_id), ("key", edge.key), ("date", edge.date), ("HS code", edge.hs_code),
             ("value (USD)", _money(edge.value_usd)), ("quantity", edge.quantity),
             ("origin country", edge.origin_country), ("combined confidence", f"{edge.confidence:.3f}"),
             ("other facts", _props_text(edge.props))]
    rows = "".join(f"<tr><th>{k}</th><td>{esc(v)}</td></tr>" for k, v in facts if v not in (None, ""))
    return (f"<section class=\"edge\" id=\"{_anchor('e', edge_id)}\"><h3>"
            f"<a href=\"#{_anchor('n', edge.source)}\">{esc(mat.label(edge.source))}</a> → "
            f"<a href=\"#{_anchor('n', edge.target)}\">{esc(mat.label(edge.target))}</a> "
            f"· {esc(edge.type.value)}</h3><table>{rows}</table>{_evidence_table(edge.evidence)}</section>")


def _node_section(node_id: str, node: Node) -> str:
    facts = [("id", node_id), ("type", node.type.value), ("key", node.key), ("country", node.country),
             ("facts", _props_text(node.props))]
    rows = "".join(f"<tr><th>{k}</th><td>{esc(v)}</td></tr>" for k, v in facts if v not in (None, ""))
    return (f"<section class=\"node\" id=\"{_anchor('n', node_id)}\"><h3>{esc(node.name or node_id)}</h3>"
            f"<table>{rows}</table>{_evidence_table(node.evidence)}</section>")


def _overview(mat: Materialized) -> str:
    if len(mat.nodes) > OVERVIEW_LIMIT:
        return (f"<p class=\"meta\">{len(mat.nodes)} nodes are too many for one diagram; "
                "see the tables below.</p>")
    boxes = [_box(mat, nid) for nid in mat.nodes]
    arrows = [_arrow(eid, e) for eid, e in mat.edges.items()]
    return svg_diagram(boxes, arrows, roots=mat.focus)


def _html_parts(mat: Materialized) -> Iterator[str]:
    generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    yield ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           f"<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{esc(mat.title)}</title>"
           f"<style>{CSS}</style></head><body>{MARKER}\n")
    yield (f"<header><h1>Evidence report: {esc(mat.title)}</h1><p class=\"meta\">Generated {generated} by transship · "
           f"{len(mat.paths)} path(s), {len(mat.nodes)} entities, {len(mat.edges)} edges. Every edge lists the "
           "sources it rests on; confidences are in [0, 1].</p>"
           "<nav><a href=\"#paths\">Paths</a><a href=\"#edges\">Edges and evidence</a>"
           "<a href=\"#entities\">Entities</a></nav></header>\n")
    yield "<h2 id=\"paths\">Paths</h2>\n"
    if mat.paths:
        parts = _PathParts(mat)
        for rank, path in enumerate(mat.paths, start=1):
            yield _path_section(parts, rank, path) + "\n"
    else:
        yield "<p class=\"meta\">This selection is not a trace; the diagram shows the whole subgraph.</p>"
        yield _overview(mat) + "\n"
    yield "<h2 id=\"edges\">Edges and evidence</h2>\n"
    for edge_id, edge in mat.edges.items():
        yield _edge_section(mat, edge_id, edge) + "\n"
    yield "<h2 id=\"entities\">Entities</h2>\n"
    for node_id, node in mat.nodes.items():
        yield _node_section(node_id, node) + "\n"
    yield "</body></html>\n"


def export_html(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write the self-contained HTML evidence report."""
    for part in _html_parts(materialize(store, sub)):
        fh.write(part)


# ---- Markdown ---------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~])")
_HTML_SPECIAL = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md(text: object) -> str:
    """Markdown-escaped inline text: HTML neutralised, punctuation escaped, line breaks as <br>."""
    return _md_text(text if isinstance(text, str) else str(text))


@functools.lru_cache(maxsize=65536)
def _md_text(text: str) -> str:
    clean = visible_controls(text).translate(_HTML_SPECIAL)
    clean = _MD_SPECIAL.sub(r"\\\1", clean)
    return re.sub(r"\r\n|\r|\n|\u2028|\u2029", "<br>", clean)


def _md_evidence(evidence: tuple[Evidence, ...]) -> Iterator[str]:
    if not evidence:
        yield "- no evidence recorded\n"
    for ev in evidence:
        observed = f", observed {md(ev.observed)}" if ev.observed else ""
        yield f"- {md(ev.source)}, {md(ev.locator)} ({md(ev.extractor)}, confidence {ev.confidence:.2f}{observed})\n"
        if ev.excerpt:
            yield f"  > {md(ev.excerpt)}\n"


def _markdown_parts(mat: Materialized) -> Iterator[str]:
    yield f"# Evidence report: {md(mat.title)}\n\n{len(mat.paths)} path(s), {len(mat.nodes)} entities, "
    yield f"{len(mat.edges)} edges.\n\n## Paths\n\n"
    for rank, path in enumerate(mat.paths, start=1):
        route = " → ".join(md(mat.label(n)) for n in path.node_ids)
        score = "" if path.score is None else f" (score {path.score:.3f})"
        yield f"{rank}. {route}{score}\n"
    yield "\n## Edges and evidence\n\n"
    for edge_id, edge in mat.edges.items():
        facts = ", ".join(md(x) for x in (edge.date, edge.hs_code, _money(edge.value_usd)) if x)
        yield (f"### {md(mat.label(edge.source))} → {md(mat.label(edge.target))} ({edge.type.value})\n\n"
               f"`{edge_id}` · {facts} · confidence {edge.confidence:.3f}\n\n")
        yield from _md_evidence(edge.evidence)
        yield "\n"
    yield "## Entities\n\n"
    for node_id, node in mat.nodes.items():
        yield f"### {md(node.name or node_id)}\n\n`{node_id}` · {node.type.value} · {md(node.country or '')}\n\n"
        yield from _md_evidence(node.evidence)
        yield "\n"


def export_markdown(store: GraphStore, sub: Subgraph, fh: IO[str]) -> None:
    """Write the evidence report as Markdown."""
    for part in _markdown_parts(materialize(store, sub)):
        fh.write(part)
