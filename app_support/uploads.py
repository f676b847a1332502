"""Ingest page: uploaded files → a preview of what would be added and quarantined → commit.

An upload is saved to a private temporary file; the preview runs the loader on it
without writing; commit runs the same loader again into the store (loaders are
deterministic, so the commit adds exactly what the preview showed).
"""

from __future__ import annotations

import csv
import os
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from app_support.list_uploads import LIST_EXTENSIONS, load_list_folder
from graph.batch import EdgeBatch, expand
from graph.schema import Edge, Node, Record, SchemaError
from graph.stores import GraphStore, WriteResult
from ingest.customs import load_customs
from ingest.layouts import LayoutError
from ingest.quarantine import Quarantine, Rejected
from ingest.readers import ReadError
from ingest.tags import load_tags

MAX_UPLOAD_MB = 200
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB << 20
SAMPLE_ROWS = 50
BINARY_EXTENSIONS = (".gz", ".xlsx", ".parquet")  # everything else must be text

Loader = Callable[[GraphStore, Path, str, str | None], Iterable[Record | EdgeBatch | Rejected]]
"""(store, file or folder of files, evidence source, option such as the list kind) -> records."""


@dataclass(frozen=True)
class UploadKind:
    """A kind of file the Ingest page accepts."""

    label: str
    extensions: tuple[str, ...]
    loader: Loader
    help: str
    multiple: bool = False  # several files in one upload: the loader gets their folder


def _customs(store: GraphStore, path: Path, source: str, option: str | None) -> Iterable[Record | EdgeBatch | Rejected]:
    return load_customs(path, source=source)


_PIPELINES: dict[tuple[str, int], Any] = {}


def _news_pipeline(store: GraphStore) -> tuple[Any, Any]:
    """The news pipeline and name index for the store's current generation (built once: it takes seconds)."""
    from ingest.news import NameIndex, build_pipeline

    key = (store.location, int(getattr(store, "generation", 0)))
    if key not in _PIPELINES:
        index = NameIndex.from_store(store)  # mentions of companies already in the store resolve to them
        _PIPELINES.clear()
        _PIPELINES[key] = (build_pipeline(index.names), index)
    nlp, index = _PIPELINES[key]
    return nlp, index


def _articles(store: GraphStore, path: Path, source: str, option: str | None) -> Iterable[Record | Rejected]:
    from ingest.news import load_news

    nlp, index = _news_pipeline(store)
    return load_news([path], nlp, index, max_bytes=MAX_UPLOAD_BYTES)


def _tags(store: GraphStore, path: Path, source: str, option: str | None) -> Iterable[Record | Rejected]:
    return load_tags(path)


def _lists(store: GraphStore, folder: Path, source: str, option: str | None) -> Iterable[Record | Rejected]:
    return load_list_folder(folder, option)


UPLOAD_KINDS: dict[str, UploadKind] = {
    "customs": UploadKind(
        "Customs records", ("csv", "tsv", "txt", "gz", "xlsx", "parquet"), _customs,
        "One declaration line per row, in any known vendor layout (detected from the header; see "
        "docs/customs.md)."),
    "articles": UploadKind(
        "News articles and press releases", ("txt", "md", "markdown", "html", "htm", "json", "jsonl"), _articles,
        "Companies, countries, goods and supply claims are extracted from the text; claims get lower "
        "confidence than customs records."),
    "tags": UploadKind(
        "Analyst tags / lists (CSV)", ("csv",), _tags,
        "Columns name,country,identifier,tag,reason: marks companies as manufacturer, defense_buyer, ..."),
    "lists": UploadKind(
        "Sanctions / export-control lists", LIST_EXTENSIONS, _lists,
        "SDN (with its add/alt files), Consolidated Screening List, Entity List rule XML, OpenSanctions, "
        "or several GUR component tables together; the kind is detected from each file unless chosen.",
        multiple=True),
}


class UploadError(ValueError):
    """The uploaded file cannot be read at all (the message says why, for the user)."""


