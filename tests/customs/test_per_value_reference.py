"""The per-value functions customs ingest calls for every distinct cell or company give exactly what their
plain reference implementations (the code before the speed-ups) give, on hostile text too."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from graph.schema import NodeType, make_id, node_id
from ingest.keys import _WORD_FOLDS, IDENTIFIER_SCHEMES, company_key, fold_name, normalize_identifier
from ingest.normalize import (
    _DATE_FORMATS,
    _MONTH_FORMATS,
    NormalizationError,
    clean_text,
    is_missing,
    is_valid_inn,
    normalize_date,
    normalize_number,
    split_glued_identifiers,
)

# ---- references: the plain code --------------------------------------------------------------------


def reference_fold_name(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", unidecode(unicodedata.normalize("NFKC", name)).lower()).strip()


def reference_normalize_identifier(value: str) -> str | None:
    scheme, sep, rest = value.partition(":")
    scheme = scheme.strip().lower()
    rest = re.sub(r"\s+", "", rest)
    if not sep or scheme not in IDENTIFIER_SCHEMES or not rest:
        return None
    return f"{scheme}:{rest.upper() if scheme in ('uscc', 'lei') else rest}"


def reference_is_valid_inn(inn: str) -> bool:
    def check(digits: str, weights: tuple[int, ...]) -> int:
        return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10

    if not inn.isdigit() or not inn.isascii():
        return False
    if len(inn) == 10:
        return check(inn, (2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[9])
    if len(inn) == 12:
        return (check(inn, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[10])
                and check(inn, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)) == int(inn[11]))
    return False


def reference_split(name: str) -> tuple[str, str | None, str | None]:
    match = re.match(r"^\s*(\d{10}|\d{12})(?:[\s/,;]+(\d{9}))?(?:[\s/,;]+|$)", name)
    if match is None or not reference_is_valid_inn(match.group(1)):
        return name, None, None
    return (name[match.end():].strip(" ,;/") or name), match.group(1), match.group(2)


def reference_clean_text(value: Any) -> str | None:
    if is_missing(value):
        return None
    text = unicodedata.normalize("NFC", value if isinstance(value, str) else str(value))
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(text.split()) or None


def reference_date(value: str) -> str | None:
    if is_missing(value):
        return None
    text = value.strip()
    for formats, render in ((_DATE_FORMATS, lambda d: d.date().isoformat()), (_MONTH_FORMATS, lambda d: d.strftime("%Y-%m"))):
        for fmt in formats:
            try:
                return str(render(datetime.strptime(text, fmt)))
            except ValueError:
                continue
    raise NormalizationError(f"unreadable date {value!r}")


class _Unplain(str):
    """A text normalize_number's fast path does not take (it takes exact ``str`` only)."""


def reference_number(value: Any, decimal_comma: bool = False) -> float | None:
    """normalize_number by its general rule, the fast path left out."""
    return normalize_number(_Unplain(value) if isinstance(value, str) else value, decimal_comma)


# ---- inputs ----------------------------------------------------------------------------------------

HOSTILE = ("İıŞşÇçĞğÖöÜüАБВЁЙЖЩЪЬЭЮЯабвёйжщъьэюяÀÉÎÕÜßæøåŒœ１２３ＡＢＣ\u200b\u200c\u200d\ufeff\x00\x01\x1c\x1f\x7f"
           "\x85\xa0\u2028\u3000\u00a8\u0301\u0308😀🇷🇺ﬁ™½²٣ 　,.;/-:'\"()«»0123456789abcXYZ\t\n\r")
PREFIXES = ("", " ", "7722476458 ", "7722476458 772201001 ", "500100732259/", " 7722476458 ", "\u3000500100732259;",
            "INN: ", "inn:", "USCC:", " lei : ")
texts = (st.text(alphabet=st.sampled_from(HOSTILE), max_size=40) | st.text(max_size=40)
         | st.tuples(st.sampled_from(PREFIXES), st.text(alphabet=st.sampled_from(HOSTILE), max_size=30)).map("".join))
digits = st.text(alphabet=st.sampled_from("0123456789"), min_size=9, max_size=13)


