"""Customs records in any vendor layout → graph records, streamed in chunks.

The pipeline per file, a chunk of rows at a time: reader (format, encoding, delimiter, banner
rows) → layout mapping (``ingest.layouts``) → canonical columns → :class:`ShipmentBuilder` →
node records and one EdgeBatch of shipments. Every data row
ends either in records or as one :class:`Rejected` with its reason, so
``read == ingested + quarantined`` always holds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.batch import EdgeBatch, expand
from graph.schema import Record
from ingest.layouts import LayoutChoice, choose_layout
from ingest.quarantine import Rejected
from ingest.readers import TableReader, open_table
from ingest.shipments import ShipmentBuilder

EXTRACTOR = "customs/2"
EXCERPT_CHARS = 500


@dataclass
class LoadCounts:
    """Rows of one file: read = ingested + quarantined."""

    read: int = 0
    ingested: int = 0
    quarantined: int = 0


class CustomsFile:
    """One vendor file, opened and matched to a layout; iterate :meth:`records` to load it.

    Raises (on construction):
        ReadError: the file cannot be read at all.
        LayoutError: no layout fits (the message lists the unknown columns).
    """

    def __init__(self, path: str | Path, *, layout: str = "auto", defaults: Mapping[str, str] | None = None,
                 encoding: str | None = None, delimiter: str | None = None, sheet: str | None = None,
                 source: str | None = None) -> None:
        self.path = Path(path)
        self.source = source or f"customs:{self.path.name}"
        self.reader: TableReader = open_table(self.path, encoding=encoding, delimiter=delimiter, sheet=sheet)
        self.info = self.reader.info
        self.choice: LayoutChoice = choose_layout(self.info.header, layout)
        self.mapper = self.choice.layout.bind(self.info.header, decimal_comma=self.info.decimal_comma,
                                              defaults=defaults)
        self.counts = LoadCounts()

    def _reject(self, locator: str, reason: str, cells: Sequence[Any] | None, raw: str | None) -> Rejected:
        self.counts.quarantined += 1
        row = None
        if cells is not None:
            header = self.info.header
            row = dict(zip(header, cells))
            if len(cells) > len(header):
                row["_extra"] = list(cells[len(header):])
        return Rejected(self.source, locator, reason, raw, str(self.path), row)

    def batches(self) -> Iterator[Record | EdgeBatch | Rejected]:
        """What ``store.write`` takes, a chunk of rows at a time: node records, the chunk's shipments as one
        EdgeBatch, and a Rejected (with its reason) for every row that cannot be ingested."""
        builder = ShipmentBuilder(self.source, EXTRACTOR, required=self.choice.layout.required_fields)
        width = len(self.info.header)
        text_cells = self.info.format == "csv"  # every cell a str already
        counts = self.counts
        for chunk in self.reader.chunks():
            counts.read += len(chunk)
            good: list[Sequence[Any]] = []
            locators: list[str] = []
            excerpts: list[str] = []
            for locator, cells in chunk:
                excerpt = "|".join(cells) if text_cells else "|".join("" if c is None else str(c) for c in cells)
                if len(excerpt) > EXCERPT_CHARS:
                    excerpt = excerpt[:EXCERPT_CHARS]
                if len(cells) != width:
                    if not text_cells and len(cells) < width:  # spreadsheets/Parquet: short rows, not ragged
                        cells = [*cells, *([None] * (width - len(cells)))]
                    else:
                        yield self._reject(locator, f"ragged row: {len(cells)} cells, header has {width}",
                                           cells, excerpt)
                        continue
                if text_cells and "\ufffd" in excerpt:
                    yield self._reject(locator, f"encoding: bytes not valid in {self.info.encoding}", cells, excerpt)
                    continue
                good.append(cells)
                locators.append(locator)
                excerpts.append(excerpt)
            built = builder.build(self.mapper.map_columns(good), locators, excerpts)
            for i, reason in sorted(built.rejected.items()):
                yield self._reject(locators[i], reason, good[i], excerpts[i])
            counts.ingested += len(good) - len(built.rejected)
            yield from built.records
            yield from built.edges
            yield from self._bad_rows()
        yield from self._bad_rows()

    def records(self) -> Iterator[Record | Rejected]:
        """Like :meth:`batches`, with every shipment as its own Edge record."""
        yield from expand(self.batches())

    def _bad_rows(self) -> Iterator[Rejected]:
        for bad in self.reader.bad_rows:
            self.counts.read += 1
            yield self._reject(bad.locator, bad.reason, None, bad.raw)
        self.reader.bad_rows.clear()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector around a bulk load.

    Loading creates millions of long-lived objects and no reference cycles; with the collector
    on, its repeated scans of the growing heap cost a third of the load time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_customs(path: str | Path, **options: Any) -> Iterator[Record | EdgeBatch | Rejected]:
    """Records, batches of shipments and Rejected rows of a customs file in any supported layout, as
    ``store.write`` takes them; see :meth:`CustomsFile.batches`."""
    yield from CustomsFile(path, **options).batches()


def load_canonical(path: str | Path, source: str | None = None) -> Iterator[Record | EdgeBatch | Rejected]:
    """Records and batches of shipments from a customs file in the canonical layout."""
    yield from CustomsFile(path, layout="canonical", source=source).batches()
