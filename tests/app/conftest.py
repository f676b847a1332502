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


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APP_FILE = Path(__file__).resolve().parents[2] / "app.py"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(small_store_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by ``streamlit run`` on a free localhost port over the small store."""
    import os
    import subprocess
    import time
    import urllib.request

    from commands.app import app_environment, streamlit_command

    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(streamlit_command(port, "127.0.0.1", APP_FILE), env=app_environment(small_store_path),
                                cwd=APP_FILE.parent, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 150
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start (exit {proc.poll()}): {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.environ.get("KEEP_STREAMLIT_LOG") and print(log.read_text())


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A page in Debian's headless Chromium driven by Playwright (fails clearly when Chromium is missing)."""
    import os

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install_browser.sh (apt-get install chromium) "
                    "before the browser tests", pytrace=False)
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1700},
        )
        context.set_default_timeout(90_000)  # a loaded CI machine renders slowly
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()
