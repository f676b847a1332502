"""The ``transship_names`` component: company and person names the gazetteer does not know.

Rules, in order of trust: bold names in press releases (``**Name**``), runs of capitalised words with a legal
form ("OOO Sertal", "Sky Trading Co., Ltd.", "Mikro-Tek Ltd. Şti.", "深圳市华强有限公司") or an organisation word
("Matriks Elektronika"), runs after a cue ("Russian importer Kvazar", "Russian national Oleg Sidorov") and
runs with a known given name. Short forms in parentheses, names without their legal form and persons'
surnames become aliases; later mentions of an alias are linked to the full name (``span._.canonical``).
Countries come from the context ("Hong Kong-based X", "X, based in Dubai", "Russian company X"), else from
the name itself or its legal form (``span._.country``; ``span._.country_rule``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.news.tokens import ENTS_KEY, sentence_start, token_view
from spacy.util import filter_spans

from ingest.news import lexicon as lx
from ingest.news.gazetteer_component import GAZETTEER_KEY

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_SEGMENT_SPLIT = re.compile(r"\s*(?:[();]|,(?!\s*(?:Ltd|LTD|Inc|LLC|OOO|Limited|S\.A|A\.Ş)\b))\s*")
_LEADING_AND = re.compile(r"^(?:and|or)\s+")
_CJK_COMPANY = re.compile(r"[\u4e00-\u9fff（）()]{2,40}(?:有限公司|有限责任公司|股份公司|集团)")
_QUOTES = frozenset({"«", "»", '"', "“", "”", "„"})
_SKIPPABLE = frozenset({"*", "**"}) | _QUOTES
# Legal forms and name words that tell the country of a company.
FORM_COUNTRY = {
    "OOO": "RU", "ООО": "RU", "AO": "RU", "PAO": "RU", "ZAO": "RU", "OAO": "RU", "Obshchestvo": "RU",
    "Aktsionernoe": "RU", "FGUP": "RU", "NPP": "RU", "FZE": "AE", "FZCO": "AE", "FZC": "AE", "FZ-LLC": "AE",
    "DMCC": "AE", "Şti": "TR", "Şti.": "TR", "STI": "TR", "Sirketi": "TR", "Şirketi": "TR", "Sanayi": "TR",
    "Ticaret": "TR", "A.Ş.": "TR", "AŞ": "TR", "OU": "EE", "OÜ": "EE", "TOO": "KZ", "OsOO": "KG",
    "Odpowiedzialnoscia": "PL", "Kft": "HU", "Kft.": "HU", "Tarsasag": "HU", "Oy": "FI", "B.V.": "NL",
    "Pte": "SG", "PTE": "SG", "OY": "FI", "SIA": "LV", "UAB": "LT", "GmbH": "DE",
    "SRO": "CZ", "s.r.o.": "CZ", "SL": "ES", "Bhd": "MY", "HK": "HK", "Hongkong": "HK",
}
# Legal forms written before the name, in English translation, as used for Russian companies.
PREFIX_COUNTRY_FORMS = frozenset({"Limited", "Joint", "Open", "Closed", "Public", "JSC", "OJSC", "CJSC", "PJSC",
                                  "LLC", "Nauchno", "Federal", "Zakrytoe", "Publichnoe"})
_LOCATION_WORDS = frozenset({"based", "registered", "headquartered", "incorporated", "located"})
_BLOCKING_WORDS = frozenset({
    "to", "from", "by", "in", "for", "with", "of", "via", "into", "at", "on", "and", "or", "through", "than",
    "that", "which", "who", "shipped", "supplied", "sold", "sent", "exported", "bought", "is", "was", "are",
})


def _is_cap(text: str) -> bool:
    return bool(text) and (text[0].isupper() or (text[0].isdigit() and len(text) > 2))


def _is_name_token(text: str) -> bool:
    return _is_cap(text) or text in lx.SUFFIX_FORMS or bool(_CJK_COMPANY.fullmatch(text))


def _heading_lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.splitlines(keepends=True):
        if line.lstrip().startswith("#"):
            spans.append((pos, pos + len(line)))
        pos += len(line)
    return spans


def _plausible_short_form(name: list[str], short: tuple[str, ...], bold: bool) -> bool:
    """A "(Short)" after a name names it when it shares a word with it, is its initials, or follows a bold name."""
    if bold:
        return True
    folded = {w.lower()[:4] for w in name if len(w) >= 3}
    if any(w.lower()[:4] in folded for w in short if len(w) >= 3):
        return True
    initials = "".join(w[0] for w in name if w[:1].isupper())
    letters = "".join(short).replace(".", "")
    return letters.isupper() and _subsequence(letters, initials)


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def clean_name(text: str) -> str:
    """A name without bold markers and quotes, spaces collapsed ("ООО «Ромашка»" -> "ООО Ромашка")."""
    return " ".join(text.replace("*", " ").translate(_NO_QUOTES).split())


_NO_QUOTES = str.maketrans({q: " " for q in _QUOTES})


class NameFinder:
    """Finds ORG and PERSON names, their aliases and countries, and sets ``doc.ents``."""

    def __init__(self, nlp: Language, use_model_entities: bool = True) -> None:
        self.use_model_entities = use_model_entities
        self.nlp = nlp

    @property
    def model_ner(self) -> bool:
        """True when a statistical NER runs before this component."""
        return "ner" in self.nlp.pipe_names

    # ---- candidates -------------------------------------------------------------------------------------
    def _bold_spans(self, doc: Doc) -> Iterator[Span]:
        text = doc.text
        for hit in _BOLD.finditer(text):
            start = hit.start(1)
            for piece in _SEGMENT_SPLIT.split(hit.group(1)):
                offset = text.find(piece, start, hit.end(1)) if piece else -1
                if offset < 0:
                    continue
                start = offset + len(piece)
                stripped = _LEADING_AND.sub("", piece.strip(" *\"'“”«»,.")).strip(" *")
                if not stripped or not _is_cap(stripped) or stripped in lx.NAME_STOPWORDS:
                    continue
                if stripped in lx.SUFFIX_FORMS:
                    continue
                begin = text.find(stripped, offset)
                before = text[max(0, hit.start() - 3):hit.start()] + text[hit.start(1):begin]
                if "(" in before.replace("**", "")[-3:]:
                    continue  # "(** Short)": a short form, handled as an alias
                span = doc.char_span(begin, begin + len(stripped), alignment_mode="expand")
                if span is not None:
                    yield span

    def _runs(self, doc: Doc, skip: set[int]) -> Iterator[tuple[int, int]]:
        tv = token_view(doc)
        headings = _heading_lines(doc.text)
        i, n = 0, len(doc)
        while i < n:
            if i in skip or not _is_name_token(tv[i].text) or tv[i].text in ("**", "*"):
                i += 1
                continue
            j = i + 1
            while j < n and j not in skip:
                tok, prev = tv[j], tv[j - 1]
                nxt = tv[j + 1].text if j + 1 < n else ""
                if _is_name_token(tok.text) and "\n" not in prev.whitespace_:
                    j += 1
                elif tok.text == "-" and not prev.whitespace_ and not tok.whitespace_ and _is_cap(nxt):
                    j += 1
                elif tok.text in ("-", ".") and not prev.whitespace_ and nxt and nxt[0].isdigit():
                    j += 1
                elif tok.text in lx.CONNECTORS and _is_name_token(nxt) and nxt not in lx.NAME_STOPWORDS \
                        and not (tok.text in lx.NAME_ENDERS_AFTER_FORM and j - i >= 2 and prev.text in lx.SUFFIX_FORMS):
                    j += 1
                elif tok.text == "," and nxt in lx.SUFFIX_FORMS:
                    j += 1
                elif tok.text in _QUOTES and (j - i) <= 4:
                    j += 1
                else:
                    break
            start_char = tv[i].idx
            if not any(a <= start_char < b for a, b in headings):
                yield i, j
            i = j

    def _trim(self, doc: Doc, start: int, end: int, gazetteer: dict[int, Span]) -> tuple[int, int]:
        tv = token_view(doc)
        while start < end:
            tok = tv[start]
            g = gazetteer.get(start)
            if tok.text in lx.NAME_STOPWORDS or tok.text in _QUOTES or tok.text in lx.CONNECTORS:
                start += 1
            elif g is not None and g.label_ in ("AGENCY", "LIST"):
                start = g.end
            elif g is not None and g.label_ == "GPE" and g.end < end and (
                    g.text in lx.DEMONYMS or "." in g.text or (g.text.isupper() and len(g) == 1)):
                start = g.end
            else:
                break
        while end > start and (tv[end - 1].text in _QUOTES or tv[end - 1].text in lx.CONNECTORS
                               or tv[end - 1].text in ("-", ",")):
            end -= 1
        return start, end

    @staticmethod
    def _trim_bold(doc: Doc, start: int, end: int, gazetteer: dict[int, Span]) -> tuple[int, int]:
        """Bold text names itself; only a leading article or "<Country>-based" is dropped."""
        tv = token_view(doc)
        if start < end and tv[start].text in ("The", "the"):
            start += 1
        g = gazetteer.get(start)
        if g is not None and g.label_ == "GPE" and g.end + 2 < end and tv[g.end].text == "-" \
                and tv[g.end + 1].lower_ in _LOCATION_WORDS:
            start = g.end + 2
        return start, end

    # ---- classification ---------------------------------------------------------------------------------
    @staticmethod
    def _left_word(doc: Doc, start: int) -> str:
        tv = token_view(doc)
        i = start - 1
        while i >= 0 and tv[i].text in _SKIPPABLE:
            i -= 1
        return tv[i].text if i >= 0 else ""

    @staticmethod
    def _short_form(doc: Doc, end: int) -> tuple[int, int] | None:
        """Token range of a "(Short Name)" right after a name, if any."""
        tv = token_view(doc)
        i, n = end, len(doc)
        while i < n and tv[i].text in _SKIPPABLE:
            i += 1
        if i >= n or tv[i].text != "(":
            return None
        j = i + 1
        while j < n and j - i <= 8 and tv[j].text != ")":
            j += 1
        if j >= n or tv[j].text != ")":
            return None
        inner = [t for t in tv[i + 1:j] if t.text not in ("*", "**") and t.text not in _QUOTES]
        if not inner or not _is_cap(inner[0].text) or inner[0].text in lx.NAME_STOPWORDS:
            return None
        return inner[0].i, inner[-1].i + 1

    def _classify(self, doc: Doc, start: int, end: int, bold: bool) -> str | None:
        tv = token_view(doc)
        words = [t.text for t in tv[start:end]]
        core = [w for w in words if w not in lx.SUFFIX_FORMS and w not in lx.PREFIX_FORMS and w.isalnum()]
        if len(core) <= 1 and all(w in lx.ORG_WORDS for w in core):
            return None  # "Export", "Trading Co.": no distinctive word, not a name
        if any(w in lx.SUFFIX_FORMS or w in lx.PREFIX_FORMS or w in lx.ORG_WORDS for w in words):
            return "ORG"
        if any(_CJK_COMPANY.search(w) for w in words):
            return "ORG"
        alpha = [w for w in words if w.isalpha() or "-" in w]
        left = self._left_word(doc, start)
        short = self._short_form(doc, end)
        person_shape = 2 <= len(alpha) <= 5 and all(w[:1].isupper() for w in alpha)
        if person_shape and (words[0] in lx.GIVEN_NAMES or left in lx.PERSON_CUES):
            return "PERSON"
        if person_shape and short is not None and tv[short[1] - 1].text == words[-1]:
            return "PERSON"
        if left.lower() in lx.ORG_CUES and (len(words) > 1 or words[0] not in lx.GIVEN_NAMES):
            return "ORG"
        if bold:
            return "ORG"
        i = end
        if i + 2 < len(doc) and tv[i].text == "," and tv[i + 1].lower_ in ("a", "an", "the"):
            window = [t.lower_ for t in tv[i + 2:i + 8]]
            if any(w in lx.ORG_CUES for w in window):
                return "ORG"
            if any(w in ("national", "citizen", "businessman", "businesswoman") for w in window):
                return "PERSON" if person_shape else None
        return None

    # ---- countries --------------------------------------------------------------------------------------
    @staticmethod
    def _gpe_index(doc: Doc, spans: list[Span]) -> dict[int, Span]:
        index: dict[int, Span] = {}
        for span in spans:
            if span.label_ == "GPE":
                for k in range(span.start, span.end):
                    index[k] = span
        return index

    def _country_left(self, doc: Doc, ent: Span, gpe: dict[int, Span], owners: dict[int, Span]) -> str | None:
        tv = token_view(doc)
        i, between = ent.start - 1, list[str]()
        sent_start = sentence_start(tv, ent.start)
        while i > sent_start and tv[i].text in _SKIPPABLE:
            i -= 1
        if i > sent_start and tv[i].text == ",":
            i -= 1  # "a Georgian freight forwarder, Kartli Cargo LLC"
        while i >= sent_start and len(between) < 8:
            tok = tv[i]
            if tok.text in ("*", "**"):
                i -= 1
                continue
            if i in gpe:
                words = set(between)
                if words & _BLOCKING_WORDS:
                    return None
                if words & _LOCATION_WORDS or words & lx.ORG_CUES or words & {w.lower() for w in lx.PERSON_CUES} \
                        or "'s" in words or "’s" in words:
                    return gpe[i].kb_id_
                return None
            if i in owners or (tok.is_punct and tok.text not in ("-", ")", "(", "'s", "’s")):
                return None
            if tok.text == ")":
                while i > sent_start and tv[i].text != "(":
                    i -= 1
                i -= 1
                continue
            if tok.text[:1].isupper() and tok.text not in lx.PERSON_CUES:
                return None
            between.append(tok.lower_)
            i -= 1
        return None

    def _country_right(self, doc: Doc, ent: Span, gpe: dict[int, Span], owners: dict[int, Span]) -> str | None:
        tv = token_view(doc)
        i, n = ent.end, len(doc)
        while i < n and tv[i].text in _SKIPPABLE:
            i += 1
        if i < n and tv[i].text == "(":  # skip "(Short)" or "(FICTIONAL)"
            close = next((k for k in range(i + 1, min(n, i + 10)) if tv[k].text == ")"), None)
            if close is not None:
                i = close + 1
        while i < n and tv[i].text in _SKIPPABLE | {")"}:
            i += 1
        if i + 1 < n and tv[i].lower_ in ("of", "in") and i + 1 in gpe and gpe[i + 1].text not in lx.DEMONYMS:
            return gpe[i + 1].kb_id_
        fillers = {",", "which", "who", "is", "was", "are", "were", "a", "an", "the", "also", "itself", "has",
                   "been"}
        seen: list[str] = []
        while i < n and tv[i].lower_ in fillers and len(seen) < 5:
            seen.append(tv[i].lower_)
            i += 1
        if not seen:
            return None
        words: list[str] = []
        for k in range(i, min(n, i + 7)):
            tok = tv[k]
            if k in gpe:
                if words and words[-1] == "in" and set(words) & (_LOCATION_WORDS | lx.ORG_CUES):
                    return gpe[k].kb_id_
                if not words and seen[-1] in ("a", "an", "is", "are", "was", "were"):
                    after = [t.lower_ for t in tv[gpe[k].end:gpe[k].end + 5]]
                    if set(after) & (_LOCATION_WORDS | lx.ORG_CUES | {"national", "citizen"}):
                        return gpe[k].kb_id_
                return None
            if k in owners or tok.is_punct:
                return None
            words.append(tok.lower_)
        return None

    @staticmethod
    def _country_in_name(ent: Span, gpe: dict[int, Span]) -> str | None:
        words = token_view(ent.doc)[ent.start:ent.end]
        for tok in words:
            if tok.text in FORM_COUNTRY:
                return FORM_COUNTRY[tok.text]
        for k in range(ent.start, ent.end):
            if k in gpe and gpe[k].text not in lx.DEMONYMS:
                return gpe[k].kb_id_
        if words and words[0].text in PREFIX_COUNTRY_FORMS:
            return "RU"  # "Limited Liability Company X", "JSC X": translations of Russian legal forms
        if _CJK_COMPANY.search(ent.text):
            return "CN"
        return None

    # ---- main -------------------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        gazetteer = list(doc.spans[GAZETTEER_KEY]) if GAZETTEER_KEY in doc.spans else []
        gaz_at = {k: s for s in gazetteer for k in range(s.start, s.end)}
        candidates: list[Span] = []
        bold_tokens: set[int] = set()
        for span in self._bold_spans(doc):
            start, end = self._trim_bold(doc, span.start, span.end, gaz_at)
            label = self._classify(doc, start, end, bold=True) if end > start else None
            if label:
                candidates.append(Span(doc, start, end, label=label, kb_id="bold"))
            bold_tokens.update(range(span.start, span.end))
        for start, end in self._runs(doc, bold_tokens):
            start, end = self._trim(doc, start, end, gaz_at)
            if end <= start:
                continue
            covered = gaz_at.get(start)
            if covered is not None and covered.start == start and covered.end >= end:
                continue  # the gazetteer already knows this span
            label = self._classify(doc, start, end, bold=False)
            if label:
                candidates.append(Span(doc, start, end, label=label, kb_id="rule"))
        for hit in _CJK_COMPANY.finditer(doc.text):
            cjk = doc.char_span(hit.start(), hit.end(), label="ORG", kb_id="rule", alignment_mode="expand")
            if cjk is not None:
                candidates.append(cjk)
        if self.use_model_entities and self.model_ner:
            candidates.extend(Span(doc, e.start, e.end, label="ORG" if e.label_ == "ORG" else "PERSON",
                                   kb_id="model") for e in doc.ents if e.label_ in ("ORG", "PERSON"))
        ents = filter_spans([*gazetteer, *candidates])
        ents = self._link_aliases(doc, ents, [g for g in gazetteer if g.label_ == "GPE"])
        self._set_countries(doc, ents, gazetteer)
        doc.ents = ents
        doc.user_data[ENTS_KEY] = ents  # reading doc.ents back costs a pass over all tokens
        return doc

    def _link_aliases(self, doc: Doc, ents: list[Span], gpe_spans: list[Span]) -> list[Span]:
        tv = token_view(doc)
        aliases: dict[tuple[str, ...], Span] = {}
        first_words: dict[str, Span] = {}
        short_forms: dict[tuple[str, ...], list[Span]] = {}
        # A first word also used in lower case ("Foreign", "Supply") is a common word, not a short name.
        lowercase_words = {t.text for t in tv if t.text.islower()}
        for ent in ents:
            if ent.label_ not in ("ORG", "PERSON"):
                continue
            ent._.canonical = clean_name(ent.text)
            short = self._short_form(doc, ent.end)
            if short is not None:
                words_short = tuple(t.text for t in tv[short[0]:short[1]])
                if _plausible_short_form([t.text for t in tv[ent.start:ent.end]], words_short, ent.kb_id_ == "bold"):
                    short_forms.setdefault(words_short, []).append(ent)
            words = [t.text for t in tv[ent.start:ent.end]]
            if ent.label_ == "PERSON" and len(words) >= 2 and len(words[-1]) >= 4:
                aliases.setdefault((words[-1],), ent)
            core = [w for w in words if w not in lx.SUFFIX_FORMS and w not in lx.PREFIX_FORMS and w not in _QUOTES
                    and w not in (",", "Co.", "Liability", "Stock")]
            if ent.label_ == "ORG" and core and len(core) < len(words) and len("".join(core)) >= 4 \
                    and not (len(core) == 1 and core[0] in lx.ORG_WORDS):
                aliases.setdefault(tuple(core), ent)
            first = words[0]
            if ent.label_ == "ORG" and len(words) >= 2 and len(first) >= 4 and first.istitle() \
                    and first.lower() not in lowercase_words and first not in lx.NAME_STOPWORDS \
                    and first not in lx.ORG_WORDS and first not in lx.PREFIX_FORMS \
                    and not any(g.start == ent.start for g in gpe_spans):
                first_words.setdefault(first, ent)
        for words_short, owners in short_forms.items():
            if len({o._.canonical for o in owners}) == 1:  # "(FICTIONAL)" after every name is no short form
                aliases.setdefault(words_short, owners[0])
        for word, ent in first_words.items():
            aliases.setdefault((word,), ent)
        for ent in ents:
            target = aliases.get(tuple(t.text for t in tv[ent.start:ent.end]))
            if target is not None and target is not ent and ent.label_ == target.label_:
                ent._.canonical = target._.canonical
        if not aliases:
            return ents
        taken = {k for e in ents for k in range(e.start, e.end)}
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for alias in sorted(aliases, key=len, reverse=True):
            by_first.setdefault(alias[0], []).append(alias)
        extra: list[Span] = []
        i = 0
        while i < len(doc):
            matched = 0
            if i not in taken:
                for alias in by_first.get(tv[i].text, ()):
                    end = i + len(alias)
                    if end <= len(doc) and tuple(t.text for t in tv[i:end]) == alias \
                            and not any(k in taken for k in range(i, end)):
                        target = aliases[alias]
                        if len(alias) == 1 and alias[0] in first_words and end < len(doc) \
                                and _is_cap(tv[end].text):
                            continue  # "Orion" alone is an alias, "Orion Group" is another name
                        span = Span(doc, i, end, label=target.label_, kb_id="alias")
                        span._.canonical = target._.canonical
                        extra.append(span)
                        matched = len(alias)
                        break
            i += matched or 1
        merged = sorted([*ents, *extra], key=lambda s: s.start)
        for span in extra:
            span._.canonical = aliases[tuple(t.text for t in tv[span.start:span.end])]._.canonical
        return merged

    @staticmethod
    def _coordination_groups(doc: Doc, parties: list[Span]) -> list[list[Span]]:
        """Runs of names joined only by commas/and, short forms allowed ("A (A), B and C")."""
        tv = token_view(doc)
        groups: list[list[Span]] = []
        for ent in parties:
            if groups:
                prev = groups[-1][-1]
                gap, depth = [], 0
                for tok in tv[prev.end:ent.start]:
                    if tok.text == "(":
                        depth += 1
                    elif tok.text == ")":
                        depth = max(0, depth - 1)
                    elif not depth and tok.text not in _SKIPPABLE:
                        gap.append(tok.lower_)
                if len(gap) <= 3 and set(gap) <= {",", "and", "or", ";"}:
                    groups[-1].append(ent)
                    continue
            groups.append([ent])
        return groups

    @staticmethod
    def _section_countries(doc: Doc, gpe_spans: list[Span]) -> list[tuple[int, int, str]]:
        """Char ranges whose names take a country from a heading or a list lead-in ("... Russia-based ...:")."""
        text = doc.text
        regions: list[tuple[int, int, str]] = []
        heading: str | None = None
        lead: str | None = None
        pos = 0
        starts = [g.start_char for g in gpe_spans]
        for line in text.splitlines(keepends=True):
            end = pos + len(line)
            lo, hi = bisect_left(starts, pos), bisect_left(starts, end)
            codes = [gpe_spans[k].kb_id_ for k in range(lo, hi)]
            stripped = line.strip()
            if stripped.startswith("#"):
                heading, lead = (codes[0] if codes else None), None
            elif stripped.startswith(("- ", "* ", "• ")):
                if lead or heading:
                    regions.append((pos, end, lead or heading or ""))
            elif stripped:
                lead = codes[-1] if stripped.endswith(":") and codes else None
                if heading:
                    regions.append((pos, end, heading))
            pos = end
        return regions

    def _set_countries(self, doc: Doc, ents: list[Span], gazetteer: list[Span]) -> None:
        gpe_spans = [g for g in gazetteer if g.label_ == "GPE"]
        gpe = self._gpe_index(doc, gazetteer)
        parties = [e for e in ents if e.label_ in ("ORG", "PERSON")]
        owners = {k: e for e in parties for k in range(e.start, e.end)}
        for ent in parties:
            ent._.located = self._country_left(doc, ent, gpe, owners) or self._country_right(doc, ent, gpe, owners)
        for group in self._coordination_groups(doc, parties):
            codes = {e._.located for e in group if e._.located}
            if len(codes) == 1 and len(group) > 1:
                code = codes.pop()
                for ent in group:
                    ent._.located = ent._.located or code
        regions = self._section_countries(doc, gpe_spans)
        region_starts = [r[0] for r in regions]
        found: dict[str, tuple[int, str, str]] = {}  # canonical -> (rank, code, rule)
        for ent in parties:
            known = ent.kb_id_ if ent.kb_id_ not in ("", "bold", "rule", "alias", "model") else None
            section = None
            k = bisect_right(region_starts, ent.start_char) - 1
            if k >= 0 and regions[k][0] <= ent.start_char < regions[k][1]:
                section = regions[k][2]
            options = (
                (0, ent._.located, "context"),
                (1, known, "known"),
                (2, self._country_in_name(ent, gpe) if ent.label_ == "ORG" else None, "name"),
                (3, section, "section"),
            )
            for rank, code, rule in options:
                if code:
                    best = found.get(ent._.canonical)
                    if best is None or rank < best[0]:
                        found[ent._.canonical] = (rank, code, rule)
                    break
        for ent in parties:
            if ent._.canonical in found:
                _, ent._.country, ent._.country_rule = found[ent._.canonical]
