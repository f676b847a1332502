"""Normalisation of the values every source carries: missing markers, HS codes, countries, dates.

Each function returns the normalised value or None for a missing value, and raises
:class:`NormalizationError` (with the reason) for a value it cannot read, so that
loaders can quarantine the row instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import cache, lru_cache
from operator import mul

import pycountry
from unidecode import unidecode

MISSING = frozenset({"", "null", "none", "nan", "n/a", "na", "-", "--", "-0-", "0-", "нет данных", "#n/a"})


class NormalizationError(ValueError):
    """A value that cannot be read; the message is the quarantine reason."""


_MISSING_MAX = max(len(m) for m in MISSING) + 2


def is_missing(value: object) -> bool:
    """True for None, NaN and the usual missing markers (NULL, -, -0-, N/A ...)."""
    if value is None:
        return True
    if isinstance(value, str):
        # This is called for every cell: long strings cannot be a marker, skip the lower-casing.
        if len(value) > _MISSING_MAX:
            value = value.strip()  # padded markers ("NULL      ") from fixed-width exports
            if len(value) > _MISSING_MAX:
                return False
        return value.strip().lower() in MISSING
    if isinstance(value, float):
        return value != value
    return str(value).strip().lower() in MISSING


def clean_text(value: object) -> str | None:
    """Text with Unicode NFC, control characters removed and spaces collapsed; None if missing.

    >>> clean_text("  ООО «Ромашка» "), clean_text("NULL"), clean_text("A  B")
    ('ООО «Ромашка»', None, 'A B')
    """
    if type(value) is str and _is_clean(value):  # the common cell: only a missing marker needs a look
        return None if len(value) <= _MISSING_MAX and value.lower() in MISSING else value
    if value is None or is_missing(value):
        return None
    text = value if isinstance(value, str) else str(value)
    if _is_clean(text):
        return text
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    text = " ".join(text.split())
    return text or None


def _is_clean(text: str) -> bool:
    """True if clean_text keeps a text as it is (printable, NFC, single spaces only between words)."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " " \
        and (text.isascii() or unicodedata.is_normalized("NFC", text))


_HS_JUNK = re.compile(r"[\s.\-/']")


def normalize_hs(value: object) -> str | None:
    """HS/TN VED code as digits (2–10); see :func:`_normalize_hs` (cached for text)."""
    if isinstance(value, str):
        return _normalize_hs_text(value)
    return _normalize_hs(value)


@lru_cache(maxsize=1 << 14)
def _normalize_hs_text(value: str) -> str | None:
    return _normalize_hs(value)


