"""Lookup tables of the news pipeline: countries with demonyms, goods terms, agencies and lists, known companies.

Each table is a registered function with a versioned name (``transship.country_aliases.v1`` ...), so a
pipeline config names the tables it uses and a later version can sit beside an old one.
"""

from __future__ import annotations

from functools import cache

import pycountry
import spacy

from graph.goods import chpl_entry, goods_category
from ingest.normalize import COUNTRY_ALIASES

# Demonyms, adjectives and short forms that pycountry does not know (case-sensitive surface forms).
COUNTRY_EXTRA: dict[str, tuple[str, ...]] = {
    "RU": ("Russia", "Russian", "Russians", "Russian Federation", "Moscow", "St. Petersburg", "Saint Petersburg"),
    "CN": ("China", "Chinese", "PRC", "People's Republic of China", "mainland China", "Beijing", "Shenzhen",
           "Shanghai", "Guangzhou", "Hangzhou", "Xiamen", "Ningbo", "Qingdao", "Foshan", "Jinhua"),
    "HK": ("Hong Kong", "Hongkong", "Hong Kong SAR", "Kowloon"),
    "TR": ("Türkiye", "Turkiye", "Turkey", "Turkish", "Istanbul", "Ankara", "Izmir"),
    "AE": ("UAE", "U.A.E.", "United Arab Emirates", "Emirati", "Emirates", "Dubai", "Abu Dhabi", "Sharjah"),
    "IR": ("Iran", "Iranian", "Islamic Republic of Iran", "Tehran"),
    "US": ("United States", "U.S.", "US", "USA", "America", "American", "U.S.-made", "U.S.-origin",
           "U.S.-manufactured", "US-made", "US-origin", "U.S.-based", "U.S.-sourced", "U.S.-branded",
           "Washington"),
    "KZ": ("Kazakhstan", "Kazakh", "Kazakhstani", "Almaty", "Astana"),
    "KG": ("Kyrgyzstan", "Kyrgyz", "Kyrgyz Republic", "Bishkek"),
    "AM": ("Armenia", "Armenian", "Yerevan"),
    "UZ": ("Uzbekistan", "Uzbek", "Tashkent"),
    "BY": ("Belarus", "Belarusian", "Minsk"),
    "GE": ("Georgia", "Georgian", "Tbilisi"),
    "TJ": ("Tajikistan", "Tajik"),
    "AZ": ("Azerbaijan", "Azerbaijani"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "British", "Great Britain", "London"),
    "DE": ("Germany", "German"), "FR": ("France", "French"), "IT": ("Italy", "Italian"),
    "ES": ("Spain", "Spanish"), "NL": ("Netherlands", "Dutch"), "CH": ("Switzerland", "Swiss"),
    "FI": ("Finland", "Finnish"), "EE": ("Estonia", "Estonian"), "LV": ("Latvia", "Latvian"),
    "LT": ("Lithuania", "Lithuanian"), "PL": ("Poland", "Polish"), "CZ": ("Czechia", "Czech", "Czech Republic"),
    "MT": ("Malta", "Maltese"), "CY": ("Cyprus", "Cypriot"), "LI": ("Liechtenstein",),
    "IN": ("India", "Indian"), "SG": ("Singapore", "Singaporean"), "MY": ("Malaysia", "Malaysian"),
    "TW": ("Taiwan", "Taiwanese"), "KR": ("South Korea", "Korean", "Republic of Korea"), "JP": ("Japan", "Japanese"),
    "KP": ("North Korea", "DPRK"), "TH": ("Thailand", "Thai"), "VN": ("Vietnam", "Vietnamese"),
    "IL": ("Israel", "Israeli"), "SE": ("Sweden", "Swedish"), "AT": ("Austria", "Austrian"),
    "UA": ("Ukraine", "Ukrainian", "Kyiv"), "SY": ("Syria", "Syrian"), "IE": ("Ireland", "Irish"),
    "HU": ("Hungary", "Hungarian"), "RS": ("Serbia", "Serbian"), "CA": ("Canada", "Canadian"),
    "MX": ("Mexico", "Mexican"), "BG": ("Bulgaria", "Bulgarian"), "GR": ("Greece", "Greek"),
    "MN": ("Mongolia", "Mongolian"), "BR": ("Brazil",), "ZA": ("South Africa",), "EG": ("Egypt",),
}
# Country names that are also common words or names; never matched from pycountry alone.
_AMBIGUOUS = frozenset({"Chad", "Jordan", "Niger", "Guinea", "Turkey", "Georgia", "Dominica", "Jersey", "Man"})


