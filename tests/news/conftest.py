"""Shared fixtures of the news tests: one rules-only pipeline per session, fixture paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from ingest.news import build_pipeline

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The news pipeline on spacy.blank("en") (no statistical model, so tests are fast and stable)."""
    return build_pipeline(use_model=False)


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES
