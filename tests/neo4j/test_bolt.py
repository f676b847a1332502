"""What only the Neo4j store has: connecting, credentials, schema version, Cypher safety, push, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import cli
from graph.schema import SCHEMA_VERSION, EdgeType, Node, NodeType
from graph.stores import StoreError, WriteResult, open_store
from graph.stores import cypher_model as cm
from graph.stores.embedded import EmbeddedStore
from graph.stores.neo4j import Neo4jStore
from tests.neo4j.target import BoltTarget
from tests.neo4j.world import HOSTILE, ev, world

pytestmark = pytest.mark.bolt


@pytest.fixture
def bolt_env(bolt_target: BoltTarget, monkeypatch: pytest.MonkeyPatch) -> BoltTarget:
    monkeypatch.setenv("NEO4J_USER", bolt_target.user)
    monkeypatch.setenv("NEO4J_PASSWORD", bolt_target.password)
    if bolt_target.database:
        monkeypatch.setenv("NEO4J_DATABASE", bolt_target.database)
    return bolt_target


def test_wrong_password_is_a_clear_error_without_the_secret(
        bolt_env: BoltTarget, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    secret = "wrong-" + "p4ss" * 3
    with pytest.raises(StoreError, match="refused the credentials") as info:
        Neo4jStore.connect(bolt_env.uri, bolt_env.user, secret, bolt_env.database)
    assert secret not in str(info.value)
    monkeypatch.setenv("NEO4J_PASSWORD", secret)
    assert cli.main(["stats", "--store", bolt_env.uri]) == 1
    err = capsys.readouterr().err
    assert "refused the credentials" in err and secret not in err


def test_unreachable_server_and_missing_password(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.bolt_server import free_port

    with pytest.raises(StoreError, match="cannot reach Neo4j at bolt://127.0.0.1"):
        Neo4jStore.connect(f"bolt://127.0.0.1:{free_port()}", "neo4j", "x")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(StoreError, match="set NEO4J_PASSWORD"):
        Neo4jStore.connect("bolt://127.0.0.1:1")


def test_other_schema_version_is_refused(bolt_store: Neo4jStore, bolt_target: BoltTarget) -> None:
    marker = f"MATCH (m:{cm.META_LABEL} {{id: $id}}) SET m.version = $v"
    bolt_store._write(marker, id=cm.META_ID, v=SCHEMA_VERSION + 1)
    try:
        with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}"):
            Neo4jStore.connect(bolt_target.uri, bolt_target.user, bolt_target.password, bolt_target.database)
    finally:
        bolt_store._write(marker, id=cm.META_ID, v=SCHEMA_VERSION)
    assert bolt_store.ensure_schema() == []  # idempotent; the server accepts every constraint and index


def test_only_enum_names_reach_cypher_text() -> None:
    assert cm.label(NodeType.COMPANY) == "`Company`" and cm.rel_type("SHIPPED") == "`SHIPPED`"
    for bad in ("Company`) DETACH DELETE n //", "company", "Evidence"):
        with pytest.raises(ValueError):
            cm.label(bad)
    assert cm.type_of_node_id("company:abc") is NodeType.COMPANY and cm.type_of_node_id("x") is None


def test_injection_looking_values_stay_data(bolt_store: Neo4jStore) -> None:
    bolt_store.write(world())
    before = bolt_store.counts()
    nasty = [Node(NodeType.COMPANY, f"name:{t}", t or "empty", None, {"aliases": [t]}, (ev(t or "src", 1),))
             for t in HOSTILE[2:4]]
    assert bolt_store.write(nasty) == WriteResult(2, 0, 0, 2)
    after = bolt_store.counts()
    assert after["nodes"] == before["nodes"] + 2 and after["edges"] == before["edges"]
    assert {n.name for n in bolt_store.nodes(NodeType.COMPANY)} >= set(HOSTILE[2:4])


def test_props_are_mirrored_for_analysts(bolt_store: Neo4jStore) -> None:
    bolt_store.write(world())
    rows = bolt_store._read("MATCH (n:`Company`) WHERE 'defense_buyer' IN n.roles RETURN n.name")
    assert rows == [["AO Missile Works"]]
    rows = bolt_store._read("MATCH ()-[r:`SUPPLIES`]->() RETURN r.derivation, r.confidence, r.n_evidence")
    assert rows == [["text", 0.6, 1]]


def test_push_then_every_command_on_bolt(tmp_path: Path, bolt_env: BoltTarget, bolt_store: Neo4jStore,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    local = EmbeddedStore(tmp_path / "local")
    local.write(world())
    args = ["push", "--to", bolt_env.uri, "--from", str(tmp_path / "local"), "--batch-size", "7", "--format", "json"]
    assert cli.main(args) == 0
    pushed = json.loads(capsys.readouterr().out)[0]
    assert (pushed["records"], pushed["nodes_added"], pushed["edges_added"], pushed["evidence_added"]) == (23, 11, 12,
                                                                                                            23)
    assert cli.main(args) == 0
    assert json.loads(capsys.readouterr().out)[0]["evidence_added"] == 0
    remote = open_store(bolt_env.uri)
    try:
        pd.testing.assert_frame_equal(remote.node_frame(), local.node_frame())
        pd.testing.assert_frame_equal(remote.edge_frame(), local.edge_frame())
        pd.testing.assert_frame_equal(remote.edge_frame([EdgeType.SHIPPED]), local.edge_frame([EdgeType.SHIPPED]))
    finally:
        remote.close()
    assert cli.main(["stats", "--store", bolt_env.uri, "--format", "json"]) == 0
    on_bolt = json.loads(capsys.readouterr().out)
    assert cli.main(["stats", "--store", str(tmp_path / "local"), "--format", "json"]) == 0
    assert on_bolt == json.loads(capsys.readouterr().out)
    assert cli.main(["push", "--to", str(tmp_path), "--from", str(tmp_path / "local")]) == 1


def test_analyst_queries_in_the_docs_run(bolt_store: Neo4jStore) -> None:
    import re
    from pathlib import Path

    records = world()
    bolt_store.write(records)
    text = (Path(__file__).parents[2] / "docs" / "cypher.md").read_text("utf-8")
    queries = re.findall(r"```cypher\n(.*?)```", text, flags=re.S)
    assert len(queries) == 5
    params = {"id": records[1].id, "edge_id": records[11].id}
    results = [bolt_store._read(q, **{k: v for k, v in params.items() if f"${k}" in q}) for q in queries]
    chains = [row[0] for row in results[0]]
    assert ["Acme Chips Inc (US)", "Far East Trading Ltd (HK)", "Bosphorus Elektronik Ltd Sti (TR)",
            "OOO Import Front (RU)", "AO Missile Works (RU)"] in chains
    assert ["Acme Chips Inc (US)", "Far East Trading Ltd (HK)", "AO Missile Works (RU)"] in chains
    assert results[1] == []  # no single-intermediary US -> X -> RU shipment in the small world
    assert len(results[2]) == 4 and all(row[-1] for row in results[2])
    assert results[3][0][:3] == ["AO Missile Works", "RU", "BIS Entity List"]
    assert results[4][0][0] == "customs:demo.csv"


def test_password_prompt_on_a_terminal(bolt_target: BoltTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or bolt_target.password)
    store = Neo4jStore.connect(bolt_target.uri, bolt_target.user, None, bolt_target.database)
    store.close()
    assert asked == [f"Neo4j password for {bolt_target.user} at {bolt_target.uri}: "]


def test_server_script_explains_a_missing_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts import bolt_server

    monkeypatch.setattr(bolt_server.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(bolt_server.BoltServerError, match="arcadedb-embedded==26.10.2.post1"):
        bolt_server.find_installation()
    assert bolt_server.main(["check"]) == 1
