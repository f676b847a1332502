"""Column helpers for bulk writes: grouping ids by one sort, lookups that hash the smaller side, row keys.

A hash pass over a million random ids costs about half a second here, about as much as sorting them;
the embedded store's write sorts its edge ids anyway (the edge table is kept ordered by id), so that
one sort also finds the duplicates and the groups that evidence rows are matched to.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

KEY_SEPARATOR = "\x1f"


def _array(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def string_offsets(strings: pa.Array) -> np.ndarray:
    """The n + 1 offsets of a string array's values into its data (a view, for a slice too)."""
    return np.frombuffer(strings.buffers()[1], np.int32, len(strings) + 1, strings.offset * 4)


def string_bytes(strings: pa.Array) -> np.ndarray:
    """The bytes of a string array's data buffer, those beside a slice's values included (a safe answer to
    "may a value hold this byte?"); empty when there are none.

    >>> bool((string_bytes(pa.array(["a\x1f", "b"])) == 0x1F).any())
    True
    """
    data = strings.buffers()[2]
    return np.empty(0, np.uint8) if data is None else np.frombuffer(data, np.uint8)


def sorted_groups(ids: pa.ChunkedArray | pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Distinct ``ids`` in sorted (byte) order: the group (rank of its distinct id) of each row, and per
    group the row where that id occurs first.

    >>> group, firsts = sorted_groups(pa.array(["b", "a", "b", "c"]))
    >>> group.tolist(), firsts.tolist()
    ([1, 0, 1, 2], [1, 0, 3])
    """
    array = _array(ids)
    n = len(array)
    if n == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    found = _hex_order(array)
    if found is not None:
        order, starts = found
    else:
        order = pc.sort_indices(array).to_numpy().astype(np.int64)  # stable: equal ids keep their row order
        ordered = array.take(order)
        starts = np.ones(n, dtype=bool)
        starts[1:] = pc.fill_null(pc.not_equal(ordered.slice(1), ordered.slice(0, n - 1)), True).to_numpy(
            zero_copy_only=False)
    group = np.empty(n, dtype=np.int64)
    group[order] = np.cumsum(starts) - 1
    return group, order[starts]


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", np.uint8)
_NIBBLE = np.full(256, 16, np.uint8)  # 16: not a lowercase hex digit
_NIBBLE[_HEX_DIGITS] = np.arange(16, dtype=np.uint8)


def _hex_order(array: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """The stable sort order of ids made like the store's (one length, a shared prefix, then lowercase hex digits,
    such as ``edge:`` and 20 of them) and where each run of equal ids starts in it; None for other ids.

    Sixteen hex digits packed into an integer sort as their bytes do; ids whose digits beyond those
    differ while the first sixteen agree (about one pair in 10^8 among a million ids) send it back to None.
    """
    n = len(array)
    if array.null_count or not pa.types.is_string(array.type) or n < 2:
        return None
    offsets = string_offsets(array)
    width = int(offsets[1] - offsets[0])
    if width == 0 or not (np.diff(offsets) == width).all():
        return None
    rows = string_bytes(array)[offsets[0]:offsets[0] + n * width].reshape(n, width)
    shared = 0  # bytes every id starts with, leaving sixteen to pack
    while shared < width - 16 and (rows[:, shared] == rows[0, shared]).all():
        shared += 1
    digits = _NIBBLE[rows[:, shared:]]
    if digits.shape[1] < 16 or (digits == 16).any():
        return None
    head = np.ascontiguousarray((digits[:, 0:16:2] << 4) | digits[:, 1:16:2]).view(">u8").ravel()
    order = np.argsort(head, kind="stable")
    ordered = head[order]
    same = np.flatnonzero(ordered[1:] == ordered[:-1])
    if len(same) and (rows[order[same]] != rows[order[same + 1]]).any():
        return None
    starts = np.ones(n, dtype=bool)
    starts[same + 1] = False
    return order.astype(np.int64), starts


def positions_in(values: pa.ChunkedArray | pa.Array, keys: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Per value, the position of an equal element of the distinct ``keys``, -1 where none (or null).

    The hash table is built over whichever side is smaller: probing a million keys against a few
    thousand values is far cheaper than hashing the million.

    >>> positions_in(pa.array(["c", "x", "a", None]), pa.array(["a", "b", "c"])).tolist()
    [2, -1, 0, -1]
    """
    values, keys = _array(values), _array(keys)
    if len(values) >= len(keys):
        return _filled(pc.index_in(values, value_set=keys))
    distinct = pc.unique(values)
    hit = _filled(pc.index_in(keys, value_set=distinct))  # per key: which distinct value it equals
    key_of = np.full(len(distinct) + 1, -1, dtype=np.int64)  # slot len(distinct): values not found (null)
    found = np.flatnonzero(hit >= 0)
    key_of[hit[found]] = found
    return key_of[_filled(pc.index_in(values, value_set=distinct), len(distinct))]


def _filled(indices: pa.Array | pa.ChunkedArray, missing: int = -1) -> np.ndarray:
    out: np.ndarray = pc.fill_null(indices, missing).to_numpy(zero_copy_only=False).astype(np.int64)
    return out


def joined_keys(table: pa.Table, columns: list[str]) -> pa.Array | None:
    """One text per row joining ``columns`` (equal texts for equal rows, different for different ones);
    None when a value is null or holds the separator, where joined texts could not tell rows apart.

    >>> joined_keys(pa.table({"a": ["x", "x"], "b": ["y", "z"]}), ["a", "b"]).to_pylist()
    ['x\\x1fy', 'x\\x1fz']
    """
    parts = [_array(table[c]) for c in columns]
    for part in parts:
        if part.null_count or pc.any(pc.match_substring(part, KEY_SEPARATOR)).as_py():
            return None
    if not parts or not len(parts[0]):
        return pa.array([], pa.string()) if parts else None
    return pc.binary_join_element_wise(*parts, KEY_SEPARATOR)
