"""Raw rows of a customs file → a planned chunk: each row checked, mapped to the canonical layout and planned.

Everything here depends only on the file's header, layout and options, so chunks can be planned
in any process; the document's :class:`~ingest.shipments.ShipmentBuilder` then adds the plans in order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.arrow_rows import EXCERPT_CHARS, RawColumns
from ingest.canonical import CanonicalColumns
from ingest.layouts import Layout, RowMapper
from ingest.quarantine import Rejected
from ingest.readers import BadRow, RawRow, TableInfo
from ingest.shipment_plan import ChunkPlan, ShipmentPlanner


@dataclass
class PlannedRows:
    """A chunk of raw rows, planned: how many were read and ingested, the rejected ones, and the plan."""

    read: int
    ingested: int
    rejected: list[Rejected]
    plan: ChunkPlan


@dataclass(frozen=True)
class RowSettings:
    """What planning rows of one file needs (picklable, to set up a planner in another process)."""

    path: Path
    source: str
    extractor: str
    confidence: float
    info: TableInfo
    layout: Layout
    defaults: Mapping[str, str]


class RowPlanner:
    """Checks, maps and plans chunks of raw rows of one file."""

    def __init__(self, settings: RowSettings) -> None:
        self.settings = settings
        info = settings.info
        self.header = info.header
        self.width = len(info.header)
        self.text_cells = info.format == "csv"  # every cell a str already
        self.mapper = self.new_mapper()
        self.planner = ShipmentPlanner(settings.source, settings.extractor, settings.confidence,
                                       settings.layout.required_fields)

    def plan(self, rows: Sequence[RawRow], bad_rows: Sequence[BadRow] = ()) -> PlannedRows:
        """Plan a chunk of rows; rows that cannot be read (and the reader's bad rows) come back rejected."""
        rejected: list[Rejected] = []
        good: list[Sequence[Any]] = []
        locators: list[str] = []
        excerpts: list[str] = []
        width, text_cells = self.width, self.text_cells
        for locator, cells in rows:
            excerpt = "|".join(cells) if text_cells else "|".join("" if c is None else str(c) for c in cells)
            if len(excerpt) > EXCERPT_CHARS:
                excerpt = excerpt[:EXCERPT_CHARS]
            if len(cells) != width:
                if not text_cells and len(cells) < width:  # spreadsheets/Parquet: short rows, not ragged
                    cells = [*cells, *([None] * (width - len(cells)))]
                else:
                    rejected.append(self.reject(locator, f"ragged row: {len(cells)} cells, header has {width}",
                                                cells, excerpt))
                    continue
            if text_cells and "\ufffd" in excerpt:
                rejected.append(self.reject(locator, f"encoding: bytes not valid in {self.settings.info.encoding}",
                                            cells, excerpt))
                continue
            good.append(cells)
            locators.append(locator)
            excerpts.append(excerpt)
        plan = self.planner.plan(self.mapper.map_columns(good), locators, excerpts)
        rejected.extend(self.reject(locators[i], reason, good[i], excerpts[i])
                        for i, reason in sorted(plan.rejected.items()))
        rejected.extend(self.reject(bad.locator, bad.reason, None, bad.raw) for bad in bad_rows)
        return PlannedRows(len(rows) + len(bad_rows), len(good) - len(plan.rejected), rejected, plan)

    def new_mapper(self) -> RowMapper:
        """A mapper of this file's rows to canonical columns (each has caches of its own: one per thread)."""
        info = self.settings.info
        return self.settings.layout.bind(info.header, decimal_comma=info.decimal_comma, defaults=self.settings.defaults)

    def plan_columns(self, raw: RawColumns, mapped: CanonicalColumns | None = None) -> PlannedRows:
        """Plan rows already read as Arrow columns (all of the header's width, none unreadable), and mapped
        unless ``mapped`` is given."""
        if mapped is None:
            mapped = self.mapper.map_arrays(raw.columns, len(raw))
        plan = self.planner.plan(mapped, raw.locators, raw.excerpts)
        rejected = [self.reject(raw.locators[i].as_py(), reason, raw.cells(i), raw.excerpts[i].as_py())
                    for i, reason in sorted(plan.rejected.items())]
        return PlannedRows(len(raw), len(raw) - len(rejected), rejected, plan)

    def reject(self, locator: str, reason: str, cells: Sequence[Any] | None, raw: str | None) -> Rejected:
        """A rejected row, with its cells by column name (extra cells under ``_extra``)."""
        row = None
        if cells is not None:
            row = dict(zip(self.header, cells))
            if len(cells) > self.width:
                row["_extra"] = list(cells[self.width:])
        return Rejected(self.settings.source, locator, reason, raw, str(self.settings.path), row)
