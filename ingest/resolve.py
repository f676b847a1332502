"""Entity resolution for every source: identifiers first, then blocking and fuzzy name scores.

Three steps, as in nomenklatura: *blocking* (:class:`NameIndex` finds candidates sharing a
rare word or word prefix), *scoring* (:func:`score_profiles`: shared identifier = 1.0,
conflicting identifiers = 0.0, else the best name/alias score, lowered when the countries
differ), *deciding* (threshold and review band). Every decision becomes a SAME_AS edge
(extractor ``resolver/1``) with method, score, decision and evidence; nothing is merged
destructively: canonical ids are derived when reading (graph/identity.py), and a person's
judgement (ingest/judgements.py) overrules the resolver.

Reuse from other sources::

    index = NameIndex.from_store(store)              # build once
    index.lookup("Mikro Tek Elektronik", country="TR")  # -> [Match(...), ...]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType
from graph.stores import GraphStore, WriteResult
from graph.stores.frames import load_props
from ingest.keys import normalize_identifier
from ingest.names import GENERIC_WORDS, blocking_keys, digits_of, match_key, score_key_batch, score_keys, sorted_key

EXTRACTOR = "resolver/1"
DEFAULT_THRESHOLD = 0.92
DEFAULT_REVIEW_BAND = 0.82
STRONG_SCHEMES = frozenset({"inn", "ogrn", "uscc", "lei", "imo", "vkn"})
COUNTRY_PENALTY = 0.75   # same name, different registered countries: different companies by default
MAX_POSTINGS = 400       # blocking keys shared by more entries than this are too common to block on
ONE_WORD_THRESHOLD = 0.945  # fuzzy matches of one-word names need this much (Kronshtadt/Kronstadt 0.947)
MAX_IDENTIFIER_HOLDERS = 20  # an "identifier" shared by more entities than this identifies nothing
MAX_CANDIDATES = 30      # candidates scored per query name, best blocking overlap first


@dataclass(frozen=True, slots=True)
class Profile:
    """What the resolver knows of one entity: names (name first, then aliases), country, identifiers."""

    id: str
    names: tuple[str, ...]
    country: str | None = None
    identifiers: frozenset[str] = frozenset()
    type: str = NodeType.COMPANY.value

    @property
    def name(self) -> str:
        return self.names[0] if self.names else ""


@dataclass(frozen=True, slots=True)
class Match:
    """One candidate entity for a queried name, and why it matched."""

    entity_id: str
    score: float
    method: str          # "identifier:inn", "exact", "fuzzy"
    matched_name: str    # the name or alias of the entity that matched
    country: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """A resolver decision on a pair of entities (a SAME_AS edge once written)."""

    left: str
    right: str
    score: float
    method: str
    decision: str        # "match", "review" or "no_match" (a former link that no longer holds)
    evidence: str

    def edge(self, decided_at: str, threshold: float, review_band: float) -> Edge:
        """The SAME_AS edge recording this decision."""
        props = {"method": self.method, "score": round(self.score, 4), "decision": self.decision,
                 "evidence": self.evidence, "decided_at": decided_at, "threshold": threshold,
                 "review_band": review_band}
        ev = Evidence("resolver", f"{self.left} ~ {self.right}", EXTRACTOR,
                      confidence=min(1.0, max(0.0, self.score)), observed=decided_at[:10], excerpt=self.evidence)
        return Edge(EdgeType.SAME_AS, self.left, self.right, key=f"resolver:{decided_at}", props=props,
                    evidence=(ev,))


@dataclass(slots=True)
class ResolutionReport:
    """What one resolution run decided and wrote."""

    profiles: int = 0
    decisions: list[Decision] = field(default_factory=list)
    unchanged: int = 0
    judgements: int = 0
    written: WriteResult | None = None

    def counts(self) -> dict[str, int]:
        """Number of decisions per decision and method."""
        out: Counter[str] = Counter()
        for d in self.decisions:
            out[d.decision] += 1
            out[f"{d.decision}:{d.method.split(':')[0]}"] += 1
        return dict(sorted(out.items()))


def _identifiers(values: Iterable[str]) -> frozenset[str]:
    out = set()
    for value in values:
        ident = normalize_identifier(str(value))
        if ident:
            out.add(ident)
    return frozenset(out)


def profile_of(node: Node) -> Profile:
    """The resolver's view of a node (name, props aliases and identifiers, country)."""
    aliases = [str(a) for a in node.props.get("aliases", []) or [] if a]
    names = tuple(dict.fromkeys([node.name, *aliases]))
    idents = list(node.props.get("identifiers", []) or [])
    if ":" in node.key and normalize_identifier(node.key):
        idents.append(node.key)
    return Profile(node.id, names, node.country, _identifiers(idents), node.type.value)


