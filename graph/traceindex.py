"""Compact numpy index of a store's flow edges (SHIPPED, SUPPLIES) for the trace engine.

The index is built from ``store.node_frame()`` and ``store.edge_frame()`` alone, so it
works on every backend. Nodes merged by SAME_AS decisions (graph.identity) become one
canonical node before anything else happens. One index per store generation is cached;
a write (new generation) builds a new one.
"""

from __future__ import annotations

import calendar
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from graph.goods import goods_category
from graph.identity import canonical_map
from graph.schema import EdgeType, NodeType
from graph.stores import GraphStore
from graph.stores.frames import load_props

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
NO_DAY = np.iinfo(np.int32).min // 2  # start/end of an undated edge (never compared when dated is False)
ROLE_ORIGIN = "manufacturer"
ROLE_DESTINATION = "defense_buyer"
US = "US"


def date_interval(text: str | None) -> tuple[int, int] | None:
    """First and last day (days since 1970-01-01) a date may mean: a day, a whole month or year.

    >>> date_interval("1970-01-02"), date_interval("1970-02"), date_interval("1970")
    ((1, 1), (31, 58), (0, 364))
    >>> date_interval("soon") is None
    True
    """
    if text is None:
        return None
    found = _DATE.fullmatch(str(text).strip())
    if not found:
        return None
    year, month, day = found.group(1), found.group(2), found.group(3)
    try:
        y = int(year)
        if month is None:
            first, last = date(y, 1, 1), date(y, 12, 31)
        elif day is None:
            m = int(month)
            first, last = date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
        else:
            first = last = date(y, int(month), int(day))
    except ValueError:
        return None
    return first.toordinal() - EPOCH_ORDINAL, last.toordinal() - EPOCH_ORDINAL


def hs_digits(hs_code: Any) -> str | None:
    """An HS code as digits only (dots and spaces dropped), or None."""
    if hs_code is None or (isinstance(hs_code, float) and np.isnan(hs_code)):
        return None
    digits = "".join(ch for ch in str(hs_code) if ch.isdigit())
    return digits or None


def part_number_of(props: Any) -> str | None:
    """The normalised part number in an edge's props (upper case, trimmed), or None."""
    if not isinstance(props, dict):
        return None
    value = props.get("part_number")
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip().upper()
    return text or None


def category_of(hs: str | None, props: Any) -> str | None:
    """Goods category of an edge: from its HS code, else its ``category`` prop."""
    found = goods_category(hs)
    if found is None and isinstance(props, dict) and props.get("category"):
        found = str(props["category"]).strip().lower() or None
    return found


def _codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 for missing) and the distinct values, in first-seen order."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.astype(np.int32), np.asarray(uniques, dtype=object)


@dataclass
class TraceIndex:
    """Arrays over canonical nodes and over flow edges (positions follow edge id order)."""

    generation: Any
    # nodes (canonical)
    node_ids: np.ndarray          # canonical id per node position
    node_names: np.ndarray
    node_types: np.ndarray
    position: dict[str, int]      # any node id (merged or not) -> canonical position
    country_node: np.ndarray      # (pairs) node position of each (node, country) pair
    country_code: np.ndarray      # (pairs) ISO-2 of each pair
    default_origin: np.ndarray    # bool per node
    default_destination: np.ndarray
    # edges
    edge_ids: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    is_text: np.ndarray
    start: np.ndarray             # int32 days since 1970 (first possible day)
    end: np.ndarray               # int32 (last possible day)
    dated: np.ndarray
    hs_code: np.ndarray           # code into hs_values (-1 none)
    hs_values: np.ndarray         # distinct HS digit strings
    hs6: np.ndarray               # int32 code of the HS-6 (-1 when fewer than 6 digits)
    category: np.ndarray          # code into category_values (-1 none)
    category_values: np.ndarray
    part: np.ndarray              # code into part_values (-1 none)
    part_values: np.ndarray
    value: np.ndarray             # float64, NaN when unknown
    confidence: np.ndarray
    raw_date: np.ndarray
    raw_hs: np.ndarray
    origin_country: np.ndarray
    ref_day: int                  # latest day of any dated flow edge (the recency reference)

    @property
    def n_nodes(self) -> int:
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        return len(self.edge_ids)

    def nodes_in(self, countries: set[str]) -> np.ndarray:
        """Bool per node: located in one of ``countries``."""
        hit = np.isin(self.country_code, sorted(countries))
        mask = np.zeros(self.n_nodes, dtype=bool)
        mask[self.country_node[hit]] = True
        return mask


