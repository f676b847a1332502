"""The column helpers of bulk writes agree with plain-Python references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.batch import EdgeBatch
from graph.stores.arrays import KEY_SEPARATOR, _hex_order, joined_keys, positions_in, sorted_groups
from graph.stores.frames import SCHEMAS, coded_evidence_stats, distinct_rows_of, evidence_stats

texts = st.text(alphabet=["a", "b", "é", "Ж", "\x1f", "0"], max_size=3)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=30))
def test_sorted_groups_ranks_distinct_ids_in_byte_order(ids: list[str]) -> None:
    group, firsts = sorted_groups(pa.chunked_array([pa.array(ids[:5], pa.string()), pa.array(ids[5:], pa.string())]))
    distinct = sorted(set(ids), key=lambda s: s.encode("utf-8"))
    assert group.tolist() == [distinct.index(i) for i in ids]
    assert firsts.tolist() == [ids.index(d) for d in distinct]


# Store-made ids: a shared prefix, then hex digits. Few heads (first 16 digits) and tails make repeats and ids that
# agree in their first 16 digits only, the case the packed-integer sort must hand back to Arrow's.
heads = st.sampled_from(["0" * 16, "0123456789abcdef", "f" * 15 + "e", "a0" * 8])
hex_ids = st.builds(lambda head, tail: f"edge:{head}{tail}", heads, st.sampled_from(["0000", "00ff", "9a9a"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(hex_ids, max_size=30), st.integers(0, 30))
def test_sorted_groups_of_hex_ids_match_byte_order(ids: list[str], cut: int) -> None:
    group, firsts = sorted_groups(pa.chunked_array([pa.array(ids[:cut], pa.string()), pa.array(ids[cut:], pa.string())]))
    distinct = sorted(set(ids))
    assert group.tolist() == [distinct.index(i) for i in ids]
    assert firsts.tolist() == [ids.index(d) for d in distinct]
    if len(ids) >= 2 and len({i[:21] for i in distinct}) == len(distinct):  # the first 16 digits tell ids apart
        assert _hex_order(pa.array(ids, pa.string())) is not None  # so the fast path was taken


def test_hex_order_declines_ids_of_other_shapes() -> None:
    assert _hex_order(pa.array(["edge:" + "a" * 20, "edge:" + "A" * 20])) is None  # upper case: not the store's
    assert _hex_order(pa.array(["edge:" + "a" * 20, "edge:" + "b" * 19])) is None  # lengths differ
    assert _hex_order(pa.array(["edge:" + "a" * 15, "edge:" + "b" * 15])) is None  # fewer than 16 digits
    assert _hex_order(pa.array(["edge:" + "a" * 20, None])) is None
    assert _hex_order(pa.array(["edge:" + "0" * 20, "edge:" + "0" * 18 + "ff", "edge:" + "1" * 20])) is None  # ties
    assert _hex_order(pa.array(["x", "edge:" + "a" * 20, "edge:" + "b" * 20]).slice(1)) is not None  # sliced


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(texts, st.none()), max_size=20), st.lists(texts, max_size=20, unique=True))
def test_positions_in_finds_each_value_among_the_keys(values: list[str | None], keys: list[str]) -> None:
    found = positions_in(pa.array(values, pa.string()), pa.array(keys, pa.string()))
    assert found.tolist() == [keys.index(v) if v in keys else -1 for v in values]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(texts, st.one_of(texts, st.none())), min_size=1, max_size=12))
def test_joined_keys_tell_rows_apart_or_decline(rows: list[tuple[str, str | None]]) -> None:
    table = pa.table({"a": [r[0] for r in rows], "b": pa.array([r[1] for r in rows], pa.string())})
    joined = joined_keys(table, ["a", "b"])
    unsafe = any(v is None or KEY_SEPARATOR in v for row in rows for v in row)
    assert (joined is None) == unsafe
    if joined is not None:
        keys = joined.to_pylist()
        for i, j in np.ndindex(len(rows), len(rows)):
            assert (keys[i] == keys[j]) == (rows[i] == rows[j])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([0.0, 0.3, 0.5, 0.95, 1.0, 1 / 3])), min_size=1,
                max_size=25))
def test_coded_evidence_stats_is_evidence_stats_to_the_last_bit(rows: list[tuple[int, float]]) -> None:
    codes, confidences = np.array([r[0] for r in rows]), np.array([r[1] for r in rows])
    coded = coded_evidence_stats(codes, confidences).sort_index()
    named = evidence_stats([f"owner{c}" for c in codes], confidences.tolist())
    named.index = [int(owner[5:]) for owner in named.index]
    pd.testing.assert_frame_equal(coded, named.sort_index(), check_exact=True, check_index_type=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["x", "y", None]), st.sampled_from(["p", "q"])), min_size=1, max_size=20))
def test_distinct_rows_of_keeps_first_occurrence_order(rows: list[tuple[str | None, str]]) -> None:
    columns = [pa.array([r[0] for r in rows], pa.string()), pa.chunked_array([[r[1] for r in rows]], pa.string())]
    assert distinct_rows_of(columns) == list(dict.fromkeys(rows))


def test_a_batch_is_aligned_when_evidence_row_i_is_edge_row_i() -> None:
    def batch(ids: list[str], owners: list[str]) -> EdgeBatch:
        edges = pa.table({f.name: pa.array([i if f.name == "id" else None for i in ids], f.type)
                          for f in SCHEMAS["edges"]}, schema=SCHEMAS["edges"])
        evidence = pa.table({f.name: pa.array([o if f.name == "owner" else None for o in owners], f.type)
                             for f in SCHEMAS["evidence"]}, schema=SCHEMAS["evidence"])
        return EdgeBatch(edges, evidence)

    assert batch(["e1", "e2"], ["e1", "e2"]).aligned()
    assert not batch(["e1", "e2"], ["e2", "e1"]).aligned()
    assert not batch(["e1", "e2"], ["e1", "e2", "e2"]).aligned()
