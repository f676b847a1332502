"""The fast paths of clean_text and normalize_date give exactly what the plain rules give."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.normalize import (
    _DATE_FORMATS, _MONTH_FORMATS, NormalizationError, clean_text, is_missing, normalize_date,
)


def plain_clean_text(value: str) -> str | None:
    text = unicodedata.normalize("NFC", value)
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(text.split()) or None


def plain_date(text: str) -> str | None:
    """normalize_date without its fast path: every format through strptime, days before months."""
    renderings = ((_DATE_FORMATS, lambda d: d.date().isoformat()), (_MONTH_FORMATS, lambda d: d.strftime("%Y-%m")))
    for formats, render in renderings:
        for fmt in formats:
            try:
                parsed = datetime.strptime(text.strip(), fmt)
            except ValueError:
                continue
            return str(render(parsed))
    return None


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_clean_text_fast_path_equals_the_plain_rule(value: str) -> None:
        assert clean_text(value) == (None if is_missing(value) else plain_clean_text(value))


@settings(max_examples=150, deadline=None)
@given(st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True) | st.text(max_size=12))
def test_iso_date_fast_path_equals_strptime(text: str) -> None:
    try:
        fast: str | None = normalize_date(text)
    except NormalizationError:
        fast = None
        assert fast == (None if is_missing(text) else plain_date(text))