def _node_part(store: GraphStore) -> tuple[pd.DataFrame, pd.Index, np.ndarray, np.ndarray]:
    """Nodes, an index of their ids, the canonical position of each row and the row of each position.

    Positions follow the node frame's row order; merged nodes share the position of
    their canonical node (the smallest id of the group, a real node).
    """
    nodes = store.node_frame()
    ids = nodes["id"].to_numpy(dtype=object)
    row_index = pd.Index(ids)
    merged = canonical_map(store)
    if merged:
        canon_row = row_index.get_indexer(np.array([merged.get(i, i) for i in ids], dtype=object))
    else:
        canon_row = np.arange(len(ids))
    canon_rows = np.unique(canon_row)
    return nodes, row_index, np.searchsorted(canon_rows, canon_row), canon_rows


def _roles(nodes: pd.DataFrame, pos_of_row: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Bool per canonical node: has role manufacturer / defense_buyer (in any merged member)."""
    maker = np.zeros(n, dtype=bool)
    buyer = np.zeros(n, dtype=bool)
    props = nodes["props"].fillna("{}")
    company = (nodes["type"] == NodeType.COMPANY.value).to_numpy()
    candidates = np.flatnonzero(company & props.str.contains('"roles"', regex=False).to_numpy())
    texts = props.to_numpy(dtype=object)
    for row in candidates.tolist():
        roles = load_props(texts[row]).get("roles") or []
        if isinstance(roles, str):
            roles = [roles]
        if ROLE_ORIGIN in roles:
            maker[pos_of_row[row]] = True
        if ROLE_DESTINATION in roles:
            buyer[pos_of_row[row]] = True
    return maker, buyer


def _countries(store: GraphStore, nodes: pd.DataFrame, row_index: pd.Index,
               pos_of_row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(node, country) pairs from the node's country field and its LOCATED_IN edges."""
    country = nodes["country"]
    own = np.flatnonzero(country.notna().to_numpy())
    pairs_node = [pos_of_row[own]]
    pairs_code = [country.iloc[own].astype(str).str.upper().to_numpy(dtype=object)]
    located = store.edge_frame([EdgeType.LOCATED_IN])
    if len(located):
        country_nodes = nodes[nodes["type"] == NodeType.COUNTRY.value]
        code_of = dict(zip(country_nodes["id"], country_nodes["key"].astype(str).str.upper(), strict=True))
        codes = located["target"].map(code_of).to_numpy(dtype=object)
        rows = row_index.get_indexer(located["source"].to_numpy(dtype=object))
        keep = pd.notna(codes) & (rows >= 0)
        pairs_node.append(pos_of_row[rows[keep]])
        pairs_code.append(codes[keep])
    node_arr = np.concatenate(pairs_node).astype(np.int64)
    code_arr = np.concatenate(pairs_code).astype(str) if len(node_arr) else np.empty(0, dtype=str)
    return node_arr, code_arr


def _dates(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes, uniques = _codes(raw)
    starts = np.full(len(uniques) + 1, NO_DAY, dtype=np.int32)
    ends = np.full(len(uniques) + 1, NO_DAY, dtype=np.int32)
    ok = np.zeros(len(uniques) + 1, dtype=bool)
    for i, text in enumerate(uniques):
        found = date_interval(text)
        if found is not None:
            starts[i], ends[i], ok[i] = found[0], found[1], True
    # code -1 (missing) lands on the extra last slot: undated
    return starts[codes], ends[codes], ok[codes]


def _edge_props(edges: pd.DataFrame, need: np.ndarray) -> dict[int, dict[str, Any]]:
    picked = np.flatnonzero(need)
    texts = edges["props"].to_numpy(dtype=object)[picked]
    return {int(i): load_props(t) for i, t in zip(picked.tolist(), texts, strict=True)}


_PART = re.compile(r'"part_number":"([^"\\]*)"')


def _part_numbers(props_text: pd.Series) -> pd.Series:
    """Normalised part number per edge from its props JSON (a regex for the plain case, JSON otherwise)."""
    texts = props_text.to_numpy(dtype=object)
    out = np.full(len(texts), None, dtype=object)
    has = np.flatnonzero(props_text.str.contains('"part_number"', regex=False).to_numpy())
    for i in has.tolist():
        found = _PART.search(texts[i])
        value = found.group(1).strip().upper() if found else part_number_of(load_props(texts[i]))
        out[i] = value or None
    return pd.Series(out, dtype=object)


def build_index(store: GraphStore) -> TraceIndex:
    """Build the trace index of a store (see :func:`index_of` for the cached version)."""
    nodes, row_index, pos_of_row, canon_rows = _node_part(store)
    n = len(canon_rows)
    canon_ids = row_index.to_numpy(dtype=object)[canon_rows]
    position = dict(zip(row_index.tolist(), pos_of_row.tolist(), strict=True))
    maker, buyer = _roles(nodes, pos_of_row, n)
    country_node, country_code = _countries(store, nodes, row_index, pos_of_row)
    located_us = np.zeros(n, dtype=bool)
    located_us[country_node[country_code == US]] = True
    node_types = nodes["type"].to_numpy(dtype=object)[canon_rows] if n else np.empty(0, dtype=object)
    company = node_types == NodeType.COMPANY.value

    edges = store.edge_frame([EdgeType.SHIPPED, EdgeType.SUPPLIES]).sort_values("id", ignore_index=True)
    src_row = row_index.get_indexer(edges["source"].to_numpy(dtype=object))
    dst_row = row_index.get_indexer(edges["target"].to_numpy(dtype=object))
    known = (src_row >= 0) & (dst_row >= 0)
    if not known.all():
        edges = edges[known].reset_index(drop=True)
        src_row, dst_row = src_row[known], dst_row[known]
    src = pos_of_row[src_row].astype(np.int64)
    dst = pos_of_row[dst_row].astype(np.int64)
    start, end, dated = _dates(edges["date"])
    raw_codes, raw_values = _codes(edges["hs_code"])
    digit_values = pd.Series([hs_digits(v) for v in raw_values], dtype=object)
    digit_codes, hs_values = _codes(digit_values)
    hs_code = np.where(raw_codes >= 0, np.append(digit_codes, -1)[raw_codes], -1).astype(np.int32)
    hs6_keys = pd.Series([h[:6] if len(h) >= 6 else None for h in hs_values], dtype=object)
    hs6_of_value, _ = _codes(hs6_keys)
    hs6 = np.where(hs_code >= 0, np.append(hs6_of_value, -1)[hs_code], -1).astype(np.int32)
    props_text = edges["props"].fillna("")
    parts = _part_numbers(props_text)
    need_cat = (hs_code < 0) & props_text.str.contains('"category"', regex=False).to_numpy()
    parsed = _edge_props(edges, need_cat)
    part, part_values = _codes(parts)
    cat_of_hs = [goods_category(h) for h in hs_values]
    categories = pd.Series(
        [cat_of_hs[c] if c >= 0 else category_of(None, parsed.get(i)) for i, c in enumerate(hs_code.tolist())],
        dtype=object,
    )
    category, category_values = _codes(categories)
    origin = edges["origin_country"].astype(object).where(edges["origin_country"].notna(), None)
    origin_us = (origin.astype(str).str.upper() == US).to_numpy()
    shippers_us = np.zeros(n, dtype=bool)
    shippers_us[src[origin_us]] = True
    default_origin = (company & located_us & maker) | (located_us & shippers_us)
    ref_day = int(end[dated].max()) if dated.any() else 0
    return TraceIndex(
        generation=getattr(store, "generation", None),
        node_ids=canon_ids, node_names=nodes["name"].to_numpy(dtype=object)[canon_rows],
        node_types=node_types, position=position, country_node=country_node, country_code=country_code,
        default_origin=default_origin, default_destination=company & buyer,
        edge_ids=edges["id"].to_numpy(dtype=object), src=src, dst=dst,
        is_text=(edges["type"] == EdgeType.SUPPLIES.value).to_numpy(), start=start, end=end, dated=dated,
        hs_code=hs_code, hs_values=hs_values, hs6=hs6, category=category, category_values=category_values,
        part=part, part_values=part_values,
        value=pd.to_numeric(edges["value_usd"], errors="coerce").to_numpy(dtype=np.float64),
        confidence=pd.to_numeric(edges["confidence"], errors="coerce").fillna(0.0).to_numpy(dtype=np.float64),
        raw_date=edges["date"].to_numpy(dtype=object), raw_hs=edges["hs_code"].to_numpy(dtype=object),
        origin_country=origin.to_numpy(dtype=object), ref_day=ref_day,
    )


_CACHE: OrderedDict[tuple[int, str, Any], tuple[GraphStore, TraceIndex]] = OrderedDict()
_CACHE_SIZE = 2
_LOCK = threading.Lock()


def index_of(store: GraphStore) -> TraceIndex:
    """The cached index of ``store``; rebuilt when the store's generation changes.

    Stores without a ``generation`` attribute are indexed afresh on every call.
    """
    generation = getattr(store, "generation", None)
    if generation is None:
        return build_index(store)
    key = (id(store), str(getattr(store, "location", "")), generation)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is store:
            _CACHE.move_to_end(key)
            return hit[1]
    index = build_index(store)
    with _LOCK:
        _CACHE[key] = (store, index)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return index
