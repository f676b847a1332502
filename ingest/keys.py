"""Natural keys of nodes. Keys decide identity at write time, so they are conservative:
identifiers first, else the name folded only for case, accents, script and punctuation.
Looser matches (legal forms, abbreviations, fuzzy) are the resolver's job and become
SAME_AS edges that can be undone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from unidecode import unidecode

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
IDENTIFIER_SCHEMES = ("inn", "ogrn", "kpp", "uscc", "lei", "vkn", "duns", "ofac", "bis", "imo", "reg")
# fold_name of ASCII text, byte by byte: letters lower-cased, digits kept, every other byte a space.
_ASCII_FOLD = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + bytes([32] * 128)


class _Memo(dict[str, str]):
    """``compute(text)`` remembered for texts up to 48 characters, at most 65,536 of them (then it starts over)."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self.compute = compute

    cache_clear = dict.clear  # as functools caches have it

    def __missing__(self, text: str) -> str:
        value = self.compute(text)
        if len(text) <= 48:
            if len(self) >= 1 << 16:
                self.clear()
            self[text] = value
        return value


# A character folds on its own (unidecode reads each character alone): transliterated, lower-cased,
# non-word runs as one space. A word folds as its NFKC characters do.
_CHAR_FOLDS = _Memo(lambda char: _NON_WORD.sub(" ", unidecode(char).lower()))
_WORD_FOLDS = _Memo(lambda word: " ".join(
    "".join(map(_CHAR_FOLDS.__getitem__, unicodedata.normalize("NFKC", word))).split()))


def fold_name(name: str) -> str:
    """Lower-case ASCII words of a name, in any script.

    >>> fold_name("ООО «Ромашка»"), fold_name("  Mikro-Tek  LTD. ŞTİ. ")
    ('ooo romashka', 'mikro tek ltd sti')
    """
    if name.isascii():
        return " ".join(name.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    # A space folds to a word break and changes nothing around it under NFKC, so words fold on their own
    # (words of names repeat: "ООО", "Лтд.").
    return " ".join(filter(None, map(_WORD_FOLDS.__getitem__, name.split(" "))))


@lru_cache(maxsize=1 << 12)  # a company's identifier is looked at several times in a row
def normalize_identifier(value: str) -> str | None:
    """``scheme:value`` in lower-case scheme, or None when the value has no known scheme.

    >>> normalize_identifier("INN: 7722476458"), normalize_identifier("7722476458")
    ('inn:7722476458', None)
    """
    scheme, sep, rest = value.partition(":")
    scheme = scheme.strip().lower()
    rest = _SPACES.sub("", rest)
    if not sep or scheme not in IDENTIFIER_SCHEMES or not rest:
        return None
    return f"{scheme}:{rest.upper() if scheme in ('uscc', 'lei') else rest}"


def company_key(name: str, country: str | None = None, identifier: str | None = None) -> str:
    """Key of a company: its identifier if it has one, else folded name and country.

    >>> company_key("OOO Romashka", "RU", "inn:7722476458")
    'inn:7722476458'
    >>> company_key("Ромашка", "RU")
    'name:romashka|RU'
    """
    if identifier:
        ident = normalize_identifier(identifier)
        if ident:
            return ident
    folded = fold_name(name)
    if not folded:
        raise ValueError(f"company name {name!r} has no letters or digits")
    return f"name:{folded}|{country or '??'}"