def outcome(function: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """What a call gives: its value, or its exception's type and message (a quarantine reason)."""
    try:
        return "value", function(*args)
    except Exception as exc:  # noqa: BLE001 - the very exception is what is compared
        return type(exc).__name__, str(exc)


@pytest.mark.filterwarnings("ignore:Surrogate character:RuntimeWarning")  # unidecode's, on "\ud800x"
@pytest.mark.parametrize("name", ["ООО «Ромашка»", "  Mikro-Tek  LTD. ŞTİ. ", "ab\x85cd", "x\u00a8y", "Ⅻ ﬁne ½",
                                  "a \u0301b", "ＡＢＣ　ｄｅ", "\ud800x", "", " ", "Ж" * 60 + " Ъ"])
def test_fold_name_edge_cases(name: str) -> None:
    assert fold_name(name) == reference_fold_name(name)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_fold_name_and_company_key_equal_the_reference(name: str) -> None:
    assert fold_name(name) == reference_fold_name(name)
    folded = reference_fold_name(name)
    expected = ("value", f"name:{folded}|RU") if folded else \
        ("ValueError", f"company name {name!r} has no letters or digits")
    assert outcome(company_key, name, "RU") == expected


@settings(max_examples=300, deadline=None)
@given(texts)
def test_identifiers_equal_the_reference(value: str) -> None:
    assert normalize_identifier(value) == reference_normalize_identifier(value)
    assert split_glued_identifiers(value) == reference_split(value)


@settings(max_examples=300, deadline=None)
@given(digits | texts)
def test_is_valid_inn_equals_the_reference(inn: str) -> None:
    assert is_valid_inn(inn) == reference_is_valid_inn(inn)


def test_is_valid_inn_known_numbers() -> None:
    assert [is_valid_inn(v) for v in ("7722476458", "7707083893", "500100732259", "7722476459", "７７２２４７６４５８")] \
        == [True, True, True, False, False]


@settings(max_examples=300, deadline=None)
@given(texts)
def test_clean_text_equals_the_reference(value: str) -> None:
    assert clean_text(value) == reference_clean_text(value)


dates = st.tuples(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25),
                  st.integers(0, 61), st.integers(0, 62), st.sampled_from(["{d:02}.{m:02}.{y:04}", "{y:04}-{m:02}",
                  "{y:04}-{m:02}-{d:02}T{H:02}:{M:02}:{S:02}", "{y:04}-{m:02}-{d:02} {H:02}:{M:02}:{S:02}",
                  "{y}-{m}", "{d}.{m}.{y}", "{y:04}-{m:02}-{d:02}", " {d:02}.{m:02}.{y:04}", "{y:04}-{m:02}\n"]))


@settings(max_examples=400, deadline=None)
@given(dates.map(lambda t: t[6].format(y=t[0], m=t[1], d=t[2], H=t[3], M=t[4], S=t[5])) | texts)
def test_normalize_date_equals_strptime(value: str) -> None:
    assert outcome(normalize_date, value) == outcome(reference_date, value)


numbers = (st.text(alphabet=st.sampled_from("0123456789.,  \u00a0$-²٣e"), max_size=14)
           | st.from_regex(r"[0-9]{1,4}(\.[0-9]{1,4})?", fullmatch=True))


@settings(max_examples=400, deadline=None)
@given(numbers | texts | st.floats(allow_nan=True) | st.integers(-5, 10**20), st.booleans())
def test_normalize_number_equals_the_reference(value: Any, decimal_comma: bool) -> None:
    assert outcome(normalize_number, value, decimal_comma) == outcome(reference_number, value, decimal_comma)


def test_number_of_non_ascii_digits_is_quarantined() -> None:
    with pytest.raises(NormalizationError, match="not a number"):
        normalize_number("²")


@settings(max_examples=100, deadline=None)
@given(texts)
def test_ids_equal_the_reference(key: str) -> None:
    def reference(kind: str, *parts: object) -> str:
        return f"{kind}:{hashlib.sha1(chr(31).join(map(str, parts)).encode()).hexdigest()[:20]}"

    assert node_id(NodeType.COMPANY, key) == node_id("Company", key) == make_id("company", key) \
        == reference("company", key)
    assert node_id(NodeType.GOOD, key) == make_id("good", key)
    assert make_id("edge", key, 1, None) == reference("edge", key, 1, None)


def test_fold_caches_stay_bounded() -> None:
    for i in range(70_000):
        fold_name(f"Ж{i}")
    assert len(_WORD_FOLDS) <= 1 << 16 and fold_name("Ж" * 60 + "Ы") == reference_fold_name("Ж" * 60 + "Ы")
    assert "Ж" * 60 + "Ы" not in _WORD_FOLDS
