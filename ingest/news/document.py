"""A news document as read from a file: text plus the metadata the graph keeps."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ingest.normalize import NormalizationError, normalize_date

_ISO_PREFIX = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})")
_LONG_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %Y")


@dataclass(frozen=True, slots=True)
class NewsDocument:
    """One article or press release.

    ``id`` is the graph source id (``news:<url>`` or ``news:<file name>``); ``text`` is what the pipeline
    reads, with bold names kept as ``**Name**`` markers; character locators refer to it.
    """

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    path: str | None = None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def words(self) -> int:
        """Whitespace-separated words (for throughput figures)."""
        return len(self.text.split())


def parse_document_date(value: object) -> str | None:
    """ISO date from front-matter, JSON or HTML metadata values; None when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return None
    text = str(value).strip()
    hit = _ISO_PREFIX.match(text)
    if hit:
        return hit.group(1)
    try:
        return normalize_date(text)
    except NormalizationError:
        pass
    for fmt in _LONG_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed.strftime("%Y-%m") if fmt == "%B %Y" else parsed.date().isoformat()
    return None


def document_id(url: str | None, name: str, item: int | None = None) -> str:
    """Source id: the URL when known, else the file name (plus the item number inside JSON files)."""
    if url:
        return f"news:{url.strip()}"
    return f"news:{name}" + (f"#{item}" if item is not None else "")
