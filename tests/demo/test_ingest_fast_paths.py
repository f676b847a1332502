"""The ingest speed-ups (fast paths and caches) give exactly what the plain code gives."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.schema import EdgeType
from ingest.normalize import (
    _DATE_FORMATS, _MONTH_FORMATS, NormalizationError, clean_text, is_missing, normalize_date,
)
from ingest.shipments import ShipmentBuilder


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


def test_builder_caches_give_the_same_records_as_a_fresh_builder() -> None:
    row = {"record_id": "R1", "date": "2023-01-05", "shipper_name": "Amber Trading (FICTIONAL)",
           "shipper_country": "HK", "consignee_name": "OOO Nimbus (FICTIONAL)", "consignee_country": "RU",
           "consignee_id": "inn:0000000001", "hs_code": "8542310000", "brand": "Amber Microsystems (FICTIONAL)"}
    warm = ShipmentBuilder("customs:a.csv", "t/1")
    first = warm.records(row, "row 2")
    second = warm.records(row | {"record_id": "R2"}, "row 3")
    fresh = ShipmentBuilder("customs:a.csv", "t/1").records(row | {"record_id": "R2"}, "row 3")
    assert len(second) == 1 and second[0] in fresh  # the edge; nodes came once with the first row
    def others(records: list) -> set[str]:
        return {r.id for r in records if getattr(r, "type", None) != EdgeType.SHIPPED}

    assert others(first) == others(fresh) and len(others(first)) >= 6  # companies, countries, good, maker


def test_a_brand_with_another_good_in_a_later_chunk_is_linked_to_it() -> None:
    row = {"record_id": "R1", "date": "2023-01-05", "shipper_name": "Amber Trading (FICTIONAL)",
           "shipper_country": "HK", "consignee_name": "OOO Nimbus (FICTIONAL)", "consignee_country": "RU",
           "hs_code": "8542310000", "brand": "Amber Microsystems (FICTIONAL)"}
    builder = ShipmentBuilder("customs:a.csv", "t/1")
    builder.records(row, "row 2")  # each call is a chunk of its own: the planner's memory spans chunks
    later = builder.records(row | {"record_id": "R2", "hs_code": "8471500000"}, "row 3")
    made = [r for r in later if getattr(r, "type", None) == EdgeType.MANUFACTURES]
    assert len(made) == 1 and made[0].target == next(r.id for r in later if getattr(r, "key", "") == "hs6:847150")
