"""Planning a delimited text file a segment at a time: in this process with a read-ahead thread, or in
several processes, with exactly the same result.

The file is cut into segments of about :data:`SEGMENT_BYTES` at line ends where the number of
quote bytes so far is even, i.e. outside quoted fields as far as quotes tell. A stray quote inside
an unquoted field can fool that count, so every cut is checked: a segment Arrow reads is proved plain
(``ingest.arrow_rows``); for any other, the csv module is given the segment with a sentinel line appended,
which must come back as a record of its own (the segment ended outside a quoted field). From the first
segment that did not, or that grew past
:data:`MAX_SEGMENT_BYTES` without a safe cut, the rest of the file is read in this process the
ordinary way. Segments come back in file order; the document's builder adds them in that order.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult
from queue import Empty, Full, Queue
from typing import Any, TypeVar

import numpy as np

from ingest.arrow_rows import RawColumns, read_columns
from ingest.canonical import CanonicalColumns
from ingest.layouts import RowMapper
from ingest.readers import BadRow, DelimitedReader, RawRow, TableReader, chunked, parse_records
from ingest.rowplan import PlannedRows, RowPlanner, RowSettings

SEGMENT_BYTES = 32 << 20  # bigger segments repeat less per-segment work (each distinct company is looked up once)
FIRST_SEGMENT_BYTES = 2 << 20  # the first segment is small (planning starts soon); each next one is twice as big
WORKER_SEGMENT_BYTES = 4 << 20  # with worker processes: each holds a segment's plan, so they stay small
MAX_SEGMENT_BYTES = 64 << 20
# Encodings in which the bytes of '"', '\n' and '\r' never occur inside another character.
ASCII_COMPATIBLE = frozenset({"utf-8", "utf-8-sig", "ascii", "cp1251", "cp1252", "cp1254", "cp866", "koi8-r",
                              "latin-1", "iso8859-1", "iso-8859-1"})
READ_AHEAD = 2  # segments a thread reads ahead of the planner
T = TypeVar("T")
SENTINEL = "\ue000transship: end of segment\ue000"


@dataclass(frozen=True)
class Segment:
    """Bytes of a file from ``start``, beginning on physical line ``line_offset + 1``; ``skip`` records
    (banner rows and the header) come first. ``whole`` is False when no safe cut was found."""

    start: int
    data: bytes
    line_offset: int
    skip: int
    whole: bool = True


def can_split(reader: TableReader) -> bool:
    """True for an uncompressed delimited file in an ASCII-compatible encoding."""
    return (isinstance(reader, DelimitedReader) and reader.compression is None
            and reader.encoding.lower().replace("_", "-") in ASCII_COMPATIBLE)


def worth_workers(reader: TableReader) -> bool:
    """True when a file that can be split has several segments' worth of bytes for worker processes."""
    return can_split(reader) and reader.path.stat().st_size > 2 * WORKER_SEGMENT_BYTES


def count_lines(data: bytes) -> int:
    r"""Line ends as Python's text reading counts them: ``\n``, ``\r\n`` and a lone ``\r``."""
    raw = np.frombuffer(data, np.uint8)
    lines = int(np.count_nonzero(raw == ord("\n")))
    if b"\r" not in data:
        return lines
    returns = np.flatnonzero(raw == ord("\r"))
    followed = returns[returns + 1 < len(raw)]
    return lines + len(returns) - int(np.count_nonzero(raw[followed + 1] == ord("\n")))  # (+ lone \r)


def _count(data: bytes, byte: bytes, end: int | None = None) -> int:
    """How often a byte occurs in ``data[:end]`` (numpy compares many bytes at once; ``bytes.count`` does not)."""
    return int(np.count_nonzero(np.frombuffer(data, np.uint8, -1 if end is None else end) == byte[0]))


