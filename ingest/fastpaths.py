"""Vectorised fast paths of the layout transforms for columns of text cells (CSV), one per transform name.

A fast path reads only the values it can prove *plain* (``12.5`` for a number, ``ACME LTD`` for a
text) and gives exactly what the Python transform in :mod:`ingest.normalize` gives for them; every
other value (missing markers, thousands separators, odd spacing, unusual characters, values the
transform rejects) is left to the transform, so results and quarantine reasons never change.

Each fast path takes the column as an Arrow string array (no nulls) and returns a boolean mask of the
values it read and an Arrow array holding their results at those positions (anything elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.normalize import MISSING, _ddmmyy

FastPath = Callable[[pa.Array], tuple[np.ndarray, pa.Array]]

# Characters clean_text keeps as they are: printable ASCII and the basic Russian alphabet (Ё, А-я, ё),
# all of them NFC-stable letters; a plain text has single spaces between words and none at either end.
_PLAIN_CHARS = "!-~\u0401\u0410-\u044f\u0451"
_PLAIN_TEXT = f"^[{_PLAIN_CHARS}]+(?: [{_PLAIN_CHARS}]+)*$"
_MISSING = pa.array(sorted(MISSING), pa.string())
_MARKER_CHARS = max(map(len, MISSING))
_DECLARATION = "^[0-9]{8}/[0-9]{6}/[0-9A-Za-z]+$"


def as_text(raw_values: Sequence[Any]) -> pa.Array | None:
    """The values as an Arrow string array, or None unless every value is a str (typed cells keep the Python path)."""
    try:
        strings = pa.array(raw_values)
    except (pa.ArrowException, TypeError, ValueError):
        return None
    plain = isinstance(strings, pa.Array) and strings.type == pa.string() and strings.null_count == 0
    return strings if plain else None  # (a ChunkedArray: over 2 GB of text)


def _mask(flags: pa.Array) -> np.ndarray:
    return flags.to_numpy(zero_copy_only=False)


def plain_text(strings: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Texts clean_text returns unchanged: plain characters, single spaces only between words, not a missing marker."""
    read = _mask(pc.match_substring_regex(strings, _PLAIN_TEXT))
    short = np.flatnonzero(read & (_mask(pc.utf8_length(strings)) <= _MARKER_CHARS))
    if len(short):  # a missing marker is short: look at those only
        markers = _mask(pc.is_in(pc.utf8_lower(strings.take(short)), value_set=_MISSING))
        read[short[markers]] = False
    return read, strings


def plain_number(decimal_comma: bool) -> FastPath:
    """Numbers of ASCII digits, or (unless the comma is the decimal mark, where ``1.000`` is a thousand)
    digits with one dot, read as the correctly rounded float ``float()`` gives; infinite ones are left
    to the transform, which rejects them."""

    def number(strings: pa.Array) -> tuple[np.ndarray, pa.Array]:
        digits = strings if decimal_comma else pc.replace_substring(strings, ".", "", max_replacements=1)
        plain = pc.ascii_is_decimal(digits)
        numbers = pc.cast(pc.if_else(plain, strings, None), pa.float64())
        mask = _mask(pc.fill_null(pc.is_finite(numbers), False))
        return mask, numbers

    return number


def plain_declaration_dates(strings: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Dates of declaration numbers written ``post/DDMMYY/serial`` in ASCII digits, whose DDMMYY is a valid date
    (each distinct DDMMYY read once; a declaration number with an invalid date is left to the transform)."""
    read = _mask(pc.match_substring_regex(strings, _DECLARATION))
    positions = np.flatnonzero(read)
    if not len(positions):
        return read, pa.nulls(len(strings), pa.string())
    ddmmyy = pc.utf8_slice_codeunits(strings.take(positions), 9, 15).dictionary_encode()
    isos = [_ddmmyy(text) for text in ddmmyy.dictionary.to_pylist()]
    codes = ddmmyy.indices.to_numpy(zero_copy_only=False)
    dated = np.array([iso is not None for iso in isos], dtype=bool)[codes]
    read[positions[~dated]] = False
    full = np.zeros(len(strings), np.int32)  # (rows not read point at the first date: masked out)
    full[positions] = codes
    return read, pa.array(isos, pa.string()).take(pa.array(full))


def fast_paths(decimal_comma: bool) -> dict[str, FastPath]:
    """The fast path of each transform name that has one."""
    return {"text": plain_text, "identifier": plain_text, "number": plain_number(decimal_comma),
            "declaration_date": plain_declaration_dates}
