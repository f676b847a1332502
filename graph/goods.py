"""Goods reference: HS codes, CHPL tiers and the goods categories analysts ask about."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Category by HS prefix; the longest matching prefix wins.
CATEGORY_PREFIXES: dict[str, str] = {
    "8542": "integrated_circuits",
    "8541": "semiconductors",
    "8532": "capacitors",
    "8533": "resistors",
    "8534": "printed_circuits",
    "8536": "connectors",
    "8504": "power_supplies",
    "8507": "batteries",
    "8517": "telecom_network",
    "8525": "cameras_transmitters",
    "8526": "navigation_radio",
    "852691": "navigation_gnss",
    "8529": "radio_parts",
    "8471": "computers",
    "8473": "computer_parts",
    "8543": "electronic_devices",
    "8548": "electronic_parts",
    "8456": "machine_tools",
    "8457": "machine_tools",
    "8458": "machine_tools",
    "8459": "machine_tools",
    "8460": "machine_tools",
    "8461": "machine_tools",
    "8462": "machine_tools",
    "8466": "machine_tool_parts",
    "8482": "bearings",
    "8483": "transmission_parts",
    "8407": "engines",
    "8409": "engine_parts",
    "8411": "turbine_engines",
    "8501": "electric_motors",
    "8806": "drones",
    "8807": "aircraft_parts",
    "8802": "aircraft",
    "8803": "aircraft_parts",
    "9013": "optics_lasers",
    "9014": "navigation_instruments",
    "9015": "surveying_instruments",
    "9030": "test_instruments",
    "9031": "measuring_instruments",
    "8486": "semiconductor_equipment",
}


@dataclass(frozen=True, slots=True)
class ChplEntry:
    """One Common High Priority List code."""

    hs6: str
    tier: str        # 1, 2, 3.A, 3.B, 4.A, 4.B
    tier_major: int  # 1..4
    description: str


@cache
def chpl_table() -> dict[str, ChplEntry]:
    """The 50 CHPL HS-6 codes (Feb 2024 list) by HS-6."""
    text = resources.files("graph").joinpath("data/chpl_hs6.csv").read_text("utf-8")
    return {
        row["hs6"]: ChplEntry(row["hs6"], row["tier"], int(row["tier_major"]), row["chpl_description"])
        for row in csv.DictReader(text.splitlines())
    }


@cache
def hs_descriptions() -> dict[str, str]:
    """HS 2022 descriptions by 2-, 4- and 6-digit code."""
    text = resources.files("graph").joinpath("data/hs2022_nomenclature.csv").read_text("utf-8")
    return {row["hscode"]: row["description"] for row in csv.DictReader(text.splitlines())}


def chpl_entry(hs_code: str | None) -> ChplEntry | None:
    """The CHPL entry for an HS code of 6 or more digits, if listed."""
    return chpl_table().get(hs_code[:6]) if hs_code and len(hs_code) >= 6 else None


def goods_category(hs_code: str | None) -> str | None:
    """Category name for an HS code (longest known prefix), or None.

    >>> goods_category("8542310000"), goods_category("8526910000"), goods_category("0101")
    ('integrated_circuits', 'navigation_gnss', None)
    """
    if not hs_code:
        return None
    for size in (6, 4):
        found = CATEGORY_PREFIXES.get(hs_code[:size])
        if found:
            return found
    return None


def describe_hs(hs_code: str | None) -> str | None:
    """The most specific HS 2022 description known for a code."""
    if not hs_code:
        return None
    table = hs_descriptions()
    for size in (6, 4, 2):
        if len(hs_code) >= size and hs_code[:size] in table:
            return table[hs_code[:size]]
    return None
