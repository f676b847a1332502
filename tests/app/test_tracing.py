"""Trace page logic: form → query (names resolved), result → ranked-path and hop tables, layout."""

from __future__ import annotations

import pytest

from app_support import tracing
from app_support.entities import SearchIndex
from graph.schema import NodeType, node_id
from graph.stores import open_store

EAGLE = node_id(NodeType.COMPANY, "inn:6600112233")
TI_CHAIN = ("Texas Instruments Inc → Global Parts Distribution LLC → Sky Bright Trading Ltd → OOO Romashka → "
            "JSC Radio Instrument Plant")


@pytest.fixture(scope="module")
def store(small_store_path: str):
    return open_store(small_store_path, create=False)


@pytest.fixture(scope="module")
def index(store) -> SearchIndex:
    return SearchIndex.build(store)


def test_trace_via_hong_kong_gives_ranked_tables(store, index) -> None:
    result = tracing.run_trace(store, tracing.TraceForm(via_countries=("HK",)), index)
    table = tracing.paths_table(store, result.paths)
    assert TI_CHAIN in set(table["route"])
    assert all("HK" in c.split(" → ")[1:-1] for c in table["countries"])
    assert list(table["score"]) == sorted(table["score"], reverse=True)
    ti = table[table["route"] == TI_CHAIN].iloc[0]
    assert (ti["hops"], ti["first"], ti["last"], ti["value_usd"]) == (4, "2023-01-10", "2023-04-12", 60000.0)
    hops = tracing.hops_table(store, result.paths)
    assert len(hops) == int(table["hops"].sum())
    assert hops.groupby("path")["date"].apply(lambda d: list(d) == sorted(d)).all()  # time order
    node_ids, edge_ids = tracing.path_ids(result.paths)
    assert len(edge_ids) == len(set(hops["edge_id"]))
    positions = tracing.path_positions(result.paths)
    assert set(positions) == set(node_ids)
    assert {positions[p.node_ids[0]][0] for p in result.paths} == {0.0}  # origins in the first column


def test_destination_by_name_and_unknown_names(store, index) -> None:
    result = tracing.run_trace(store, tracing.TraceForm(destinations=("Eagle Drone Works",)), index)
    assert result.paths and {p.node_ids[-1] for p in result.paths} == {EAGLE}
    with pytest.raises(tracing.UnknownEntity, match="qqqq"):
        tracing.run_trace(store, tracing.TraceForm(origins=("qqqq zzzz",)), index)


def test_form_is_hashable_and_maps_to_the_query() -> None:
    form = tracing.TraceForm(via_countries=("HK", "TR"), goods=("tier:1",), dwell_days=None, max_hops=3)
    assert hash(form) == hash(tracing.TraceForm(via_countries=("HK", "TR"), goods=("tier:1",), dwell_days=None,
                                                max_hops=3))
    query = form.to_query(("company:a",), ())
    assert query.origins == ("company:a",) and query.via_countries == ("HK", "TR")
    assert query.dwell_days is None and query.max_hops == 3 and query.goods == ("tier:1",)