def profiles_from_store(store: GraphStore, types: Sequence[NodeType] = (NodeType.COMPANY,)) -> list[Profile]:
    """Profiles of all nodes of ``types`` in the store (read from the node frame, fast)."""
    frame = store.node_frame()
    wanted = {NodeType(t).value for t in types}
    frame = frame[frame["type"].isin(wanted)]
    out = []
    for nid, ntype, key, name, country, props_text in frame[
        ["id", "type", "key", "name", "country", "props"]
    ].itertuples(index=False, name=None):
        props = load_props(props_text)
        aliases = [str(a) for a in props.get("aliases", []) or [] if a]
        idents = [*(props.get("identifiers", []) or []), key]
        country = None if not isinstance(country, str) or not country else country
        out.append(Profile(nid, tuple(dict.fromkeys([str(name), *aliases])), country, _identifiers(idents), ntype))
    return out


def usable_identifier(ident: str) -> bool:
    """Identifiers that can decide a match: known registries, or a country-qualified registration number.

    >>> usable_identifier("inn:7704274402"), usable_identifier("reg:XX-C"), usable_identifier("reg:CN-91440300")
    (True, False, True)
    """
    scheme, _, value = ident.partition(":")
    if scheme in STRONG_SCHEMES or scheme in ("ofac", "duns", "kpp"):
        return True
    if scheme == "reg":
        country, _, number = value.partition("-")
        return country != "XX" and sum(c.isdigit() for c in number) >= 5
    return False


def _identifier_verdict(a: Profile, b: Profile) -> tuple[str, str] | None:
    shared = sorted(i for i in a.identifiers & b.identifiers if usable_identifier(i))
    if shared:
        return "identifier:" + shared[0].split(":", 1)[0], shared[0]
    a_schemes = {i.split(":", 1)[0]: i for i in a.identifiers if i.split(":", 1)[0] in STRONG_SCHEMES}
    for ident in b.identifiers:
        scheme = ident.split(":", 1)[0]
        if scheme in a_schemes:
            return "identifier-conflict", f"{a_schemes[scheme]} != {ident}"
    return None


def score_profiles(a: Profile, b: Profile) -> tuple[float, str, str]:
    """Score two entities: (score in [0, 1], method, evidence text).

    >>> a = Profile("a", ("OOO Romashka",), "RU", frozenset({"inn:7722476458"}))
    >>> b = Profile("b", ("Romashka LLC",), "RU", frozenset({"inn:7722476458"}))
    >>> score_profiles(a, b)[:2]
    (1.0, 'identifier:inn')
    >>> score_profiles(Profile("a", ("Romashka LLC",), "RU"), Profile("b", ("Romashka Ltd",), "CN"))[0] < 0.8
    True
    """
    verdict = _identifier_verdict(a, b)
    if verdict is not None:
        method, evidence = verdict
        return (1.0 if method != "identifier-conflict" else 0.0), method, evidence
    best, pair = 0.0, ("", "")
    b_keys = [(n, match_key(n)) for n in b.names]
    for name_a in a.names:
        key_a = match_key(name_a)
        for name_b, key_b in b_keys:
            s = score_keys(key_a, key_b)
            if s > best:
                best, pair = s, (name_a, name_b)
    method = "exact" if best >= 1.0 else "fuzzy"
    evidence = f"{pair[0]!r} ~ {pair[1]!r} {best:.3f}"
    if a.country and b.country and a.country != b.country:
        best *= COUNTRY_PENALTY
        evidence += f"; countries differ {a.country}/{b.country}"
    return best, method, evidence