@spacy.registry.misc("transship.country_aliases.v1")
def country_aliases() -> dict[str, str]:
    """Surface form -> ISO alpha-2 for countries, their demonyms, short forms and main trade cities."""
    return _country_aliases()


@cache
def _country_aliases() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", country.name)}:
            if "," not in name and name not in _AMBIGUOUS:
                table[name] = country.alpha_2
    for alias, code in COUNTRY_ALIASES.items():
        if alias.isascii() and len(alias) > 3:
            table[alias.title()] = code
    for code, names in COUNTRY_EXTRA.items():
        for name in names:
            table[name] = code
    table.update({name.upper(): code for name, code in list(table.items()) if len(name) > 4})
    return table


# Goods terms (matched case-insensitively) -> HS code (4 or 6 digits) or a category of their own.
GOODS_TERMS: dict[str, str] = {
    # integrated circuits (CHPL tier 1)
    "integrated circuit": "854239", "integrated circuits": "854239", "electronic integrated circuits": "854239",
    "ic": "854239", "ics": "854239", "microchip": "854239", "microchips": "854239", "chip": "854239",
    "chips": "854239", "microcircuits": "854239", "microcircuit": "854239", "semiconductor chips": "854239",
    "microprocessors": "854231", "microprocessor": "854231", "processors": "854231", "microcontrollers": "854231",
    "microcontroller": "854231", "fpgas": "854231", "fpga": "854231", "signal processors": "854231",
    "memory chips": "854232", "flash memory": "854232", "amplifiers": "854233", "microelectronics": "854239",
    "microelectronic components": "854239", "analog-to-digital converters": "854239",
    # semiconductors and passive parts
    "semiconductors": "8541", "semiconductor": "8541", "semiconductor devices": "8541", "transistors": "854129",
    "diodes": "854110", "capacitors": "8532", "ceramic capacitors": "853224",
    "multilayer ceramic capacitors": "853224", "tantalum capacitors": "853221", "resistors": "8533",
    "printed circuit boards": "8534", "circuit boards": "8534", "pcbs": "8534", "connectors": "853669",
    "electronic components": "8548", "electronics": "8543", "radio components": "8529",
    # navigation, radio, jamming
    "navigation equipment": "852691", "gnss": "852691", "gnss receivers": "852691", "gnss modules": "852691",
    "gnss equipment": "852691", "gps receivers": "852691", "gps modules": "852691", "gps": "852691",
    "satellite navigation": "852691", "navigation modules": "852691", "navigation systems": "852691",
    "inertial navigation": "901420", "jamming technology": "854370", "jamming equipment": "854370",
    "jammers": "854370", "electronic warfare equipment": "854370", "radio equipment": "8525",
    "transceivers": "852560", "antennas": "852910", "thermal cameras": "852589", "thermal imaging cameras": "852589",
    "cameras": "852589", "network equipment": "851762", "routers": "851762", "telecommunications equipment": "851762",
    "servers": "8471", "computers": "8471", "oscilloscopes": "903020", "test equipment": "9030",
    "testing equipment": "9030", "measuring equipment": "9031", "optics": "9013", "lasers": "901320",
    "optoelectronic goods": "9013",
    # drones, aircraft, engines
    "drones": "8806", "drone": "8806", "uavs": "8806", "uav": "8806", "unmanned aerial vehicles": "8806",
    "unmanned aircraft": "8806", "loitering munitions": "8806", "drone engines": "840710",
    "uav engines": "840710", "drone parts": "8807", "uav parts": "8807", "uav components": "8807",
    "drone components": "8807", "aircraft engines": "840710", "engines": "8407", "engine parts": "8409",
    "turbojet engines": "841111", "jet engines": "8411", "fighter jet parts": "8807", "aircraft parts": "8807",
    "aircraft components": "8807", "helicopter parts": "8807", "avionics": "8807", "aviation parts": "8807",
    "servomotors": "8501", "electric motors": "8501", "batteries": "8507", "lithium batteries": "850760",
    # production equipment
    "lithography systems": "848620", "lithography equipment": "848620", "lithography machines": "848620",
    "photolithography equipment": "848620", "chip-making machinery": "8486", "chipmaking equipment": "8486",
    "semiconductor manufacturing equipment": "8486", "semiconductor production equipment": "8486",
    "machine tools": "8457", "cnc machines": "8457", "cnc machine tools": "8457", "machining centers": "845710",
    "machining centres": "845710", "lathes": "845811", "milling machines": "845961", "grinding machines": "8460",
    "bearings": "8482", "ball bearings": "848210", "roller bearings": "848250", "gearboxes": "8483",
    "transmissions": "8483",
}


