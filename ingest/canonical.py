"""The canonical shipment layout: its fields, and a chunk of rows in it as columns.

Every customs layout is mapped onto these fields (``ingest.layouts``) before shipments are built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from ingest.normalize import (
    NormalizationError,
    clean_text,
    normalize_country,
    normalize_date,
    normalize_hs,
    normalize_number,
)

# Fields of the canonical layout (also the header of canonical CSV files).
CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id",          # declaration line or bill-of-lading id; optional
    "date",               # YYYY-MM-DD, or YYYY-MM for monthly aggregates
    "shipper_name", "shipper_country", "shipper_id",        # id as scheme:value, e.g. inn:7722476458
    "consignee_name", "consignee_country", "consignee_id",
    "origin_country",     # country of origin of the goods
    "hs_code",            # 2-10 digits
    "description", "brand", "part_number",
    "quantity", "unit", "value_usd",
)
REQUIRED = ("date", "shipper_name", "consignee_name", "hs_code")
ROLES = ("shipper", "consignee")
PROP_GROUPS = ("edge_props", "shipper_props", "consignee_props")
_NUMBERS = ("value_usd", "quantity")
_TEXTS = ("brand", "part_number", "description", "unit", "record_id")


@dataclass
class CanonicalColumns:
    """A chunk of rows in the canonical layout, column by column, as Arrow arrays of normalised values
    (null: missing; numbers float64, everything else strings).

    ``fields`` holds the canonical fields the layout fills (``CANONICAL_COLUMNS`` plus the companies'
    other-script names ``shipper_alias``/``consignee_alias``), ``props`` the extra facts per group
    (``edge_props``, ``shipper_props``, ``consignee_props``) and prop name, ``inferred`` per field the
    rule text (``"field=value: reason"``) and the rows where the layout implied the value, ``errors``
    the rows whose values could not be read, with the reason.
    """

    n: int
    fields: dict[str, pa.Array]
    props: dict[str, dict[str, pa.Array]] = field(default_factory=dict)
    inferred: dict[str, tuple[str, np.ndarray]] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)

    def column(self, name: str) -> pa.Array:
        """The values of a canonical field (all null when the layout does not fill it)."""
        values = self.fields.get(name)
        return pa.nulls(self.n, pa.float64() if name in _NUMBERS else pa.string()) if values is None else values

    def rows(self) -> list[dict[str, Any] | NormalizationError]:
        """The chunk as one dict per row, or the error of each bad row."""
        names = list(self.fields)
        columns = [values.to_pylist() for values in self.fields.values()]
        out: list[dict[str, Any] | NormalizationError] = (
            [dict(zip(names, vals)) for vals in zip(*columns)] if names else [{} for _ in range(self.n)])
        for group, specs in self.props.items():
            for row, vals in zip(out, zip(*(values.to_pylist() for values in specs.values()))):
                row[group] = {k: v for k, v in zip(specs, vals) if v is not None}  # type: ignore[index]
        for row_index, row in enumerate(out if self.inferred else ()):
            row["inferred"] = [why for why, flags in self.inferred.values() if flags[row_index]]  # type: ignore[index]
        for i, reason in self.errors.items():
            out[i] = NormalizationError(reason)
        return out

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> CanonicalColumns:
        """One raw canonical row (values as a file gives them) as a normalised one-row chunk.

        Raises:
            NormalizationError: a value cannot be read.
        """
        fields: dict[str, pa.Array] = {}
        for name, value in row.items():
            if name in PROP_GROUPS or name == "inferred":
                continue
            if name == "date":
                value = normalize_date(value)
            elif name == "hs_code":
                value = normalize_hs(value)
            elif name == "origin_country":
                value = normalize_country(value)
            elif name in _NUMBERS:
                value = normalize_number(value)
            elif name in _TEXTS:
                value = clean_text(value)
            fields[name] = pa.array([value], pa.float64() if name in _NUMBERS else pa.string())
        props = {group: {k: pa.array([v]) for k, v in row[group].items()} for group in PROP_GROUPS if row.get(group)}
        inferred = {why.split("=", 1)[0]: (why, np.ones(1, bool)) for why in row.get("inferred") or ()}
        return cls(1, fields, props, inferred)
