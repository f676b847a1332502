"""Customs records in any vendor layout → graph records, streamed in chunks.

The pipeline per file, a chunk of rows at a time: reader (format, encoding, delimiter, banner
rows) → layout mapping (``ingest.layouts``) → canonical columns → :class:`ShipmentBuilder` →
node records and one EdgeBatch of shipments. Every data row
ends either in records or as one :class:`Rejected` with its reason, so
``read == ingested + quarantined`` always holds.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from graph.batch import EdgeBatch, expand
from graph.schema import Record
from ingest.layouts import LayoutChoice, choose_layout
from ingest.parallel import can_split, planned_segments, worth_workers
from ingest.quarantine import Rejected
from ingest.readers import BadRow, TableReader, open_table
from ingest.rowplan import PlannedRows, RowPlanner, RowSettings
from ingest.shipments import CUSTOMS_CONFIDENCE, ShipmentBuilder

EXTRACTOR = "customs/2"


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
                 source: str | None = None, workers: int = 1) -> None:
        self.path = Path(path)
        self.workers = workers
        self.source = source or f"customs:{self.path.name}"
        self.reader: TableReader = open_table(self.path, encoding=encoding, delimiter=delimiter, sheet=sheet)
        self.info = self.reader.info
        self.choice: LayoutChoice = choose_layout(self.info.header, layout)
        self.settings = RowSettings(self.path, self.source, EXTRACTOR, CUSTOMS_CONFIDENCE, self.info,
                                    self.choice.layout, dict(defaults or {}))
        self.mapper = RowPlanner(self.settings).mapper  # bad --default options fail here, before any work
        self.counts = LoadCounts()

    def batches(self) -> Iterator[Record | EdgeBatch | Rejected]:
        """What ``store.write`` takes, a chunk of rows at a time: node records, the chunk's edges as
        EdgeBatches, and a Rejected (with its reason) for every row that cannot be ingested.

        With ``workers`` > 1, a big plain-text delimited file is planned by that many processes
        (``ingest.parallel``); the records are the same as with one.
        """
        builder = ShipmentBuilder(self.source, EXTRACTOR)
        planner = RowPlanner(self.settings)  # a builder and its planners start together: see ShipmentPlanner
        if can_split(self.reader):
            plans = planned_segments(self.reader, self.settings, self.workers if worth_workers(self.reader) else 1)
        else:
            plans = (planner.plan(chunk, self._taken_bad_rows()) for chunk in self.reader.chunks())
        for planned in plans:
            yield from self._add(builder, planned)
        bad = self._taken_bad_rows()
        if bad:
            yield from self._add(builder, planner.plan([], bad))

    def _add(self, builder: ShipmentBuilder, planned: PlannedRows) -> Iterator[Record | EdgeBatch | Rejected]:
        counts = self.counts
        counts.read += planned.read
        counts.ingested += planned.ingested
        counts.quarantined += len(planned.rejected)
        yield from planned.rejected
        built = builder.add(planned.plan)
        yield from built.records
        yield from built.edges

    def _taken_bad_rows(self) -> list[BadRow]:
        """The rows the reader could not read since last asked."""
        bad = list(self.reader.bad_rows)
        self.reader.bad_rows.clear()
        return bad

    def records(self) -> Iterator[Record | Rejected]:
        """Like :meth:`batches`, with every shipment as its own Edge record."""
        yield from expand(self.batches())


@contextmanager
def bulk_load() -> Iterator[None]:
    """Settings for a bulk load: the cyclic garbage collector paused, and Arrow's memory taken from jemalloc.

    Loading creates millions of long-lived objects and no reference cycles; with the collector on, its
    repeated scans of the growing heap cost a third of the load time. With Arrow's default allocator here
    (mimalloc) a 1M-row customs load took 10-25% more time and memory than with jemalloc
    (``benchmarks/bench_customs.py``). ``ARROW_DEFAULT_MEMORY_POOL``, when set, has the last word.
    """
    was_enabled = gc.isenabled()
    pool = pa.default_memory_pool()
    gc.disable()
    if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
        pa.set_memory_pool(_bulk_pool())
    try:
        yield
    finally:
        pa.set_memory_pool(pool)
        if was_enabled:
            gc.enable()


def _bulk_pool() -> pa.MemoryPool:
    """jemalloc's Arrow pool, or the default one in a pyarrow built without jemalloc."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


def load_customs(path: str | Path, **options: Any) -> Iterator[Record | EdgeBatch | Rejected]:
    """Records, batches of shipments and Rejected rows of a customs file in any supported layout, as
    ``store.write`` takes them; see :meth:`CustomsFile.batches`."""
    yield from CustomsFile(path, **options).batches()


def load_canonical(path: str | Path, source: str | None = None) -> Iterator[Record | EdgeBatch | Rejected]:
    """Records and batches of shipments from a customs file in the canonical layout."""
    yield from CustomsFile(path, layout="canonical", source=source).batches()
