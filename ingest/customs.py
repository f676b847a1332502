"""Customs records in the canonical layout → graph records, streamed in chunks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from graph.schema import Record
from ingest.normalize import NormalizationError
from ingest.quarantine import Rejected
from ingest.shipments import CANONICAL_COLUMNS, ShipmentBuilder

EXTRACTOR = "customs-canonical/1"
BLOCK_SIZE = 8 << 20


def read_canonical_batches(path: Path) -> Iterator[pa.RecordBatch]:
    """Record batches of a canonical CSV (all columns as text), bounded memory."""
    read = pacsv.ReadOptions(block_size=BLOCK_SIZE)
    parse = pacsv.ParseOptions(newlines_in_values=True)
    header = pacsv.open_csv(path, read_options=read, parse_options=parse).schema.names
    convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in header}, strings_can_be_null=False)
    reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
    missing = [c for c in ("date", "shipper_name", "consignee_name", "hs_code") if c not in header]
    if missing:
        raise ValueError(f"{path}: not a canonical customs file, missing column(s) {', '.join(missing)}")
    yield from reader


def load_canonical(path: str | Path, source: str | None = None) -> Iterator[Record | Rejected]:
    """Records from a canonical customs CSV; unreadable rows come out as Rejected with the reason."""
    path = Path(path)
    source = source or f"customs:{path.name}"
    builder = ShipmentBuilder(source, EXTRACTOR)
    row_number = 1  # the header is line 1; data rows are numbered from 2 like a spreadsheet
    for batch in read_canonical_batches(path):
        columns = [c for c in batch.schema.names if c in CANONICAL_COLUMNS]
        for row in batch.select(columns).to_pylist():
            row_number += 1
            locator = f"row {row_number}"
            excerpt = "|".join(str(row.get(c) or "") for c in CANONICAL_COLUMNS)[:500]
            try:
                yield from builder.records(row, locator, excerpt)
            except NormalizationError as exc:
                yield Rejected(source, locator, str(exc), excerpt)
