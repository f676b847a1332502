"""Name normalisation for matching (not for identity keys: see ingest/keys.py).

Steps, in order: fold to lower-case ASCII in any script (Cyrillic, Chinese, Turkish
diacritics ... via unidecode), drop legal forms in many languages (LLC, ООО, 有限公司,
LTD ŞTİ, GmbH, AO, PAO, JSC ...), expand trade-record abbreviations (COMM GRP, TECH,
SRVCES, INTL ...), singularise, and fold transliteration variants (Zhukovskiy /
Zhukovsky / Zhukovskii) so that one spelling rule covers them all.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from ingest.keys import fold_name

# Multi-word legal forms first (longest match wins), as folded token sequences.
_LEGAL_PHRASES = (
    # Russian, transliterated (unidecode of Cyrillic and the spellings OFAC uses)
    "obshchestvo s ogranichennoi otvetstvennostiu", "obshchestvo s ogranichennoy otvetstvennostyu",
    "obshestvo s ogranichennoi otvetstvennostiu", "publichnoe aktsionernoe obshchestvo",
    "publichnoe aktsionernoe obshestvo", "otkrytoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
    "nepublichnoe aktsionernoe obshchestvo", "aktsionernoe obshchestvo", "aktsionernoe obshestvo",
    "federalnoe gosudarstvennoe unitarnoe predpriiatie", "gosudarstvennoe unitarnoe predpriiatie",
    "federal state unitary enterprise", "federal state budgetary institution", "state unitary enterprise",
    "individualnyi predprinimatel",
    # English
    "limited liability company", "limited liability partnership", "limited liability co",
    "public joint stock company", "open joint stock company", "closed joint stock company",
    "joint stock company", "non public joint stock company", "private limited company", "public limited company",
    "company limited", "co limited", "co ltd", "pte ltd", "pvt ltd", "private limited", "sdn bhd",
    "fz llc", "fze llc", "free zone establishment", "free zone company", "l l c",
    # Chinese in pinyin (unidecode of 有限公司 etc.)
    "gu fen you xian gong si", "you xian ze ren gong si", "you xian gong si", "youxian gongsi", "gongsi",
    # Turkish
    "sanayi ve ticaret", "san ve tic", "san tic", "limited sirketi", "ltd sti", "ltd stf", "anonim sirketi", "a s", "tic ltd sti",
    # German and others
    "gesellschaft mit beschrankter haftung", "co kg", "gmbh co kg", "sp z o o", "s r o", "s a", "s p a",
    "s r l", "b v", "n v", "g m b h",
)
_LEGAL_WORDS = frozenset(
    "llc llp lp ltd limited inc incorporated corp corporation co company plc gmbh mbh ag kg ohg ug se "
    "sa sas sarl srl spa bv nv oy oyj ab as aps asa kft zrt sro doo dd ooo oao zao pao ao jsc ojsc cjsc pjsc "
    "fgup gup mup nao tov pat prat tdv fze fzco fzc fzllc dmcc pte pvt bhd sdn tbk pt cv sti ltdsti "
    "ip chp kk gk yk".split()
)
# Words too generic to tell companies apart on their own (kept in keys, weighted out of blocking).
GENERIC_WORDS = frozenset(
    "group holding trading trade import export international industry technology electronic company service "
    "system engineering equipment manufacturing logistics global investment development scientific "
    "production research institute plant factory enterprise center centre concern and of the for".split()
)
ABBREVIATIONS: dict[str, str] = {
    "comm": "communication", "comms": "communication", "communications": "communication",
    "grp": "group", "gr": "group", "tech": "technology", "techn": "technology", "technol": "technology",
    "technologies": "technology", "techs": "technology", "srvces": "service", "srvcs": "service",
    "svcs": "service", "svc": "service", "serv": "service", "services": "service", "servis": "service",
    "intl": "international", "int": "international", "internat": "international", "intern": "international",
    "elec": "electronic", "elect": "electronic", "electr": "electronic", "electronics": "electronic",
    "elektronik": "electronic", "elektronika": "electronic", "elektronnye": "electronic",
    "mfg": "manufacturing", "manuf": "manufacturing", "mfr": "manufacturing",
    "ind": "industry", "inds": "industry", "indus": "industry", "industries": "industry",
    "industrial": "industry", "sanayi": "industry", "eng": "engineering", "engg": "engineering",
    "engr": "engineering", "sys": "system", "syst": "system", "equip": "equipment", "eqpt": "equipment",
    "trdg": "trading", "trd": "trading", "treiding": "trading", "treyding": "trading", "ticaret": "trade",
    "tic": "trade", "imp": "import", "exp": "export",
    "impex": "import export", "imex": "import export", "mach": "machinery", "instr": "instrument",
    "sci": "scientific", "hldg": "holding", "hldgs": "holding", "holdings": "holding",
    "natl": "national", "nat": "national", "dist": "distribution", "distr": "distribution",
    "log": "logistics", "logistic": "logistics", "dev": "development", "devt": "development",
    "mgmt": "management", "mgt": "management", "assoc": "association", "bros": "brothers",
    "ctr": "center", "cntr": "center", "centre": "center", "tsentr": "center", "inv": "investment",
    "invest": "investment", "prod": "production", "res": "research", "inst": "institute",
    "aero": "aero", "avia": "aviation", "mashinostroeniia": "machine building",
    "npo": "npo", "nii": "research institute", "kb": "design bureau", "okb": "design bureau",
    "gen": "general", "genl": "general", "kontsern": "concern", "koncern": "concern", "&": "and",
}
_STOP = frozenset({"and", "the", "of", "ve", "und"})
ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())
_DIGITS = re.compile(r"\d")
_SOFT = re.compile(r"[ьЬъЪ'’`ʹ]")  # soft/hard signs and apostrophes vanish inside words
_PHRASE_RE = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in sorted(_LEGAL_PHRASES, key=len, reverse=True))
    + r")(?![a-z0-9])"
)
# Transliteration folds applied inside words (order matters): variants of one Cyrillic letter.
_TRANSLIT = (
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("kh", "h"), ("ck", "k"), ("ph", "f"), ("w", "v"),
    ("ks", "x"), ("tz", "ts"), ("ae", "a"), ("oe", "o"), ("ue", "u"), ("j", "y"), ("yu", "iu"), ("ya", "ia"), ("ye", "e"), ("yo", "e"),
    ("iy", "i"), ("yi", "i"), ("y", "i"), ("ii", "i"),
)
_DOUBLE = re.compile(r"([a-z])\1+")


def _fold_word(word: str) -> str:
    if word in ROMAN or _DIGITS.search(word):
        return word  # "II" is not a doubled letter, "2A" not a spelling
    for old, new in _TRANSLIT:
        word = word.replace(old, new)
    return _DOUBLE.sub(r"\1", word)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """Normalised words of a name: legal forms dropped, abbreviations expanded, singular, stop words out.

    >>> name_tokens("OOO 'Romashka Elec. Comm GRP' LLC")
    ('romashka', 'electronic', 'communication', 'group')
    >>> name_tokens("Общество с ограниченной ответственностью «Ромашка»")
    ('romashka',)
    """
    folded = fold_name(_SOFT.sub("", name))
    stripped = _PHRASE_RE.sub(" ", folded)
    words: list[str] = []
    for raw in stripped.split():
        expanded = ABBREVIATIONS.get(raw, raw)
        for word in expanded.split():
            if word in _LEGAL_WORDS or word in _STOP:
                continue
            words.append(_singular(word))
    if not words:  # the name is nothing but a legal form ("LLC"): keep what there is
        words = folded.split()
    return tuple(words)


@lru_cache(maxsize=200_000)
def match_key(name: str) -> str:
    """The matching key of a name: normalised words with transliteration variants folded.

    Two names with the same key are an exact match for screening and resolution.

    >>> match_key("Zhukovskiy Elektronika OOO") == match_key("ООО Жуковский Электроника")
    True
    >>> match_key("SHENZHEN XYZ TECH CO., LTD.") == match_key("Shenzhen XYZ Technology Company Limited")
    True
    """
    return " ".join(_fold_word(w) for w in name_tokens(name))


def digits_of(key: str) -> frozenset[str]:
    """Number tokens of a key, Roman numerals included (plant No. 1 vs No. 2, Holding II vs III)."""
    return frozenset(w for w in key.split() if _DIGITS.search(w) or w in ROMAN)


SUBSTITUTION_PENALTY = 0.8  # a word replaced by another ("Shiraz"/"Iran Electronics", "Gomel"/"Brest")
EXTRA_WORD_PENALTY = 0.9    # a distinctive word on one side only ("Stroytransgaz-M", "Hong Pang (HK)")


def _lonely(words: list[str], others: list[str]) -> list[str]:
    return [w for w in words if all(fuzz.ratio(w, v) < 80 for v in others)]


def word_penalty(a: str, b: str) -> float:
    """How much the words that have no close counterpart (ratio >= 80) on the other side cost.

    Words on both sides: SUBSTITUTION_PENALTY ("shiraz"/"iran"), unless they are the same letters
    split otherwise ("pribor servis"/"priborservis"). A distinctive word on one side only:
    EXTRA_WORD_PENALTY (a subsidiary's or a branch's mark). Otherwise 1.0.

    >>> word_penalty("shiraz electronic", "iran electronic"), word_penalty("stroitransgaz m", "stroitransgaz")
    (0.8, 0.9)
    >>> word_penalty("ural pribor servis", "ural priborservis"), word_penalty("melli group", "melli")
    (1.0, 1.0)
    """
    a_words, b_words = a.split(), b.split()
    extra_a, extra_b = _lonely(a_words, b_words), _lonely(b_words, a_words)
    if not extra_a and not extra_b:
        return 1.0
    if extra_a and extra_b:
        compounded = fuzz.ratio("".join(extra_a), "".join(extra_b)) >= 85
        return 1.0 if compounded else SUBSTITUTION_PENALTY
    if any(w not in GENERIC_WORDS for w in extra_a + extra_b):
        return EXTRA_WORD_PENALTY
    return 1.0


def score_keys(a: str, b: str) -> float:
    """Similarity in [0, 1] of two match keys (see :func:`score_names`)."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    score = max(fuzz.token_sort_ratio(a, b), fuzz.ratio(a.replace(" ", ""), b.replace(" ", ""))) / 100.0
    if digits_of(a) != digits_of(b):
        score *= 0.85
    return score * word_penalty(a, b)


