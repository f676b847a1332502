"""Plain-Python views of a Doc's tokens, built once per Doc.

Indexing a spaCy Doc creates a Token object each time; the rules look at neighbouring tokens a lot,
so they read these cached tuples instead (about 4x faster on press releases).
"""

from __future__ import annotations

from spacy.attrs import IDX, IS_PUNCT, LENGTH, SENT_START
from spacy.tokens import Doc, Span

_KEY = "transship_tokens"
_TEXT_KEY = "transship_text"
ENTS_KEY = "transship_ents"


class Tok:
    """The token attributes the rules use."""

    __slots__ = ("i", "text", "lower_", "whitespace_", "idx", "is_punct", "is_title", "is_sent_start")

    def __init__(self, i: int, text: str, whitespace: str, idx: int, is_punct: bool, is_sent_start: bool) -> None:
        self.i = i
        self.is_sent_start = is_sent_start
        self.text = text
        self.lower_ = text.lower()
        self.whitespace_ = whitespace
        self.idx = idx
        self.is_punct = is_punct
        self.is_title = text.istitle()


def doc_text(doc: Doc) -> str:
    """The Doc's text, cached (``doc.text`` joins every token on each access)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


def token_view(doc: Doc) -> list[Tok]:
    """The cached token list of a Doc (rebuilt if the Doc was retokenized)."""
    view = doc.user_data.get(_KEY)
    if view is None or len(view) != len(doc):
        text = doc_text(doc)
        rows = doc.to_array([IDX, LENGTH, IS_PUNCT, SENT_START]).tolist()
        starts = [row[0] for row in rows[1:]] + [len(text)]
        view = [Tok(i, text[idx:idx + length], text[idx + length:nxt], idx, bool(punct), i == 0 or sent == 1)
                for i, ((idx, length, punct, sent), nxt) in enumerate(zip(rows, starts, strict=True))]
        doc.user_data[_KEY] = view
    return view


def sentence_start(view: list[Tok], i: int) -> int:
    """Index of the first token of the sentence holding token ``i``."""
    while i > 0 and not view[i].is_sent_start:
        i -= 1
    return i


def entities_of(doc: Doc) -> list[Span]:
    """The entities the names component set (cached: ``doc.ents`` rebuilds spans over all tokens)."""
    ents = doc.user_data.get(ENTS_KEY)
    if ents is None:
        ents = list(doc.ents)
        doc.user_data[ENTS_KEY] = ents
    return ents
