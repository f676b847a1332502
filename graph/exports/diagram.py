"""Inline SVG diagrams for the evidence report: a left-to-right layered layout, computed here (no JS, no CDN)."""

from __future__ import annotations

import functools
import html
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graph.exports.records import visible_controls

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 200, 58, 150, 26, 12
NAME_CHARS = 24  # ~7 px per bold 12 px character fits the 200 px box; the full name is in <title>
# Defined once per document (ids must be unique); every diagram refers to it as url(#arrow).
MARKER = ('<svg width="0" height="0" class="defs" aria-hidden="true"><defs>'
          '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
          'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs></svg>')


@functools.lru_cache(maxsize=65536)
def _esc_text(text: str) -> str:
    return html.escape(visible_controls(text), quote=True)


def esc(text: object) -> str:
    """HTML/SVG-escaped text with control characters made visible (cached: names repeat on every path)."""
    return _esc_text(text if isinstance(text, str) else str(text))


def _short(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class Box:
    """A node to draw: its id, a title line, a detail line and a CSS class."""

    id: str
    title: str
    detail: str
    kind: str


@dataclass(frozen=True, slots=True)
class Arrow:
    """An edge to draw between two boxes, with a label above and below the line."""

    source: str
    target: str
    above: str
    below: str
    href: str = ""


def layered_positions(ids: Sequence[str], arrows: Sequence[Arrow],
                      roots: Sequence[str] = ()) -> dict[str, tuple[int, int]]:
    """Column and row per box: breadth-first layers along the arrows from the roots (else sources)."""
    following: dict[str, list[str]] = {i: [] for i in ids}
    has_incoming: set[str] = set()
    for arrow in arrows:
        if arrow.source in following and arrow.target in following:
            following[arrow.source].append(arrow.target)
            has_incoming.add(arrow.target)
    layer: dict[str, int] = {}
    starts = [r for r in roots if r in following] or [i for i in ids if i not in has_incoming]
    pending = list(ids)
    while len(layer) < len(ids):
        if not starts:
            starts = [next(i for i in pending if i not in layer)]
        queue = deque(starts)
        for start in starts:
            layer.setdefault(start, 0)
        while queue:
            current = queue.popleft()
            for nxt in following[current]:
                if nxt not in layer:
                    layer[nxt] = layer[current] + 1
                    queue.append(nxt)
        starts = []
    rows: dict[int, int] = {}
    positions = {}
    for node_id in ids:
        column = layer[node_id]
        positions[node_id] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    return positions


def svg_diagram(boxes: Sequence[Box], arrows: Sequence[Arrow], roots: Sequence[str] = (),
                label: Callable[[str], str] | None = None) -> str:
    """An SVG string drawing boxes in layers left to right with labelled arrows between them."""
    positions = layered_positions([b.id for b in boxes], arrows, roots)
    columns = max((c for c, _ in positions.values()), default=0) + 1
    rows = max((r for _, r in positions.values()), default=0) + 1
    width = MARGIN * 2 + columns * BOX_W + (columns - 1) * GAP_X
    height = MARGIN * 2 + rows * BOX_H + (rows - 1) * GAP_Y + 16

    def corner(node_id: str) -> tuple[int, int]:
        column, row = positions[node_id]
        return MARGIN + column * (BOX_W + GAP_X), MARGIN + 16 + row * (BOX_H + GAP_Y)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" class="diagram">']
    for arrow in arrows:
        if arrow.source not in positions or arrow.target not in positions:
            continue
        (sx, sy), (tx, ty) = corner(arrow.source), corner(arrow.target)
        x1, y1 = sx + BOX_W, sy + BOX_H // 2
        x2, y2 = (tx, ty + BOX_H // 2) if tx > sx else (tx + BOX_W // 2, ty + (0 if ty > sy else BOX_H))
        mx, my = (x1 + x2) // 2, (y1 + y2) // 2
        line = (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" class="arrow" marker-end="url(#arrow)"/>'
                f'<text x="{mx}" y="{my - 6}" class="above">{esc(_short(arrow.above, 21))}</text>'
                f'<text x="{mx}" y="{my + 13}" class="below">{esc(_short(arrow.below, 21))}</text>')
        parts.append(f'<a href="{esc(arrow.href)}">{line}</a>' if arrow.href else line)
    for box in boxes:
        x, y = corner(box.id)
        parts.append(
            f'<g class="box {esc(box.kind)}"><title>{esc(box.title)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text x="{x + 8}" y="{y + 23}" class="name">{esc(_short(box.title))}</text>'
            f'<text x="{x + 8}" y="{y + 43}" class="detail">{esc(_short(box.detail, 30))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
