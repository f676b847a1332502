"""Normalisation of the values every source carries: missing markers, HS codes, countries, dates.

Each function returns the normalised value or None for a missing value, and raises
:class:`NormalizationError` (with the reason) for a value it cannot read, so that
loaders can quarantine the row instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache

import pycountry

MISSING = frozenset({"", "null", "none", "nan", "n/a", "na", "-", "--", "-0-", "0-", "нет данных", "#n/a"})


class NormalizationError(ValueError):
    """A value that cannot be read; the message is the quarantine reason."""


def is_missing(value: object) -> bool:
    """True for None, NaN and the usual missing markers (NULL, -, -0-, N/A ...)."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return str(value).strip().lower() in MISSING


def clean_text(value: object) -> str | None:
    """Text with Unicode NFC, control characters removed and spaces collapsed; None if missing."""
    if is_missing(value):
        return None
    text = str(value)
    if not text.isascii():  # ASCII text is already NFC
        text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # printable text has no control (C*) characters: skip the per-character pass
        text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    return text or None


_HS_JUNK = re.compile(r"[\s.\-/']")


def normalize_hs(value: object) -> str | None:
    """HS/TN VED code as digits (2–10), restoring a leading zero a spreadsheet dropped.

    >>> normalize_hs("8542.31"), normalize_hs("8542 31 000 0"), normalize_hs(30490), normalize_hs("NULL")
    ('854231', '8542310000', '030490', None)
    """
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _HS_JUNK.sub("", str(value).strip())
    if not text.isdigit():
        raise NormalizationError(f"HS code {value!r} is not numeric")
    if len(text) in (3, 5, 7, 9):
        text = "0" + text  # codes of chapters 01-09 lose their leading zero in spreadsheets
    if len(text) < 2 or len(text) > 10:
        raise NormalizationError(f"HS code {value!r} has {len(text)} digits (expected 2-10)")
    return text


# Names pycountry does not know, as written by customs vendors, in Russian and in Turkish.
COUNTRY_ALIASES: dict[str, str] = {
    "russia": "RU", "russian federation": "RU", "rf": "RU", "россия": "RU", "российская федерация": "RU",
    "rusya": "RU", "rusya federasyonu": "RU",
    "china": "CN", "prc": "CN", "peoples republic of china": "CN", "people's republic of china": "CN",
    "китай": "CN", "кнр": "CN", "çin": "CN", "cin": "CN", "çin halk cumhuriyeti": "CN",
    "hong kong": "HK", "hong kong, china": "HK", "hong kong sar": "HK", "hongkong": "HK", "hk sar": "HK",
    "гонконг": "HK", "сянган": "HK", "hong kong sar china": "HK", "hong kong (china)": "HK",
    "turkey": "TR", "türkiye": "TR", "turkiye": "TR", "türkİye": "TR", "türkei": "TR", "турция": "TR",
    "uae": "AE", "u.a.e.": "AE", "united arab emirates": "AE", "оаэ": "AE",
    "объединенные арабские эмираты": "AE", "birleşik arap emirlikleri": "AE",
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "сша": "US",
    "abd": "US", "amerika birleşik devletleri": "US",
    "uk": "GB", "great britain": "GB", "britain": "GB", "великобритания": "GB",
    "iran": "IR", "islamic republic of iran": "IR", "иран": "IR",
    "kazakhstan": "KZ", "казахстан": "KZ", "kazakistan": "KZ",
    "kyrgyzstan": "KG", "kyrgyz republic": "KG", "киргизия": "KG", "кыргызстан": "KG",
    "armenia": "AM", "армения": "AM", "uzbekistan": "UZ", "узбекистан": "UZ",
    "belarus": "BY", "беларусь": "BY", "белоруссия": "BY", "germany": "DE", "германия": "DE",
    "taiwan": "TW", "taiwan, province of china": "TW", "тайвань": "TW", "тайвань (китай)": "TW",
    "south korea": "KR", "korea": "KR", "republic of korea": "KR", "корея": "KR", "республика корея": "KR",
    "japan": "JP", "япония": "JP", "india": "IN", "индия": "IN", "estonia": "EE", "finland": "FI",
    "singapore": "SG", "сингапур": "SG", "malaysia": "MY", "малайзия": "MY", "vietnam": "VN", "viet nam": "VN",
    "georgia": "GE", "грузия": "GE", "serbia": "RS", "сербия": "RS", "thailand": "TH", "таиланд": "TH",
    "netherlands": "NL", "нидерланды": "NL", "italy": "IT", "италия": "IT", "france": "FR", "франция": "FR",
    "switzerland": "CH", "швейцария": "CH", "philippines": "PH", "филиппины": "PH", "mexico": "MX",
    "мексика": "MX", "israel": "IL", "израиль": "IL", "czech republic": "CZ", "czechia": "CZ",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).strip().lower()
    return " ".join(text.replace("_", " ").split())


