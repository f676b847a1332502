"""The ``transship_claims`` component: supply, ownership, location and listing claims over sentences.

Token patterns work on the sentence's entities (from ``doc.ents``) and trigger words; when a dependency
parser ran, the subject of a supply verb comes from the parse instead. Results go to ``doc._.claims``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.news.tokens import entities_of, token_view

SUPPLY_VERBS = frozenset({
    "supplied", "supplies", "supply", "supplying", "shipped", "ships", "ship", "shipping", "sold", "sells",
    "sell", "selling", "exported", "exports", "exporting", "delivered", "delivers", "delivering", "provided",
    "provides", "sent", "sends", "transferred", "transfers", "re-exported", "routed", "resold", "re-sold",
    "funneled", "funnelled", "channeled", "channelled",
})
SUPPLY_NOUNS = frozenset({"shipments", "shipment", "deliveries", "delivery", "exports", "consignments",
                          "supplier", "suppliers", "sales"})
BUY_VERBS = frozenset({"procured", "procures", "procure", "purchased", "purchases", "bought", "buys", "acquired",
                       "imported", "imports", "received", "receives", "obtained", "sourced", "ordered"})
OWNER_AFTER = (("subsidiary", "of"), ("subsidiaries", "of"), ("front", "for"), ("fronts", "for"),
               ("front", "company", "for"), ("front", "companies", "for"), ("owned", "by"), ("controlled", "by"),
               ("unit", "of"), ("affiliate", "of"), ("shell", "company", "for"), ("utilized", "by"),
               ("used", "by"), ("part", "of"), ("set", "up", "by"), ("created", "by"), ("established", "by"))
_OWNER_FIRST = frozenset(p[0] for p in OWNER_AFTER)
OWNER_BEFORE = frozenset({"owns", "owned", "controls", "controlled", "created", "established", "operates"})
LIST_VERBS = frozenset({"designated", "designating", "designate", "designates", "sanctioned", "sanctioning",
                        "sanctions", "blacklisted", "listed", "added", "adding", "adds", "add", "targeted",
                        "targeting", "targets", "placed", "placing", "put"})
NEGATIONS = frozenset({"not", "never", "n't", "no", "denied", "denies", "deny"})
# Words that may not sit between coordinated names ("A, a UAE firm, and its partner B" is fine).
_GAP_BLOCKERS = frozenset({"to", "from", "by", "for", "with", "of", "in", "into", "via", "through", "which", "who",
                           "that", "is", "was", "are", "were", "has", "had", "have", "said", "says", "after"})
_STOP = frozenset({";", "while", "whereas", "but", "because", "although", "pursuant", "after", "before", "which",
                   "who", "when"})
_DATE = re.compile(
    r"\b(?:(January|February|March|April|May|June|July|August|September|October|November|December)\s+"
    r"(?:(\d{1,2}),\s+)?)?((?:19|20)\d{2})\b")
_MONTHS = {m: i for i, m in enumerate(("January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"), 1)}
PARTIES = ("ORG", "PERSON")


@dataclass(frozen=True, slots=True)
class Claim:
    """A claim found in one sentence.

    ``kind`` is supply, owner, located or listed; subject and object are entity spans (object is a GPE span
    for located and a LIST/AGENCY span, or None with ``list_id``, for listed).
    """

    kind: str
    subject: Span
    object: Span | None
    sentence: Span
    confidence: float
    rule: str
    goods: tuple[Span, ...] = ()
    date: str | None = None
    list_id: str | None = None
    props: dict[str, str] = field(default_factory=dict)


def sentence_date(sent: Span) -> str | None:
    """The first date in a sentence as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    hit = _DATE.search(sent.text)
    if not hit:
        return None
    month, day, year = hit.groups()
    if month and day:
        return f"{year}-{_MONTHS[month]:02d}-{int(day):02d}"
    if month:
        return f"{year}-{_MONTHS[month]:02d}"
    return year