@spacy.registry.misc("transship.goods_terms.v1")
def goods_terms() -> dict[str, dict[str, str]]:
    """Goods term -> {hs, category, chpl_tier} (lower-case terms)."""
    return dict(goods_table())


@cache
def goods_table() -> dict[str, dict[str, str]]:
    """The goods table behind :func:`goods_terms`, built once."""
    out: dict[str, dict[str, str]] = {}
    for term, hs in {**_singulars(GOODS_TERMS), **GOODS_TERMS}.items():
        info = {"hs": hs, "category": goods_category(hs) or "other_goods"}
        entry = chpl_entry(hs)
        if entry is not None:
            info["chpl_tier"] = entry.tier
        out[term] = info
    return out


def _singulars(terms: dict[str, str]) -> dict[str, str]:
    """Singular forms of plural goods terms ("lithography machines" -> "lithography machine")."""
    out = {}
    for term, hs in terms.items():
        last = term.rsplit(" ", 1)[-1]
        if len(last) > 4 and last.endswith("s") and not last.endswith(("ss", "us", "ics", "is")):
            out[term[:-1]] = hs
    return out


# Sanctions and export-control lists, and the agencies that keep them.
LISTS: dict[str, str] = {"entity_list": "BIS Entity List", "sdn": "OFAC SDN List", "meu": "BIS Military End-User List"}
LIST_TERMS: dict[str, str] = {
    "Entity List": "entity_list", "BIS Entity List": "entity_list", "Commerce Entity List": "entity_list",
    "SDN List": "sdn", "SDN list": "sdn", "Specially Designated Nationals": "sdn",
    "Specially Designated Nationals and Blocked Persons List": "sdn", "Specially Designated Nationals List": "sdn",
    "OFAC SDN List": "sdn", "SDN": "sdn", "Military End-User List": "meu", "MEU List": "meu",
}
AGENCY_TERMS: dict[str, str] = {
    "BIS": "entity_list", "Bureau of Industry and Security": "entity_list", "Commerce": "entity_list",
    "Department of Commerce": "entity_list", "Commerce Department": "entity_list",
    "U.S. Department of Commerce": "entity_list", "OFAC": "sdn", "Office of Foreign Assets Control": "sdn",
    "Treasury": "sdn", "Department of the Treasury": "sdn", "Treasury Department": "sdn",
    "U.S. Department of the Treasury": "sdn", "State Department": "sdn", "Department of State": "sdn",
}


@spacy.registry.misc("transship.lists.v1")
def list_terms() -> dict[str, dict[str, str]]:
    """Surface form -> {label: LIST|AGENCY, list: list id} for lists and the agencies keeping them."""
    out = {t: {"label": "AGENCY", "list": lst} for t, lst in AGENCY_TERMS.items()}
    out.update({t: {"label": "LIST", "list": lst} for t, lst in LIST_TERMS.items()})
    return out


# Well-known makers and buyers (public facts), recognised even when no store is loaded.
KNOWN_COMPANIES: dict[str, str] = {
    "Texas Instruments": "US", "Analog Devices": "US", "Microchip Technology": "US", "Xilinx": "US",
    "Intel": "US", "AMD": "US", "Advanced Micro Devices": "US", "Altera": "US", "Lattice Semiconductor": "US",
    "Maxim Integrated": "US", "Linear Technology": "US", "ON Semiconductor": "US", "onsemi": "US",
    "Cypress Semiconductor": "US", "Micron Technology": "US", "Qualcomm": "US", "Broadcom": "US",
    "Infineon": "DE", "NXP": "NL", "STMicroelectronics": "CH", "u-blox": "CH", "Murata": "JP",
    "Rostec": "RU", "Almaz-Antey": "RU", "KRET": "RU", "Radioelectronic Technologies": "RU", "ZALA Aero": "RU",
    "Kalashnikov Concern": "RU", "Radioavtomatika": "RU", "Ruselectronics": "RU", "Kronshtadt": "RU",
    "Tactical Missiles Corporation": "RU", "Uralvagonzavod": "RU", "United Aircraft Corporation": "RU",
    "Sukhoi": "RU", "Special Technology Center": "RU", "Izhevsk Electromechanical Plant": "RU",
    "Alabuga": "RU", "Qods Aviation Industries": "IR", "Shahed Aviation Industries": "IR", "HESA": "IR",
    "Iran Aircraft Manufacturing Industries": "IR", "Aerospace Industries Organization": "IR",
}


@spacy.registry.misc("transship.known_companies.v1")
def known_companies() -> dict[str, str]:
    """Company name -> ISO country for well-known makers and defense buyers."""
    return dict(KNOWN_COMPANIES)
