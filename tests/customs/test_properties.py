"""Property: for random valid rows, ingested + quarantined = read, and re-ingesting changes nothing."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from graph.stores import open_store
from ingest.customs import CustomsFile
from ingest.quarantine import Quarantine
from ingest.shipments import CANONICAL_COLUMNS

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=30)
countries = st.sampled_from(["", "HK", "Hong Kong, China", "КИТАЙ", "TÜRKİYE", "USA", "NULL", "Atlantis", "ARE"])
hs_codes = st.one_of(st.sampled_from(["854231", "8542.31.000", "30490", "", "NULL", "85x"]),
                     st.integers(0, 10**10).map(str))
dates = st.one_of(st.dates().map(str), st.sampled_from(["31.03.2025", "Apr 2023", "", "2023-13-45", "-"]))
numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), st.sampled_from(["1 234,5", "", "x"]))
rows = st.fixed_dictionaries({
    "record_id": st.text(max_size=8), "date": dates, "shipper_name": names, "shipper_country": countries,
    "shipper_id": st.sampled_from(["", "inn:7722476458", "lei:abc"]), "consignee_name": names,
    "consignee_country": countries, "consignee_id": st.sampled_from(["", "inn:7707083893"]),
    "origin_country": countries, "hs_code": hs_codes, "description": names, "brand": names,
    "part_number": st.text(max_size=10), "quantity": numbers, "unit": st.sampled_from(["", "pcs"]),
    "value_usd": numbers,
})


def write_csv(path: Path, data: list[dict[str, str]], extra_cells: list[int]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CANONICAL_COLUMNS)
    for i, row in enumerate(data):
        cells = [row[c] for c in CANONICAL_COLUMNS]
        if i in extra_cells:
            cells = cells + ["surplus"] if i % 2 else cells[:5]  # ragged both ways
        writer.writerow(cells)
    path.write_text(out.getvalue(), "utf-8")


PUNCTUATION_BRAND = {**{c: "" for c in CANONICAL_COLUMNS}, "date": "31.03.2025", "shipper_name": "0",
                     "consignee_name": "0", "hs_code": "854231", "brand": "{"}


@example(data=[PUNCTUATION_BRAND], ragged=[])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.lists(rows, min_size=1, max_size=15), ragged=st.lists(st.integers(0, 14), max_size=3))
def test_every_row_is_ingested_or_quarantined_and_reingest_changes_nothing(
        data: list[dict[str, str]], ragged: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rows.csv"
        write_csv(path, data, ragged)
        store = open_store(Path(tmp) / "store")
        customs = CustomsFile(path, layout="canonical")
        with Quarantine(Path(tmp) / "q.jsonl") as quarantine:
            store.write(quarantine.filter(customs.batches()))
        counts = customs.counts
        assert counts.read == len(data)  # blank names still make a row; nothing is skipped
        assert counts.ingested + counts.quarantined == counts.read
        assert quarantine.rejected == counts.quarantined
        again = CustomsFile(path, layout="canonical")
        with Quarantine() as quarantine2:
            result = store.write(quarantine2.filter(again.batches()))
        assert not result.changed
        assert (again.counts.ingested, again.counts.quarantined) == (counts.ingested, counts.quarantined)
