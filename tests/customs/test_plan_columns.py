"""The column helpers of the shipment planner."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.shipment_plan import _first_rows, key_texts

CELLS = st.none() | st.text(alphabet=st.sampled_from(["a", "1", ":", "n", "Ж", "\x00", "\x1e", "\x1f"]), max_size=4)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(CELLS, CELLS, CELLS), max_size=12), st.integers(0, 12))
def test_key_texts_tell_rows_apart_exactly_when_their_values_differ(rows: list[tuple], cut: int) -> None:
    """Also across calls: rows cut into two chunks keep their keys."""
    texts = []
    for part in (rows[:cut], rows[cut:]):
        columns = [pa.array([row[i] for row in part], pa.string()) for i in range(3)]
        texts += key_texts(columns).to_pylist() if part else []
    for a, row_a in zip(texts, rows):
        for b, row_b in zip(texts, rows):
            assert (a == b) == (row_a == row_b)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["x", "y", "z", "w"]), max_size=20))
def test_first_rows_of_dictionary_codes(values: list[str]) -> None:
    codes = pa.array(values, pa.string()).dictionary_encode().indices.to_numpy(zero_copy_only=False)
    expected = [values.index(v) for v in dict.fromkeys(values)]
    assert _first_rows(codes).tolist() == expected
    assert isinstance(_first_rows(codes), np.ndarray)
