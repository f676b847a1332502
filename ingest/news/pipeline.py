"""The news pipeline, configured in one place (:data:`PIPELINE_CONFIG`).

``spacy.blank("en")`` + sentencizer + ``transship_gazetteer`` + ``transship_names`` + ``transship_claims``.
A statistical model is used only when its package is installed (``spacy.util.is_package``); it is never
downloaded. Without it the pipeline works on rules alone and says so in ``doc._.notes`` and the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span

from ingest.news.claims import ClaimFinder
from ingest.news.gazetteer import country_aliases, goods_terms, known_companies, list_terms  # noqa: F401 (registry)
from ingest.news.gazetteer_component import Gazetteer
from ingest.news.names import NameFinder
from ingest.news.names_index import KnownName

log = logging.getLogger(__name__)

# The one place the pipeline is configured: tables by registry name, components and the optional model.
PIPELINE_CONFIG: dict[str, Any] = {
    "tables": {
        "countries": "transship.country_aliases.v1",
        "goods": "transship.goods_terms.v1",
        "lists": "transship.lists.v1",
        "companies": "transship.known_companies.v1",
    },
    "model": {"package": "en_core_web_sm", "use": True, "components": ["tok2vec", "tagger", "parser", "ner"]},
    "max_length": 6_000_000,
}
# Legal forms ending in a dot that must not end a sentence ("Mikro-Tek Ltd. Şti., a Turkish company").
DOTTED_FORMS = ("Şti.", "ŞTİ.", "Sti.", "STI.", "Kft.", "o.o.", "Sp.", "S.A.", "A.Ş.", "B.V.", "N.V.", "S.R.L.", "S.L.",
                "S.R.O.", "s.r.o.", "S.p.A.", "L.L.C.", "Tic.", "San.", "Ltd.", "Co.", "Inc.", "Corp.")
MISSING_MODEL_NOTE = ("no statistical model installed ({package}): names come from the gazetteer and rules only, "
                      "claims from token patterns (no dependency parse); install the package to add them")


def _register_extensions() -> None:
    for name, default in (("claims", None), ("notes", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("canonical", "country", "country_rule", "located"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


_register_extensions()


def _table(name: str) -> Any:
    return spacy.registry.misc.get(name)()


@Language.factory("transship_gazetteer", default_config={
    "countries": "transship.country_aliases.v1", "goods": "transship.goods_terms.v1",
    "lists": "transship.lists.v1", "companies": "transship.known_companies.v1"})
def make_gazetteer(nlp: Language, name: str, countries: str, goods: str, lists: str, companies: str) -> Gazetteer:
    """Phrase matches for countries, goods, lists/agencies and known names (tables named by registry)."""
    return Gazetteer(nlp, _table(countries), _table(goods), _table(lists), _table(companies))


@Language.factory("transship_names", default_config={"use_model_entities": True})
def make_names(nlp: Language, name: str, use_model_entities: bool) -> NameFinder:
    """Company and person names from rules (legal forms, bold, cues), with aliases and countries."""
    return NameFinder(nlp, use_model_entities)


@Language.factory("transship_claims")
def make_claims(nlp: Language, name: str) -> ClaimFinder:
    """Supply, ownership, location and listing claims over sentences."""
    return ClaimFinder(nlp)


def model_available(package: str) -> bool:
    """True when the model package is installed (never downloads anything)."""
    return bool(spacy.util.is_package(package))


def build_pipeline(known_names: Iterable[KnownName] = (), config: dict[str, Any] | None = None,
                   use_model: bool | None = None) -> Language:
    """The news pipeline; ``known_names`` (graph names and aliases) become gazetteer patterns.

    ``use_model`` None follows the config; a missing model is reported in ``nlp.meta["transship_notes"]``.
    """
    config = config or PIPELINE_CONFIG
    model = config["model"]
    notes: list[str] = []
    want_model = model["use"] if use_model is None else use_model
    if want_model and model_available(model["package"]):
        nlp = spacy.load(model["package"], exclude=[c for c in ("lemmatizer", "attribute_ruler", "senter")])
        notes.append(f"statistical model: {model['package']} {nlp.meta.get('version', '')}".strip())
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        if want_model:
            notes.append(MISSING_MODEL_NOTE.format(package=model["package"]))
            log.info(notes[-1])
    nlp.max_length = config["max_length"]
    tokenizer: Any = nlp.tokenizer
    for form in DOTTED_FORMS:
        tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("transship_gazetteer", config=dict(config["tables"]))
    nlp.add_pipe("transship_names")
    nlp.add_pipe("transship_claims")
    nlp.meta["transship_notes"] = notes
    names = list(known_names)
    if names:
        with nlp.select_pipes(enable=["transship_gazetteer"]):
            gazetteer: Any = nlp.get_pipe("transship_gazetteer")
            gazetteer.add_names(names)
    return nlp


def pipeline_notes(nlp: Language) -> list[str]:
    """What the pipeline lacks or uses (missing model ...), for logs and CLI output."""
    return list(nlp.meta.get("transship_notes", []))
