"""Readers for tabular vendor files: CSV/TSV/semicolon, gzip'd, Excel .xlsx and Parquet.

A reader finds the format (from the file's first bytes), the text encoding and the
delimiter, skips banner rows above the header, and streams the data rows in chunks of
``(locator, cells)`` so memory stays bounded however large the file. Readers never
judge rows: a ragged row comes out with the cells it has, and the loader quarantines it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

CHUNK_ROWS = 20_000
SAMPLE_BYTES = 256 << 10
HEADER_SCAN_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
ENCODING_CANDIDATES = ["cp1251", "cp1252", "latin_1", "cp1254", "koi8_r", "cp866", "utf_16"]
FIELD_LIMIT = 16 << 20  # one cell may hold at most 16 MB of text

RawRow = tuple[str, Sequence[Any]]  # (locator, cells)


class ReadError(Exception):
    """The input cannot be read at all (missing, unknown format, no header); the message says why."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row the reader could only partly read (e.g. a broken quote); goes to quarantine."""

    locator: str
    reason: str
    raw: str


@dataclass
class TableInfo:
    """What a reader found out about a file."""

    path: Path
    format: str                       # csv, xlsx, parquet
    header: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    compression: str | None = None
    decimal_comma: bool = False       # numbers like 1234,5 (semicolon CSVs, Excel in RU/TR locales)
    banner_rows: list[str] = field(default_factory=list)  # text above the header, kept for the report

    def describe(self) -> str:
        """One line for the report, e.g. ``csv gzip cp1251 ';' decimal-comma``."""
        parts = [self.format, self.compression, self.encoding,
                 repr(self.delimiter) if self.delimiter else None, "decimal-comma" if self.decimal_comma else None]
        return " ".join(p for p in parts if p)


def sniff_format(head: bytes) -> tuple[str, str | None]:
    """``(format, compression)`` from a file's first bytes."""
    if head[:2] == b"\x1f\x8b":
        return "csv", "gzip"  # only delimited text is read gzip'd; xlsx/parquet compress themselves
    if head[:4] == b"PAR1":
        return "parquet", None
    if head[:4] == b"PK\x03\x04":
        return "xlsx", None
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls", None
    return "csv", None


def detect_encoding(sample: bytes) -> str:
    """Text encoding of a sample: BOMs first, then strict UTF-8, then charset-normalizer's best guess.

    >>> detect_encoding("Привет".encode("cp1251") * 20), detect_encoding(b"\\xef\\xbb\\xbfa,b")
    ('cp1251', 'utf-8-sig')
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=ENCODING_CANDIDATES).best()
    guess = str(best.encoding).replace("_", "-") if best is not None else "cp1252"
    # Short samples fool statistical detection; Cyrillic text in a single-byte code page is mostly
    # high bytes, Latin text with accents mostly ASCII letters.
    high = sum(b >= 0xC0 for b in sample)
    ascii_letters = sum(65 <= b <= 90 or 97 <= b <= 122 for b in sample)
    if guess not in ("cp1251", "koi8-r", "cp866") and high > 0.4 * (high + ascii_letters):
        return "cp1251"
    return guess


def _sample_rows(text: str, delimiter: str, limit: int) -> list[list[str]]:
    """The first ``limit`` records of a text sample, parsed as the streaming reader will."""
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in islice(reader, limit):
            rows.append(row)
    except csv.Error:
        pass  # a broken record ends the sample; the streaming reader quarantines it
    return rows


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the sample's records into the most, most consistent fields.

    >>> sniff_delimiter("a;b;c\\n1,5;2;3\\n"), sniff_delimiter("a\\tb\\n1\\t2\\n")
    (';', '\\t')
    """
    best, best_score = ",", (-1.0, 0)
    for delim in DELIMITERS:
        counts = [len(r) for r in _sample_rows(text, delim, 200) if r]
        if not counts:
            continue
        modal, hits = Counter(counts).most_common(1)[0]  # the usual width; ragged rows do not sway it
        if modal < 2:
            continue
        score = (hits / len(counts), modal)
        if score > best_score:
            best, best_score = delim, score
    return best


