"""Goods of the demo world: real HS-6 codes with plausible unit prices, fictional part numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class DemoGood:
    """An HS-6 code as the demo trades it."""

    hs6: str
    description: str
    unit: str
    price_low: float   # USD per unit
    price_high: float
    part_prefix: str   # fictional part numbers start with it


# Common High Priority List goods that planted chains move (ICs weigh most, as in reality).
CHPL_GOODS: tuple[DemoGood, ...] = (
    DemoGood("854231", "32-bit microcontroller", "pcs", 2.5, 40.0, "MCU"),
    DemoGood("854231", "digital signal processor", "pcs", 8.0, 120.0, "DSP"),
    DemoGood("854232", "DDR4 SDRAM memory chip", "pcs", 3.0, 25.0, "MEM"),
    DemoGood("854239", "field-programmable gate array", "pcs", 30.0, 900.0, "FPG"),
    DemoGood("854233", "RF power amplifier IC", "pcs", 4.0, 60.0, "AMP"),
    DemoGood("852691", "GNSS receiver module", "pcs", 15.0, 300.0, "GNS"),
    DemoGood("854129", "power MOSFET transistor", "pcs", 0.5, 12.0, "TRN"),
    DemoGood("853224", "multilayer ceramic capacitor", "pcs", 0.02, 1.5, "CAP"),
    DemoGood("851762", "industrial network switch", "pcs", 120.0, 2500.0, "NSW"),
    DemoGood("847150", "embedded processing unit", "pcs", 200.0, 4000.0, "EPU"),
)
CHPL_WEIGHTS = np.array([14, 8, 8, 8, 6, 7, 6, 5, 3, 3], dtype=float)

# Goods outside the CHPL that fill legitimate trade and Russian civilian imports.
CIVIL_GOODS: tuple[DemoGood, ...] = (
    DemoGood("940360", "wooden furniture", "pcs", 40.0, 900.0, "FUR"),
    DemoGood("870323", "passenger car", "pcs", 12000.0, 45000.0, "CAR"),
    DemoGood("300490", "packaged medicaments", "kg", 20.0, 400.0, "MED"),
    DemoGood("847130", "laptop computer", "pcs", 300.0, 2500.0, "LAP"),
    DemoGood("851713", "smartphone", "pcs", 90.0, 1100.0, "PHN"),
    DemoGood("640399", "leather footwear", "pairs", 15.0, 160.0, "SHO"),
    DemoGood("620462", "cotton trousers", "pcs", 4.0, 60.0, "TRS"),
    DemoGood("392690", "plastic articles", "kg", 1.0, 30.0, "PLA"),
    DemoGood("841810", "refrigerator-freezer", "pcs", 250.0, 1500.0, "REF"),
    DemoGood("090111", "green coffee beans", "kg", 2.0, 9.0, "COF"),
)

# Iranian drones that leave Iran for Russia (HS 8806: unmanned aircraft).
DRONE_GOOD = DemoGood("880699", "unmanned aircraft (loitering munition airframe)", "pcs", 18000.0, 60000.0, "UAV")


def part_number(good: DemoGood, n: int) -> str:
    """A fictional part number for the n-th part of a good.

    >>> part_number(CHPL_GOODS[0], 42)
    'MCU-0042-FX'
    """
    return f"{good.part_prefix}-{n:04d}-FX"


def declared_hs(hs6: str, consignee_country: str) -> str:
    """The HS code as a declaration writes it: 10-digit TN VED for EAEU imports, HS-6 elsewhere.

    >>> declared_hs("854231", "RU"), declared_hs("854231", "HK")
    ('8542310000', '854231')
    """
    return hs6 + "0000" if consignee_country in ("RU", "BY", "KZ", "KG", "AM") else hs6
