"""Readers for news files: .txt, .md (front matter), .html, .json and .jsonl.

Every reader yields :class:`NewsDocument` items or :class:`Rejected` items with the reason (binary file,
too large, undecodable, malformed JSON, no text ...), so one bad file never stops a batch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from charset_normalizer import from_bytes

from ingest.news.document import NewsDocument, document_id, parse_document_date
from ingest.news.htmltext import html_to_text
from ingest.quarantine import Rejected

DEFAULT_MAX_BYTES = 5_000_000
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")
_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n", re.S)
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\s]*(?:\s[^)]*)?\)")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


class ReadError(ValueError):
    """A file that cannot be read as a news document; the message is the quarantine reason."""


def decode_text(data: bytes) -> str:
    """Text of a file: UTF-8 (with or without BOM), else the encoding charset-normalizer finds.

    Raises:
        ReadError: binary content or no plausible text encoding.
    """
    if b"\x00" in data[:65536]:
        raise ReadError("binary: file contains NUL bytes (not a text document)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data[:1_000_000]).best()
        if best is None:
            raise ReadError("encoding: not UTF-8 and no other text encoding fits") from None
        text = data.decode(best.encoding, errors="replace")
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > len(sample) * 0.01:
        raise ReadError("binary: too many control characters for a text document")
    return text


def _base_date(path: Path) -> str | None:
    hit = _DATE_IN_NAME.search(path.name)
    return parse_document_date(hit.group(1)) if hit else None


def read_txt(path: Path, text: str) -> Iterator[NewsDocument]:
    """A plain-text article; the first short line is the title, a date in the file name is the date."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = first if 0 < len(first) <= 200 else None
    yield NewsDocument(document_id(None, path.name), text, title, _base_date(path), None, str(path))


def read_markdown(path: Path, text: str) -> Iterator[NewsDocument]:
    """Markdown with optional YAML front matter (title, date, url); links are reduced to their text."""
    meta: dict[str, Any] = {}
    hit = _FRONT_MATTER.match(text)
    if hit:
        try:
            loaded = yaml.safe_load(hit.group(1))
        except yaml.YAMLError as exc:
            raise ReadError(f"front matter: not valid YAML ({str(exc).splitlines()[0]})") from exc
        meta = loaded if isinstance(loaded, dict) else {}
        text = text[hit.end():]
    body = _MD_LINK.sub(r"\1", text)
    url = str(meta["url"]) if meta.get("url") else None
    title = str(meta["title"]) if meta.get("title") else None
    date = parse_document_date(meta.get("date")) or _base_date(path)
    yield NewsDocument(document_id(url, path.name), body, title, date, url, str(path))


def read_html(path: Path, text: str) -> Iterator[NewsDocument]:
    """An HTML page: visible text with bold kept as ``**``, title, date and URL from meta tags."""
    body, title, meta = html_to_text(text)
    url = meta.get("og:url") or meta.get("url")
    stamp = meta.get("article:published_time") or meta.get("date") or meta.get("time")
    date = parse_document_date(stamp) or _base_date(path)
    yield NewsDocument(document_id(url, path.name), body, title or meta.get("og:title"), date, url, str(path))


def _json_item(path: Path, item: object, number: int | None) -> NewsDocument:
    if not isinstance(item, dict):
        raise ReadError(f"json: expected an object with text, got {type(item).__name__}")
    text = item.get("text") or item.get("body") or item.get("content")
    if not isinstance(text, str) or not text.strip():
        raise ReadError("json: object has no text")
    url = str(item["url"]) if item.get("url") else None
    title = str(item["title"]) if item.get("title") else None
    return NewsDocument(document_id(url, path.name, number), text, title, parse_document_date(item.get("date")),
                        url, str(path))


def read_json(path: Path, text: str) -> Iterator[NewsDocument | Rejected]:
    """A JSON object, or an array of objects, with title/date/url/text."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"json: not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if isinstance(data, list):
        for number, item in enumerate(data, 1):
            try:
                yield _json_item(path, item, number)
            except ReadError as exc:
                yield Rejected(document_id(None, path.name, number), f"item {number}", str(exc))
    else:
        yield _json_item(path, data, None)


def read_jsonl(path: Path, text: str) -> Iterator[NewsDocument | Rejected]:
    """One JSON object per line; a bad line is rejected with its line number, the others are read."""
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield _json_item(path, json.loads(line), number)
        except json.JSONDecodeError as exc:
            yield Rejected(document_id(None, path.name, number), f"line {number}",
                           f"json: not valid JSON ({exc.msg})", line[:200])
        except ReadError as exc:
            yield Rejected(document_id(None, path.name, number), f"line {number}", str(exc), line[:200])


READERS: dict[str, Callable[[Path, str], Iterable[NewsDocument | Rejected]]] = {
    ".txt": read_txt, ".md": read_markdown, ".markdown": read_markdown, ".html": read_html, ".htm": read_html,
    ".json": read_json, ".jsonl": read_jsonl,
}


def read_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[NewsDocument | Rejected]:
    """Documents in one file, or a Rejected item saying why the file (or an item in it) was skipped."""
    path = Path(path)
    source = document_id(None, path.name)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield Rejected(source, "file", f"unsupported: file type {path.suffix or '(none)'!r} is not a news format")
        return
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Rejected(source, "file", f"too large: {size} bytes exceeds the limit of {max_bytes} bytes")
            return
        text = decode_text(path.read_bytes())
        yield from reader(path, text)
    except ReadError as exc:
        yield Rejected(source, "file", str(exc))
    except (OSError, RecursionError) as exc:
        yield Rejected(source, "file", f"unreadable: {exc}")


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and files under directories named (sorted, hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def read_paths(paths: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[NewsDocument | Rejected]:
    """Documents from files and directories; unreadable ones come out as Rejected."""
    for path in iter_files(paths):
        yield from read_file(path, max_bytes)