def find_header(rows: Sequence[Sequence[Any]]) -> int:
    """Index of the header among the first rows: the first wide row of text above data.

    Banner rows (report titles, export dates) have one or two filled cells; the header is the
    first row filled to at least 60% of the widest row, with text in every filled cell.

    >>> find_header([["Imports of Russia, 2023"], [], ["HS_CODE", "VALUE"], ["8542", 10]])
    2
    """
    filled = [sum(1 for c in r if c not in (None, "")) for r in rows]
    widest = max(filled, default=0)
    for i, (row, n) in enumerate(zip(rows, filled)):
        if n and n >= max(2, 0.6 * widest) or (widest == 1 and n == 1):
            if all(isinstance(c, str) for c in row if c not in (None, "")):
                return i
    raise ReadError("no header row found in the first rows (expected a row of column names)")


def clean_header(cells: Sequence[Any]) -> list[str]:
    """Column names stripped, with blanks named ``column_<n>`` and duplicates numbered."""
    names: list[str] = []
    for i, cell in enumerate(cells, 1):
        name = " ".join(str(cell).split()) if cell not in (None, "") else f"column_{i}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    while names and names[-1].startswith("column_") and len(names) > 1:
        names.pop()  # trailing empty header cells (spreadsheets)
    return names


class DelimitedReader:
    """CSV, TSV, semicolon CSV, plain or gzip'd, in any of the detected encodings."""

    def __init__(self, path: Path, compression: str | None, encoding: str | None = None,
                 delimiter: str | None = None) -> None:
        self.path = path
        self.compression = compression
        sample = self._sample()
        self.encoding = encoding or detect_encoding(sample)
        text = sample.decode(self.encoding, errors="replace")
        if len(sample) >= SAMPLE_BYTES and "\n" in text:
            text = text[:text.rindex("\n") + 1]  # the last sample line may be cut
        self.delimiter = delimiter or sniff_delimiter(text)
        rows = _sample_rows(text, self.delimiter, HEADER_SCAN_ROWS)
        self.header_index = find_header(rows)
        self.info = TableInfo(path, "csv", clean_header(rows[self.header_index]), self.encoding, self.delimiter,
                              compression, decimal_comma=self.delimiter == ";" or _decimal_comma(rows),
                              banner_rows=[self.delimiter.join(r) for r in rows[:self.header_index] if r])
        self.bad_rows: list[BadRow] = []

    def _open_binary(self) -> IO[bytes]:
        if self.compression == "gzip":
            return gzip.GzipFile(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")

    def _sample(self) -> bytes:
        pieces: list[bytes] = []
        try:
            with self._open_binary() as handle:
                while sum(map(len, pieces)) < SAMPLE_BYTES and (piece := handle.read(1 << 14)):
                    pieces.append(piece)
        except EOFError:
            pass  # a truncated gzip stream: sample what there is; the rows past the cut are quarantined
        except OSError as exc:
            raise ReadError(f"{self.path}: cannot read: {exc}") from exc
        return b"".join(pieces)

    def chunks(self) -> Iterator[list[RawRow]]:
        """Data rows after the header in chunks, located by the physical line they start on."""
        with self._open_binary() as binary:
            text = io.TextIOWrapper(binary, encoding=self.encoding, errors="replace", newline="")
            yield from chunked(parse_records(text, self.delimiter, self.bad_rows, skip=self.header_index + 1))


def parse_records(lines: Iterable[str], delimiter: str, bad_rows: list[BadRow], *, line_offset: int = 0,
                  skip: int = 0) -> Iterator[RawRow]:
    """Data rows of delimited text as ``(line N, cells)``, N the physical line a row starts on.

    ``line_offset`` physical lines come before the text; the first ``skip`` records (banner rows and
    the header) are passed over; blank lines are not rows; records the csv module cannot read go to
    ``bad_rows``.
    """
    csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(lines, delimiter=delimiter)
    line_end = 0
    while True:
        start = line_offset + line_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line_end = reader.line_num
            bad_rows.append(BadRow(f"line {start}", f"unreadable CSV: {exc}", ""))
            continue
        except (OSError, EOFError) as exc:  # e.g. a truncated gzip stream
            bad_rows.append(BadRow(f"line {start}-end", f"file ends unreadably: {exc}", ""))
            break
        line_end = reader.line_num
        if skip:  # banner rows and the header, counted as the sample scan counted them
            skip -= 1
            continue
        if cells:  # a blank line is not a row
            yield (f"line {start}", cells)


def chunked(rows: Iterable[RawRow], size: int | None = None) -> Iterator[list[RawRow]]:
    """Rows in lists of ``size`` (CHUNK_ROWS by default)."""
    size = size or CHUNK_ROWS
    chunk: list[RawRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _decimal_comma(rows: Sequence[Sequence[str]]) -> bool:
    """True when numeric-looking cells use a comma before 1-2 final digits and never a dot."""
    commas = dots = 0
    for row in rows[1:]:
        for cell in row:
            text = cell.strip().replace(" ", "")
            if text[:1].isdigit() and text.replace(",", "").replace(".", "").isdigit():
                if "," in text and "." not in text and len(text.rpartition(",")[2]) in (1, 2):
                    commas += 1
                elif "." in text:
                    dots += 1
    return commas > 0 and dots == 0


class ExcelReader:
    """The first (or a named) sheet of an .xlsx workbook, read-only and streamed."""

    def __init__(self, path: Path, sheet: str | None = None) -> None:
        from openpyxl import load_workbook

        self.path = path
        try:
            self.book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for broken zips
            raise ReadError(f"{path}: not a readable .xlsx workbook: {exc}") from exc
        try:
            self.sheet = self.book[sheet] if sheet else self.book.worksheets[0]
        except (KeyError, IndexError) as exc:
            raise ReadError(f"{path}: no sheet {sheet!r} (sheets: {', '.join(self.book.sheetnames)})") from exc
        head = list(islice(self.sheet.iter_rows(values_only=True), HEADER_SCAN_ROWS))
        self.header_index = find_header(head)
        header = clean_header(head[self.header_index])
        banner = [" ".join(str(c) for c in r if c not in (None, "")) for r in head[:self.header_index]]
        self.info = TableInfo(path, "xlsx", header, banner_rows=[b for b in banner if b])
        self.bad_rows: list[BadRow] = []

    def chunks(self) -> Iterator[list[RawRow]]:
        """Data rows as ``sheet!row N`` with trailing empty cells trimmed to the header width."""
        width = len(self.info.header)
        chunk: list[RawRow] = []
        title = self.sheet.title
        first = self.header_index + 2
        for number, row in enumerate(self.sheet.iter_rows(min_row=first, values_only=True), first):
            cells = list(row)
            while len(cells) > width and cells[-1] in (None, ""):
                cells.pop()
            if all(c in (None, "") for c in cells):
                continue
            chunk.append((f"{title}!row {number}", cells))
            if len(chunk) >= CHUNK_ROWS:
                yield chunk
                chunk = []
        if chunk:
            yield chunk
        self.book.close()


class ParquetReader:
    """Row groups of a Parquet file, read in batches; typed values are kept as they are."""

    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.path = path
        try:
            self.file = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as exc:
            raise ReadError(f"{path}: not a readable Parquet file: {exc}") from exc
        self.info = TableInfo(path, "parquet", clean_header(self.file.schema_arrow.names))
        self.bad_rows: list[BadRow] = []

    def chunks(self) -> Iterator[list[RawRow]]:
        """Rows as ``row N`` (1-based data rows)."""
        number = 0
        for batch in self.file.iter_batches(batch_size=CHUNK_ROWS):
            columns = [col.to_pylist() for col in batch.columns]
            chunk: list[RawRow] = []
            for cells in zip(*columns):
                number += 1
                chunk.append((f"row {number}", cells))
            yield chunk


TableReader = DelimitedReader | ExcelReader | ParquetReader


def open_table(path: str | Path, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None) -> TableReader:
    """A reader for ``path``, its format found from the first bytes.

    Raises:
        ReadError: the file is missing, empty, of an unsupported format or has no header.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise ReadError(f"{path}: cannot open: {exc.strerror or exc}") from exc
    if not head:
        raise ReadError(f"{path}: the file is empty")
    fmt, compression = sniff_format(head)
    if fmt == "parquet":
        return ParquetReader(path)
    if fmt == "xlsx":
        return ExcelReader(path, sheet)
    if fmt == "xls":
        raise ReadError(f"{path}: old binary .xls is not supported; save it as .xlsx or CSV")
    reader = DelimitedReader(path, compression, encoding, delimiter)
    if not reader.info.header:
        raise ReadError(f"{path}: no header row")
    return reader