class ClaimFinder:
    """Finds claims sentence by sentence."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._parsed = False

    def __call__(self, doc: Doc) -> Doc:
        claims: list[Claim] = []
        self._parsed = doc.has_annotation("DEP")
        sents = _sentences(doc)
        all_ents = entities_of(doc)
        k = 0
        for sent in sents:
            while k < len(all_ents) and all_ents[k].start < sent.start:
                k += 1
            ents = []
            while k < len(all_ents) and all_ents[k].end <= sent.end:
                ents.append(all_ents[k])
                k += 1
            if not any(e.label_ in PARTIES for e in ents):
                continue
            goods = tuple(e for e in ents if e.label_ == "GOOD")
            date = sentence_date(sent)
            found: list[Claim] = []
            found += self._supply(doc, sent, ents)
            found += self._owner(doc, sent, ents)
            found += self._listed(doc, sent, ents)
            found += self._located(sent, ents)
            for claim in found:
                if claim.kind == "supply":
                    claim = _with(claim, goods=goods)
                claims.append(_with(claim, date=date))
        doc._.claims = _dedupe(claims)
        return doc

    # ---- helpers ----------------------------------------------------------------------------------------
    @staticmethod
    def _parties(ents: list[Span], start: int, end: int) -> list[Span]:
        return [e for e in ents if e.label_ in PARTIES and e.start >= start and e.end <= end]

    @staticmethod
    def _clause_start(doc: Doc, sent: Span, at: int) -> int:
        tv = token_view(doc)
        i = at - 1
        while i > sent.start:
            if tv[i].lower_ in _STOP or tv[i].text == ";":
                return i + 1
            i -= 1
        return sent.start

    @staticmethod
    def _clause_end(doc: Doc, sent: Span, at: int) -> int:
        tv = token_view(doc)
        i = at
        while i < sent.end:
            if tv[i].lower_ in _STOP or tv[i].text == ";":
                return i
            i += 1
        return sent.end

    @staticmethod
    def _coordinated(doc: Doc, parties: list[Span]) -> list[Span]:
        """The first party and those joined to it by commas/and/or (appositions and short forms may sit between)."""
        tv = token_view(doc)
        if not parties:
            return []
        group = [parties[0]]
        for prev, ent in zip(parties, parties[1:]):
            gap = [t for t in tv[prev.end:ent.start] if t.text not in ("*", "**")]
            words = {t.lower_ for t in gap}
            joined = bool(words & {",", "and", "or", ";"}) or not gap
            blocked = any(t.lower_ in _GAP_BLOCKERS or t.lower_ in SUPPLY_VERBS or t.lower_ in BUY_VERBS
                          or t.lower_ in LIST_VERBS for t in gap)
            if len(gap) <= 12 and joined and not blocked:
                group.append(ent)
            else:
                break
        return group

    def _subject(self, doc: Doc, sent: Span, ents: list[Span], trigger: int) -> Span | None:
        tv = token_view(doc)
        if self._parsed:
            for child in doc[trigger].children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.ent_type_ in PARTIES:
                    for e in ents:
                        if e.start <= child.i < e.end:
                            return e
        clause = self._clause_start(doc, sent, trigger)
        before = self._parties(ents, clause, trigger)
        if before:
            return before[0]
        if clause > sent.start and tv[clause - 1].lower_ in ("which", "who", "that"):
            antecedent = [e for e in self._parties(ents, sent.start, clause - 1) if e.end >= clause - 3]
            if antecedent:
                return antecedent[-1]  # "Vega Ltd, which shipped ..." -> Vega Ltd
        return None

    def _objects_after(self, doc: Doc, sent: Span, ents: list[Span], start: int, preps: tuple[str, ...]) -> list[Span]:
        tv = token_view(doc)
        end = self._clause_end(doc, sent, start)
        for i in range(start, end):
            if tv[i].lower_ in preps:
                after = self._parties(ents, i + 1, end)
                if after:
                    first = after[0]
                    gap = tv[i + 1:first.start]
                    if len(gap) <= 8 and not any(t.lower_ in ("by", "from", "to") for t in gap):
                        return self._coordinated(doc, after)
        return []

    # ---- claim kinds ------------------------------------------------------------------------------------
    def _supply(self, doc: Doc, sent: Span, ents: list[Span]) -> list[Claim]:
        tv = token_view(doc)
        out: list[Claim] = []
        for tok in tv[sent.start:sent.end]:
            word = tok.lower_
            if any(t.lower_ in NEGATIONS for t in tv[max(sent.start, tok.i - 3):tok.i]):
                continue
            if word in SUPPLY_VERBS or word in SUPPLY_NOUNS:
                passive = tv[tok.i - 1].lower_ in ("was", "were", "been", "being", "be") if tok.i > 0 else False
                if passive:
                    by = self._objects_after(doc, sent, ents, tok.i + 1, ("by",))
                    targets = self._objects_after(doc, sent, ents, tok.i + 1, ("to",))
                    out += [Claim("supply", s, o, sent, 0.6, "passive-supply") for s in by[:1] for o in targets]
                    continue
                if word in ("supplier", "suppliers") and tok.i + 1 < sent.end and tv[tok.i + 1].lower_ == "of":
                    subject = self._subject(doc, sent, ents, tok.i)
                    targets = self._objects_after(doc, sent, ents, tok.i + 1, ("to", "for"))
                else:
                    subject = self._subject(doc, sent, ents, tok.i)
                    targets = self._objects_after(doc, sent, ents, tok.i + 1, ("to",))
                if subject is not None:
                    strength = 0.65 if word in SUPPLY_VERBS else 0.55
                    out += [Claim("supply", subject, o, sent, strength, f"supply:{word}") for o in targets
                            if o._.canonical != subject._.canonical]
            elif word in BUY_VERBS:
                buyer = self._subject(doc, sent, ents, tok.i)
                sellers = self._objects_after(doc, sent, ents, tok.i + 1, ("from",))
                if buyer is not None:
                    out += [Claim("supply", s, buyer, sent, 0.6, f"buy:{word}") for s in sellers
                            if s._.canonical != buyer._.canonical]
                    clients = self._objects_after(doc, sent, ents, tok.i + 1, ("for",))
                    out += [Claim("supply", buyer, c, sent, 0.5, f"procure-for:{word}") for c in clients
                            if c._.canonical != buyer._.canonical]
        return out

    def _owner(self, doc: Doc, sent: Span, ents: list[Span]) -> list[Claim]:
        tv = token_view(doc)
        out: list[Claim] = []
        words = [t.lower_ for t in tv[sent.start:sent.end]]
        for k in range(len(words)):
            if words[k] not in _OWNER_FIRST and words[k] not in OWNER_BEFORE:
                continue
            for phrase in OWNER_AFTER:
                if tuple(words[k:k + len(phrase)]) != phrase:
                    continue
                at = sent.start + k
                end = at + len(phrase)
                owners = self._parties(ents, end, self._clause_end(doc, sent, end))
                if not owners or owners[0].start - end > 5:
                    continue
                clause = self._clause_start(doc, sent, at)
                owned = self._coordinated(doc, self._parties(ents, clause, at))
                relation = "front" if phrase[0].startswith(("front", "shell", "utilized", "used")) else \
                    "subsidiary" if phrase[0].startswith(("subsidiar", "unit", "affiliate", "part")) else "owner"
                strength = 0.55 if relation == "front" else 0.6
                out += [Claim("owner", o, owners[0], sent, strength, f"owner:{' '.join(phrase)}",
                              props={"relation": relation}) for o in owned if o._.canonical != owners[0]._.canonical]
            if words[k] in OWNER_BEFORE and not (k + 1 < len(words) and words[k + 1] in ("by", "or")):
                at = sent.start + k
                owner = self._subject(doc, sent, ents, at)
                end = self._clause_end(doc, sent, at + 1)
                owned_ents = self._parties(ents, at + 1, end)
                if owner is None or not owned_ents or owned_ents[0].start - at - 1 > 7:
                    continue
                out += [Claim("owner", o, owner, sent, 0.6, f"owner:{words[k]}", props={"relation": "owner"})
                        for o in self._coordinated(doc, owned_ents) if o._.canonical != owner._.canonical]
        return out

    def _listed(self, doc: Doc, sent: Span, ents: list[Span]) -> list[Claim]:
        tv = token_view(doc)
        out: list[Claim] = []
        lists = [e for e in ents if e.label_ in ("LIST", "AGENCY")]
        for tok in tv[sent.start:sent.end]:
            if tok.lower_ not in LIST_VERBS or any(t.lower_ in NEGATIONS for t in tv[max(sent.start, tok.i - 3):tok.i]):
                continue
            named = [e for e in lists if e.label_ == "LIST"] or lists
            if not named and tok.lower_ not in ("designated", "designating", "sanctioned"):
                continue
            list_id = named[0].kb_id_ if named else "sdn"
            passive = tok.i > sent.start and tv[tok.i - 1].lower_ in ("was", "were", "been", "is", "are", "being")
            if passive or (tok.lower_ in ("added", "listed") and not self._agency_before(doc, sent, lists, tok.i)):
                clause = self._clause_start(doc, sent, tok.i)
                subjects = self._coordinated(doc, self._parties(ents, clause, tok.i))
                strength, rule = 0.65, f"listed-passive:{tok.lower_}"
            else:
                if not self._agency_before(doc, sent, lists, tok.i):
                    continue
                end = self._clause_end(doc, sent, tok.i + 1)
                after = self._parties(ents, tok.i + 1, end)
                subjects = self._coordinated(doc, after) if after and \
                    after[0].start - tok.i - 1 <= 9 else []
                strength, rule = 0.7, f"listed-active:{tok.lower_}"
            out += [Claim("listed", s, named[0] if named else None, sent, strength, rule, list_id=list_id)
                    for s in subjects]
        return out

    @staticmethod
    def _agency_before(doc: Doc, sent: Span, lists: list[Span], at: int) -> bool:
        return any(e.label_ == "AGENCY" and e.end <= at and at - e.end <= 4 for e in lists)

    @staticmethod
    def _located(sent: Span, ents: list[Span]) -> list[Claim]:
        out = []
        for ent in ents:
            code = ent._.located if ent.label_ in PARTIES else None
            if code:
                out.append(Claim("located", ent, None, sent, 0.6, "located:context", props={"country": code}))
        return out


def _sentences(doc: Doc) -> list[Span]:
    """Sentence spans from the cached token view (``doc.sents`` walks Token objects)."""
    tv = token_view(doc)
    starts = [t.i for t in tv if t.is_sent_start] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    ends = starts[1:] + [len(doc)]
    return [Span(doc, a, b) for a, b in zip(starts, ends, strict=True) if b > a]


def _with(claim: Claim, **changes: Any) -> Claim:
    return replace(claim, **changes)


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen: set[tuple[str, str, str, int]] = set()
    out = []
    for c in claims:
        other = c.object._.canonical if c.object is not None and c.kind in ("supply", "owner") else \
            (c.list_id or c.props.get("country", ""))
        key = (c.kind, c.subject._.canonical, other or "", c.sentence.start)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
