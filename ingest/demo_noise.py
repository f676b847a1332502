"""Distractor rows of the demo world, generated column-wise with numpy so a million rows stay cheap.

Four kinds: legitimate trade (makers to buyers outside Russia), sales by planted hubs to such
buyers, Russian civilian imports, and random trade between distractor companies. None of them
ships to a planted or decoy company or to a defense buyer (see demo_plan for why).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import numpy as np

from ingest.demo_goods import CHPL_GOODS, CIVIL_GOODS, DemoGood
from ingest.demo_names import Company, NameBook
from ingest.demo_plan import FIRST_DAY, LEGIT_BUYER_COUNTRIES, SPAN_DAYS

EAEU = ("RU", "BY", "KZ", "KG", "AM")
NOISE_MAKER_COUNTRIES = ("US", "DE", "JP", "KR", "TW", "CN", "NL")
RUSSIA_SELLER_COUNTRIES = ("CN", "TR", "KZ", "BY", "AE", "IN", "HK")
BUYER_COUNTRIES = (*LEGIT_BUYER_COUNTRIES, "TR", "AE", "CN", "HK", "KZ", "SG")
KINDS = ("legit", "hub_sale", "ru_civilian", "random")
KIND_SHARES = (0.45, 0.05, 0.35, 0.15)
MONTH_ONLY_SHARE = 0.1  # Russian civilian aggregates often give only the month


class Companies:
    """Column arrays of every company distractor rows may use, with index groups per role."""

    def __init__(self, groups: dict[str, Sequence[Company]]) -> None:
        everyone: list[Company] = []
        self.groups: dict[str, np.ndarray] = {}
        for role, members in groups.items():
            self.groups[role] = np.arange(len(everyone), len(everyone) + len(members))
            everyone.extend(members)
        self.name = np.array([c.name for c in everyone], dtype=object)
        self.country = np.array([c.country for c in everyone], dtype=object)
        self.identifier = np.array([c.identifier for c in everyone], dtype=object)


def noise_companies(rows: int, rng: np.random.Generator, names: NameBook) -> dict[str, list[Company]]:
    """Distractor companies by role, about one per 40 rows."""
    total = min(40_000, max(200, rows // 40))
    sizes = {"maker": total // 10, "buyer": total * 45 // 100, "seller": total * 15 // 100,
             "civilian": total * 30 // 100}
    countries = {"maker": NOISE_MAKER_COUNTRIES, "buyer": BUYER_COUNTRIES, "seller": RUSSIA_SELLER_COUNTRIES,
                 "civilian": ("RU",)}
    kinds = {"maker": "maker", "buyer": "buyer", "seller": "trader", "civilian": "civilian"}
    out = {}
    for role, size in sizes.items():
        picks = rng.integers(len(countries[role]), size=size)
        out[role] = [names.company(kinds[role], countries[role][i]) for i in picks]
    return out


class _GoodsTable:
    def __init__(self, goods: Sequence[DemoGood]) -> None:
        self.hs6 = np.array([g.hs6 for g in goods], dtype="<U10")
        self.description = np.array([g.description for g in goods], dtype=object)
        self.unit = np.array([g.unit for g in goods], dtype=object)
        self.low = np.array([g.price_low for g in goods])
        self.high = np.array([g.price_high for g in goods])
        self.prefix = np.array([g.part_prefix for g in goods], dtype=object)


_GOODS = _GoodsTable((*CHPL_GOODS, *CIVIL_GOODS))
_N_CHPL = len(CHPL_GOODS)
_DATES = np.array([(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(SPAN_DAYS + 1)], dtype=object)
_MONTHS = np.array([d[:7] for d in _DATES], dtype=object)


def noise_columns(n: int, rng: np.random.Generator, companies: Companies,
                  brands: dict[int, str]) -> dict[str, np.ndarray]:
    """``n`` distractor rows as canonical columns (without record_id).

    Args:
        brands: company index -> brand written on its rows (makers put their name on their goods).
    """
    kind = rng.choice(len(KINDS), size=n, p=KIND_SHARES)
    shipper = np.empty(n, dtype=np.int64)
    consignee = np.empty(n, dtype=np.int64)
    g = companies.groups
    plans = {
        0: (g["maker"], g["buyer"]),
        1: (g["hub"], g["buyer"]),
        2: (g["seller"], g["civilian"]),
        3: (np.concatenate([g["maker"], g["buyer"], g["seller"]]), np.concatenate([g["buyer"], g["civilian"]])),
    }
    for k, (senders, receivers) in plans.items():
        rows = np.flatnonzero(kind == k)
        shipper[rows] = senders[rng.integers(len(senders), size=rows.size)]
        consignee[rows] = receivers[rng.integers(len(receivers), size=rows.size)]
    same = shipper == consignee
    consignee[same] = g["civilian"][0]

    chpl_share = np.select([kind == 0, kind == 1, kind == 2], [0.5, 1.0, 0.15], 0.4)
    is_chpl = rng.random(n) < chpl_share
    good = np.where(is_chpl, rng.integers(_N_CHPL, size=n), rng.integers(_N_CHPL, len(_GOODS.hs6), size=n))
    quantity = rng.integers(1, 400, size=n).astype(float) * 10
    price = rng.uniform(_GOODS.low[good], _GOODS.high[good])
    value = np.round(quantity * price, 2)

    day = rng.integers(0, SPAN_DAYS + 1, size=n)
    month_only = (kind == 2) & (rng.random(n) < MONTH_ONLY_SHARE)
    dates = np.where(month_only, _MONTHS[day], _DATES[day])

    ship_country = companies.country[shipper]
    cons_country = companies.country[consignee]
    hs6 = _GOODS.hs6[good]
    eaeu = np.isin(cons_country.astype(str), EAEU)
    hs_code = np.where(eaeu, np.char.add(hs6, "0000"), hs6).astype(object)
    origin = np.where((kind == 1) & is_chpl, "US", ship_country)
    has_part = rng.random(n) < 0.4
    part_no = rng.integers(10_000, size=n)
    parts = np.where(has_part, [f"{p}-{x:04d}-FX" for p, x in zip(_GOODS.prefix[good], part_no, strict=True)], "")
    brand = np.array([brands.get(int(s), "") for s in shipper], dtype=object)
    return {
        "date": dates,
        "shipper_name": companies.name[shipper], "shipper_country": ship_country,
        "shipper_id": companies.identifier[shipper],
        "consignee_name": companies.name[consignee], "consignee_country": cons_country,
        "consignee_id": companies.identifier[consignee],
        "origin_country": origin.astype(object), "hs_code": hs_code,
        "description": _GOODS.description[good], "brand": brand, "part_number": parts.astype(object),
        "quantity": quantity, "unit": _GOODS.unit[good], "value_usd": value,
    }
