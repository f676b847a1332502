"""Embedded store: networkx in process, persisted as Parquet generations in a directory.

Layout of a store directory::

    MANIFEST.json        format, schema version, current generation, row counts
    gen-000007/          nodes.parquet, edges.parquet, evidence.parquet
    gen-000006/          the previous generation, kept for readers still on it
    .lock                writers take an exclusive flock on it

A write builds the next generation in a hidden temporary directory, fsyncs it,
renames it into place and only then atomically replaces ``MANIFEST.json``.
A process killed at any point leaves the manifest naming a complete generation,
and readers, who follow the manifest, never see half a write.
"""

from __future__ import annotations

import errno
import fcntl
import json
import math
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from graph.batch import EdgeBatch
from graph.schema import SCHEMA_VERSION, Edge, EdgeType, Evidence, Node, NodeType, Record, SchemaError, validate
from graph.stores import Direction, StoreError, WriteResult
from graph.stores.arrays import joined_keys, positions_in, sorted_groups
from graph.stores.frames import (
    EDGE_FIELDS, SCHEMAS, checked_endpoint_types, coded_evidence_stats, dump_props, edge_from_row, edge_row,
    evidence_from_row, evidence_rows, evidence_stats, frames_to_networkx, isin, load_props, node_from_row
)

if TYPE_CHECKING:
    import networkx as nx

FORMAT = "transship-embedded"
MANIFEST = "MANIFEST.json"
STAGE_CHUNK = 100_000  # rows staged in Python before they become an Arrow table

# Written since layout 2, one row per row of edges.parquet (which is then sorted by id). Stores without it
# (written before) are read as before: the edge view is derived from the evidence on first use.
# ``seq`` is the edge's position in write order, which edges() keeps.
STATS_SCHEMA = pa.schema([("confidence", pa.float64()), ("n_evidence", pa.int64()), ("seq", pa.int64())])
LAYOUT = 2
EVIDENCE_ROW_GROUP = 65_536  # evidence_of() for a few ids reads the owner column and only the groups it hits
EVIDENCE_KEY = ["owner", "source", "locator", "extractor"]


