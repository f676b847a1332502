"""The ``transship_gazetteer`` component: phrase matches for countries, goods, lists, agencies and known names.

Matches go to ``doc.spans["transship_gazetteer"]``; each span's label is GPE, GOOD, LIST, AGENCY, ORG or
PERSON and its ``kb_id_`` the country code, goods term, list id or country of a known name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ingest.news.names_index import KnownName

GAZETTEER_KEY = "transship_gazetteer"


class Gazetteer:
    """Two phrase matchers: exact case (countries, lists, agencies) and lower case (goods, known names)."""

    def __init__(self, nlp: Language, countries: Mapping[str, str], goods: Mapping[str, Mapping[str, str]],
                 lists: Mapping[str, Mapping[str, str]], companies: Mapping[str, str]) -> None:
        self.nlp = nlp
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.goods = dict(goods)
        self._add(self.exact, ((f"GPE|{code}", name) for name, code in countries.items()))
        self._add(self.exact, ((f"{info['label']}|{info['list']}", name) for name, info in lists.items()))
        self._add(self.folded, ((f"GOOD|{term}", term) for term in goods))
        self.add_names(KnownName(name, "ORG", country) for name, country in companies.items())

    def _add(self, matcher: PhraseMatcher, items: Iterable[tuple[str, str]]) -> None:
        by_key: dict[str, list[Doc]] = {}
        for key, text in items:
            by_key.setdefault(key, []).append(self.nlp.make_doc(text))
        for key, docs in by_key.items():
            matcher.add(key, docs)

    def add_names(self, names: Iterable[KnownName]) -> int:
        """Add names (and aliases) already in the graph as ORG/PERSON patterns; returns how many."""
        items = [(f"{n.label}|{n.country or ''}", n.text) for n in names if len(n.text) >= 3]
        self._add(self.folded, items)
        return len(items)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        strings = doc.vocab.strings
        for matcher in (self.exact, self.folded):
            for match_id, start, end in matcher(doc):
                label, _, kb = strings[match_id].partition("|")
                span = Span(doc, start, end, label=label, kb_id=kb)
                if label in ("ORG", "PERSON") and not any(t.text[:1].isupper() for t in span):
                    continue  # a known name written in lower case is most likely a common word
                spans.append(span)
        doc.spans[GAZETTEER_KEY] = filter_spans(spans)
        return doc
