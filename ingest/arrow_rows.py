"""Plain delimited text → Arrow string columns, with exactly the rows the csv module reads.

pyarrow's CSV parser is many times faster than the csv module, but the two may read odd text
differently (quoted newlines, stray quotes, ragged rows, lone carriage returns). So
:func:`read_columns` takes only text it can prove both read alike and returns None for anything
else; the caller then reads that text the ordinary way (``ingest.readers.parse_records``). The
proof, per physical line: an even number of quote bytes (so no record spans lines), the header's
number of cells, and a line length equal to the cells' bytes plus the delimiters plus the quote
bytes the cells do not hold (so every quote byte either encloses a cell or is in it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from graph.stores.arrays import string_bytes
from ingest.readers import FIELD_LIMIT

EXCERPT_CHARS = 500  # of a row's cells joined by '|', kept as the row's evidence excerpt and quarantine raw text
_NEWLINE, _RETURN, _QUOTE = 10, 13, 34


@dataclass
class RawColumns:
    """Rows of text as Arrow string columns (one per header column), each row's locator (``line N``) and
    its excerpt (the cells joined by ``|``, cut to EXCERPT_CHARS)."""

    columns: list[pa.Array]
    locators: pa.Array
    excerpts: pa.Array

    def __len__(self) -> int:
        return len(self.locators)

    def cells(self, i: int) -> list[str]:
        """The cells of row ``i``."""
        return [column[i].as_py() for column in self.columns]


def read_columns(data: bytes, encoding: str, delimiter: str, width: int, *, line_offset: int = 0,
                 skip: int = 0) -> RawColumns | None:
    """The data rows of ``data`` (text in ``encoding`` starting on physical line ``line_offset + 1``; its first
    ``skip`` lines are banner rows and the header) as columns, or None when the text is not provably plain."""
    if len(delimiter) != 1 or delimiter in '"\r\n':
        return None
    data = _utf8(data, encoding)
    if data is None or b"\x00" in data or "\ufffd".encode() in data:
        return None  # the csv module refuses NUL bytes; the ordinary reader quarantines rows with U+FFFD
    lines = _line_spans(data)
    if lines is None:
        return None
    starts, ends, quotes = lines
    numbers = np.arange(skip, len(starts)) + line_offset + 1
    starts, ends, quotes = starts[skip:], ends[skip:], quotes[skip:]
    filled = ends > starts  # a blank line is not a row
    if not filled.all():
        starts, ends, quotes, numbers = starts[filled], ends[filled], quotes[filled], numbers[filled]
    if len(starts) == 0:
        return RawColumns([pa.array([], pa.string())] * width, pa.array([], pa.string()), pa.array([], pa.string()))
    if (ends - starts).max() > FIELD_LIMIT:
        return None  # the csv module refuses such a cell
    columns = _parse(data[starts[0]:], delimiter, width)
    if columns is None or len(columns[0]) != len(starts):
        return None
    excerpts = columns[0] if width == 1 else pc.binary_join_element_wise(*columns, "|")
    if not _lengths_match(starts, ends, quotes, excerpts, columns):
        return None
    locators = pc.binary_join_element_wise("line ", pc.cast(pa.array(numbers), pa.string()), "")
    long_lines = np.flatnonzero(ends - starts > EXCERPT_CHARS)  # (a row's excerpt is never longer than its line)
    return RawColumns(columns, locators, _cut(excerpts, long_lines) if len(long_lines) else excerpts)


def _cut(excerpts: pa.Array, candidates: np.ndarray) -> pa.Array:
    """The excerpts cut to EXCERPT_CHARS characters; ``candidates`` are the rows that may be longer (a line of
    more bytes than that may still be short: Cyrillic takes two bytes a character)."""
    lengths = pc.utf8_length(excerpts.take(pa.array(candidates))).to_numpy(zero_copy_only=False)
    rows = candidates[lengths > EXCERPT_CHARS]
    if not len(rows):
        return excerpts
    cut = np.zeros(len(excerpts), bool)
    cut[rows] = True
    return pc.replace_with_mask(excerpts, pa.array(cut),
                                pc.utf8_slice_codeunits(excerpts.take(pa.array(rows)), 0, EXCERPT_CHARS))


def _utf8(data: bytes, encoding: str) -> bytes | None:
    """The text as UTF-8 without a byte order mark; None if it is not valid in its encoding (the ordinary reader
    quarantines such rows)."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig"):
        data = data.removeprefix(b"\xef\xbb\xbf")
        return data if _valid_utf8(data) else None
    try:
        return data.decode(encoding).removeprefix("\ufeff").encode("utf-8")
    except (UnicodeDecodeError, LookupError):
        return None


def _valid_utf8(data: bytes) -> bool:
    """Whether the bytes are valid UTF-8: checked by Arrow at once, as one string (several times faster than cell
    by cell as it parses; each cell of valid text is valid, as cells are cut at ASCII bytes)."""
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, pa.py_buffer(np.array([0, len(data)], np.int64)),
                                                         pa.py_buffer(data)])
    try:
        whole.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _line_spans(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Start, end (before ``\\r\\n`` or ``\\n``) and number of quote bytes of every physical line; None when a line
    holds an odd number of quote bytes or a lone carriage return."""
    raw = np.frombuffer(data, np.uint8)
    newlines = np.flatnonzero(raw == _NEWLINE)
    returns = np.flatnonzero(raw == _RETURN)
    if len(returns) and (returns[-1] + 1 == len(raw) or (raw[returns + 1] != _NEWLINE).any()):
        return None  # a lone \r ends a line for the csv module: leave such text to it
    ends = newlines if len(data) == 0 or data.endswith(b"\n") else np.append(newlines, len(data))
    line_quotes = np.diff(np.searchsorted(np.flatnonzero(raw == _QUOTE), ends), prepend=0)
    if (line_quotes % 2).any():
        return None
    starts = np.concatenate(([0], newlines[:len(ends) - 1] + 1)) if len(ends) else np.array([], np.int64)
    if len(returns):
        ends = ends - (raw[np.maximum(ends - 1, 0)] == _RETURN)
    return starts, ends, line_quotes


def _parse(body: bytes, delimiter: str, width: int) -> list[pa.Array] | None:
    """The cells of every non-blank line as string columns; None if a line has another number of cells."""
    names = [str(i) for i in range(width)]
    ragged: list[int] = []

    def skip_ragged(row: pcsv.InvalidRow) -> str:
        ragged.append(1)
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.py_buffer(body),
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False, block_size=max(1 << 20, len(body))),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=False,
                                            invalid_row_handler=skip_ragged),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), check_utf8=False,
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid:
        return None
    if ragged:
        return None
    return [column.combine_chunks() if column.num_chunks != 1 else column.chunk(0) for column in table.columns]


def _lengths_match(starts: np.ndarray, ends: np.ndarray, quotes: np.ndarray, joined: pa.Array,
                   columns: list[pa.Array]) -> bool:
    """True when every line's bytes are its cells' bytes (``joined`` by a one-byte delimiter) and the quote bytes
    its cells do not hold."""
    cells = pc.binary_length(joined).to_numpy(zero_copy_only=False).astype(np.int64)
    if quotes.any():
        for column in columns:  # (only columns whose data holds a quote byte can hold one in a cell)
            if (string_bytes(column) == _QUOTE).any():
                quotes = quotes - pc.count_substring(column, '"').to_numpy(zero_copy_only=False)
    return bool(((ends - starts) == cells + quotes).all())