def safe_cut(data: bytes) -> int | None:
    """Position just after the last line end with an even number of quote bytes before it, or None."""
    end = data.rfind(b"\n")
    if end < 0:
        return None
    quotes = _count(data, b'"', end + 1)
    while quotes % 2:
        earlier = data.rfind(b"\n", 0, end)
        if earlier < 0:
            return None
        quotes -= data.count(b'"', earlier + 1, end + 1)
        end = earlier
    return end + 1


def segments(path: Any, skip: int, largest: int | None = None) -> Iterator[Segment]:
    """The file cut into segments (see the module docstring) of at most about ``largest`` bytes
    (SEGMENT_BYTES by default)."""
    largest = largest or SEGMENT_BYTES
    with open(path, "rb") as handle:
        pending, start, lines, size = b"", 0, 0, min(FIRST_SEGMENT_BYTES, largest)
        while block := handle.read(size):
            # on to the end of the line the block ends in: a cut there (the usual one) copies nothing more
            pending = b"".join((pending, block, handle.readline(MAX_SEGMENT_BYTES)))
            cut = safe_cut(pending)
            if cut is None:
                if len(pending) > MAX_SEGMENT_BYTES:
                    yield Segment(start, b"", lines, skip, whole=False)
                    return
                continue
            data, pending = (pending, b"") if cut == len(pending) else (pending[:cut], pending[cut:])
            yield Segment(start, data, lines, skip)
            start, lines, skip, size = start + cut, lines + count_lines(data), 0, min(2 * size, largest)
        if pending:
            yield Segment(start, pending, lines, skip)


_PLANNER: RowPlanner | None = None


def _start_worker(settings: RowSettings) -> None:
    global _PLANNER
    gc.disable()  # planning makes no reference cycles, and the collector's scans cost much (see bulk_load)
    _PLANNER = RowPlanner(settings)


def _plan_in_worker(segment: Segment, encoding: str, delimiter: str) -> tuple[bool, list[PlannedRows]]:
    assert _PLANNER is not None
    return plan_segment(_PLANNER, segment, encoding, delimiter)


def plan_segment(planner: RowPlanner, segment: Segment, encoding: str, delimiter: str,
                 read: ReadSegment | None = None) -> tuple[bool, list[PlannedRows]]:
    """(whether the segment ended outside a quoted field, its planned chunks). Plain text is read by Arrow
    (``ingest.arrow_rows``; ``read``, when given, is what :func:`read_segment` made of it), anything else by the
    csv module."""
    if read is None:
        read = read_segment(segment, encoding, delimiter, planner.width)
    if read.raw is not None:
        return True, [planner.plan_columns(read.raw, read.mapped)]
    text = segment.data.decode(_encoding_at(segment, encoding), errors="replace")
    bad: list[BadRow] = []
    stream = io.StringIO(f"{text}\n{SENTINEL}\n", newline="")
    rows = list(parse_records(stream, delimiter, bad, line_offset=segment.line_offset, skip=segment.skip))
    if not rows or rows[-1][1] != [SENTINEL]:
        return False, []
    rows.pop()
    chunks: list[list[RawRow]] = list(chunked(rows)) or [[]]
    return True, [planner.plan(chunk, bad if last else []) for last, chunk in
                  ((i == len(chunks) - 1, chunk) for i, chunk in enumerate(chunks))]


@dataclass(frozen=True)
class ReadSegment:
    """A segment as Arrow columns (None: the csv module must read it), mapped to canonical columns if asked."""

    segment: Segment
    raw: RawColumns | None
    mapped: CanonicalColumns | None = None


def read_segment(segment: Segment, encoding: str, delimiter: str, width: int,
                 mapper: RowMapper | None = None) -> ReadSegment:
    """The segment's rows as Arrow columns, mapped by ``mapper`` when given."""
    raw = read_columns(segment.data, _encoding_at(segment, encoding), delimiter, width,
                       line_offset=segment.line_offset, skip=segment.skip) if segment.whole else None
    mapped = mapper.map_arrays(raw.columns, len(raw)) if mapper is not None and raw is not None else None
    return ReadSegment(segment, raw, mapped)


