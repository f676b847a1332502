"""Names of the demo world's companies: obviously fictional, unique, shaped like real trade names.

Every name ends in ``(FICTIONAL)`` and Russian companies carry INNs starting with ``00``,
a region code that does not exist, so no generated identity can point at a real company.
"""

from __future__ import annotations

from dataclasses import dataclass

MARKER = "(FICTIONAL)"

_FIRST = (
    "Amber", "Boreal", "Cobalt", "Dunmore", "Ember", "Fjordline", "Granite", "Harrowgate", "Indigo", "Juniper",
    "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyxbay", "Pinecrest", "Quartzfield", "Riverstone", "Saffron",
    "Tundra", "Umberlight", "Vireo", "Willowmere", "Xenoport", "Yarrow", "Zephyrine", "Alderwick", "Brightwater",
    "Coldharbor", "Driftwood", "Eastmarch", "Foxglove", "Glimmer", "Hollowell", "Ironbark", "Jadeport",
    "Kingsreach", "Larkspur", "Moonridge", "Northwind", "Oakhaven", "Palisade", "Quillon", "Redfern",
    "Silverlake", "Thornbury", "Upland", "Valewood",
)
_SECOND = (
    "", "Falcon", "Harbor", "Summit", "Crescent", "Lantern", "Meadow", "Beacon", "Orchard", "Compass",
    "Anchor", "Prairie", "Canyon", "Glacier", "Cedar", "Aurora",
)
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "maker": ("Microsystems", "Semiconductor", "Devices", "Instruments", "Circuits", "Silicon Works", "Logic"),
    "distributor": ("Components", "Electronics Supply", "Parts Distribution", "Electronic Sales", "Sourcing"),
    "trader": ("Trading", "Import Export", "International Trade", "Commerce", "Global Supply", "Logistics"),
    "importer": ("Tekhkomplekt", "Elektronsnab", "Promkomplekt", "Radiodetal", "Mikrosnab", "Spetsimport"),
    "defense": ("Design Bureau", "Instrument Plant", "Radio Plant", "Scientific Production Association",
                "Machine-Building Plant", "Avionics Works"),
    "iran": ("Sanat Pars", "Tejarat Novin", "Fanavaran", "Saman Electronic", "Kish Trade"),
    "drone": ("Aviation Industries", "Aerospace Group", "Unmanned Systems"),
    "buyer": ("Industries", "Manufacturing", "Automation", "Telecom", "Energy", "Systems", "Retail"),
    "civilian": ("Torgovy Dom", "Optima", "Stroykomplekt", "Avtodetal", "Mebeltorg", "Farmsnab"),
}
_LEGAL_FORMS: dict[str, str] = {
    "US": "Inc.", "DE": "GmbH", "NL": "B.V.", "GB": "Ltd", "FI": "Oy", "EE": "OU", "SG": "Pte. Ltd.",
    "TW": "Co., Ltd.", "JP": "K.K.", "KR": "Co., Ltd.", "IN": "Pvt. Ltd.", "HK": "Co., Limited",
    "CN": "Co., Ltd.", "TR": "Dis Ticaret Ltd. Sti.", "AE": "FZE", "KZ": "TOO", "KG": "OsOO", "AM": "LLC",
    "RU": "OOO", "IR": "PJS", "BY": "OOO", "FR": "SAS", "IT": "S.r.l.", "BR": "Ltda.", "MX": "S.A. de C.V.",
    "VN": "JSC", "TH": "Co., Ltd.", "PL": "Sp. z o.o.", "UZ": "MChJ", "MY": "Sdn. Bhd.",
}
_PREFIX_FORMS = frozenset({"RU", "BY", "KZ", "KG", "UZ"})


@dataclass(frozen=True, slots=True)
class Company:
    """A company of the demo world as it appears in customs rows and tags."""

    name: str
    country: str
    identifier: str = ""   # scheme:value, e.g. inn:0012345678
    kind: str = "trader"   # maker, distributor, trader, importer, defense, iran, drone, buyer, civilian


class NameBook:
    """Hands out unique fictional company names; the n-th name depends only on n and the role."""

    def __init__(self) -> None:
        self.issued = 0

    def company(self, kind: str, country: str) -> Company:
        """A new company of ``kind`` located in ``country``."""
        n = self.issued
        self.issued += 1
        return Company(compose_name(n, kind, country), country, _identifier(n, country), kind)


def compose_name(n: int, kind: str, country: str) -> str:
    """The n-th fictional name for a company of ``kind`` in ``country``; distinct n give distinct names.

    >>> compose_name(0, "trader", "HK")
    'Amber Trading Co., Limited (FICTIONAL)'
    >>> compose_name(49, "importer", "RU")
    'OOO Boreal Falcon Elektronsnab (FICTIONAL)'
    """
    first = _FIRST[n % len(_FIRST)]
    rest = n // len(_FIRST)
    second = _SECOND[rest % len(_SECOND)]
    serial = rest // len(_SECOND)
    words = _ROLE_WORDS[kind]
    role = words[n % len(words)]
    stem = " ".join(w for w in (first, second, role, str(serial + 1) if serial else "") if w)
    form = _LEGAL_FORMS.get(country, "Ltd")
    named = f"{form} {stem}" if country in _PREFIX_FORMS else f"{stem} {form}"
    return f"{named} {MARKER}"


def _identifier(n: int, country: str) -> str:
    # Russian INNs never start with region 00; these cannot collide with a real taxpayer.
    return f"inn:00{n:08d}" if country == "RU" else ""
