"""Neo4j store: the same graph and the same answers as the embedded store, over Bolt.

Nodes carry the label of their :class:`NodeType`, edges are relationships of their
:class:`EdgeType`; evidence lives on ``:Evidence`` nodes keyed by ``owner`` (the node or edge id),
so evidence of nodes and of relationships looks the same and accumulates idempotently (its id is a
hash of owner, source, locator and extractor). Props are canonical JSON text in ``props``; a few
are mirrored as native properties for analysts. See docs/cypher.md for the model.

A write stages and validates every record first (as the embedded store does), reads what the
database already holds for those ids, works out exactly what is new (so WriteResult counts match
the embedded store's) and then writes in batched ``UNWIND $rows`` managed transactions. Because
the new rows are known exactly, they are CREATEd (3x faster than MERGE on ArcadeDB); the unique
constraints on node and evidence ids still reject duplicates from a concurrent writer, so run one
writer per database at a time (as the embedded store's lock enforces). Every batch is its own
transaction and a write is idempotent: re-running an interrupted one completes it. All values
are parameters; labels and types come from the enums. The driver retries transient errors.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa

from graph.batch import EdgeBatch
from graph.schema import SCHEMA_VERSION, Edge, EdgeType, Evidence, Node, NodeType, Record
from graph.stores import EDGE_COLUMNS, Direction, StoreError, WriteResult
from graph.stores import cypher_model as cm
from graph.stores.embedded import SCHEMAS, _Staging, merge_props
from graph.stores.frames import (
    EDGE_FIELDS, NODE_FIELDS, checked_endpoint_types, dump_props, edge_from_row, evidence_from_row, evidence_stats,
    isin, load_props, node_from_row
)

USER_ENV, PASSWORD_ENV, DATABASE_ENV = "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"
DEFAULT_BATCH = 5000
LOOKUP_CHUNK = 5000


def _credentials(uri: str, user: str | None, password: str | None) -> tuple[str, str]:
    """User and password: arguments, else NEO4J_USER/NEO4J_PASSWORD, else a prompt on a terminal."""
    user = user or os.environ.get(USER_ENV) or "neo4j"
    password = password if password is not None else os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise StoreError(f"no password for {uri}: set {PASSWORD_ENV} (and {USER_ENV}, default 'neo4j')")
        password = getpass.getpass(f"Neo4j password for {user} at {_public(uri)}: ")
    return user, password


def _public(uri: str) -> str:
    """The URI without any user:password part, safe to show."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Neo4jStore:
    """A :class:`GraphStore` on a Neo4j (or Bolt-compatible) database.

    Use :meth:`connect`; ``batch_size`` rows go into each write transaction.
    """

    def __init__(self, driver: Any, location: str, database: str | None = None,
                 batch_size: int = DEFAULT_BATCH) -> None:
        self._driver = driver
        self.location = location
        self.database = database
        self.batch_size = batch_size
        self.schema_notes: list[str] = []  # constraints/indexes the server declined
        self._cache: dict[Any, Any] = {}
        self._cache_generation: int | None = None

    # ---- connecting ---------------------------------------------------------------------------
    @classmethod
    def connect(cls, uri: str, user: str | None = None, password: str | None = None,
                database: str | None = None, batch_size: int = DEFAULT_BATCH) -> Neo4jStore:
        """Connect, check the schema version and create constraints on a new database.

        Credentials come from the arguments, else NEO4J_USER/NEO4J_PASSWORD, else a prompt
        (never echoed, never logged); the database from NEO4J_DATABASE, else the server default.

        Raises:
            StoreError: server unreachable, credentials refused, or another schema version.
        """
        import neo4j
        from neo4j import exceptions as nex

        where = _public(uri)
        user, password = _credentials(where, user, password)
        database = database or os.environ.get(DATABASE_ENV) or None
        try:
            driver = neo4j.GraphDatabase.driver(uri, auth=(user, password), connection_timeout=15,
                                                max_transaction_retry_time=30)
            driver.verify_connectivity()
        except nex.AuthError as exc:
            raise StoreError(f"Neo4j at {where} refused the credentials of user {user!r}") from exc
        except (nex.ServiceUnavailable, nex.DriverError, OSError) as exc:
            raise StoreError(f"cannot reach Neo4j at {where}: {type(exc).__name__}") from exc
        except ValueError as exc:
            raise StoreError(f"bad Neo4j URI {where}: {exc}") from exc
        store = cls(driver, where, database, batch_size)
        try:
            store._check_schema()
        except BaseException:
            driver.close()
            raise
        return store

    def _check_schema(self) -> None:
        rows = self._read(f"MATCH (m:{cm.META_LABEL} {{id: $id}}) RETURN m.version", id=cm.META_ID)
        if rows and rows[0][0] != SCHEMA_VERSION:
            raise StoreError(f"Neo4j database at {self.location} has transship schema version {rows[0][0]!r}; "
                             f"this transship reads version {SCHEMA_VERSION}")
        if not rows:
            self.ensure_schema()

    def ensure_schema(self) -> list[str]:
        """Create constraints, indexes and the schema-version marker (idempotent).

        A statement the server does not support is skipped and noted in ``schema_notes``:
        lookups then fall back to scans, the results stay the same.
        """
        from neo4j import exceptions as nex

        for statement in cm.schema_statements():
            try:
                self._write(statement)
            except StoreError as exc:
                if not isinstance(exc.__cause__, nex.ClientError):
                    raise
                self.schema_notes.append(f"{statement.split(' IF ')[0]}: {exc.__cause__.code}")
        self._write(f"MERGE (m:{cm.META_LABEL} {{id: $id}}) ON CREATE SET m.version = $version, m.seq = 0, "
                    "m.generation = 0", id=cm.META_ID, version=SCHEMA_VERSION)
        return self.schema_notes

    # ---- running Cypher -----------------------------------------------------------------------
    def _session(self) -> Any:
        return self._driver.session(database=self.database) if self.database else self._driver.session()

    def _run(self, mode: str, query: str, params: dict[str, Any]) -> list[list[Any]]:
        from neo4j import exceptions as nex

        def work(tx: Any) -> list[list[Any]]:
            return [list(r.values()) for r in tx.run(query, params)]

        try:
            with self._session() as session:
                runner: Callable[..., list[list[Any]]] = (
                    session.execute_write if mode == "w" else session.execute_read)
                return runner(work)
        except nex.AuthError as exc:
            raise StoreError(f"Neo4j at {self.location} refused the credentials") from exc
        except (nex.ServiceUnavailable, nex.SessionExpired) as exc:
            raise StoreError(f"lost the connection to Neo4j at {self.location}: {type(exc).__name__}") from exc
        except nex.Neo4jError as exc:
            raise StoreError(f"Neo4j at {self.location} failed a query: {exc.code}: {exc.message}") from exc

    def _read(self, query: str, **params: Any) -> list[list[Any]]:
        return self._run("r", query, params)

    def _write(self, query: str, **params: Any) -> list[list[Any]]:
        return self._run("w", query, params)

    def _collect(self, query: str, returns: str, **params: Any) -> list[list[Any]]:
        """Rows of ``query ... RETURN returns`` fetched as one collected list (far fewer Bolt records)."""
        rows = self._read(f"{query} RETURN collect([{returns}])", **params)
        return list(rows[0][0]) if rows else []

    # ---- writing ------------------------------------------------------------------------------
    def write(self, records: Iterable[Record | EdgeBatch]) -> WriteResult:
        """Add records (and batches of edges); the same id from a new source adds evidence, never a duplicate.

        Raises:
            SchemaError: a record breaks the schema; nothing is written then.
        """
        staging = _Staging.collect(records)
        edges, evidence = staging.frames()
        fresh, updates = self._plan_nodes(staging.nodes)
        node_types = {nid: NodeType(v[0]) for nid, v in staging.nodes.items()}
        new_edges = self._plan_edges(edges, node_types)
        new_evidence = self._plan_evidence(evidence)
        result = WriteResult(len(fresh), len(updates), len(new_edges), len(new_evidence))
        if not result.changed:
            return result
        first = self._reserve(len(fresh) + len(new_edges) + len(new_evidence))
        seqs = iter(range(first, first + len(fresh) + len(new_edges) + len(new_evidence)))
        self._write_nodes(fresh, updates, seqs)
        stats = self._edge_stats(edges, new_edges, new_evidence)
        self._write_edges(new_edges, stats, seqs)
        self._write_evidence(new_evidence, seqs)
        self._update_edge_stats(edges, new_edges, stats)
        self._cache = {}
        return result

    def _plan_nodes(self, staged: dict[str, list[Any]]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """New nodes and (label, id, country, props) updates of known ones, as the embedded store decides."""
        known = self._known_nodes(list(staged), "n.id, n.country, n.props")
        fresh, updates = [], []
        for nid, (ntype, key, name, country, props) in staged.items():
            old = known.get(nid)
            if old is None:
                fresh.append((nid, ntype, key, name, country, props))
                continue
            _, old_country, old_props = old
            merged = merge_props(load_props(old_props), props)
            merged_json = dump_props(merged)
            if merged_json != old_props or (country and not old_country):
                updates.append((ntype, nid, old_country or country, merged_json, merged))
        return fresh, updates

    def _known_nodes(self, ids: Sequence[str], returns: str) -> dict[str, list[Any]]:
        """Rows for the ids that exist, looked up per label (the label is encoded in the id)."""
        by_type: dict[NodeType, list[str]] = defaultdict(list)
        for nid in ids:
            node_type = cm.type_of_node_id(nid)
            if node_type is not None:
                by_type[node_type].append(nid)
        found: dict[str, list[Any]] = {}
        for node_type, group in by_type.items():
            for chunk in _chunks(group, LOOKUP_CHUNK):
                for row in self._collect(f"UNWIND $ids AS id MATCH (n:{cm.label(node_type)} {{id: id}})",
                                         returns, ids=list(chunk)):
                    found[row[0]] = row
        return found

    def _known_edge_ids(self, edges: pd.DataFrame) -> set[str]:
        found: set[str] = set()
        for edge_type, group in edges.groupby("type", sort=False):
            for chunk in _chunks(group["id"].tolist(), LOOKUP_CHUNK):
                rows = self._collect(f"MATCH ()-[r:{cm.rel_type(str(edge_type))}]->() WHERE r.id IN $ids", "r.id",
                                     ids=list(chunk))
                found.update(r[0] for r in rows)
        return found

    def _plan_edges(self, edges: pd.DataFrame, batch_types: dict[str, NodeType]) -> pd.DataFrame:
        """Edges not yet in the database, checked against EDGE_RULES like the embedded store does."""
        if edges.empty:
            return edges
        new = edges[~isin(edges["id"], self._known_edge_ids(edges))].reset_index(drop=True)
        if new.empty:
            return new
        ends = set(new["source"]) | set(new["target"])
        outside = [nid for nid in ends if nid not in batch_types]
        types: dict[str, NodeType | None] = dict(batch_types)
        for nid in self._known_nodes(outside, "n.id"):
            types[nid] = cm.type_of_node_id(nid)
        src_t, dst_t = checked_endpoint_types(new, types)
        return new.assign(source_type=src_t.to_pylist(), target_type=dst_t.to_pylist())

    def _plan_evidence(self, evidence: pd.DataFrame) -> list[tuple[str, Evidence, str]]:
        """(owner, evidence, evidence id) rows not yet in the database, in staging order."""
        rows = [(r["owner"], evidence_from_row(r)) for r in evidence.to_dict("records")]
        with_ids = [(owner, ev, cm.evidence_id(owner, ev.key)) for owner, ev in rows]
        known: set[str] = set()
        for chunk in _chunks([i for _, _, i in with_ids], LOOKUP_CHUNK):
            found = self._collect(f"UNWIND $ids AS id MATCH (e:{cm.EVIDENCE_LABEL} {{id: id}})", "e.id",
                                  ids=list(chunk))
            known.update(r[0] for r in found)
        return [row for row in with_ids if row[2] not in known]

    def _reserve(self, count: int) -> int:
        """Reserve ``count`` sequence numbers (insertion order) and bump the generation; the first is returned."""
        rows = self._write(f"MATCH (m:{cm.META_LABEL} {{id: $id}}) SET m.seq = coalesce(m.seq, 0) + $n, "
                           "m.generation = coalesce(m.generation, 0) + 1 RETURN m.seq", id=cm.META_ID, n=count)
        if not rows:
            raise StoreError(f"Neo4j database at {self.location} lost its transship schema marker")
        return int(rows[0][0]) - count

    def _batched_write(self, query: str, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows, self.batch_size):
            self._write(query, rows=list(chunk))

    def _write_nodes(self, fresh: list[tuple[Any, ...]], updates: list[tuple[Any, ...]], seqs: Iterator[int]) -> None:
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for nid, ntype, key, name, country, props in fresh:
            by_type[ntype].append({"id": nid, "set": cm.node_properties(
                nid, key, name, country, dump_props(props), props, next(seqs))})
        for ntype, rows in by_type.items():
            self._batched_write(f"UNWIND $rows AS row CREATE (n:{cm.label(ntype)}) SET n = row.set", rows)
        changed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ntype, nid, country, props_json, props in updates:
            changed[ntype].append({"id": nid, "set": cm.node_update(country, props_json, props)})
        for ntype, rows in changed.items():
            self._batched_write(f"UNWIND $rows AS row MATCH (n:{cm.label(ntype)} {{id: row.id}}) SET n += row.set",
                                rows)

    def _edge_stats(self, edges: pd.DataFrame, new_edges: pd.DataFrame,
                    new_evidence: list[tuple[str, Evidence, str]]) -> pd.DataFrame:
        """Confidence and evidence count of every edge that gains evidence, over old and new evidence."""
        edge_ids = set(edges["id"]) if not edges.empty else set()
        touched = {owner for owner, _, _ in new_evidence if owner in edge_ids}
        fresh_ids = set(new_edges["id"]) if not new_edges.empty else set()
        old_rows: list[list[Any]] = []
        known = sorted(touched - fresh_ids)
        for chunk in _chunks(known, LOOKUP_CHUNK):
            old_rows += self._collect(f"UNWIND $ids AS o MATCH (e:{cm.EVIDENCE_LABEL} {{owner: o}})",
                                      "e.owner, e.confidence, e.seq", ids=list(chunk))
        old_rows.sort(key=lambda r: r[2])
        owners = [r[0] for r in old_rows] + [o for o, _, _ in new_evidence if o in touched]
        confs = [r[1] for r in old_rows] + [ev.confidence for o, ev, _ in new_evidence if o in touched]
        return evidence_stats(owners, confs)

    def _write_edges(self, new_edges: pd.DataFrame, stats: pd.DataFrame, seqs: Iterator[int]) -> None:
        if new_edges.empty:
            return
        groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in new_edges.to_dict("records"):
            row = {k: (None if pd.isna(v) else v) if not isinstance(v, (list, dict)) else v for k, v in row.items()}
            conf, n_ev = (stats.at[row["id"], "confidence"], stats.at[row["id"], "n_evidence"]) \
                if row["id"] in stats.index else (0.0, 0)
            props = load_props(row["props"])
            groups[(row["source_type"], row["type"], row["target_type"])].append({
                "source": row["source"], "target": row["target"],
                "set": cm.edge_properties(row, props, next(seqs), float(conf), int(n_ev)),
            })
        for (src, etype, dst), rows in groups.items():
            self._batched_write(
                f"UNWIND $rows AS row MATCH (a:{cm.label(src)} {{id: row.source}}) "
                f"MATCH (b:{cm.label(dst)} {{id: row.target}}) "
                f"CREATE (a)-[r:{cm.rel_type(etype)}]->(b) SET r = row.set", rows)

    def _write_evidence(self, new_evidence: list[tuple[str, Evidence, str]], seqs: Iterator[int]) -> None:
        rows = [{"id": eid, "set": cm.evidence_properties(owner, ev, next(seqs))} for owner, ev, eid in new_evidence]
        self._batched_write(f"UNWIND $rows AS row CREATE (e:{cm.EVIDENCE_LABEL}) SET e = row.set", rows)

    def _update_edge_stats(self, edges: pd.DataFrame, new_edges: pd.DataFrame, stats: pd.DataFrame) -> None:
        """Set confidence and n_evidence on known relationships that gained evidence."""
        fresh = set(new_edges["id"]) if not new_edges.empty else set()
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for eid, etype, source in edges[["id", "type", "source"]].itertuples(index=False, name=None):
            if eid in stats.index and eid not in fresh:
                src_type = cm.type_of_node_id(source)
                if src_type is None:
                    continue
                groups[(src_type.value, etype)].append({
                    "id": eid, "source": source, "confidence": float(stats.at[eid, "confidence"]),
                    "n_evidence": int(stats.at[eid, "n_evidence"])})
        for (src, etype), rows in groups.items():
            self._batched_write(
                f"UNWIND $rows AS row MATCH (a:{cm.label(src)} {{id: row.source}})-[r:{cm.rel_type(etype)}]->() "
                "WHERE r.id = row.id SET r.confidence = row.confidence, r.n_evidence = row.n_evidence", rows)

    # ---- reading ------------------------------------------------------------------------------
    def _fresh_cache(self) -> dict[Any, Any]:
        """The frame cache, emptied when another writer changed the database (generation moved)."""
        rows = self._read(f"MATCH (m:{cm.META_LABEL} {{id: $id}}) RETURN m.generation", id=cm.META_ID)
        generation = rows[0][0] if rows else None
        if generation != self._cache_generation:
            self._cache = {}
            self._cache_generation = generation
        return self._cache

    def refresh(self) -> bool:
        """Forget cached frames if the database changed; True if it did."""
        before = self._cache_generation
        self._fresh_cache()
        return before != self._cache_generation

    def _node_rows(self, node_type: NodeType) -> list[list[Any]]:
        return self._collect(f"MATCH (n:{cm.label(node_type)})", cm.NODE_RETURN)

    def _edge_rows(self, edge_type: EdgeType, pattern: str = "(a)-[r:{t}]->(b)", **params: Any) -> list[list[Any]]:
        return self._collect(f"MATCH {pattern.format(t=cm.rel_type(edge_type))}", cm.EDGE_RETURN, **params)

    def node_frame(self) -> pd.DataFrame:
        """All nodes (NODE_COLUMNS) in insertion order; do not modify the returned frame."""
        cache = self._fresh_cache()
        if "nodes" not in cache:
            rows = [[row[0], t.value, *row[1:]] for t in NodeType for row in self._node_rows(t)]
            rows.sort(key=lambda r: r[-1])
            cache["nodes"] = _frame("nodes", NODE_FIELDS, [r[:-1] for r in rows])
        frame: pd.DataFrame = cache["nodes"]
        return frame

    def _edge_type_frame(self, edge_type: EdgeType) -> pd.DataFrame:
        key = ("edges", edge_type)  # callers check the cache is fresh first
        if key not in self._cache:
            self._cache[key] = _edge_frame(edge_type, self._edge_rows(edge_type))
        frame: pd.DataFrame = self._cache[key]
        return frame

    def edge_frame(self, types: Iterable[EdgeType] | None = None) -> pd.DataFrame:
        """Edges (of some types) with combined confidence and evidence counts (EDGE_COLUMNS), ordered by id."""
        self._fresh_cache()
        wanted = list(EdgeType) if types is None else list(dict.fromkeys(EdgeType(t) for t in types))
        parts = [self._edge_type_frame(t) for t in wanted]
        frame = pd.concat(parts, ignore_index=True) if parts else _edge_frame(EdgeType.SHIPPED, [])
        return frame.drop(columns="seq").sort_values("id", ignore_index=True)

    def evidence_of(self, ids: Iterable[str]) -> dict[str, tuple[Evidence, ...]]:
        """Evidence per node or edge id (ids without evidence are left out)."""
        wanted = list(dict.fromkeys(ids))
        grouped: dict[str, list[list[Any]]] = defaultdict(list)
        for chunk in _chunks(wanted, LOOKUP_CHUNK):
            for row in self._collect(f"UNWIND $ids AS o MATCH (e:{cm.EVIDENCE_LABEL} {{owner: o}})",
                                     cm.EVIDENCE_RETURN, ids=list(chunk)):
                grouped[row[0]].append(row)
        out: dict[str, tuple[Evidence, ...]] = {}
        for owner in wanted:
            rows = sorted(grouped.get(owner, ()), key=lambda r: r[-1])
            if rows:
                out[owner] = tuple(evidence_from_row(dict(zip(cm.EVIDENCE_RETURN_FIELDS, r, strict=True)))
                                   for r in rows)
        return out

    def evidence_frame(self) -> pd.DataFrame:
        """All evidence rows (EVIDENCE_COLUMNS) in insertion order."""
        rows = sorted(self._collect(f"MATCH (e:{cm.EVIDENCE_LABEL})", cm.EVIDENCE_RETURN), key=lambda r: r[-1])
        return _frame("evidence", cm.EVIDENCE_RETURN_FIELDS[:-1], [r[:-1] for r in rows])

    def get_node(self, node_id: str) -> Node | None:
        node_type = cm.type_of_node_id(node_id)
        if node_type is None:
            return None
        rows = self._collect(f"MATCH (n:{cm.label(node_type)} {{id: $id}})", cm.NODE_RETURN, id=node_id)
        if not rows:
            return None
        row = dict(zip(cm.NODE_RETURN_FIELDS, rows[0], strict=True)) | {"type": node_type.value}
        return node_from_row(row, self.evidence_of([node_id]).get(node_id, ()))

    def get_edge(self, edge_id: str) -> Edge | None:
        # One round trip: a UNION over the relationship types, each branch using its id index.
        query = " UNION ALL ".join(
            f"MATCH (a)-[r:{cm.rel_type(t)}]->(b) WHERE r.id = $id RETURN type(r) AS t, [{cm.EDGE_RETURN}] AS row"
            for t in EdgeType)
        rows = self._read(query, id=edge_id)
        if not rows:
            return None
        row = _edge_dict(EdgeType(rows[0][0]), rows[0][1])
        return edge_from_row(row, self.evidence_of([edge_id]).get(edge_id, ()))

    def nodes(self, type: NodeType | None = None) -> Iterator[Node]:
        frame = self.node_frame()
        if type is not None:
            frame = frame[frame["type"] == NodeType(type).value]
        for row in frame.to_dict("records"):
            yield node_from_row(row)

    def edges(self, type: EdgeType | None = None) -> Iterator[Edge]:
        types = list(EdgeType) if type is None else [EdgeType(type)]
        self._fresh_cache()
        frame = pd.concat([self._edge_type_frame(t) for t in types], ignore_index=True).sort_values("seq")
        for row in frame.to_dict("records"):
            yield edge_from_row(row)

    def edges_of(self, node_id: str, direction: Direction = "both") -> Iterator[Edge]:
        node_type = cm.type_of_node_id(node_id)
        if node_type is None:
            return
        anchor = f"(n:{cm.label(node_type)} {{id: $id}})"
        patterns = {"out": f"{anchor}-[r:{cm.all_rel_types()}]->(b) WITH n AS a, r, b",
                    "in": f"{anchor}<-[r:{cm.all_rel_types()}]-(a) WITH a, r, n AS b"}
        chosen = ["out", "in"] if direction == "both" else [direction]
        found: dict[str, list[Any]] = {}
        for which in chosen:
            for row in self._collect(f"MATCH {patterns[which]}", f"type(r), {cm.EDGE_RETURN}", id=node_id):
                found.setdefault(row[1], row)
        rows = sorted(found.values(), key=lambda r: r[-1])
        evidence = self.evidence_of(r[1] for r in rows)
        for row in rows:
            yield edge_from_row(_edge_dict(EdgeType(row[0]), row[1:]), evidence.get(row[1], ()))

    def counts(self) -> dict[str, int]:
        parts = [f"MATCH (n:{cm.label(t)}) RETURN 'nodes.' + $t{i} AS k, count(n) AS c" for i, t in enumerate(NodeType)]
        parts += [f"MATCH ()-[r:{cm.rel_type(t)}]->() RETURN 'edges.' + $r{i} AS k, count(r) AS c"
                  for i, t in enumerate(EdgeType)]
        parts.append(f"MATCH (e:{cm.EVIDENCE_LABEL}) RETURN 'evidence' AS k, count(e) AS c")
        names = {f"t{i}": t.value for i, t in enumerate(NodeType)} | {f"r{i}": t.value for i, t in enumerate(EdgeType)}
        found = {k: int(c) for k, c in self._read(" UNION ALL ".join(parts), **names)}
        out = {k: found[k] for k in sorted(found) if k.startswith("nodes.") and found[k]}
        out |= {k: found[k] for k in sorted(found) if k.startswith("edges.") and found[k]}
        return out | {"nodes": sum(v for k, v in found.items() if k.startswith("nodes.")),
                      "edges": sum(v for k, v in found.items() if k.startswith("edges.")),
                      "evidence": found.get("evidence", 0)}

    def clear(self) -> None:
        """Delete every transship node, relationship and evidence (not other data); keeps the schema."""
        labels = [t.value for t in NodeType] + [cm.EVIDENCE_LABEL]
        for node_label in labels:  # in slices, so a big database does not need one huge transaction
            while self._write(f"MATCH (n:`{node_label}`) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*)")[0][0] \
                    == 10000:
                pass
        self._write(f"MATCH (m:{cm.META_LABEL} {{id: $id}}) SET m.seq = 0, "
                    "m.generation = coalesce(m.generation, 0) + 1", id=cm.META_ID)
        self._cache = {}

    def close(self) -> None:
        self._cache = {}
        self._driver.close()

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _frame(name: str, fields: Sequence[str], rows: list[list[Any]]) -> pd.DataFrame:
    """A frame with the embedded store's Arrow schema, so both stores return identical dtypes."""
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in fields]
    schema = SCHEMAS[name]
    arrays = [pa.array(list(col), type=schema.field(f).type) for col, f in zip(columns, fields, strict=True)]
    return pa.Table.from_arrays(arrays, names=list(fields)).select(list(schema.names)).to_pandas()


def _edge_dict(edge_type: EdgeType, row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(cm.EDGE_RETURN_FIELDS, row, strict=True)) | {"type": edge_type.value}


def _edge_frame(edge_type: EdgeType, rows: list[list[Any]]) -> pd.DataFrame:
    """Edge rows of one type as EDGE_COLUMNS plus ``seq`` (insertion order)."""
    dicts = [_edge_dict(edge_type, r) for r in rows]
    base = _frame("edges", EDGE_FIELDS, [[d[f] for f in EDGE_FIELDS] for d in dicts])
    base["confidence"] = pd.Series([float(d["confidence"] or 0.0) for d in dicts], dtype="float64")
    base["n_evidence"] = pd.Series([int(d["n_evidence"] or 0) for d in dicts], dtype="int64")
    base["seq"] = pd.Series([int(d["seq"] or 0) for d in dicts], dtype="int64")
    return base[[*EDGE_COLUMNS, "seq"]]