@dataclass
class IngestPreview:
    """What one upload would add, before anything is written."""

    kind: str
    name: str
    path: Path
    source: str
    option: str | None = None
    records: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    new_counts: Counter[str] = field(default_factory=Counter)
    sample: list[dict[str, object]] = field(default_factory=list)
    node_sample: list[dict[str, object]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Records per kind, and how many of them are new to the store."""
        rows = [{"what": k, "records": v, "new": self.new_counts.get(k, 0)} for k, v in sorted(self.counts.items())]
        rows.append({"what": "quarantined rows", "records": len(self.rejected), "new": len(self.rejected)})
        return pd.DataFrame(rows, columns=["what", "records", "new"])

    def quarantine_table(self) -> pd.DataFrame:
        """The rows that would go to quarantine, with the reason."""
        return pd.DataFrame([{"locator": r.locator, "reason": r.reason, "raw": r.raw} for r in self.rejected],
                            columns=["locator", "reason", "raw"])

    def sample_table(self) -> pd.DataFrame:
        """The first edges the upload would add."""
        frame = pd.DataFrame(self.sample, columns=["type", "source", "target", "date", "hs_code", "value_usd"])
        for column in ("source", "target"):
            frame[column] = frame[column].map(lambda i: self.names.get(i, i))
        return frame

    def node_sample_table(self) -> pd.DataFrame:
        """The first new entities the upload would add."""
        return pd.DataFrame(self.node_sample, columns=["type", "name", "country", "id"])


def check_upload(name: str, data: bytes, kind: str) -> None:
    """Reject uploads that are too big, empty, binary or of the wrong kind, with a clear reason."""
    if kind not in UPLOAD_KINDS:
        raise UploadError(f"unknown upload kind {kind!r}; choose one of {', '.join(UPLOAD_KINDS)}")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(f"{name} is {len(data) / 2**20:,.1f} MB; the app takes files up to {MAX_UPLOAD_MB} MB "
                          "(use 'transship ingest' for bigger files)")
    if not data.strip():
        raise UploadError(f"{name} is empty")
    extensions = UPLOAD_KINDS[kind].extensions
    if not name.lower().endswith(tuple(f".{e}" for e in extensions)):
        raise UploadError(f"{name}: expected a {' or '.join('.' + e for e in extensions)} file")
    if not name.lower().endswith(BINARY_EXTENSIONS) and b"\x00" in data[:65536]:
        raise UploadError(f"{name} looks like a binary file, not text")


def save_upload(name: str, data: bytes, folder: str | os.PathLike[str] | None = None) -> Path:
    """Write the upload to a private temporary file named after it (the name becomes the evidence source)."""
    return save_uploads([(name, data)], folder)[0]


def save_uploads(files: Sequence[tuple[str, bytes]], folder: str | os.PathLike[str] | None = None) -> list[Path]:
    """Write the files of one upload into one private temporary folder, each named after its upload."""
    directory = Path(tempfile.mkdtemp(prefix="transship-upload-", dir=folder))
    paths = []
    for name, data in files:
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in Path(name).name)[:120] or "upload"
        if (directory / safe).exists():
            raise UploadError(f"two uploaded files are both named {safe}")
        (directory / safe).write_bytes(data)
        paths.append(directory / safe)
    return paths


def _read_errors() -> tuple[type[BaseException], ...]:
    return (pa.ArrowInvalid, UnicodeDecodeError, ValueError, SchemaError, ReadError, LayoutError, csv.Error,
            ET.ParseError)


def preview_upload(store: GraphStore, kind: str, name: str, data: bytes, *, folder: str | None = None) -> IngestPreview:
    """Run the loader on an upload without writing; raises UploadError for unreadable files."""
    return preview_files(store, kind, [(name, data)], folder=folder)


def preview_files(store: GraphStore, kind: str, files: Sequence[tuple[str, bytes]], *, option: str | None = None,
                  folder: str | None = None) -> IngestPreview:
    """Run the loader on the (name, content) files of one upload without writing; UploadError if unreadable."""
    if not files:
        raise UploadError("no file uploaded")
    for name, data in files:
        check_upload(name, data, kind)
    spec = UPLOAD_KINDS[kind]
    if len(files) > 1 and not spec.multiple:
        raise UploadError(f"{spec.label}: upload one file at a time")
    if sum(len(data) for _, data in files) > MAX_UPLOAD_BYTES:
        raise UploadError(f"the files together exceed {MAX_UPLOAD_MB} MB; use 'transship ingest' for bigger uploads")
    paths = save_uploads(files, folder)
    path = paths[0].parent if spec.multiple else paths[0]
    name = ", ".join(p.name for p in paths)
    preview = IngestPreview(kind, name, path, f"{kind}:{paths[0].name}", option)
    node_ids = set(store.node_frame()["id"])
    edge_ids = set(store.edge_frame()["id"])
    try:
        for item in expand(spec.loader(store, path, preview.source, option)):
            _tally(preview, item, node_ids, edge_ids)
    except _read_errors() as exc:
        raise UploadError(f"{name} cannot be read as {spec.label}: {_without_folder(str(exc), path)}") from exc
    if preview.records == 0 and not preview.rejected:
        raise UploadError(f"{name} holds no rows")
    return preview


def _without_folder(message: str, path: Path) -> str:
    """A loader's message without the private temporary folder in it."""
    folder = str(path if path.is_dir() else path.parent)
    return message.replace(folder + os.sep, "").replace(folder, "the upload")


def _tally(preview: IngestPreview, item: Record | Rejected, node_ids: set[str], edge_ids: set[str]) -> None:
    if isinstance(item, Rejected):
        preview.rejected.append(item)
        return
    preview.records += 1
    what = f"{'node' if isinstance(item, Node) else 'edge'} {item.type.value}"
    preview.counts[what] += 1
    if isinstance(item, Node):
        preview.names.setdefault(item.id, item.name)
    seen = node_ids if isinstance(item, Node) else edge_ids
    if item.id not in seen:
        preview.new_counts[what] += 1
        seen.add(item.id)
        if isinstance(item, Node) and len(preview.node_sample) < SAMPLE_ROWS:
            preview.node_sample.append({"type": item.type.value, "name": item.name, "country": item.country,
                                        "id": item.id})
    if isinstance(item, Edge) and len(preview.sample) < SAMPLE_ROWS:
        preview.sample.append({"type": item.type.value, "source": item.source, "target": item.target,
                               "date": item.date, "hs_code": item.hs_code, "value_usd": item.value_usd})


def commit_upload(store: GraphStore, preview: IngestPreview, quarantine_path: str | os.PathLike[str] | None = None
                  ) -> tuple[WriteResult, int]:
    """Write the previewed upload into the store; rejected rows go to the quarantine file.

    Returns the write result and the number of quarantined rows.
    """
    loader = UPLOAD_KINDS[preview.kind].loader
    with Quarantine(None if quarantine_path is None else Path(quarantine_path)) as quarantine:
        result = store.write(quarantine.filter(loader(store, preview.path, preview.source, preview.option)))
    return result, quarantine.rejected


def default_quarantine_path(store: GraphStore) -> Path | None:
    """``<store>/quarantine.jsonl`` for directory stores (as the CLI uses), None otherwise."""
    location = Path(store.location)
    return location / "quarantine.jsonl" if location.is_dir() else None
