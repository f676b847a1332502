"""Read news files, run the pipeline and yield graph records (or Rejected items). Never writes."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from graph.schema import Edge, EdgeType, Record
from ingest.news.document import NewsDocument
from ingest.news.names_index import NameIndex
from ingest.news.readers import DEFAULT_MAX_BYTES, read_paths
from ingest.news.records import DocRecords
from ingest.quarantine import Rejected

log = logging.getLogger(__name__)
CHUNK_CHARS = 100_000  # long documents are processed in paragraph chunks to bound memory
_CLAIM_TYPES = {EdgeType.SUPPLIES, EdgeType.OWNED_BY, EdgeType.LOCATED_IN, EdgeType.LISTED_ON}


@dataclass
class NewsStats:
    """What one extraction run saw."""

    documents: int = 0
    skipped: int = 0
    words: int = 0
    entities: int = 0
    claims: dict[str, int] = field(default_factory=dict)

    def count(self, record: Record) -> None:
        if isinstance(record, Edge):
            if record.type is EdgeType.MENTIONS:
                self.entities += 1
            elif record.type in _CLAIM_TYPES:
                self.claims[record.type.value] = self.claims.get(record.type.value, 0) + 1


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pieces of at most about ``size`` chars, cut at blank lines (else lines, else hard)."""
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + size // 2, end)
                if cut > start:
                    end = cut + len(sep)
                    break
        yield start, text[start:end]
        start = end


def extract_documents(nlp: Language, items: Iterable[NewsDocument | Rejected], index: NameIndex | None = None,
                      stats: NewsStats | None = None) -> Iterator[Record | Rejected]:
    """Records of each document, streamed chunk by chunk; a chunk that fails in the pipeline becomes a
    Rejected item (the rest of the document and the batch go on)."""
    stats = stats if stats is not None else NewsStats()
    for item in items:
        if isinstance(item, Rejected):
            stats.skipped += 1
            yield item
            continue
        read = False
        for record in _document_records(nlp, item, index):
            if isinstance(record, Rejected):
                log.warning("skipped %s %s: %s", item.id, record.locator, record.reason)
            else:
                read = True
                stats.count(record)
            yield record
        if read:
            stats.documents += 1
            stats.words += item.words
        else:
            stats.skipped += 1


def _document_records(nlp: Language, document: NewsDocument, index: NameIndex | None
                      ) -> Iterator[Record | Rejected]:
    builder = DocRecords(document, index)
    started = False
    for offset, text in chunks(document.text):
        try:
            doc = nlp(text)
            records = [*builder.mentions(doc, offset), *builder.claims(doc, offset)]
        except (ValueError, MemoryError, RecursionError) as exc:
            reason = f"pipeline: {type(exc).__name__}: {exc}"[:500]
            yield Rejected(document.id, f"chars {offset}-{offset + len(text)}", reason)
            continue
        if not started:
            started = True
            yield builder.document_node()
        yield from records


def load_news(paths: Iterable[str | Path], nlp: Language, index: NameIndex | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, stats: NewsStats | None = None) -> Iterator[Record | Rejected]:
    """Records from news files and directories (``store.write(quarantine.filter(load_news(...)))``)."""
    yield from extract_documents(nlp, read_paths(paths, max_bytes), index, stats)
