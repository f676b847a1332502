"""Conversions between records, column frames and networkx, shared by every backend."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from graph.schema import (
    EDGE_ID_PREFIX,
    EDGE_RULES,
    ID_BYTES,
    ID_SEPARATOR,
    Edge,
    EdgeType,
    Evidence,
    Node,
    NodeType,
    SchemaError,
    edge_ids,
)
from graph.stores.arrays import string_bytes, string_offsets

if TYPE_CHECKING:  # networkx costs ~1 s to import: only the graph view needs it
    import networkx as nx

NODE_FIELDS = ("id", "type", "key", "name", "country", "props")
EDGE_FIELDS = (
    "id", "type", "source", "target", "key", "date", "hs_code", "value_usd",
    "quantity", "origin_country", "props",
)
EVIDENCE_FIELDS = ("owner", "source", "locator", "extractor", "confidence", "observed", "excerpt")

_S, _F = pa.string(), pa.float64()
# Column types of the three tables, as every store stages them and the embedded store persists them.
SCHEMAS: dict[str, pa.Schema] = {
    "nodes": pa.schema([(name, _S) for name in NODE_FIELDS]),
    "edges": pa.schema([(n, _F if n in ("value_usd", "quantity") else _S) for n in EDGE_FIELDS]),
    "evidence": pa.schema([(n, _F if n == "confidence" else _S) for n in EVIDENCE_FIELDS]),
}


def dump_props(props: Mapping[str, Any]) -> str:
    """Props as canonical JSON text (sorted keys), ``{}`` when empty."""
    if not props:
        return "{}"
    return orjson.dumps(props, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS).decode("utf-8")




def json_objects(columns: Mapping[str, pa.Array | Sequence[Any]], rows: int) -> pa.Array:
    """Per row, :func:`dump_props` of the dict of the columns' values that are not None, built column by column.

    >>> json_objects({"b": [1.0, None], "a": ["x", 'say "hi"']}, 2).to_pylist()
    ['{"a":"x","b":1.0}', '{"a":"say \\\\"hi\\\\""}']
    """
    members = [m for name in sorted(columns) if (m := _json_member(name, columns[name])) is not None]
    if not members:
        return pa.array(["{}"] * rows, pa.string())
    # '{' + ',"name":value' of each member present + '}' in one join, then the first comma dropped. A member
    # every row has comes as its pieces, one that some rows lack as one text per row ('' where missing).
    # (Arrow's join with null_handling="skip" drops rows where every member is null: nulls are never joined.)
    pieces = [piece for member in members for piece in member]
    if isinstance(pieces[0], str):  # every row has the first member: no comma to drop
        return pc.binary_join_element_wise("{" + pieces[0][1:], *pieces[1:], "}", "")
    return _opened(pc.binary_join_element_wise(*pieces, "}", ""))


def _opened(members: pa.Array) -> pa.Array:
    """``,"a":1,"b":2}`` made ``{"a":1,"b":2}``, and ``}`` (no member) ``{}``: the leading comma overwritten in a
    copy of the text bytes where every row has a member, Arrow's replace otherwise.

    >>> _opened(pa.array([',"a":1}', ',"b":2,"c":3}']).slice(1)).to_pylist()
    ['{"b":2,"c":3}']
    >>> _opened(pa.array([',"a":1}', '}'])).to_pylist()
    ['{"a":1}', '{}']
    """
    n = len(members)
    offsets = string_offsets(members)
    starts = offsets[:-1]
    if n == 0 or (offsets[1:] - starts).min() < 2:
        return pc.replace_substring(pc.binary_join_element_wise("{", members, ""), "{,", "{", max_replacements=1)
    data = string_bytes(members).copy()
    data[starts] = ord("{")
    return pa.Array.from_buffers(pa.string(), n, [None, members.buffers()[1], pa.py_buffer(data)],
                                 offset=members.offset)


def _json_member(name: str, values: pa.Array | Sequence[Any]) -> list[str | pa.Array] | None:
    """Pieces that joined give ``,"name":value`` per row ('' where the value is None) as orjson writes it; None
    when no row has a value."""
    key = "," + orjson.dumps(name).decode("utf-8") + ":"
    array: pa.Array | None = values if isinstance(values, pa.Array) else None
    if array is None:
        try:
            array = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeEncodeError):  # mixed kinds of values, lone surrogates
            array = None
    if array is not None and array.null_count == len(array):
        return None
    typed = isinstance(values, pa.Array)  # (Arrow reads a Python list of ints and floats as floats)
    if array is not None and pa.types.is_string(array.type) and not _may_need_escapes(array):
        pieces: list[str | pa.Array] = [key + '"', array, '"']
    elif typed and pa.types.is_float64(values.type):
        pieces = [key, float_texts(values, json=True)]
    elif typed and pa.types.is_integer(values.type):
        pieces = [key, pc.cast(values, pa.string())]
    elif array is not None and pa.types.is_string(array.type):
        return [_escaped_where_needed(key, array)]
    else:
        listed = values.to_pylist() if isinstance(values, pa.Array) else values
        return [pa.array(["" if v is None else key + orjson.dumps(v).decode("utf-8") for v in listed], pa.string())]
    if array is not None and array.null_count:
        return [pc.fill_null(pc.binary_join_element_wise(*pieces, ""), "")]
    return pieces


def _escaped_where_needed(key: str, strings: pa.Array) -> pa.Array:
    """``key`` + the JSON string of each value ('' for null): column-wise, and through orjson for the values with
    a character JSON escapes."""
    fragments = pc.fill_null(pc.binary_join_element_wise(key + '"', strings, '"', ""), "")
    escaped = pc.fill_null(pc.match_substring_regex(strings, r'["\\\x00-\x1f]'), False)
    rows = np.flatnonzero(escaped.to_numpy(zero_copy_only=False))
    written = [key + orjson.dumps(v).decode("utf-8") for v in strings.take(pa.array(rows)).to_pylist()]
    return pc.replace_with_mask(fragments, escaped, pa.array(written, pa.string()))


def _may_need_escapes(strings: pa.Array) -> bool:
    """False when no byte of the strings' data is one orjson escapes (UTF-8 multi-byte characters never are)."""
    raw = string_bytes(strings)
    return bool(((raw < 32) | (raw == ord('"')) | (raw == ord("\\"))).any())


