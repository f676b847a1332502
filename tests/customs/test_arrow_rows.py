"""The Arrow reader reads exactly what the csv module reads, or declines."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.arrow_rows import EXCERPT_CHARS, read_columns
from ingest.readers import BadRow, parse_records


def ordinary(text: str, delimiter: str, width: int, line_offset: int = 0, skip: int = 0) -> list[tuple[str, list[str]]] | None:
    """What parse_records reads, or None when it finds rows the Arrow reader must not take (bad or ragged)."""
    bad: list[BadRow] = []
    rows = list(parse_records(io.StringIO(text, newline=""), delimiter, bad, line_offset=line_offset, skip=skip))
    if bad or any(len(cells) != width for _, cells in rows):
        return None
    return [(locator, list(cells)) for locator, cells in rows]


def arrow(data: bytes, encoding: str, delimiter: str, width: int, line_offset: int = 0,
          skip: int = 0) -> list[tuple[str, list[str]]] | None:
    raw = read_columns(data, encoding, delimiter, width, line_offset=line_offset, skip=skip)
    if raw is None:
        return None
    assert raw.excerpts.to_pylist() == ["|".join(raw.cells(i))[:EXCERPT_CHARS] for i in range(len(raw))]
    return list(zip(raw.locators.to_pylist(), (raw.cells(i) for i in range(len(raw))), strict=True))


PIECES = ["a", "Б", "ü", ",", ";", '"', '""', "\n", "\r\n", "\r", " ", "x y", "1.5", "\x00", "\ufffd"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(1, 4), st.integers(0, 2),
       st.integers(0, 5), st.sampled_from([",", ";"]))
def test_reads_what_the_csv_module_reads_or_declines(pieces: list[str], width: int, skip: int, offset: int,
                                                   delimiter: str) -> None:
    text = "".join(pieces)
    got = arrow(text.encode("utf-8"), "utf-8", delimiter, width, offset, skip)
    if got is not None:
        assert got == ordinary(text, delimiter, width, offset, skip)


def test_plain_text_is_read_with_line_numbers_quotes_and_blank_lines() -> None:
    text = 'h1,h2\n"a, b",c\n\n"say ""hi""",d\r\nx,\n'
    got = arrow(text.encode("utf-8"), "utf-8", ",", 2, skip=1)
    assert got == [("line 2", ["a, b", "c"]), ("line 4", ['say "hi"', "d"]), ("line 5", ["x", ""])]
    assert got == ordinary(text, ",", 2, skip=1)


def test_cp1251_and_a_bom_are_decoded() -> None:
    assert arrow("ООО Ромашка;1,5\n".encode("cp1251"), "cp1251", ";", 2, line_offset=9) == \
        [("line 10", ["ООО Ромашка", "1,5"])]
    assert arrow("\ufeffa,b\n".encode("utf-8"), "utf-8-sig", ",", 2) == [("line 1", ["a", "b"])]


def test_declines_what_it_cannot_prove() -> None:
    assert arrow(b'a,"b\nc",d\n', "utf-8", ",", 2) is None      # a quoted newline
    assert arrow(b"a,b\nc\n", "utf-8", ",", 2) is None            # a ragged row
    assert arrow(b"a,b\rc,d\n", "utf-8", ",", 2) is None          # a lone carriage return
    assert arrow(b"a,\xff\n", "utf-8", ",", 2) is None            # bytes not valid in the encoding
    for broken in (b"\xd0", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"):  # cut, overlong, surrogate, > U+10FFFF
        assert arrow(b"a,x" + broken + b"\n", "utf-8", ",", 2) is None
    assert arrow(b'a"b,c\n', "utf-8", ",", 2) is None              # an odd quote


def test_excerpts_are_cut_to_their_characters_not_bytes() -> None:
    long_cyrillic = "Б" * (EXCERPT_CHARS - 10)  # more bytes than EXCERPT_CHARS, fewer characters: not cut
    rows = [f"{long_cyrillic},x", f"{'a' * EXCERPT_CHARS},y", "short,z", f'"{"Ж" * EXCERPT_CHARS}, quoted",w']
    got = arrow(("\n".join(rows) + "\n").encode("utf-8"), "utf-8", ",", 2)  # (checks each excerpt)
    assert got is not None and len(got) == 4
    raw = read_columns(("\n".join(rows) + "\n").encode("utf-8"), "utf-8", ",", 2)
    assert raw is not None
    assert [len(e) for e in raw.excerpts.to_pylist()] == [EXCERPT_CHARS - 8, EXCERPT_CHARS, 7, EXCERPT_CHARS]