class NameIndex:
    """Blocking index over entity names and identifiers for fast lookups of one name.

    Build it once (from a store, records or profiles), then call :meth:`lookup` per mention.
    """

    def __init__(self, profiles: Iterable[Profile] = ()) -> None:
        self.profiles: dict[str, Profile] = {}
        self._entries: list[tuple[str, str, str]] = []   # (entity id, name, match key)
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._by_ident: dict[str, list[str]] = defaultdict(list)
        self._keys: list[str] = []                           # per entry: match key, key without spaces, numbers
        self._sorted: list[str] = []
        self._joined: list[str] = []
        self._digits: list[frozenset[str]] = []
        self._arrays: dict[str, np.ndarray] = {}
        for profile in profiles:
            self.add(profile)

    @classmethod
    def from_store(cls, store: GraphStore, types: Sequence[NodeType] = (NodeType.COMPANY,)) -> NameIndex:
        """Index every node of ``types`` in the store with its aliases and identifiers."""
        return cls(profiles_from_store(store, types))

    @classmethod
    def from_nodes(cls, nodes: Iterable[Node]) -> NameIndex:
        """Index nodes (e.g. straight from a loader, without a store)."""
        return cls(profile_of(n) for n in nodes)

    def __len__(self) -> int:
        return len(self.profiles)

    def add(self, profile: Profile) -> None:
        """Add one entity (its names, aliases and identifiers); a known id gains names."""
        known = self.profiles.get(profile.id)
        if known is not None:
            fresh = tuple(n for n in profile.names if n not in known.names)
            profile = Profile(known.id, known.names + fresh, known.country or profile.country,
                              known.identifiers | profile.identifiers, known.type)
            names: Sequence[str] = fresh
        else:
            names = profile.names
        self.profiles[profile.id] = profile
        for ident in profile.identifiers:
            if profile.id not in self._by_ident[ident]:
                self._by_ident[ident].append(profile.id)
        for name in names:
            key = match_key(name)
            if not key:
                continue
            pos = len(self._entries)
            self._entries.append((profile.id, name, key))
            self._keys.append(key)
            self._sorted.append(sorted_key(key))
            self._joined.append(key.replace(" ", ""))
            self._digits.append(digits_of(key))
            self._by_key[key].append(pos)
            for block in blocking_keys(key):
                self._postings[block].append(pos)
                self._arrays.pop(block, None)
            self._arrays.pop("ntokens", None)

    def _array(self, block: str) -> np.ndarray:
        arr = self._arrays.get(block)
        if arr is None:
            arr = self._arrays[block] = np.asarray(self._postings[block], dtype=np.int64)
        return arr

    def _candidates(self, key: str) -> np.ndarray:
        blocks = [b for b in blocking_keys(key) if b in self._postings]
        usable = [b for b in blocks if len(self._postings[b]) <= MAX_POSTINGS and b.rstrip("*") not in GENERIC_WORDS]
        if not usable and blocks:  # only common words: use the rarest one
            usable = [min(blocks, key=lambda b: len(self._postings[b]))]
        if not usable:
            return np.zeros(0, dtype=np.int64)
        arrays = [self._array(b) for b in usable]
        positions = np.concatenate(arrays) if len(arrays) > 1 else arrays[0]
        unique, inverse = np.unique(positions, return_inverse=True)
        if len(unique) <= MAX_CANDIDATES:
            return unique
        weights = np.concatenate([np.full(len(a), 1.0 / math.log(2 + len(a))) for a in arrays])
        votes = np.bincount(inverse, weights=weights)
        return unique[np.argpartition(-votes, MAX_CANDIDATES)[:MAX_CANDIDATES]]

    def _scored(self, key: str, limit: int, min_score: float, partial: bool) -> dict[int, tuple[float, str]]:
        """Entry positions scoring at least ``min_score`` before the country rule, with their method."""
        exact = self._by_key.get(key, [])
        hits: dict[int, tuple[float, str]] = {pos: (1.0, "exact") for pos in exact}
        if len(exact) >= limit:
            return hits
        candidates = [p for p in self._candidates(key).tolist() if p not in hits]
        scores = score_key_batch(key, [self._sorted[p] for p in candidates], [self._joined[p] for p in candidates],
                                 [self._digits[p] for p in candidates], cutoff=min_score)
        for i in np.nonzero(scores >= min_score)[0].tolist():
            hits[candidates[i]] = (float(scores[i]), "fuzzy")
        if partial:
            positions, contained = self._contained(key)
            for pos, score in zip(positions.tolist(), contained.tolist(), strict=True):
                if score >= min_score and score > hits.get(pos, (0.0, ""))[0]:
                    hits[pos] = (score, "contained")
        return hits

    def _contained(self, key: str, cap: int = 200) -> tuple[np.ndarray, np.ndarray]:
        """Entries holding every word of the key (one of them distinctive), with :func:`contained_score`."""
        words = set(key.split())
        empty = (np.zeros(0, dtype=np.int64), np.zeros(0))
        if not words or words <= GENERIC_WORDS or any(w not in self._postings for w in words):
            return empty
        arrays = sorted((self._array(w) for w in words), key=len)
        common = arrays[0]
        for other in arrays[1:]:
            common = np.intersect1d(common, other, assume_unique=True)
        if not len(common):
            return empty
        if "ntokens" not in self._arrays:
            self._arrays["ntokens"] = np.asarray([len(set(k.split())) for k in self._keys], dtype=np.float64)
        scores = np.round(0.8 + 0.2 * len(words) / self._arrays["ntokens"][common], 4)
        if len(common) > cap:
            top = np.argpartition(-scores, cap)[:cap]
            common, scores = common[top], scores[top]
        return common, scores

    def lookup(self, name: str, country: str | None = None, identifiers: Iterable[str] = (),
               limit: int = 10, min_score: float = DEFAULT_REVIEW_BAND, partial: bool = False) -> list[Match]:
        """Entities matching a name (and identifiers), best first, one match per entity.

        Identifier hits score 1.0; an exact match key 1.0; else the fuzzy score. With
        ``country``, entities registered in another country score lower. With ``partial``
        (screening), a name whose every distinctive word is in a listed name ("Rostec" in
        "State Corporation Rostec") scores 0.8 plus 0.2 times the share of words it covers.
        """
        best: dict[str, Match] = {}

        def offer(match: Match) -> None:
            old = best.get(match.entity_id)
            if old is None or match.score > old.score:
                best[match.entity_id] = match

        for ident in _identifiers(identifiers):
            for eid in self._by_ident.get(ident, ()):
                offer(Match(eid, 1.0, "identifier:" + ident.split(":", 1)[0], ident, self.profiles[eid].country))
        key = match_key(name)
        if key:
            for pos, (score, method) in self._scored(key, limit, min_score, partial).items():
                eid = self._entries[pos][0]
                other = self.profiles[eid].country
                if country and other and country != other:
                    score *= COUNTRY_PENALTY
                if score >= min_score:
                    offer(Match(eid, round(score, 4), method, self._entries[pos][1], other))
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.method != "exact", m.entity_id))
        return ranked[:limit]

    def candidate_pairs(self, profile: Profile) -> Iterator[str]:
        """Ids of entities that may be the same as ``profile`` (shared identifier or blocking key)."""
        seen = {profile.id}
        for ident in profile.identifiers:
            holders = self._by_ident.get(ident, ())
            if not usable_identifier(ident) or len(holders) > MAX_IDENTIFIER_HOLDERS:
                continue
            for eid in holders:
                if eid not in seen:
                    seen.add(eid)
                    yield eid
        for name in profile.names:
            for pos in self._candidates(match_key(name)).tolist():
                eid = self._entries[pos][0]
                if eid not in seen:
                    seen.add(eid)
                    yield eid