def edge_id_column(type: EdgeType | str, sources: pa.Array, targets: pa.Array, keys: pa.Array) -> pa.Array:
    """:func:`graph.schema.edge_ids` of string columns, as a string column (no Python string per edge).

    >>> from graph.schema import edge_id
    >>> edge_id_column("SHIPPED", pa.array(["a"]), pa.array(["b"]), pa.array(["k"])).to_pylist() == [
    ...     edge_id("SHIPPED", "a", "b", "k")]
    True
    """
    texts = pc.binary_join_element_wise(EdgeType(type).value, sources, targets, keys, ID_SEPARATOR)
    n = len(texts)
    if texts.null_count or n == 0:
        return pa.array(edge_ids(type, sources.to_pylist(), targets.to_pylist(), keys.to_pylist()), pa.string())
    offsets = string_offsets(texts).tolist()
    data, sha1 = memoryview(texts.buffers()[2]), hashlib.sha1
    digests = b"".join([sha1(data[start:end]).digest()[:ID_BYTES] for start, end in pairwise(offsets)])
    prefix = EDGE_ID_PREFIX.encode()
    ids = np.empty((n, len(prefix) + 2 * ID_BYTES), np.uint8)
    ids[:, :len(prefix)] = np.frombuffer(prefix, np.uint8)
    ids[:, len(prefix):] = np.frombuffer(digests.hex().encode(), np.uint8).reshape(n, 2 * ID_BYTES)
    ends = np.arange(0, ids.size + 1, ids.shape[1], dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(ends), pa.py_buffer(ids)])


def float_texts(values: pa.Array, *, json: bool = False) -> pa.Array:
    """Each float64 as ``repr`` writes it (``orjson`` with ``json``), null where null; column-wise where Arrow's
    shortest round-trip digits give the same text, one value at a time elsewhere (exponents, non-finite values).

    >>> float_texts(pa.array([1.0, 0.1, None, 1e16, 2.5e-05])).to_pylist()
    ['1.0', '0.1', None, '1e+16', '2.5e-05']
    """
    text = pc.cast(values, pa.string())
    numbers = values.to_numpy(zero_copy_only=False)  # (NaN where null)
    size = np.abs(numbers)
    plain = (size < 1e16) & ((size >= 1e-4) | (size == 0.0))  # no exponent in repr
    if (string_bytes(text) == ord("e")).any():  # (Arrow writing an exponent where repr does not)
        plain &= ~pc.fill_null(pc.match_substring(text, "e"), False).to_numpy(zero_copy_only=False)
    whole = plain & ~pc.fill_null(pc.match_substring(text, "."), True).to_numpy(zero_copy_only=False)
    if whole.any():  # repr writes them with ".0"
        text = pc.binary_join_element_wise(text, pc.if_else(pa.array(whole), ".0", ""), "")
    odd = ~plain
    if values.null_count:
        odd &= values.is_valid().to_numpy(zero_copy_only=False)
    if not odd.any():
        return text
    write = (lambda v: orjson.dumps(v).decode("utf-8")) if json else repr
    fixed = [write(v) for v in values.filter(pa.array(odd)).to_pylist()]
    return pc.replace_with_mask(text, pa.array(odd), pa.array(fixed, pa.string()))


