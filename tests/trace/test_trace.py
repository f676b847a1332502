"""Trace, queries and CLI on the planted world: chains found, decoys not, same answers every time."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cli import main
from graph.queries import chokepoints, find_entities, flows, hubs, neighbourhood
from graph.stores.embedded import EmbeddedStore
from graph.trace import TraceQuery, trace
from graph.traceindex import index_of

from . import planted as w
from .reference import reference_trace


SUNRISE = min(w.SUNRISE.id, w.SUNRISE_ALIAS.id)  # canonical id of the merged pair


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    s = EmbeddedStore(tmp_path_factory.mktemp("planted") / "store")
    s.write(w.records())
    return s


def found(store: EmbeddedStore, **kw: object) -> set[tuple[str, ...]]:
    return {p.edge_ids for p in trace(store, TraceQuery(**kw)).paths}  # type: ignore[arg-type]


def test_default_trace_finds_planted_chains_and_no_decoy(store: EmbeddedStore) -> None:
    result = trace(store)
    assert {p.edge_ids for p in result.paths} == {w.ids(w.A), w.ids(w.B)}
    assert result.total_found == 2
    best = result.paths[0]
    assert best.edge_ids == w.ids(w.A)  # higher confidence and value than B
    assert best.node_ids[1] == SUNRISE  # the alias merged into the canonical (smallest) id
    assert [h.date for h in best.hops] == ["2023-01-10", "2023-02-15", "2023-03"]
    assert best.hops[0].part_number == "TMS320F28335" and best.hops[0].chpl_tier == "1"
    assert all(len(ev) == 1 and ev[0].source == w.SRC for ev in best.explanation)
    assert result.node_ids() == sorted(set(best.node_ids) | set(result.paths[1].node_ids))


def test_constraints_switch_decoys_on_and_off(store: EmbeddedStore) -> None:
    assert found(store, include_text=False) == {w.ids(w.A)}
    assert found(store, dwell_days=None) == {w.ids(w.A), w.ids(w.B), w.ids(w.C), w.ids(w.E)}
    assert found(store, dwell_days=None, continuity="off") >= {w.ids(w.D)}
    assert found(store, via_countries=("TR",)) == {w.ids(w.B)}
    assert found(store, goods=("cat:integrated_circuits",), max_hops=2) == {w.ids(w.B)}
    assert found(store, goods=("pn:tms320f28335",), continuity="off", dwell_days=None) == set()
    assert found(store, min_confidence=0.6) == {w.ids(w.A)}
    assert found(store, since="2023-04") == {w.ids(w.B)}
    assert found(store, until="2023-03") == {w.ids(w.A)}
    assert found(store, min_value=50_000) == {w.ids(w.A)}
    assert found(store, origins=(w.ROMASHKA.id,), destinations=(w.RADIOZAVOD.id,)) == {w.ids(w.A)[2:], w.ids(w.C)[2:]}


def test_engine_matches_reference_on_planted_world(store: EmbeddedStore) -> None:
    for query in (TraceQuery(), TraceQuery(dwell_days=None, continuity="off"), TraceQuery(via_countries=("HK",))):
        expected = dict(reference_trace(store, query))
        got = {p.edge_ids: p.score for p in trace(store, query).paths}
        assert got.keys() == expected.keys()
        assert all(got[k] == pytest.approx(expected[k], abs=1e-8) for k in got)


def test_same_data_same_order(store: EmbeddedStore, tmp_path: Path) -> None:
    query = TraceQuery(dwell_days=None, continuity="off", max_hops=4)
    first = [p.edge_ids for p in trace(store, query).paths]
    other = EmbeddedStore(tmp_path / "again")
    other.write(reversed(w.records()))
    assert [p.edge_ids for p in trace(other, query).paths] == first
    scores = [p.score for p in trace(store, query).paths]
    assert scores == sorted(scores, reverse=True)


def test_index_is_cached_per_generation(store: EmbeddedStore, tmp_path: Path) -> None:
    assert index_of(store) is index_of(store)
    fresh = EmbeddedStore(tmp_path / "grow")
    fresh.write(w.records())
    before = index_of(fresh)
    fresh.write([w.ship(w.ROMASHKA, w.KUPOL, "x1", "2023-03-05", "854231", 1.0)])
    assert index_of(fresh) is not before
    assert trace(fresh).total_found == 3


def test_bad_queries_are_clear_errors(store: EmbeddedStore) -> None:
    with pytest.raises(ValueError, match="goods filter"):
        trace(store, TraceQuery(goods=("chips",)))
    with pytest.raises(ValueError, match="since"):
        trace(store, TraceQuery(since="last week"))
    with pytest.raises(ValueError, match="unknown origin"):
        trace(store, TraceQuery(origins=("company:nope",)))
    with pytest.raises(ValueError, match="continuity"):
        trace(store, TraceQuery(continuity="loose"))


def test_queries_on_planted_world(store: EmbeddedStore) -> None:
    assert find_entities(store, "sunrise hk")[0].node_id == w.SUNRISE.id
    assert find_entities(store, "Radiozavod")[0].name == "Radiozavod JSC"
    hub = hubs(store)
    assert set(hub["node_id"]) == {SUNRISE, w.ROMASHKA.id, w.ANKA.id}
    assert hub.iloc[0]["node_id"] == SUNRISE and hub.iloc[0]["pass_through_value"] == 110_000.0
    romashka = hub.set_index("node_id").loc[w.ROMASHKA.id]
    assert romashka["listed"] == ["Entity List since 2023-11-02"]
    assert hub.set_index("node_id").loc[SUNRISE, "registered"] == "2022-06-01"
    choke = chokepoints(store, TraceQuery(dwell_days=None))
    assert choke.iloc[0]["node_id"] in {SUNRISE, w.ROMASHKA.id}
    assert choke.iloc[-1]["cumulative_share"] == 1.0
    table = flows(store, goods=("8542",), period="year")
    by_pair = table.groupby(["source_country", "target_country"])["value_usd"].sum().to_dict()
    assert by_pair[("US", "HK")] == 120_000.0 and ("TR", "RU") not in by_pair  # B's last hop is text
    hood = neighbourhood(store, w.ANKA.id)
    assert {e.id for e in hood.edges} >= set(w.ids(w.B)) and all(e.evidence for e in hood.edges)


def run_cli(store: EmbeddedStore, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main([*args, "--store", str(store.path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_trace_formats(store: EmbeddedStore, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(store, "trace", capsys=capsys)
    assert code == 0 and "Texas Instruments > SUNRISE TRADING LIMITED > Romashka LLC > Radiozavod JSC" in out
    assert "2 of 2 paths" in err
    code, out, _ = run_cli(store, "trace", "--format", "json", "--origin", "Analog Devices", capsys=capsys)
    paths = json.loads(out)
    assert [h["edge_id"] for h in paths[0]["hops"]] == list(w.ids(w.B))
    assert paths[0]["hops"][1]["evidence"][0]["confidence"] == 0.5
    code, out, _ = run_cli(store, "trace", "--format", "csv", "--no-time-order", "--via", "HK,TR", capsys=capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["edge_ids"] for r in rows} == {" ".join(w.ids(c)) for c in (w.A, w.B, w.C)}


def test_cli_analysis_commands(store: EmbeddedStore, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(store, "hubs", "--format", "json", capsys=capsys)
    assert code == 0 and json.loads(out)[0]["node_id"] == SUNRISE
    code, out, _ = run_cli(store, "chokepoints", "--top", "2", capsys=capsys)
    assert code == 0 and "cuts" in out
    code, out, _ = run_cli(store, "entity", "Anka Elektronik", capsys=capsys)
    assert code == 0 and "Kupol Plant" in out
    code, out, _ = run_cli(store, "flows", "--period", "quarter", "--format", "csv", capsys=capsys)
    assert code == 0 and "2023Q1,US,HK,integrated_circuits" in out
    code, _, err = run_cli(store, "trace", "--goods", "chips", capsys=capsys)
    assert code == 1 and "unknown goods filter" in err
    code, _, err = run_cli(store, "trace", "--origin", "Zzyzx Unknown Corp", capsys=capsys)
    assert code == 1 and "no entity matches" in err