@cache
def _country_lookup(folded: str) -> str | None:
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    if len(folded) in (2, 3) and folded.isascii() and folded.isalpha():
        hit = pycountry.countries.get(alpha_2=folded.upper()) if len(folded) == 2 else \
            pycountry.countries.get(alpha_3=folded.upper())
        return hit.alpha_2 if hit else None
    try:
        hit = pycountry.countries.lookup(folded)
    except LookupError:
        plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
        if plain != folded and plain:
            return _country_lookup(plain)
        return None
    return str(hit.alpha_2)


def normalize_country(value: object) -> str | None:
    """ISO 3166 alpha-2 code from an English, Russian or Turkish name, ISO-2/ISO-3 or vendor spelling.

    >>> [normalize_country(v) for v in ("RUSSIAN FEDERATION", "HONG KONG, CHINA", "TÜRKİYE", "КИТАЙ", "ARE")]
    ['RU', 'HK', 'TR', 'CN', 'AE']
    """
    if is_missing(value):
        return None
    code = _country_lookup(_fold(str(value)))
    if code is None:
        raise NormalizationError(f"unknown country {value!r}")
    return code


def country_name(code: str) -> str:
    """English short name of an ISO-2 code (the code itself if unknown)."""
    hit = pycountry.countries.get(alpha_2=code)
    return str(getattr(hit, "common_name", None) or hit.name) if hit else code


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%Y%m%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S",
                 "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m", "%m.%Y", "%m/%Y", "%Y%m")


def normalize_date(value: object) -> str | None:
    """ISO date ``YYYY-MM-DD``, or ``YYYY-MM`` when the source gives only a month.

    >>> normalize_date("31.03.2025"), normalize_date("Apr 2023"), normalize_date("2023-04-05T00:00:00")
    ('2025-03-31', '2023-04', '2023-04-05')
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if _ISO_DAY.fullmatch(text):  # the common case, ten times faster than strptime
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    for fmt in _MONTH_FORMATS:
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m")
        except ValueError:
            continue
    raise NormalizationError(f"unreadable date {value!r}")


def normalize_number(value: object) -> float | None:
    """A non-negative number from ``1 234,5``, ``1,234.5`` or ``1234.5``; None if missing.

    >>> normalize_number("1 234,50"), normalize_number("1,234.5"), normalize_number("12")
    (1234.5, 1234.5, 12.0)
    """
    if is_missing(value):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace("$", "")
        if "," in text and "." in text:
            text = text.replace(",", "") if text.rfind(".") > text.rfind(",") else text.replace(".", "").replace(",", ".")
        elif "," in text:
            head, _, tail = text.rpartition(",")
            text = head.replace(",", "") + ("." if len(tail) != 3 else "") + tail
        try:
            number = float(text)
        except ValueError as exc:
            raise NormalizationError(f"not a number: {value!r}") from exc
    if number != number or number < 0 or number == float("inf"):
        raise NormalizationError(f"not a non-negative number: {value!r}")
    return number
