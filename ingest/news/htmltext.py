"""HTML to plain text with the stdlib parser: scripts and styles dropped, bold text kept as ``**...**``."""

from __future__ import annotations

from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "iframe", "object"})
_BOLD = frozenset({"b", "strong"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
                    "section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt"})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.bold_depth = 0
        self.meta: dict[str, str] = {}
        self._title: list[str] = []
        self._in_title = False
        self._h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag == "meta":
            values = {k: v or "" for k, v in attrs}
            name = (values.get("name") or values.get("property") or "").lower()
            if name and values.get("content"):
                self.meta[name] = values["content"]
        if tag == "time":
            stamp = dict(attrs).get("datetime")
            if stamp:
                self.meta.setdefault("time", stamp)
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth += 1
            return
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self.parts.append("\n\n")
        if tag in _BOLD and not self.skip_depth:
            if self.bold_depth == 0:
                self.parts.append("**")
            self.bold_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _SKIP and tag not in _VOID:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag == "h1":
            self._in_h1 = False
        if tag in _BOLD and self.bold_depth:
            self.bold_depth -= 1
            if self.bold_depth == 0:
                self.parts.append("**")
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        if self.skip_depth:
            return
        if self._in_h1:
            self._h1.append(data)
        self.parts.append(data)

    @property
    def title(self) -> str | None:
        text = " ".join("".join(self._title or self._h1).split())
        return text or None


def html_to_text(html: str) -> tuple[str, str | None, dict[str, str]]:
    """Plain text (paragraphs separated by blank lines, bold as ``**``), the title and the meta tags."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    if collector.bold_depth:  # unclosed <b> in broken HTML
        collector.parts.append("**")
    raw = "".join(collector.parts)
    paragraphs = (" ".join(block.split()) for block in raw.split("\n\n"))
    text = "\n\n".join(p for p in paragraphs if p and p != "**" and p != "****")
    return text, collector.title, collector.meta
