"""Fixtures for the store contract: an embedded store and a store on a real Bolt server.

The Bolt server is started once per session with scripts/bolt_server.py (ArcadeDB from the pinned
``arcadedb-embedded`` package) on 127.0.0.1, or taken from NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD
(and NEO4J_DATABASE) when NEO4J_URI is set. If the server cannot start, the Bolt tests FAIL:
CI must prove the backend works, so there is no silent skip. Each test starts from an empty graph
(only transship's own labels are deleted, so a shared server keeps its other data).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graph.stores import GraphStore
from graph.stores.embedded import EmbeddedStore

STORE_KINDS = ("embedded", "bolt")


@dataclass(frozen=True)
class BoltTarget:
    uri: str
    user: str
    password: str
    database: str | None


@pytest.fixture(scope="session")
def bolt_target() -> Iterator[BoltTarget]:
    """A Bolt server for the whole session: $NEO4J_URI, else a local ArcadeDB started here."""
    if os.environ.get("NEO4J_URI"):
        yield BoltTarget(os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
                         os.environ.get("NEO4J_PASSWORD", ""), os.environ.get("NEO4J_DATABASE") or None)
        return
    from scripts.bolt_server import DATABASE, BoltServer, BoltServerError

    try:
        server = BoltServer().start(timeout=120)
    except BoltServerError as exc:
        pytest.fail(f"cannot start the local Bolt server (ArcadeDB) for the Neo4j tests:\n{exc}", pytrace=False)
    try:
        yield BoltTarget(server.uri, server.user, server.password, DATABASE)
    finally:
        server.stop()


def connect_bolt(target: BoltTarget):  # type: ignore[no-untyped-def]
    """A Neo4jStore on the target, emptied of transship data."""
    from graph.stores.neo4j import Neo4jStore

    store = Neo4jStore.connect(target.uri, target.user, target.password, target.database, batch_size=50)
    store.clear()
    return store


@pytest.fixture
def bolt_store(bolt_target: BoltTarget) -> Iterator[GraphStore]:
    store = connect_bolt(bolt_target)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The same test body on each backend."""
    if request.param == "embedded":
        embedded = EmbeddedStore(tmp_path / "store")
        yield embedded
        embedded.close()
        return
    request.applymarker(pytest.mark.bolt)
    yield request.getfixturevalue("bolt_store")
