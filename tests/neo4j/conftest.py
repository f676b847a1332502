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
from pathlib import Path

import pytest

from graph.stores import GraphStore
from graph.stores.embedded import EmbeddedStore
from tests.neo4j.target import BoltTarget

STORE_KINDS = ("embedded", "bolt")


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
    """A Neo4jStore on the target."""
    from graph.stores.neo4j import Neo4jStore

    return Neo4jStore.connect(target.uri, target.user, target.password, target.database, batch_size=50)


@pytest.fixture(scope="session")
def bolt_session_store(bolt_target: BoltTarget) -> Iterator[GraphStore]:
    """One connection for the session (connecting costs a few round trips)."""
    store = connect_bolt(bolt_target)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def bolt_store(bolt_session_store: GraphStore) -> GraphStore:
    """The session's Neo4j store, emptied of transship data (small batches, to exercise batching)."""
    bolt_session_store.clear()  # type: ignore[attr-defined]
    bolt_session_store.batch_size = 50  # type: ignore[attr-defined]
    return bolt_session_store


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