def load_props(text: str | None) -> dict[str, Any]:
    """Props from JSON text; empty for missing."""
    if not text or text == "{}":
        return {}
    loaded: dict[str, Any] = orjson.loads(text)
    return loaded


def node_row(node: Node) -> tuple[Any, ...]:
    """One row of the node table."""
    return (node.id, node.type.value, node.key, node.name, node.country, dump_props(node.props))


def edge_row(edge: Edge) -> tuple[Any, ...]:
    """One row of the edge table."""
    return (
        edge.id, edge.type.value, edge.source, edge.target, edge.key, edge.date, edge.hs_code,
        edge.value_usd, edge.quantity, edge.origin_country, dump_props(edge.props),
    )


def evidence_rows(owner: str, evidence: Iterable[Evidence]) -> Iterator[tuple[Any, ...]]:
    """Rows of the evidence table for one owner."""
    for ev in evidence:
        yield (owner, ev.source, ev.locator, ev.extractor, float(ev.confidence), ev.observed, ev.excerpt)


def _opt(value: Any) -> Any:
    """None for pandas/arrow missing values."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def evidence_from_row(row: Mapping[str, Any]) -> Evidence:
    """An Evidence from an evidence-table row."""
    return Evidence(
        source=row["source"], locator=row["locator"] or "", extractor=row["extractor"],
        confidence=float(row["confidence"]), observed=_opt(row["observed"]), excerpt=_opt(row["excerpt"]),
    )


def node_from_row(row: Mapping[str, Any], evidence: tuple[Evidence, ...] = ()) -> Node:
    """A Node from a node-table row."""
    return Node(
        type=NodeType(row["type"]), key=row["key"], name=row["name"], country=_opt(row["country"]),
        props=load_props(row["props"]), evidence=evidence,
    )


def edge_from_row(row: Mapping[str, Any], evidence: tuple[Evidence, ...] = ()) -> Edge:
    """An Edge from an edge-table row."""
    value, qty = _opt(row["value_usd"]), _opt(row["quantity"])
    return Edge(
        type=EdgeType(row["type"]), source=row["source"], target=row["target"], key=row["key"] or "",
        date=_opt(row["date"]), hs_code=_opt(row["hs_code"]),
        value_usd=None if value is None else float(value), quantity=None if qty is None else float(qty),
        origin_country=_opt(row["origin_country"]), props=load_props(row["props"]), evidence=evidence,
    )


def isin(values: pd.Series | pd.Index | Iterable[Any], candidates: Iterable[Any]) -> np.ndarray:
    """Boolean mask: which ``values`` are among ``candidates`` (a hash lookup in Arrow).

    pandas' own ``isin`` on Arrow-backed text columns turns every candidate into a Python object
    first, seconds for a million ids; this is the same test without that.

    >>> isin(pd.Series(["a", "b", None]), ["b", "c"]).tolist()
    [False, True, False]
    """
    array = pa.array(values if isinstance(values, (pd.Series, pd.Index)) else list(values))
    candidate_array = pa.array(candidates if isinstance(candidates, (pd.Series, pd.Index, np.ndarray))
                               else list(candidates))
    if candidate_array.type != array.type and len(candidate_array) == 0:
        candidate_array = candidate_array.cast(array.type)
    mask: np.ndarray = pc.fill_null(pc.is_in(array, value_set=candidate_array), False).to_numpy(zero_copy_only=False)
    return mask


def evidence_stats(owners: Iterable[str], confidences: Iterable[float]) -> pd.DataFrame:
    """Per owner: noisy-or ``confidence`` (rounded to 6 places) and ``n_evidence``, indexed by owner.

    Every backend computes edge confidence with this one function (or :func:`coded_evidence_stats`),
    over an owner's evidence rows in the order they were added, so the stores agree to the last bit.
    """
    owner = owners.reset_index(drop=True) if isinstance(owners, pd.Series) else pd.Series(list(owners), dtype=object)
    conf = np.asarray(confidences if isinstance(confidences, pd.Series) else list(confidences), dtype="float64")
    grouped = pd.DataFrame({"owner": owner, "l": _log_miss(conf)})
    agg = grouped.groupby("owner", sort=False)["l"].agg(["sum", "size"])
    return pd.DataFrame({"confidence": _noisy_or(agg["sum"].to_numpy()), "n_evidence": agg["size"].astype("int64")},
                        index=agg.index)


def coded_evidence_stats(codes: np.ndarray, confidences: np.ndarray) -> pd.DataFrame:
    """:func:`evidence_stats` for owners given as small non-negative integers; owners with one evidence row
    (most of them) skip the grouping. Indexed by code, owners of one row last.

    >>> coded_evidence_stats(np.array([3, 1, 3]), np.array([0.5, 0.9, 0.5])).sort_index().to_dict("index")
    {1: {'confidence': 0.9, 'n_evidence': 1}, 3: {'confidence': 0.75, 'n_evidence': 2}}
    """
    codes, conf = np.asarray(codes, dtype=np.int64), np.asarray(confidences, dtype="float64")
    single = np.bincount(codes)[codes] == 1
    several = evidence_stats(pd.Series(codes[~single]), conf[~single])
    singles = pd.DataFrame({"confidence": _noisy_or(_log_miss(conf[single])),
                            "n_evidence": np.ones(int(single.sum()), dtype="int64")}, index=codes[single])
    return pd.concat([several, singles]) if len(several) else singles


def _log_miss(confidences: np.ndarray) -> np.ndarray:
    """log(1 - confidence), with certainty capped just below 1."""
    out: np.ndarray = np.log1p(-np.minimum(confidences, 1 - 1e-12))
    return out


def _noisy_or(log_miss_sums: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.round(1.0 - np.exp(log_miss_sums), 6)
    return out


def frames_to_networkx(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.MultiDiGraph:
    """A MultiDiGraph keyed by edge id, with the scalar columns as attributes."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from(
        (nid, {"type": t, "name": n, "country": _opt(c)})
        for nid, t, n, c in zip(nodes["id"], nodes["type"], nodes["name"], nodes["country"], strict=True)
    )
    cols = ["source", "target", "id", "type", "date", "hs_code", "value_usd", "confidence"]
    graph.add_edges_from(
        (s, t, eid, {"type": et, "date": _opt(d), "hs_code": _opt(h), "value_usd": _opt(v), "confidence": c})
        for s, t, eid, et, d, h, v, c in edges[cols].itertuples(index=False, name=None)
    )
    return graph


