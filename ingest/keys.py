"""Natural keys of nodes. Keys decide identity at write time, so they are conservative:
identifiers first, else the name folded only for case, accents, script and punctuation.
Looser matches (legal forms, abbreviations, fuzzy) are the resolver's job and become
SAME_AS edges that can be undone.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

_NON_WORD = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
IDENTIFIER_SCHEMES = ("inn", "ogrn", "kpp", "uscc", "lei", "vkn", "duns", "ofac", "bis", "imo", "reg")
# fold_name of ASCII text, byte by byte: letters lower-cased, digits kept, every other byte a space.
_ASCII_FOLD = bytes(c if chr(c).isalnum() else 32 for c in range(128)).lower() + bytes([32] * 128)
_WORD_CACHE_MAX_LEN = 48  # longer words are folded without caching (memory stays bounded)


class _CharFolds(dict[str, str]):
    """A character's folded form (unidecode transliteration, lower case, non-word runs as one space),
    worked out the first time the character is met (unidecode reads each character on its own)."""

    def __missing__(self, char: str) -> str:
        folded = _NON_WORD.sub(" ", unidecode(char).lower())
        if not 0xD800 <= ord(char) <= 0xDFFF:  # a lone surrogate warns each time, as unidecode does
            self[char] = folded
        return folded


_CHAR_FOLDS = _CharFolds()


def _fold_text(text: str) -> str:
    """fold_name of any text, a character at a time."""
    return " ".join("".join(map(_CHAR_FOLDS.__getitem__, unicodedata.normalize("NFKC", text))).split())


_fold_word = lru_cache(maxsize=1 << 16)(_fold_text)  # words of names repeat ("ООО", "Лтд.")


def fold_name(name: str) -> str:
    """Lower-case ASCII words of a name, in any script.

    >>> fold_name("ООО «Ромашка»"), fold_name("  Mikro-Tek  LTD. ŞTİ. ")
    ('ooo romashka', 'mikro tek ltd sti')
    """
    if name.isascii():
        return " ".join(name.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    # A space folds to a word break and changes nothing around it under NFKC, so words fold on their own.
    return " ".join(folded for word in name.split(" ") if word and (
        folded := _fold_word(word) if len(word) <= _WORD_CACHE_MAX_LEN else _fold_text(word)))


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
