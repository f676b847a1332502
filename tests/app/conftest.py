"""Fixtures for the app tests: a small store built from files in fixtures/."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, node_id
from graph.stores import open_store
from ingest.customs import load_canonical
from ingest.keys import company_key
from ingest.quarantine import Quarantine

FIXTURES = Path(__file__).parent / "fixtures"
ROLES_SOURCE = "test:roles.csv"


def role_records(path: Path) -> Iterator[Node | Edge]:
    """Roles and listings of the small world (what list loaders and the demo add in real use)."""
    with open(path, encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            ev = (Evidence(ROLES_SOURCE, f"row {number}", "test-roles/1", 0.9, "2023-01-01",
                           f"{row['name']} {row['role']} {row['reason']}".strip()),)
            key = company_key(row["name"], row["country"] or None, row["identifier"] or None)
            props: dict[str, list[str]] = {}
            if row["role"]:
                props = {"roles": [row["role"]], "role_reasons": [f"{row['role']}: {row['reason']} [{ROLES_SOURCE}]"]}
            company = Node(NodeType.COMPANY, key, row["name"], row["country"] or None, props, ev)
            yield company
            if row["listing"]:
                listing = Node(NodeType.LISTING, f"list:{row['listing'].lower()}", row["listing"], None, {}, ev)
                yield listing
                yield Edge(EdgeType.LISTED_ON, company.id, listing.id, date="2023-06-01",
                           props={"list": row["listing"], "start_date": "2023-06-01"}, evidence=ev)


def build_small_world(location: Path) -> str:
    """Write the small world (customs rows + roles) into an embedded store at ``location``."""
    store = open_store(location)
    with Quarantine() as quarantine:
        store.write(quarantine.filter(load_canonical(FIXTURES / "small_world.csv")))
    assert quarantine.rejected == 0
    store.write(role_records(FIXTURES / "roles.csv"))
    store.close()
    return str(location)


@pytest.fixture(scope="session")
def small_store_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A read-only small store shared by the tests that only query it."""
    return build_small_world(tmp_path_factory.mktemp("world") / "store")


@pytest.fixture()
def fresh_store_path(tmp_path: Path) -> str:
    """A small store of one's own, for tests that write (ingest)."""
    return build_small_world(tmp_path / "store")


def romashka_id() -> str:
    return node_id(NodeType.COMPANY, "inn:7722476458")
