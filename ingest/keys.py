"""Natural keys of nodes. Keys decide identity at write time, so they are conservative:
identifiers first, else the name folded only for case, accents, script and punctuation.
Looser matches (legal forms, abbreviations, fuzzy) are the resolver's job and become
SAME_AS edges that can be undone.
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_NON_WORD = re.compile(r"[^0-9a-z]+")
IDENTIFIER_SCHEMES = ("inn", "ogrn", "kpp", "uscc", "lei", "vkn", "duns", "ofac", "bis", "imo", "reg")


def fold_name(name: str) -> str:
    """Lower-case ASCII words of a name, in any script.

    >>> fold_name("ООО «Ромашка»"), fold_name("  Mikro-Tek  LTD. ŞTİ. ")
    ('ooo romashka', 'mikro tek ltd sti')
    """
    text = unicodedata.normalize("NFKC", name)
    return _NON_WORD.sub(" ", unidecode(text).lower()).strip()


def normalize_identifier(value: str) -> str | None:
    """``scheme:value`` in lower-case scheme, or None when the value has no known scheme.

    >>> normalize_identifier("INN: 7722476458"), normalize_identifier("7722476458")
    ('inn:7722476458', None)
    """
    scheme, sep, rest = value.partition(":")
    scheme = scheme.strip().lower()
    rest = re.sub(r"\s+", "", rest)
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
