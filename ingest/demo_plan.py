"""Planted routes of the demo world: the chains a trace must find and the decoys it must not.

Design rules that make the ground truth hold under the default trace (see docs/demo.md):
- every planted chain is a simple path from a tagged US maker to a tagged Russian defense buyer,
  1-180 days between hops, one HS-6 code (and part number) throughout, at most 4 hops;
- decoys start at a shared US maker, every other company of a decoy is its own, and only the
  decoy's first hop carries US origin, so the maker is the decoy's only trace origin: a path
  through any decoy record must run along the decoy from its first hop and meets its violation;
- distractor rows (see demo_noise) never touch planted or decoy companies except as buyers
  *from* hubs, and never a defense buyer, so they add no path to a defense buyer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from ingest.demo_goods import CHPL_GOODS, CHPL_WEIGHTS, DRONE_GOOD, DemoGood, part_number
from ingest.demo_names import Company, NameBook

FIRST_DAY = date(2022, 3, 1)
LAST_DAY = date(2024, 12, 31)
SPAN_DAYS = (LAST_DAY - FIRST_DAY).days
MAX_GAP = 150     # planted hops follow each other within this many days (the trace allows 180)
DWELL_LIMIT = 180

DISTRIBUTOR_COUNTRIES = ("US", "DE", "NL", "GB", "FI", "EE", "SG", "TW", "JP", "IN")
DISTRIBUTOR_WEIGHTS = (30, 12, 8, 8, 5, 5, 10, 8, 7, 7)
TRADER_COUNTRIES = ("HK", "CN", "TR", "AE", "KZ", "KG", "AM")
TRADER_WEIGHTS = (30, 20, 15, 15, 8, 6, 6)
LEGIT_BUYER_COUNTRIES = ("DE", "FR", "IT", "PL", "IN", "BR", "MX", "VN", "TH", "JP", "KR", "GB")

DEFENSE_REASONS = (
    "fictional Rostec-group missile maker",
    "fictional air-defence systems plant in the Almaz-Antey mould",
    "fictional avionics and electronic-warfare maker of a KRET-like holding",
    "fictional loitering-munition maker (Lancet-type drones)",
    "fictional reconnaissance-drone maker (Orlan-10-type UAVs)",
    "fictional cruise-missile guidance plant (Kh-101-type missiles)",
    "fictional radar maker for a state defense corporation",
    "fictional military radio-electronics plant",
)

# Shapes of planted chains, by scenario. Pool names refer to Planner pools.
CHAIN_SHAPES: dict[str, tuple[str, ...]] = {
    "maker>distributor>trader>importer>defense": ("maker", "distributor", "trader", "importer", "defense"),
    "maker>trader>importer>defense": ("maker", "trader", "importer", "defense"),
    "maker>distributor>trader>defense": ("maker", "distributor", "trader", "defense"),
    "maker>distributor>trader(AE)>iran>defense": ("maker", "distributor", "trader_ae", "iran", "defense"),
}
CHAIN_SHAPE_WEIGHTS = (50, 17, 17, 10)
DRONE_SHAPE = "maker>distributor>trader>iran_drone_maker=>defense (ICs, then drones)"
DRONE_SHARE = 0.06
DECOY_KINDS = ("time_order", "dwell", "goods_change", "dead_end", "too_many_hops", "legit_buyer")


@dataclass(slots=True)
class Hop:
    """One planted customs row."""

    shipper: Company
    consignee: Company
    day: int                 # days since FIRST_DAY
    good: DemoGood
    part: str                # "" when the row gives none
    origin: str              # origin country of the goods, "" when not declared
    quantity: float
    value_usd: float
    brand: str = ""          # the maker named on the goods
    record_id: str = ""

    @property
    def date(self) -> str:
        return (FIRST_DAY + timedelta(days=self.day)).isoformat()


@dataclass(slots=True)
class Route:
    """A planted chain or decoy: its hops and what it demonstrates."""

    id: str
    shape: str
    scenario: str = "default"     # "default" or "relaxed_goods"
    violates: str = ""            # decoys: the constraint that stops it
    detail: str = ""
    hops: list[Hop] = field(default_factory=list)


class _Pool:
    """Companies of one role, picked with a skew so that a few become hubs."""

    def __init__(self, companies: Sequence[Company], rng: np.random.Generator) -> None:
        self.companies = list(companies)
        weights = 1.0 / np.arange(1, len(self.companies) + 1) ** 0.9
        self._cdf = np.cumsum(weights / weights.sum())
        self._rng = rng

    def pick(self) -> Company:
        index = int(np.searchsorted(self._cdf, self._rng.random(), side="right"))
        return self.companies[min(index, len(self.companies) - 1)]


class Planner:
    """Builds the companies, planted chains and decoys of one world."""

    def __init__(self, rows: int, rng: np.random.Generator, names: NameBook) -> None:
        self.rng = rng
        self.names = names
        self.n_chains = max(5, rows // 150)
        self.n_decoys = max(len(DECOY_KINDS), rows // 300)
        n = self.n_chains
        self.makers = [names.company("maker", "US") for _ in range(max(6, min(40, n // 8)))]
        self.defense = [names.company("defense", "RU") for _ in range(max(4, min(80, n // 12)))]
        self.defense_reason = {c: DEFENSE_REASONS[i % len(DEFENSE_REASONS)] for i, c in enumerate(self.defense)}
        self.pools: dict[str, _Pool] = {
            "maker": _Pool(self.makers, rng),
            "defense": _Pool(self.defense, rng),
            "distributor": self._pool("distributor", max(3, n // 4), DISTRIBUTOR_COUNTRIES, DISTRIBUTOR_WEIGHTS),
            "trader": self._pool("trader", max(3, n // 3), TRADER_COUNTRIES, TRADER_WEIGHTS),
            "trader_ae": self._pool("trader", max(2, n // 25), ("AE",), (1,)),
            "importer": self._pool("importer", max(3, n // 3), ("RU",), (1,)),
            "iran": self._pool("iran", max(2, n // 25), ("IR",), (1,)),
            # the Iranian drone network buys through its own intermediaries
            "drone_distributor": self._pool("distributor", max(2, n // 40), ("AE", "TR", "CN"), (1, 1, 1)),
            "drone_trader": self._pool("trader", max(2, n // 40), ("AE", "CN", "HK"), (2, 1, 1)),
            "drone": self._pool("drone", max(1, n // 60), ("IR",), (1,)),
        }
        self._parts = 0

    def _pool(self, kind: str, size: int, countries: Sequence[str], weights: Sequence[float]) -> _Pool:
        p = np.asarray(weights, dtype=float) / float(sum(weights))
        picks = self.rng.choice(len(countries), size=size, p=p)
        return _Pool([self.names.company(kind, countries[i]) for i in picks], self.rng)

    def hubs(self) -> list[Company]:
        """Planted intermediaries that distractor rows may sell to third parties from."""
        return [c for k in ("distributor", "trader", "trader_ae") for c in self.pools[k].companies]

    # ---- shared pieces ----------------------------------------------------------------------
    def _good(self) -> DemoGood:
        return CHPL_GOODS[int(self.rng.choice(len(CHPL_GOODS), p=CHPL_WEIGHTS / CHPL_WEIGHTS.sum()))]

    def _other_good(self, good: DemoGood) -> DemoGood:
        others = [g for g in CHPL_GOODS if g.hs6 != good.hs6]
        return others[int(self.rng.integers(len(others)))]

    def _gaps(self, n: int) -> list[int]:
        return [int(g) for g in self.rng.integers(2, MAX_GAP + 1, size=n)]

    def _hops(self, companies: Sequence[Company], goods: Sequence[DemoGood], days: Sequence[int],
              origins: Sequence[str]) -> list[Hop]:
        """Hops between consecutive companies; quantities shrink and prices rise along the way."""
        self._parts += 1
        parts = {g.hs6: part_number(g, self._parts) for g in goods}
        quantity = float(self.rng.integers(2, 200) * 50)
        price = float(self.rng.uniform(goods[0].price_low, goods[0].price_high))
        hops = []
        for i, (good, day, origin) in enumerate(zip(goods, days, origins, strict=True)):
            if i and good.hs6 != goods[i - 1].hs6:  # changed goods: new quantity and price scale
                quantity = float(self.rng.integers(2, 40))
                price = float(self.rng.uniform(good.price_low, good.price_high))
            part = parts[good.hs6] if self.rng.random() < 0.75 else ""
            brand = companies[0].name if good is goods[0] else ""  # drones carry no US brand
            hops.append(Hop(companies[i], companies[i + 1], day, good, part, origin, quantity,
                            round(quantity * price, 2), brand))
            quantity = max(1.0, round(quantity * float(self.rng.uniform(0.6, 1.0))))
            price *= float(self.rng.uniform(1.08, 1.6))
        return hops

    def _days(self, gaps: Sequence[int]) -> list[int]:
        """Days of consecutive hops ``gaps`` apart (a gap may be negative), placed at random in the span."""
        offsets = [0, *np.cumsum(gaps).tolist()]
        low, high = -min(offsets), SPAN_DAYS - max(offsets)
        if high < low:
            raise ValueError(f"hop gaps {list(gaps)} do not fit into {SPAN_DAYS} days")
        first = int(self.rng.integers(low, high + 1))
        return [first + int(o) for o in offsets]

    # ---- chains -----------------------------------------------------------------------------
    def chains(self) -> list[Route]:
        """The planted chains; the first ones cover every shape, the drone route included."""
        shapes = list(CHAIN_SHAPES)
        p = np.asarray(CHAIN_SHAPE_WEIGHTS, dtype=float) / sum(CHAIN_SHAPE_WEIGHTS)
        routes = []
        for i in range(self.n_chains):
            if i < len(shapes):
                shape = shapes[i]
            elif i == len(shapes) or self.rng.random() < DRONE_SHARE:
                shape = DRONE_SHAPE
            else:
                shape = shapes[int(self.rng.choice(len(shapes), p=p))]
            route = self._drone_chain() if shape == DRONE_SHAPE else self._chain(shape)
            route.id = f"chain-{i + 1:05d}"
            routes.append(route)
        return routes

    def _chain(self, shape: str) -> Route:
        companies = [self.pools[role].pick() for role in CHAIN_SHAPES[shape]]
        good = self._good()
        n = len(companies) - 1
        days = self._days(self._gaps(n - 1))
        hops = self._hops(companies, [good] * n, days, ["US"] * n)
        return Route("", shape, hops=hops, detail=f"{good.description} (HS {good.hs6})")

    def _drone_chain(self) -> Route:
        roles = ("maker", "drone_distributor", "drone_trader", "drone", "defense")
        companies = [self.pools[role].pick() for role in roles]
        good = CHPL_GOODS[int(self.rng.integers(0, 4))]  # ICs for the drone's electronics
        days = self._days(self._gaps(3))
        hops = self._hops(companies, [good, good, good, DRONE_GOOD], days, ["US", "US", "US", "IR"])
        return Route("", DRONE_SHAPE, scenario="relaxed_goods", hops=hops,
                     detail=f"{good.description} (HS {good.hs6}) into Iranian drones (HS {DRONE_GOOD.hs6})")

    # ---- decoys -----------------------------------------------------------------------------
    def decoys(self) -> list[Route]:
        """Routes that look like chains but break exactly one rule of the default trace."""
        routes = []
        for i in range(self.n_decoys):
            kind = DECOY_KINDS[i] if i < len(DECOY_KINDS) else DECOY_KINDS[int(self.rng.integers(len(DECOY_KINDS)))]
            route = getattr(self, f"_decoy_{kind}")()
            route.id, route.violates = f"decoy-{i + 1:05d}", kind
            routes.append(route)
        return routes

    def _fresh(self, roles: Sequence[str]) -> list[Company]:
        """A shared US maker, then new companies of each role (a shared defense buyer at the end)."""
        out = [self.pools["maker"].pick()]
        for role in roles:
            if role == "defense":
                out.append(self.pools["defense"].pick())
            elif role == "distributor":
                out.append(self._fresh_company("distributor", DISTRIBUTOR_COUNTRIES, DISTRIBUTOR_WEIGHTS))
            elif role == "trader":
                out.append(self._fresh_company("trader", TRADER_COUNTRIES, TRADER_WEIGHTS))
            elif role == "buyer":
                out.append(self._fresh_company("buyer", LEGIT_BUYER_COUNTRIES, [1] * len(LEGIT_BUYER_COUNTRIES)))
            else:
                out.append(self.names.company(role, "RU"))
        return out

    def _fresh_company(self, kind: str, countries: Sequence[str], weights: Sequence[float]) -> Company:
        p = np.asarray(weights, dtype=float) / float(sum(weights))
        return self.names.company(kind, countries[int(self.rng.choice(len(countries), p=p))])

    def _decoy(self, roles: Sequence[str], gaps: list[int], goods: list[DemoGood] | None = None) -> Route:
        companies = self._fresh(roles)
        n = len(companies) - 1
        days = self._days(gaps)
        hops = self._hops(companies, goods or [self._good()] * n, days, ["US"] + [""] * (n - 1))
        return Route("", ">".join(["maker", *roles]), hops=hops)

    def _decoy_time_order(self) -> Route:
        gaps = self._gaps(3)
        k = int(self.rng.integers(0, 3))
        back = int(self.rng.integers(3, 61))
        gaps[k] = -back
        route = self._decoy(("distributor", "trader", "importer", "defense"), gaps)
        route.detail = f"hop {k + 2} is dated {back} days before hop {k + 1}"
        return route

    def _decoy_dwell(self) -> Route:
        gaps = [int(g) for g in self.rng.integers(2, 60, size=3)]
        k = int(self.rng.integers(0, 3))
        gaps[k] = int(self.rng.integers(DWELL_LIMIT + 1, 400))
        route = self._decoy(("distributor", "trader", "importer", "defense"), gaps)
        route.detail = f"hop {k + 2} comes {gaps[k]} days after hop {k + 1} (limit {DWELL_LIMIT})"
        return route

    def _decoy_goods_change(self) -> Route:
        good = self._good()
        other = self._other_good(good)
        k = int(self.rng.integers(1, 4))
        goods = [good] * k + [other] * (4 - k)
        route = self._decoy(("distributor", "trader", "importer", "defense"), self._gaps(3), goods)
        route.detail = f"hop {k + 1} moves HS {other.hs6}, earlier hops HS {good.hs6}"
        return route

    def _decoy_dead_end(self) -> Route:
        route = self._decoy(("distributor", "trader", "importer"), self._gaps(2))
        route.detail = "ends at a Russian importer that is no defense buyer"
        return route

    def _decoy_too_many_hops(self) -> Route:
        route = self._decoy(("distributor", "trader", "trader", "importer", "defense"),
                            [int(g) for g in self.rng.integers(2, 90, size=4)])
        route.detail = "5 hops; the default trace stops at 4"
        return route

    def _decoy_legit_buyer(self) -> Route:
        roles = ("distributor", "buyer") if self.rng.random() < 0.5 else ("distributor", "trader", "buyer")
        route = self._decoy(roles, self._gaps(len(roles) - 1))
        route.detail = f"ends at a buyer in {route.hops[-1].consignee.country}, not in Russia"
        return route
