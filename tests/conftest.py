"""Session-wide fixtures shared by several test folders.

The Bolt server lives here so that one pytest session starts one ArcadeDB (about 1 GB), whichever
folders (tests/neo4j, tests/exports, ...) ask for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.neo4j.target import BoltTarget


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