def merge_props(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Union of two prop maps: lists are merged in order, the first scalar value wins.

    >>> merge_props({"aliases": ["A"], "inn": "1"}, {"aliases": ["B", "A"], "inn": "2", "x": 1})
    {'aliases': ['A', 'B'], 'inn': '1', 'x': 1}
    """
    merged = dict(old)
    for key, value in new.items():
        if key not in merged or merged[key] in (None, "", []):
            merged[key] = value
        elif isinstance(merged[key], list) and isinstance(value, list):
            merged[key] = merged[key] + [v for v in value if v not in merged[key]]
    return merged


def _empty(table: str) -> pd.DataFrame:
    return SCHEMAS[table].empty_table().to_pandas()


def _empty_stats() -> pd.DataFrame:
    return STATS_SCHEMA.empty_table().to_pandas()


class _Staging:
    """Records of one write, collected in bounded-size Arrow chunks."""

    def __init__(self) -> None:
        self.nodes: dict[str, list[Any]] = {}  # id -> [type, key, name, country, props]
        self.node_evidence: list[tuple[Any, ...]] = []
        self.edge_rows: list[tuple[Any, ...]] = []
        self.evidence: list[tuple[Any, ...]] = []
        self.edge_tables: list[pa.Table] = []
        self.evidence_tables: list[pa.Table] = []
        self.edge_hints: list[np.ndarray] = []  # per evidence table: the staged edge row of each row's owner, or -1
        self.staged_edges = 0

    @classmethod
    def collect(cls, records: Iterable[Record | EdgeBatch]) -> _Staging:
        """Stage every record of one write (validated on the way in)."""
        staging = cls()
        for record in records:
            staging.add(record)
        return staging

    def add(self, record: Record | EdgeBatch) -> None:
        if isinstance(record, EdgeBatch):
            record.check()
            self.seal()  # rows staged before the batch stay before it (the first of duplicate ids wins)
            rows = record.edges.num_rows
            hints = self.staged_edges + np.arange(rows) if record.aligned() else np.full(record.evidence.num_rows, -1)
            self._append(record.edges, record.evidence, hints)
            return
        if not record.evidence:
            raise SchemaError(f"{record.type} record without evidence: {record}")
        validate(record)
        if isinstance(record, Node):
            nid = record.id
            known = self.nodes.get(nid)
            if known is None:
                self.nodes[nid] = [record.type.value, record.key, record.name, record.country, dict(record.props)]
            else:
                known[3] = known[3] or record.country
                known[4] = merge_props(known[4], dict(record.props))
            self.evidence.extend(evidence_rows(nid, record.evidence))
        elif isinstance(record, Edge):
            row = edge_row(record)  # the id is a sha1: compute it once
            self.edge_rows.append(row)
            self.evidence.extend(evidence_rows(row[0], record.evidence))
        else:
            raise SchemaError(f"not a record: {record!r}")
        if len(self.edge_rows) >= STAGE_CHUNK or len(self.evidence) >= STAGE_CHUNK:
            self.seal()

    def seal(self) -> None:
        """Move the Python rows into Arrow tables to keep memory bounded."""
        edges = _table("edges", self.edge_rows) if self.edge_rows else SCHEMAS["edges"].empty_table()
        evidence = _table("evidence", self.evidence) if self.evidence else SCHEMAS["evidence"].empty_table()
        self._append(edges, evidence, np.full(evidence.num_rows, -1))
        self.edge_rows, self.evidence = [], []

    def _append(self, edges: pa.Table, evidence: pa.Table, hints: np.ndarray) -> None:
        if edges.num_rows:
            self.edge_tables.append(edges)
            self.staged_edges += edges.num_rows
        if evidence.num_rows:
            self.evidence_tables.append(evidence)
            self.edge_hints.append(hints.astype(np.int64))

    def staged(self) -> tuple[pa.Table, pa.Table, np.ndarray]:
        """All staged edge rows and evidence rows (repeats included), and per evidence row the edge row it
        is known to belong to (-1: not known, look it up by owner)."""
        self.seal()
        hints = np.concatenate(self.edge_hints) if self.edge_hints else np.empty(0, np.int64)
        return _concat("edges", self.edge_tables), _concat("evidence", self.evidence_tables), hints

    def tables(self) -> tuple[pa.Table, pa.Table]:
        """The staged edge and evidence rows, each id (evidence key) once: its first row."""
        edges, evidence, _ = self.staged()
        return distinct_rows(edges, ["id"]), distinct_rows(evidence, EVIDENCE_KEY)

    def frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """:meth:`tables` as frames."""
        edges, evidence = self.tables()
        return edges.to_pandas(), evidence.to_pandas()


def _table(name: str, rows: list[tuple[Any, ...]]) -> pa.Table:
    columns = list(zip(*rows, strict=True))
    return pa.Table.from_arrays([pa.array(col, type=f.type) for col, f in zip(columns, SCHEMAS[name], strict=True)],
                                schema=SCHEMAS[name])


def _concat(name: str, tables: list[pa.Table]) -> pa.Table:
    if not tables:
        return SCHEMAS[name].empty_table()
    return pa.concat_tables(tables)


def distinct_rows(table: pa.Table, keys: list[str]) -> pa.Table:
    """The rows of ``table`` whose ``keys`` did not occur in an earlier row (like pandas' drop_duplicates).

    The first key column is hashed in Arrow; only rows whose first key repeats are compared in full.
    """
    if table.num_rows < 2:
        return table
    repeats = repeated_rows(table, keys, _codes(table[keys[0]]))
    return table.filter(pa.array(~repeats)) if repeats.any() else table


def repeated_rows(table: pa.Table, keys: list[str], codes: np.ndarray) -> np.ndarray:
    """Which rows repeat the ``keys`` of an earlier row; ``codes`` tell the first key's values apart
    (equal values, equal codes). Only rows whose code repeats are compared in full.
    """
    repeats = np.zeros(table.num_rows, dtype=bool)
    if table.num_rows < 2:
        return repeats
    candidates = np.flatnonzero(np.bincount(codes)[codes] > 1)
    seen: set[tuple[Any, ...]] = set()
    for row, values in zip(candidates, zip(*(table[k].take(candidates).to_pylist() for k in keys))):
        if values in seen:
            repeats[row] = True
        else:
            seen.add(values)
    return repeats


def _codes(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A small integer per distinct value of a column (equal values, and all nulls, get equal codes)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    codes: np.ndarray = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return codes


def _read_table(file: Path, schema: pa.Schema, expected_rows: Any) -> pd.DataFrame:
    """One Parquet file of a generation as a frame, checked against its schema and the manifest's row count."""
    return _LazyTable(file, schema, expected_rows).frame()


def _new_stats(seq: np.ndarray) -> pd.DataFrame:
    """Stats rows (zero confidence, no evidence yet) for edges at write positions ``seq``."""
    return pd.DataFrame({"confidence": np.zeros(len(seq)), "n_evidence": np.zeros(len(seq), dtype="int64"),
                         "seq": np.asarray(seq, dtype="int64")})


def _with_stats(stats: pd.DataFrame, codes: np.ndarray, confidences: np.ndarray) -> pd.DataFrame:
    """``stats`` with confidence and n_evidence recomputed from the evidence rows given (in order) for the
    edges they belong to: ``codes`` are stats rows; codes beyond them (owners that are not edges) are ignored."""
    edge = codes < len(stats)
    fresh = coded_evidence_stats(codes[edge], np.asarray(confidences, dtype="float64")[edge])
    rows = fresh.index.to_numpy()
    stats = stats.copy()
    stats.iloc[rows, 0] = fresh["confidence"].to_numpy()
    stats.iloc[rows, 1] = fresh["n_evidence"].to_numpy()
    return stats


def _sorted_with_stats(edges: pd.DataFrame, evidence: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Edges of a store written before layout 2 (write order) sorted by id, with their stats from ``evidence``."""
    _, firsts = sorted_groups(pa.array(edges["id"], pa.string()))
    ordered = edges.take(firsts).reset_index(drop=True)
    codes = positions_in(pa.array(evidence["owner"], pa.string()), pa.array(ordered["id"], pa.string()))
    codes[codes < 0] = len(ordered)
    return ordered, _with_stats(_new_stats(firsts), codes, evidence["confidence"].to_numpy())


def _taken(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """``table.take(rows)``: see :func:`_taken_columns`."""
    return _taken_columns(list(table.columns), table.schema, rows)


def _taken_columns(columns: list[pa.ChunkedArray | None], schema: pa.Schema, rows: np.ndarray) -> pa.Table:
    """The ``rows`` of a table's ``columns``, each taken from one chunk (several times faster than across many
    chunks), two at a time; each column is let go of (set to None in the list) once taken, so a caller holding
    no other reference to them frees the memory of the table as its copy grows."""
    indices = pa.array(rows, pa.int64())

    def take(i: int) -> pa.Array:
        column = columns[i]
        assert column is not None
        columns[i] = None
        return column.combine_chunks().take(indices)

    with ThreadPoolExecutor(max_workers=2) as pool:  # Arrow's take lets other threads run
        taken = list(pool.map(take, range(len(columns))))
    return pa.Table.from_arrays(taken, schema=schema)


def _schema_of(table: str, columns: list[str]) -> pa.Schema:
    return pa.schema([SCHEMAS[table].field(name) for name in columns])


def _rows(table: pa.Table, rows: np.ndarray) -> pa.Table:
    """The ``rows`` (ascending) of ``table``; the table itself when they are all of it."""
    return table if len(rows) == table.num_rows else _taken(table, rows)


def _known_keys(candidates: pa.Table, earlier: pa.Table) -> np.ndarray:
    """Which ``candidates`` rows have the evidence key of an ``earlier`` row."""
    new_keys, old_keys = joined_keys(candidates, EVIDENCE_KEY), joined_keys(earlier, EVIDENCE_KEY)
    if new_keys is not None and old_keys is not None:
        known: np.ndarray = pc.is_in(new_keys, value_set=old_keys).to_numpy(zero_copy_only=False)
        return known
    seen = set(map(_evidence_key, zip(*(earlier[k].to_pylist() for k in EVIDENCE_KEY))))
    keys = zip(*(candidates[k].to_pylist() for k in EVIDENCE_KEY))
    return np.array([_evidence_key(key) in seen for key in keys], dtype=bool)


class _MergedEdges(NamedTuple):
    """The edge table after a write (sorted by id; put together in a thread while the rest of the write goes
    on) and how the staged edge rows map onto it."""

    frame: Future[pd.DataFrame]
    stats: pd.DataFrame
    ids: pa.Array  # frame["id"]
    group: np.ndarray  # per staged edge row: its row in frame
    old: np.ndarray  # per row of frame: whether the edge was in the store before
    added: int


def _evidence_key(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """An evidence key with missing parts (None from Arrow, NaN from pandas) as None."""
    return tuple(None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in values)


class _LazyTable:
    """A generation's Parquet file, opened (and checked) now, read when first asked.

    The file is memory-mapped at once, so a writer removing the generation later does not pull it away.
    """

    def __init__(self, file: Path, schema: pa.Schema, expected_rows: Any) -> None:
        if not file.exists():
            raise FileNotFoundError(errno.ENOENT, "store file missing", str(file))
        self.file, self.schema = file, schema
        try:
            self.parquet = pq.ParquetFile(pa.memory_map(str(file)))
            names = self.parquet.schema_arrow.names
        except FileNotFoundError:
            raise
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"store file {file} is corrupt or unreadable: {exc}") from exc
        if names != schema.names:
            raise StoreError(f"store file {file} is corrupt or unreadable: columns {names}, expected {schema.names}")
        self.rows = self.parquet.metadata.num_rows
        if expected_rows != self.rows:
            raise StoreError(f"store file {file} has {self.rows} rows, manifest says {expected_rows}")

    def _read(self, **kwargs: Any) -> pa.Table:
        try:
            return self.parquet.read(**kwargs) if "row_groups" not in kwargs else self.parquet.read_row_groups(
                kwargs["row_groups"])
        except (OSError, pa.ArrowException) as exc:
            raise StoreError(f"store file {self.file} is corrupt or unreadable: {exc}") from exc

    def frame(self) -> pd.DataFrame:
        return self._read().cast(self.schema).to_pandas()

    def rows_of(self, owners: list[str]) -> pd.DataFrame:
        """The rows whose ``owner`` is one of ``owners``, in file order; reads only the row groups holding them."""
        owner = self._read(columns=["owner"]).column("owner")
        hits = np.flatnonzero(pc.is_in(owner, value_set=pa.array(owners, pa.string())).to_numpy(zero_copy_only=False))
        if not len(hits):
            return self.schema.empty_table().to_pandas()
        meta = self.parquet.metadata
        ends = np.cumsum([meta.row_group(i).num_rows for i in range(meta.num_row_groups)])
        group_of_hit = np.searchsorted(ends, hits, side="right")
        groups = np.unique(group_of_hit)
        sizes = np.array([meta.row_group(int(g)).num_rows for g in groups])
        part = self._read(row_groups=groups.tolist()).cast(self.schema)
        slot = np.searchsorted(groups, group_of_hit)
        local = hits - (ends[groups] - sizes)[slot] + (np.cumsum(sizes) - sizes)[slot]  # row in file -> row in part
        return part.take(pa.array(local)).to_pandas()


# Columns with few distinct values, dictionary-encoded in Parquet; ids, names, props and excerpts are not.
DICTIONARY_COLUMNS = {"nodes": ["type", "country"], "edges": ["type", "date", "hs_code", "origin_country"],
                      "evidence": ["source", "extractor", "observed"], "edge_stats": []}


# LZ4 (raw) rather than zstd: about a quarter less CPU for the two big tables, files about 1.7 times larger.
COMPRESSION = "lz4_raw"


def _write_parquet(file: Path, name: str, frame: pd.DataFrame, schema: pa.Schema) -> int:
    """Write one table of a generation (fsynced); returns its row count."""
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    pq.write_table(table, file, compression=COMPRESSION, use_dictionary=DICTIONARY_COLUMNS[name],
                   row_group_size=EVIDENCE_ROW_GROUP if name == "evidence" else None)
    with open(file, "rb+") as handle:
        os.fsync(handle.fileno())
    return table.num_rows


def _done(frame: pd.DataFrame | Future[pd.DataFrame]) -> Future[pd.DataFrame]:
    """A frame as a finished future (a future as it is)."""
    if isinstance(frame, Future):
        return frame
    done: Future[pd.DataFrame] = Future()
    done.set_result(frame)
    return done


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class EmbeddedStore:
    """The default store: frames in memory, a networkx view on demand, Parquet on disk.

    Args:
        path: the store directory.
        create: create an empty store when ``path`` does not exist.

    Examples:
        >>> import tempfile
        >>> from graph.schema import Evidence, Node, NodeType
        >>> store = EmbeddedStore(tempfile.mkdtemp() + "/s")
        >>> ev = Evidence("doc:example", "row 1", "doctest/1")
        >>> store.write([Node(NodeType.COUNTRY, "RU", "Russia", evidence=(ev,))]).nodes_added
        1
        >>> store.write([Node(NodeType.COUNTRY, "RU", "Russia", evidence=(ev,))]).changed
        False
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        self.location = str(path)
        self.generation = 0
        self._nodes = _empty("nodes")
        self._edges = _empty("edges")
        self._evidence_frame: pd.DataFrame | None = _empty("evidence")
        self._evidence_file: _LazyTable | None = None  # read on first use (excerpts make it the largest table)
        self._evidence_rows = 0
        self._stats: pd.DataFrame | None = _empty_stats()  # confidence, n_evidence, seq per row of _edges (by id)
        self._derived: dict[str, Any] = {}
        self._open(create)

    # ---- opening and reading generations -------------------------------------------------
    def _open(self, create: bool) -> None:
        if not self.path.exists():
            if not create:
                raise StoreError(f"no store at {self.path}: run 'transship demo' or 'transship ingest' first")
            return
        if not self.path.is_dir():
            raise StoreError(f"store path {self.path} is a file, not a directory")
        manifest = self.path / MANIFEST
        if not manifest.exists():
            if any(p for p in self.path.iterdir() if p.name != ".lock" and not p.name.startswith(".gen-")):
                raise StoreError(f"{self.path} is not a transship store (no {MANIFEST}) and is not empty")
            if not create:
                raise StoreError(f"no store at {self.path}: run 'transship demo' or 'transship ingest' first")
            return
        self._load_current()

    def _read_manifest(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.path / MANIFEST).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StoreError(f"store manifest {self.path / MANIFEST} is corrupt: {exc}") from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(f"{self.path / MANIFEST} is not a transship store manifest")
        if data.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(
                f"store at {self.path} has schema version {data.get('schema_version')!r}; "
                f"this transship reads version {SCHEMA_VERSION}"
            )
        generation, gen_dir, rows = data.get("generation"), data.get("dir"), data.get("rows")
        if (not isinstance(generation, int) or not isinstance(gen_dir, str) or gen_dir != f"gen-{generation:06d}"
                or not isinstance(rows, dict)):
            raise StoreError(f"store manifest {self.path / MANIFEST} is corrupt: bad generation, dir or rows")
        return data

    def _load_current(self) -> None:
        # A reader may race a writer that removes an old generation: retry on the new manifest.
        # When the manifest stays the same and its files are still missing, the store is damaged.
        last: tuple[Any, ...] | None = None
        for attempt in range(6):
            manifest = self._read_manifest()
            try:
                self._load_generation(manifest)
                return
            except FileNotFoundError as exc:
                seen = (manifest.get("generation"), manifest.get("dir"))
                if seen == last:
                    raise StoreError(
                        f"store at {self.path} is damaged: generation {seen[0]} names "
                        f"{Path(exc.filename).relative_to(self.path) if exc.filename else exc}, which is missing"
                    ) from exc
                last = seen
                time.sleep(0.05 * (attempt + 1))
        raise StoreError(f"store at {self.path} keeps changing under the reader; try again")

    def _load_generation(self, manifest: dict[str, Any]) -> None:
        gen_dir = self.path / str(manifest.get("dir", ""))
        if not gen_dir.is_dir():
            raise FileNotFoundError(errno.ENOENT, "generation directory missing", str(gen_dir))
        rows = manifest.get("rows", {})
        frames = {name: _read_table(gen_dir / f"{name}.parquet", schema, rows.get(name))
                  for name, schema in SCHEMAS.items() if name != "evidence"}
        evidence = _LazyTable(gen_dir / "evidence.parquet", SCHEMAS["evidence"], rows.get("evidence"))
        stats = None
        if "edge_stats" in rows:  # layout 2: edges sorted by id, their confidence and n_evidence precomputed
            stats = _read_table(gen_dir / "edge_stats.parquet", STATS_SCHEMA, rows["edge_stats"])
            if len(stats) != len(frames["edges"]):
                raise StoreError(f"store at {self.path} is corrupt: {len(stats)} edge stats for "
                                 f"{len(frames['edges'])} edges")
        self._nodes, self._edges, self._stats = frames["nodes"], frames["edges"], stats
        self._evidence_frame, self._evidence_file, self._evidence_rows = None, evidence, evidence.rows
        self.generation = int(manifest["generation"])
        self._derived = {}

    def refresh(self) -> bool:
        """Reload when another process committed a newer generation; True if it did."""
        if not (self.path / MANIFEST).exists():
            return False
        if self._read_manifest()["generation"] != self.generation:
            self._load_current()
            return True
        return False

    @property
    def _evidence(self) -> pd.DataFrame:
        """The evidence table, read from the generation on first use."""
        if self._evidence_frame is None:
            assert self._evidence_file is not None
            self._evidence_frame = self._evidence_file.frame()
        return self._evidence_frame

    @_evidence.setter
    def _evidence(self, frame: pd.DataFrame) -> None:
        self._evidence_frame, self._evidence_rows = frame, len(frame)

    # ---- writing ----------------------------------------------------------------------------
    @contextmanager
    def _writer_lock(self) -> Iterator[None]:
        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / ".lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def write(self, records: Iterable[Record | EdgeBatch]) -> WriteResult:
        """Add records (and batches of edges) in one atomic step; see the module docstring.

        Raises:
            SchemaError: a record breaks the schema; nothing is written then.
        """
        staging = _Staging.collect(records)
        with self._writer_lock(), ThreadPoolExecutor(max_workers=1) as background:
            self.refresh()
            self._sort_layout1()
            nodes, nodes_added, nodes_updated = self._merged_nodes(staging)
            new_edges, new_evidence, hints = staging.staged()
            edges = self._merged_edges(new_edges, nodes, background)
            del new_edges, staging  # (the thread putting the edge table together holds what it needs)
            evidence, added, codes, confidences = self._merged_evidence(new_evidence, hints, edges)
            result = WriteResult(nodes_added, nodes_updated, edges.added, added)
            if result.changed or not (self.path / MANIFEST).exists():
                stats = _with_stats(edges.stats, codes, confidences)
                self._persist(nodes, edges.frame, evidence, stats)
                self._nodes, self._edges, self._evidence, self._stats = nodes, edges.frame.result(), evidence, stats
                self._evidence_file = None
                self._derived = {}
        return result

    def _sort_layout1(self) -> None:
        """Edges of a store written before layout 2 sorted by id in memory, their stats computed."""
        if self._stats is None:
            self._edges, self._stats = _sorted_with_stats(self._edges, self._evidence)
            self._derived = {}

    def upgrade(self) -> bool:
        """Rewrite a store written before layout 2 as a new generation in the current layout (same data).

        Returns True when it wrote a generation. Plain writes upgrade a store too; this is for read-mostly stores.
        """
        with self._writer_lock():
            self.refresh()
            if self._stats is not None or not (self.path / MANIFEST).exists():
                return False
            self._sort_layout1()
            assert self._stats is not None
            self._persist(self._nodes, self._edges, self._evidence, self._stats)
            return True

    def _merged_nodes(self, staging: _Staging) -> tuple[pd.DataFrame, int, int]:
        if not staging.nodes:
            return self._nodes, 0, 0
        position = self._node_position()
        staged = [(position.get(nid), nid, row) for nid, row in staging.nodes.items()]
        known = [pos for pos, _, _ in staged if pos is not None]
        # the stored country and props of the known nodes, fetched at once (row access costs ~0.3 ms a node)
        stored = iter(zip(self._nodes["country"].take(known).tolist(), self._nodes["props"].take(known).tolist()))
        fresh: list[tuple[Any, ...]] = []
        updates: dict[int, tuple[str | None, str]] = {}
        for pos, nid, (ntype, key, name, country, props) in staged:
            if pos is None:
                fresh.append((nid, ntype, key, name, country, dump_props(props)))
                continue
            old_country, old_props = next(stored)
            old_country = None if pd.isna(old_country) else old_country
            merged = dump_props(merge_props(load_props(old_props), props))
            if merged != old_props or (country and not old_country):
                updates[pos] = (old_country or country, merged)
        nodes = self._nodes
        if updates:
            nodes = nodes.copy()
            rows = list(updates)
            nodes.iloc[rows, nodes.columns.get_loc("country")] = [updates[r][0] for r in rows]
            nodes.iloc[rows, nodes.columns.get_loc("props")] = [updates[r][1] for r in rows]
        if fresh:
            nodes = pd.concat([nodes, _table("nodes", fresh).to_pandas()], ignore_index=True)
        return nodes, len(fresh), len(updates)

    def _merged_edges(self, new: pa.Table, nodes: pd.DataFrame, background: ThreadPoolExecutor) -> _MergedEdges:
        """All edges sorted by id (the first row of each id wins; the table is put together by ``background``),
        their stats carried over (zero for new edges).

        One stable sort of the old and new ids finds the repeats, the new edges and the order.
        """
        old_n = len(self._edges)
        old = pa.Table.from_pandas(self._edges, schema=SCHEMAS["edges"], preserve_index=False)
        all_ids = pa.chunked_array([*old["id"].chunks, *new["id"].chunks], pa.string()).combine_chunks()
        group, firsts = sorted_groups(all_ids)
        is_old = firsts < old_n
        added = np.sort(firsts[~is_old]) - old_n  # the new edges' first rows, in write order
        assert self._stats is not None
        if not len(added):
            return _MergedEdges(_done(self._edges), self._stats, all_ids.slice(0, old_n), group[old_n:], is_old, 0)
        ends = new.select(["type", "source", "target"])
        checked_endpoint_types(ends if len(added) == new.num_rows else ends.take(added), nodes)
        ids = all_ids.take(pa.array(firsts))
        both = pa.concat_tables([old, new])
        schema, columns = both.schema, list(both.columns)
        del both, old, new, ends  # (the columns list is then all that holds them: each goes once taken)
        frame = background.submit(lambda: _taken_columns(columns, schema, firsts).to_pandas())
        carried = {name: np.zeros(len(firsts), dtype=field.type.to_pandas_dtype()) for name, field in
                   zip(STATS_SCHEMA.names, STATS_SCHEMA, strict=True)}
        carried["seq"][group[old_n + added]] = np.arange(old_n, old_n + len(added))
        for name, values in carried.items():
            values[group[:old_n]] = self._stats[name].to_numpy()
        stats = pd.DataFrame(carried)
        return _MergedEdges(frame, stats, ids, group[old_n:], is_old, len(added))

    def _merged_evidence(self, new: pa.Table, hints: np.ndarray,
                         edges: _MergedEdges) -> tuple[pd.DataFrame, int, np.ndarray, np.ndarray]:
        """All evidence rows, the number this write adds, and the rows whose owners' stats change: their
        owners (edge rows, larger for other owners) and confidences, in order."""
        codes = self._owner_codes(new["owner"], hints, edges)
        keep = ~repeated_rows(new, EVIDENCE_KEY, codes)
        old = self._evidence
        earlier = np.zeros(new.num_rows, dtype=bool)  # whose owner had evidence before
        if len(old) and new.num_rows:
            old_owner = pa.array(old["owner"], pa.string())
            edge_owner = codes < len(edges.old)
            earlier[edge_owner] = edges.old[codes[edge_owner]]  # every stored edge has evidence; new ones had none
            others = np.flatnonzero(~edge_owner & keep)
            earlier[others] = positions_in(new["owner"].take(others), old_owner) >= 0
            earlier &= keep
        candidates = np.flatnonzero(earlier)
        old_codes, old_confidences = np.empty(0, np.int64), np.empty(0)
        if len(candidates):
            keys = _rows(new.select(EVIDENCE_KEY), candidates)
            owner_of_old = positions_in(old_owner, keys["owner"])
            old_rows = np.flatnonzero(owner_of_old >= 0)
            columns = [*EVIDENCE_KEY, "confidence"]
            earlier_rows = _rows(pa.Table.from_pandas(old[columns], schema=_schema_of("evidence", columns),
                                                      preserve_index=False), old_rows)
            known = _known_keys(keys, earlier_rows)
            keep[candidates[known]] = False
            if not known.all():  # old owners get new evidence: their stats count the old rows too
                old_codes = codes[candidates][owner_of_old[old_rows]]
                old_confidences = earlier_rows["confidence"].to_numpy()
        if not keep.any():
            return old, 0, old_codes[:0], old_confidences[:0]
        added = new if keep.all() else new.filter(pa.array(keep))
        frame = pd.concat([old, added.to_pandas()], ignore_index=True) if len(old) else added.to_pandas()
        confidences = np.concatenate([old_confidences, added["confidence"].to_numpy()])
        return frame, added.num_rows, np.concatenate([old_codes, codes[keep]]), confidences

    @staticmethod
    def _owner_codes(owner: pa.ChunkedArray, hints: np.ndarray, edges: _MergedEdges) -> np.ndarray:
        """Per evidence row: its owner's edge row, or a number past the edges for other owners (equal owners,
        equal numbers). Rows with a hint take their edge's row; the others are looked up by owner."""
        codes = np.full(len(owner), -1, dtype=np.int64)
        hinted = hints >= 0
        codes[hinted] = edges.group[hints[hinted]]
        unhinted = np.flatnonzero(~hinted)
        if len(unhinted):
            owners = owner.take(unhinted)
            found = positions_in(owners, edges.ids)
            other = found < 0
            if other.any():
                found[other] = len(edges.ids) + _codes(owners.filter(pa.array(other)))
            codes[unhinted] = found
        return codes

    def _persist(self, nodes: pd.DataFrame, edges: pd.DataFrame | Future[pd.DataFrame], evidence: pd.DataFrame,
                 stats: pd.DataFrame) -> None:
        """Write a generation (the edges last: they may still be being put together) and make it current."""
        generation = self.generation + 1
        final = self.path / f"gen-{generation:06d}"
        tmp = self.path / f".gen-{generation:06d}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        tables = (("evidence", evidence, SCHEMAS["evidence"]), ("nodes", nodes, SCHEMAS["nodes"]),
                  ("edge_stats", stats, STATS_SCHEMA), ("edges", edges, SCHEMAS["edges"]))
        with ThreadPoolExecutor(max_workers=2) as pool:  # Parquet encoding releases the GIL
            written = pool.map(lambda job: _write_parquet(tmp / f"{job[0]}.parquet", job[0], _done(job[1]).result(),
                                                          job[2]), tables)
            rows = dict(zip((name for name, _, _ in tables), written))
        _fsync_dir(tmp)
        if final.exists():  # left by a writer killed after its rename, before its manifest
            shutil.rmtree(final)
        os.rename(tmp, final)
        _fsync_dir(self.path)
        manifest = {
            "format": FORMAT, "schema_version": SCHEMA_VERSION, "layout": LAYOUT, "generation": generation,
            "dir": final.name, "rows": rows, "written_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        tmp_manifest = self.path / f".{MANIFEST}.tmp-{os.getpid()}"
        with open(tmp_manifest, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_manifest, self.path / MANIFEST)
        _fsync_dir(self.path)
        self.generation = generation
        self._remove_stale(keep={final.name, f"gen-{generation - 1:06d}"})

    def _remove_stale(self, keep: set[str]) -> None:
        for entry in self.path.iterdir():
            stale_gen = entry.name.startswith("gen-") and entry.name not in keep
            if stale_gen or entry.name.startswith((".gen-", f".{MANIFEST}.tmp")):
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    # ---- reading ----------------------------------------------------------------------------
    def _node_position(self) -> dict[str, int]:
        if "node_pos" not in self._derived:
            self._derived["node_pos"] = {nid: i for i, nid in enumerate(self._nodes["id"])}
        pos: dict[str, int] = self._derived["node_pos"]
        return pos

    def _edge_position(self) -> pd.Index:
        if "edge_index" not in self._derived:
            self._derived["edge_index"] = pd.Index(self._edges["id"])
        index: pd.Index = self._derived["edge_index"]
        return index

    def _evidence_groups(self) -> dict[str, np.ndarray]:
        if "evidence_groups" not in self._derived:
            self._derived["evidence_groups"] = self._evidence.groupby("owner", sort=False).indices
        groups: dict[str, np.ndarray] = self._derived["evidence_groups"]
        return groups

    def _incident(self, column: str) -> dict[str, np.ndarray]:
        key = f"incident_{column}"
        if key not in self._derived:
            self._derived[key] = self._edges.groupby(column, sort=False).indices
        groups: dict[str, np.ndarray] = self._derived[key]
        return groups

    def evidence_of(self, ids: Iterable[str]) -> dict[str, tuple[Evidence, ...]]:
        """Evidence per node or edge id (ids without evidence are left out)."""
        owners = list(dict.fromkeys(ids))
        if not owners:
            return {}
        if self._evidence_frame is None and self._evidence_file is not None and len(owners) < 10_000:
            part = self._evidence_file.rows_of(owners)  # a few row groups instead of the whole table
        elif "evidence_groups" not in self._derived and len(owners) < 10_000:
            part = self._evidence[isin(self._evidence["owner"], owners)]
        else:
            part = None
        if part is not None:
            # one vectorised scan beats building the owner groups (seconds on a million rows) for a few ids
            records = part.to_dict("records")
            grouped: dict[str, list[Evidence]] = {}
            for row in records:
                grouped.setdefault(row["owner"], []).append(evidence_from_row(row))
            return {owner: tuple(grouped[owner]) for owner in owners if owner in grouped}
        groups = self._evidence_groups()
        wanted = [(owner, np.sort(rows)) for owner in owners if (rows := groups.get(owner)) is not None]
        if not wanted:
            return {}
        # one take for all owners: row-wise iloc on Arrow-backed frames costs milliseconds per call
        records = self._evidence.iloc[np.concatenate([rows for _, rows in wanted])].to_dict("records")
        out: dict[str, tuple[Evidence, ...]] = {}
        at = 0
        for owner, rows in wanted:
            out[owner] = tuple(evidence_from_row(r) for r in records[at:at + len(rows)])
            at += len(rows)
        return out

    def get_node(self, node_id: str) -> Node | None:
        pos = self._node_position().get(node_id)
        if pos is None:
            return None
        return node_from_row(self._nodes.iloc[pos], self.evidence_of([node_id]).get(node_id, ()))

    def get_edge(self, edge_id: str) -> Edge | None:
        index = self._edge_position()
        if edge_id not in index:
            return None
        row = self._edges.iloc[index.get_loc(edge_id)]
        return edge_from_row(row, self.evidence_of([edge_id]).get(edge_id, ()))

    def nodes(self, type: NodeType | None = None) -> Iterator[Node]:
        frame = self._nodes if type is None else self._nodes[self._nodes["type"] == NodeType(type).value]
        for row in frame.to_dict("records"):
            yield node_from_row(row)

    def edges(self, type: EdgeType | None = None) -> Iterator[Edge]:
        frame = self._edges_in_write_order()
        if type is not None:
            frame = frame[frame["type"] == EdgeType(type).value]
        for row in frame.to_dict("records"):
            yield edge_from_row(row)

    def _edges_in_write_order(self) -> pd.DataFrame:
        if self._stats is None:  # stores written before layout 2 keep edges in write order
            return self._edges
        return self._edges.take(np.argsort(self._stats["seq"].to_numpy(), kind="stable"))

    def edges_of(self, node_id: str, direction: Direction = "both") -> Iterator[Edge]:
        positions: list[np.ndarray] = []
        if direction in ("out", "both"):
            positions.append(self._incident("source").get(node_id, np.empty(0, dtype=np.int64)))
        if direction in ("in", "both"):
            positions.append(self._incident("target").get(node_id, np.empty(0, dtype=np.int64)))
        rows = np.unique(np.concatenate(positions)) if positions else np.empty(0, dtype=np.int64)
        if self._stats is not None:  # write order, as before layout 2
            rows = rows[np.argsort(self._stats["seq"].to_numpy()[rows], kind="stable")]
        frame = self._edges.iloc[rows]
        evidence = self.evidence_of(frame["id"])
        for row in frame.to_dict("records"):
            yield edge_from_row(row, evidence.get(row["id"], ()))

    def node_frame(self) -> pd.DataFrame:
        """All nodes (NODE_COLUMNS); do not modify the returned frame."""
        return self._nodes

    def edge_frame(self, types: Iterable[EdgeType] | None = None) -> pd.DataFrame:
        """All edges with combined confidence and evidence counts (EDGE_COLUMNS), ordered by id."""
        if "edge_frame" not in self._derived and self._stats is not None:  # layout 2: edges already sorted by id
            head = self._edges.drop(columns="props")
            stats = self._stats[["confidence", "n_evidence"]]
            self._derived["edge_frame"] = pd.concat([head, stats, self._edges[["props"]]], axis=1)
        if "edge_frame" not in self._derived:  # a store written before layout 2
            stats = evidence_stats(self._evidence["owner"], self._evidence["confidence"])
            frame = self._edges.join(stats, on="id")
            frame["confidence"] = frame["confidence"].fillna(0.0)
            frame["n_evidence"] = frame["n_evidence"].fillna(0).astype("int64")
            columns = [*EDGE_FIELDS[:-1], "confidence", "n_evidence", "props"]
            self._derived["edge_frame"] = frame[columns].sort_values("id", ignore_index=True)
        frame_all: pd.DataFrame = self._derived["edge_frame"]
        if types is None:
            return frame_all
        wanted = [EdgeType(t).value for t in types]
        return frame_all[frame_all["type"].isin(wanted)].reset_index(drop=True)

    def evidence_frame(self) -> pd.DataFrame:
        """All evidence rows (EVIDENCE_COLUMNS); do not modify the returned frame."""
        return self._evidence

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx view of the store (built on first use, cached until the next write)."""
        if "graph" not in self._derived:
            self._derived["graph"] = frames_to_networkx(self._nodes, self.edge_frame())
        graph: nx.MultiDiGraph = self._derived["graph"]
        return graph

    def counts(self) -> dict[str, int]:
        out = {f"nodes.{k}": int(v) for k, v in self._nodes["type"].value_counts().sort_index().items()}
        out |= {f"edges.{k}": int(v) for k, v in self._edges["type"].value_counts().sort_index().items()}
        out |= {"nodes": len(self._nodes), "edges": len(self._edges), "evidence": self._evidence_rows}
        return out

    def close(self) -> None:
        self._derived = {}