def checked_endpoint_types(new: pd.DataFrame | pa.Table,
                           node_types: Mapping[str, Any] | pd.DataFrame) -> tuple[pa.Array, pa.Array]:
    """Node types of the new edges' ends; SchemaError for unknown ends or shapes EDGE_RULES does not allow.

    ``node_types`` maps node id to type: a mapping, or a node frame.
    """
    if isinstance(node_types, pd.DataFrame):
        ids, types = pa.array(node_types["id"]), pa.array(node_types["type"])
    else:
        known = {nid: NodeType(t).value for nid, t in node_types.items() if t is not None}
        ids, types = pa.array(list(known), pa.string()), pa.array(list(known.values()), pa.string())
    types = pc.dictionary_encode(types.cast(pa.string()))
    table = new if isinstance(new, pa.Table) else pa.Table.from_pandas(new[["type", "source", "target"]],
                                                                       preserve_index=False)
    ends = {end: pc.take(types, pc.index_in(table[end], value_set=ids)) for end in ("source", "target")}
    unknown = pc.or_kleene(pc.is_null(ends["source"]), pc.is_null(ends["target"]))
    if pc.any(unknown).as_py():
        first = pc.index(unknown, True).as_py()
        row = table.slice(first, 1).to_pylist()[0]
        raise SchemaError(f"{pc.sum(unknown).as_py()} edge(s) point at unknown nodes, e.g. {row['type']} "
                          f"{row['source']} -> {row['target']}")
    for s, e, t in distinct_rows_of([ends["source"], table["type"], ends["target"]]):
        if (NodeType(s), EdgeType(e), NodeType(t)) not in EDGE_RULES:
            raise SchemaError(f"edge not allowed: ({s}) -[{e}]-> ({t})")
    return ends["source"], ends["target"]


def distinct_rows_of(columns: Sequence[pa.Array | pa.ChunkedArray]) -> list[tuple[Any, ...]]:
    """The distinct rows of a few columns with few distinct values each, in the order they first occur
    (found as integer codes, not as joined text).

    >>> distinct_rows_of([pa.array(["b", "a", "b", None]), pa.array(["y", "x", "y", "x"])])
    [('b', 'y'), ('a', 'x'), (None, 'x')]
    """
    code = np.zeros(len(columns[0]) if columns else 0, dtype=np.int64)
    dictionaries = []
    for column in columns:
        array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
        dictionaries.append(encoded.dictionary.to_pylist() + [None])
        indices = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)
        code = code * len(dictionaries[-1]) + indices
    rows = []
    distinct, first = np.unique(code, return_index=True)
    for value in distinct[np.argsort(first)].tolist():
        parts = []
        for dictionary in reversed(dictionaries):
            value, index = divmod(value, len(dictionary))
            parts.append(dictionary[index])
        rows.append(tuple(reversed(parts)))
    return rows