def _encoding_at(segment: Segment, encoding: str) -> str:
    """The encoding of a segment: a byte order mark can only begin the first."""
    return encoding if segment.start == 0 or encoding.lower().replace("_", "-") != "utf-8-sig" else "utf-8"


def planned_segments(reader: TableReader, settings: RowSettings, workers: int = 1) -> Iterator[PlannedRows]:
    """The file's chunks planned a segment at a time, by ``workers`` processes when more than one, in file order
    (see the module docstring). With one, a thread cuts, parses and maps the next segments meanwhile (Arrow's
    kernels let other threads run)."""
    assert isinstance(reader, DelimitedReader)
    cuts = segments(reader.path, reader.header_index + 1, SEGMENT_BYTES if workers == 1 else WORKER_SEGMENT_BYTES)
    if workers > 1:
        yield from _planned_in_parallel(reader, settings, workers, cuts)
        return
    planner = RowPlanner(settings)
    encoding, delimiter, mapper = reader.encoding, reader.delimiter, planner.new_mapper()
    read = (read_segment(segment, encoding, delimiter, planner.width, mapper) for segment in cuts)
    for done in read_ahead(read, READ_AHEAD):
        segment = done.segment
        clean, planned = plan_segment(planner, segment, encoding, delimiter, done) if segment.whole else (False, [])
        if not clean:
            yield from _planned_from(reader, settings, segment)
            return
        yield from planned


def read_ahead(items: Iterator[T], depth: int) -> Iterator[T]:
    """The items of an iterator, produced by a thread of their own up to ``depth`` ahead of the consumer (its
    exceptions are raised here; a consumer that stops early stops it)."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, Any]) -> bool:
        """Queue an entry unless the consumer has stopped; False when it has."""
        while not stop.is_set():
            try:
                queue.put(entry, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except Exception as exc:  # noqa: BLE001 (handed to the consumer, raised there)
            put((False, exc))

    thread = threading.Thread(target=produce, name="transship-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            more, item = queue.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a producer blocked on a full queue see the stop
            try:
                queue.get_nowait()
            except Empty:
                thread.join(0.05)


def _planned_in_parallel(reader: DelimitedReader, settings: RowSettings, workers: int,
                         cuts: Iterator[Segment]) -> Iterator[PlannedRows]:
    context = multiprocessing.get_context("forkserver")
    queued: deque[tuple[Segment, AsyncResult[tuple[bool, list[PlannedRows]]] | None]] = deque()
    with context.Pool(workers, initializer=_start_worker, initargs=(settings,)) as pool:

        def queue_next() -> None:
            segment = next(cuts, None)
            if segment is not None:
                job = pool.apply_async(_plan_in_worker, (segment, reader.encoding, reader.delimiter)) \
                    if segment.whole else None
                queued.append((segment, job))

        for _ in range(2 * workers):  # read ahead a little: memory stays bounded
            queue_next()
        while queued:
            segment, job = queued.popleft()
            clean, planned = job.get() if job is not None else (False, [])
            if not clean:
                pool.terminate()
                yield from _planned_from(reader, settings, segment)
                return
            yield from planned
            queue_next()


def _planned_from(reader: DelimitedReader, settings: RowSettings, segment: Segment) -> Iterator[PlannedRows]:
    """The rest of the file from a segment's start, read and planned in this process."""
    planner = RowPlanner(settings)
    with open(reader.path, "rb") as binary:
        binary.seek(segment.start)
        encoding = _encoding_at(segment, reader.encoding)
        text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
        bad: list[BadRow] = []
        rows = parse_records(text, reader.delimiter, bad, line_offset=segment.line_offset, skip=segment.skip)
        for chunk in chunked(rows):
            taken, bad[:] = list(bad), []
            yield planner.plan(chunk, taken)
        if bad:
            yield planner.plan([], bad)
