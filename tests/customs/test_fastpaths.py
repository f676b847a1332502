"""The vectorised fast paths give exactly what the Python transforms give, values and quarantine reasons."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.fastpaths import as_text, fast_paths
from ingest.layouts import SAMPLE, _ColumnTransform, _Failed, _transforms, output_type

ADVERSARIAL_NUMBERS = ["١٢٣", "٣", "１２", "1e5", " 12", "12 ", "00012", "-1", "-0", "nan", "NaN", "inf", "Infinity",
                       "1" * 400, "1" * 309 + ".5", "9007199254740993", "0.30000000000000004441", "1.000", "12.500",
                       "1.000.000", "12,5", "1 234,50", "1,234.5", ".5", "5.", ".", "", "-", "NULL", "1_000",
                       "١.٠٠٠", "12\n", "$12", "0x10", "1.2.3"]
ADVERSARIAL_TEXTS = ["NULL", "null", "Null", "N/A", "n/a", "-", "--", "-0-", "0-", "#N/A", "нет данных", "НЕТ ДАННЫХ",
                     "Нет Данных", "none", "nan", "na", "", " ", "A  B", " A", "A ", "A\tB", "A\u00a0B", "Ёлка",
                     "Й", "И\u0306", "e\u0301", "ООО «Ромашка»", "\x00", "A\u200bB", "\ufeffA", "İstanbul", "ß",
                     "NULL" + " " * 20, "x" * 500, "7722476458 772201001 OOO YATASH RUS"]
ADVERSARIAL_DECLARATIONS = ["10012020/310325/5016594", "10012020/300223/1", "10012020/310224/1", "10012020/290224/1",
                            "10012020/290223/1", "10012020/000120/1", "10012020/011320/1", "１0012020/310325/1",
                            "10012020/٣10325/1", " 10012020/310325/1", "10012020 / 310325 / 1", "10012020/310325/",
                            "10012020/310325/A_b", "10012020/310325/1\n", "1001202/310325/1", "NULL", "-",
                            "10012020/310325/Ж", "2023-02-30", "31.02.2024", "2023-1-5"]

ALPHABET = st.sampled_from([*"aZ09 -.,/()«»_$", "Ё", "ё", "Й", "й", "я", "А", "\u0306", "\u0301", "\t", "\n",
                            "\u00a0", "\u200b", "\ufeff", "İ", "ß", "\x00", "١", "٣", "１"])
TEXTS = st.one_of(st.text(ALPHABET, max_size=12), st.text(max_size=12), st.sampled_from(ADVERSARIAL_TEXTS))
NUMBERS = st.one_of(st.from_regex(r"[0-9]{1,30}(\.[0-9]{0,20})?", fullmatch=True),
                    st.text(st.sampled_from([*"0123456789.,- e+", "١", "٣", "１", "\u00a0"]), max_size=12),
                    st.floats().map(repr), st.sampled_from(ADVERSARIAL_NUMBERS))
DECLARATIONS = st.one_of(st.from_regex(r"[0-9]{8}/[0-3][0-9][01][0-9][0-9]{2}/[0-9A-Za-z_]{1,8}", fullmatch=True),
                         st.sampled_from(ADVERSARIAL_DECLARATIONS), st.text(max_size=20))


def reference(transform: str, values: list[Any], decimal_comma: bool) -> list[Any]:
    """What the Python transform alone gives: the value, or the failure with its reason."""
    step = _ColumnTransform(0, _transforms(decimal_comma)[transform])
    return [step._apply(v) for v in values]


def check_fast_path(transform: str, values: list[str], decimal_comma: bool = False) -> None:
    read, out = fast_paths(decimal_comma)[transform](as_text(values))
    got = out.to_pylist()
    expected = reference(transform, values, decimal_comma)
    for i in read.nonzero()[0]:
        assert type(expected[i]) is not _Failed, values[i]
        assert got[i] == expected[i] and type(got[i]) is type(expected[i]), values[i]


def step_of(transform: str, decimal_comma: bool = False) -> _ColumnTransform:
    return _ColumnTransform(0, _transforms(decimal_comma)[transform], fast=fast_paths(decimal_comma).get(transform),
                            type=output_type(transform))


def values_and_failures(step: _ColumnTransform, values: list[Any]) -> list[Any]:
    """The column through the step, a failure in place of each unreadable value."""
    mapped = step.values(values)
    return [_Failed(mapped.failed[i]) if i in mapped.failed else v for i, v in enumerate(mapped.values.to_pylist())]


def padded(values: list[str], filler: str) -> list[str]:
    """Distinct filler values first, so that the column counts as mostly distinct and takes the fast path."""
    return [filler.format(i) for i in range(SAMPLE)] + values


def check_column(transform: str, values: list[str], decimal_comma: bool = False) -> None:
    """Through the column transform (fast path and cached fallback), twice as over two chunks."""
    step = step_of(transform, decimal_comma)
    expected = reference(transform, values, decimal_comma)
    for _ in range(2):
        got = values_and_failures(step, values)
        assert got == expected
        assert [type(v) for v in got] == [type(v) for v in expected]


@settings(max_examples=300, deadline=None)
@given(st.lists(NUMBERS, min_size=1, max_size=30), st.booleans())
def test_plain_numbers_read_as_normalize_number(values: list[str], decimal_comma: bool) -> None:
    check_fast_path("number", values, decimal_comma)
    check_column("number", padded(values, "{}.5"), decimal_comma)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, min_size=1, max_size=30))
def test_plain_texts_read_as_clean_text(values: list[str]) -> None:
    check_fast_path("text", values)
    check_column("text", padded(values, "ID-{}"))
    check_column("identifier", padded(values, "Ж{}"))


@settings(max_examples=200, deadline=None)
@given(st.lists(DECLARATIONS, min_size=1, max_size=30))
def test_plain_declaration_numbers_dated_as_declaration_date(values: list[str]) -> None:
    check_fast_path("declaration_date", values)
    check_column("declaration_date", padded(values, "10012020/010124/{}"))


@pytest.mark.parametrize("decimal_comma", [False, True])
def test_adversarial_values_everywhere(decimal_comma: bool) -> None:
    values = ADVERSARIAL_NUMBERS + ADVERSARIAL_TEXTS + ADVERSARIAL_DECLARATIONS
    for transform in ("number", "text", "identifier", "declaration_date", "date", "hs", "country", "inn", "kpp"):
        if transform in fast_paths(decimal_comma):
            check_fast_path(transform, values, decimal_comma)
        check_column(transform, padded(values, "{}"), decimal_comma)


def test_a_thousand_with_a_decimal_comma() -> None:
    values = padded(["1.000", "12.500", "0.5"], "{}")
    check_column("number", values, decimal_comma=True)
    assert step_of("number", True).values(values).values.to_pylist()[-3:] == [1000.0, 12500.0, 0.5]
    assert step_of("number").values(values).values.to_pylist()[-3:] == [1.0, 12.5, 0.5]


def test_typed_cells_keep_the_python_path() -> None:
    assert as_text(["1", 2]) is None and as_text(["a", None]) is None and as_text([b"1", "2"]) is None
    assert as_text([1.5, 2.5]) is None and as_text(["a", "b"]) is not None
    check_column("number", [*range(SAMPLE), 1.5, None, "7"])


def test_a_value_that_failed_in_an_earlier_chunk_fails_again_on_the_fast_path() -> None:
    step = step_of("number")
    chunk = padded(["-5"], "{}")
    for _ in range(2):
        assert values_and_failures(step, chunk)[-1] == _Failed("not a non-negative number: '-5'")