def sorted_key(key: str) -> str:
    """The words of a key in sorted order (token_sort_ratio is the plain ratio of these)."""
    return " ".join(sorted(key.split()))


def score_key_batch(key: str, sorted_keys: Sequence[str], joined: Sequence[str],
                    digits: Sequence[frozenset[str]], cutoff: float = 0.0) -> np.ndarray:
    """:func:`score_keys` of one key against many, given their sorted-word and space-free forms and numbers.

    Scores far below ``cutoff`` may come out lower than :func:`score_keys` would say (they are
    not refined with the space-free comparison); scores at or above it are exact.
    """
    if not sorted_keys:
        return np.zeros(0)
    scores = process.cdist([sorted_key(key)], sorted_keys, scorer=fuzz.ratio, dtype=np.float32)[0].astype(np.float64)
    near = np.nonzero((scores < 100.0) & (scores >= max(0.0, cutoff - 0.3) * 100.0))[0]
    if len(near):
        flat = process.cdist([key.replace(" ", "")], [joined[i] for i in near.tolist()], scorer=fuzz.ratio,
                             dtype=np.float32)[0]
        scores[near] = np.maximum(scores[near], flat)
    scores /= 100.0
    own = digits_of(key)
    penalty = np.fromiter((d != own for d in digits), dtype=bool, count=len(digits))
    scores[penalty] *= 0.85
    for i in np.nonzero((scores >= cutoff) & (scores < 1.0))[0].tolist():  # few: the rest cannot pass anyway
        scores[i] *= word_penalty(key, sorted_keys[i])
    return scores


def score_names(a: str, b: str) -> float:
    """Similarity in [0, 1] of two names after normalisation (1.0: same match key).

    Token order does not matter; extra words cost (a subsidiary "X Aviation" is not "X");
    differing numbers cost more.

    >>> score_names("Elektron Tech Co Ltd", "ELEKTRON TECHNOLOGY COMPANY LIMITED")
    1.0
    >>> score_names("Rostec", "Rostec Aviation Holding") < 0.8
    True
    """
    return score_keys(match_key(a), match_key(b))


def blocking_keys(key: str) -> set[str]:
    """Blocking keys of a match key: its words and 4-letter word prefixes (typos at the end survive)."""
    out: set[str] = set()
    for word in key.split():
        out.add(word)
        if len(word) > 4:
            out.add(word[:4] + "*")
    joined = key.replace(" ", "")
    if joined and len(key.split()) > 1:
        out.add("=" + joined)  # "micro tek" vs "microtek"
    return out