def _normalize_hs(value: object) -> str | None:
    """HS/TN VED/GTIP code as digits (2–12), restoring a leading zero a spreadsheet dropped.

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
    if len(text) < 2 or len(text) > 12:  # national tariffs extend HS-6: TN VED 10 digits, Turkish GTIP 12
        raise NormalizationError(f"HS code {value!r} has {len(text)} digits (expected 2-12)")
    return text


# Names pycountry does not know, as written by customs vendors, in Russian and in Turkish.
COUNTRY_ALIASES: dict[str, str] = {
    "almanya": "DE", "hindistan": "IN", "japonya": "JP", "tayvan": "TW", "malezya": "MY",
    "singapur": "SG", "ermenistan": "AM", "kirgizistan": "KG", "ozbekistan": "UZ",
    "hong kong cin": "HK", "guney kore": "KR", "корея, республика": "KR", "китайская народная республика": "CN",
    "сянган (гонконг)": "HK",
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


@lru_cache(maxsize=1 << 14)  # bounded: a free-text country column can hold any number of distinct values
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
        plain = " ".join(unidecode(folded).lower().replace("'", "").split())  # ı, İ, ş, ç as Latin letters
        if plain != folded and plain:
            return _country_lookup(plain)
        return None
    return str(hit.alpha_2)


@lru_cache(maxsize=1 << 12)
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


@cache
def country_name(code: str) -> str:
    """English short name of an ISO-2 code (the code itself if unknown)."""
    hit = pycountry.countries.get(alpha_2=code)
    return str(getattr(hit, "common_name", None) or hit.name) if hit else code


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d", "%Y%m%d", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S",
                 "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y")
_MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m", "%m.%Y", "%m/%Y", "%Y%m")


def normalize_date(value: object) -> str | None:
    """ISO date or month; see :func:`_normalize_date` (cached for text)."""
    if isinstance(value, str):
        return _normalize_date_text(value)
    return _normalize_date(value)


# Exact ASCII forms of the commonest formats, read without strptime (which tries every format in turn); a
# value that is not a real date falls through to strptime, which rejects it just the same.
_DAY_MONTH_YEAR = re.compile(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})")   # %d.%m.%Y
_ISO_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})")
_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")                    # %Y-%m


@lru_cache(maxsize=1 << 14)
def _normalize_date_text(value: str) -> str | None:
    try:
        if len(value) == 10 and value[4] == "-":
            return date.fromisoformat(value).isoformat()
        if match := _DAY_MONTH_YEAR.fullmatch(value):
            day, month, year = map(int, match.groups())
            return date(year, month, day).isoformat()
        if match := _ISO_DATETIME.fullmatch(value):
            year, month, day, hour, minute, second = map(int, match.groups())
            return datetime(year, month, day, hour, minute, second).date().isoformat()
        if (match := _YEAR_MONTH.fullmatch(value)) and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1000:
            return value  # (strftime writes years before 1000 without zeros: those take the slow path)
    except ValueError:
        return _normalize_date(value)  # an impossible date: the strptime path gives the reason
    return _normalize_date(value)


def _normalize_date(value: object) -> str | None:
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


_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def normalize_number(value: object, decimal_comma: bool = False) -> float | None:
    """A non-negative number from ``1 234,5``, ``1,234.5`` or ``1234.5``; None if missing.

    With ``decimal_comma`` (semicolon CSVs, Russian/Turkish spreadsheets) a lone comma is
    always the decimal mark, so ``12,500`` is 12.5 rather than twelve thousand five hundred.

    >>> normalize_number("1 234,50"), normalize_number("1,234.5"), normalize_number("12")
    (1234.5, 1234.5, 12.0)
    >>> normalize_number("12,500"), normalize_number("12,500", decimal_comma=True), normalize_number("1.234,5", True)
    (12500.0, 12.5, 1234.5)
    >>> normalize_number("1.000", decimal_comma=True), normalize_number("0.5", decimal_comma=True)
    (1000.0, 0.5)
    """
    if type(value) is str and value.isascii() and value.replace(".", "", 1).isdigit():  # plain 1234.5 (no marker)
        number = float(value.replace(".", "") if decimal_comma and _DOT_THOUSANDS.fullmatch(value) else value)
    elif is_missing(value):
        return None
    elif isinstance(value, (int, float)):
        number = float(value)
    elif decimal_comma and isinstance(value, str) and _DOT_THOUSANDS.fullmatch(value.strip()):
        number = float(value.strip().replace(".", ""))  # 1.000 is a thousand where the comma is decimal
    else:
        text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("$", "")
        if "," in text and "." in text:
            text = text.replace(",", "") if text.rfind(".") > text.rfind(",") else text.replace(".", "").replace(",", ".")
        elif "," in text:
            head, _, tail = text.rpartition(",")
            decimal = decimal_comma or len(tail) != 3
            text = head.replace(",", "") + ("." if decimal else "") + tail
        try:
            number = float(text)
        except ValueError as exc:
            raise NormalizationError(f"not a number: {value!r}") from exc
    if number != number or number < 0 or number == float("inf"):
        raise NormalizationError(f"not a non-negative number: {value!r}")
    return number


# ---- Russian identifiers -----------------------------------------------------------------------
_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: bytes, weights: tuple[int, ...]) -> int:
    """Check digit of ASCII ``digits`` (no fewer than ``weights``): sum of digit times weight, mod 11, mod 10."""
    return (sum(map(mul, digits, weights)) - 48 * sum(weights)) % 11 % 10


def is_valid_inn(inn: str) -> bool:
    """True for a 10-digit (company) or 12-digit (person) Russian INN whose check digits match.

    >>> is_valid_inn("7722476458"), is_valid_inn("7722476459"), is_valid_inn("500100732259")
    (True, False, True)
    """
    if not inn.isdigit() or not inn.isascii():
        return False
    digits = inn.encode("ascii")
    if len(inn) == 10:
        return _check_digit(digits, _INN10_WEIGHTS) == digits[9] - 48
    if len(inn) == 12:
        return (_check_digit(digits, _INN12_WEIGHTS_1) == digits[10] - 48
                and _check_digit(digits, _INN12_WEIGHTS_2) == digits[11] - 48)
    return False


def normalize_inn(value: object, verify: bool = True) -> str | None:
    """A Russian INN as 10 or 12 digits (check digits verified unless ``verify`` is off); None if missing.

    >>> normalize_inn(" 7722476458 "), normalize_inn(7722476458.0), normalize_inn("NULL")
    ('7722476458', '7722476458', None)
    >>> normalize_inn("7722476459", verify=False)
    '7722476459'
    """
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace(" ", "")
    if len(text) in (9, 11) and text.isdigit():
        text = "0" + text  # a spreadsheet dropped the leading zero
    if not (len(text) in (10, 12) and text.isdigit() and text.isascii()):
        raise NormalizationError(f"invalid INN {value!r} (expected 10 or 12 digits)")
    if verify and not is_valid_inn(text):
        raise NormalizationError(f"invalid INN {value!r} (check digits do not match)")
    return text


_GLUED_IDS = re.compile(r"^\s*(\d{10}|\d{12})(?:[\s/,;]+(\d{9}))?(?:[\s/,;]+|$)")


def split_glued_identifiers(name: str) -> tuple[str, str | None, str | None]:
    """Split an INN (and KPP) glued in front of a company name: ``(name, inn, kpp)``.

    Only a leading 10/12-digit number with valid INN check digits counts, so names that
    merely start with digits stay whole.

    >>> split_glued_identifiers("7722476458 772201001 OOO YATASH RUS")
    ('OOO YATASH RUS', '7722476458', '772201001')
    >>> split_glued_identifiers("3M COMPANY")
    ('3M COMPANY', None, None)
    """
    first = name[:1]
    match = _GLUED_IDS.match(name) if first.isdecimal() or first.isspace() else None  # \d is isdecimal, \s isspace
    if match is None or not is_valid_inn(match.group(1)):
        return name, None, None
    rest = name[match.end():].strip(" ,;/")
    return (rest or name), match.group(1), match.group(2)


_DECLARATION = re.compile(r"^\s*(\d{8})\s*/\s*(\d{6})\s*/\s*(\w+)\s*$")


def declaration_date(value: object) -> str | None:
    """ISO date from the DDMMYY middle part of an EAEU declaration number; None if missing.

    >>> declaration_date("10012020/310325/5016594")
    '2025-03-31'
    """
    if is_missing(value):
        return None
    match = _DECLARATION.match(str(value))
    if match is None:
        raise NormalizationError(f"declaration number {value!r} is not post/DDMMYY/serial")
    iso = _ddmmyy(match.group(2))
    if iso is None:
        raise NormalizationError(f"declaration number {value!r} has no valid DDMMYY date")
    return iso


@lru_cache(maxsize=1 << 14)
def _ddmmyy(text: str) -> str | None:
    try:
        return datetime.strptime(text, "%d%m%y").date().isoformat()
    except ValueError:
        return None