def contained_score(query_key: str, entry_key: str) -> float:
    """0.8 + 0.2 * coverage when every word of the query is in the entry and one is distinctive, else 0.

    >>> contained_score("rostec", "state rostec"), contained_score("group", "rostec group")
    (0.9, 0.0)
    """
    query, entry = set(query_key.split()), set(entry_key.split())
    if not query or not query <= entry or query <= GENERIC_WORDS:
        return 0.0
    return round(0.8 + 0.2 * len(query) / len(entry), 4)


def _one_word(evidence: str) -> bool:
    """True when either matched name (quoted in the evidence) has a one-word match key."""
    import re

    names = re.findall(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", evidence)[:2]
    return any(len(match_key(a or b).split()) == 1 for a, b in names)


def decide(score: float, method: str, threshold: float, review_band: float) -> str | None:
    """``match`` at or above the threshold, ``review`` in the band below it, else None."""
    if method == "identifier-conflict":
        return None
    if score >= threshold:
        return "match"
    if score >= review_band:
        return "review"
    return None


def find_decisions(profiles: Sequence[Profile], threshold: float = DEFAULT_THRESHOLD,
                   review_band: float = DEFAULT_REVIEW_BAND) -> list[Decision]:
    """Decisions on every candidate pair among ``profiles`` (no store needed)."""
    if not 0.0 < review_band <= threshold <= 1.0:
        raise ValueError(f"need 0 < review band ({review_band}) <= threshold ({threshold}) <= 1")
    index = NameIndex(profiles)
    out = []
    for profile in profiles:
        for other_id in index.candidate_pairs(profile):
            if other_id < profile.id:
                continue  # each unordered pair once
            other = index.profiles[other_id]
            if other.type != profile.type:
                continue
            score, method, evidence = score_profiles(profile, other)
            verdict = decide(score, method, threshold, review_band)
            if verdict == "match" and profile.type == NodeType.PERSON.value and not method.startswith("identifier"):
                verdict = "review"  # people with the same or similar names are merged on identifiers only
                evidence += "; person without shared identifier: review"
            elif verdict == "match" and method == "fuzzy" and score < ONE_WORD_THRESHOLD and _one_word(evidence):
                verdict = "review"  # "Souriau" ~ "Souria": one-word names need a closer score
                evidence += f"; one-word name below {ONE_WORD_THRESHOLD}: review"
            if verdict:
                out.append(Decision(profile.id, other_id, score, method, verdict, evidence))
    return out


def _latest_resolver_decisions(store: GraphStore) -> dict[tuple[str, str], str]:
    frame = store.edge_frame([EdgeType.SAME_AS])
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    for source, target, key, props_text in frame[["source", "target", "key", "props"]].itertuples(
        index=False, name=None
    ):
        if not str(key).startswith("resolver:"):
            continue
        props = load_props(props_text)
        pair = (min(source, target), max(source, target))
        stamp = str(props.get("decided_at", ""))
        if pair not in latest or stamp > latest[pair][0]:
            latest[pair] = (stamp, str(props.get("decision", "")))
    return {pair: decision for pair, (_, decision) in latest.items()}


def resolve(store: GraphStore, threshold: float = DEFAULT_THRESHOLD, review_band: float = DEFAULT_REVIEW_BAND,
            types: Sequence[NodeType] = (NodeType.COMPANY, NodeType.PERSON), judgements: Sequence[Any] = (),
            decided_at: str | None = None, write: bool = True) -> ResolutionReport:
    """Resolve the entities of a store and write the decisions as SAME_AS edges.

    Only changed decisions are written (a re-run on the same data writes nothing); a pair
    linked by an earlier run that no longer scores gets a ``no_match`` decision. Judgements
    (see :mod:`ingest.judgements`) are written as ``judgement:<decided_at>`` edges and win.

    Args:
        store: the graph store.
        threshold: score at or above which a pair is merged.
        review_band: lowest score of pairs kept for a person to review.
        types: node types to resolve (pairs never cross types).
        judgements: a person's decisions to record.
        decided_at: timestamp of this run (default: now, UTC).
        write: False for a dry run.
    """
    from ingest.judgements import judgement_edges

    stamp = decided_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    report = ResolutionReport()
    records: list[Edge] = []
    previous = _latest_resolver_decisions(store)
    for node_type in types:
        profiles = profiles_from_store(store, [node_type])
        report.profiles += len(profiles)
        decisions = find_decisions(profiles, threshold, review_band)
        seen = set()
        for d in decisions:
            seen.add((d.left, d.right))
            report.decisions.append(d)
            if previous.get((d.left, d.right)) == d.decision:
                report.unchanged += 1
            else:
                records.append(d.edge(stamp, threshold, review_band))
        by_id = {p.id: p for p in profiles}
        for (left, right), old in previous.items():
            if old in ("match", "review") and (left, right) not in seen and left in by_id and right in by_id:
                score, method, evidence = score_profiles(by_id[left], by_id[right])
                gone = Decision(left, right, score, method, "no_match", evidence)
                report.decisions.append(gone)
                records.append(gone.edge(stamp, threshold, review_band))
    known = set(store.node_frame()["id"])
    judged = judgement_edges(judgements, known)
    report.judgements = len(judged)
    records.extend(judged)
    if write and records:
        report.written = store.write(records)
    return report
