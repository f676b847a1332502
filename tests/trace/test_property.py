"""The fast engine returns exactly the brute-force reference's paths, under every constraint."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.trace import TraceQuery, trace

from .reference import reference_trace
from .worlds import queries, worlds

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(data=st.data())
def test_engine_equals_reference(data: st.DataObject) -> None:
    world = data.draw(worlds())
    store = world.store()
    try:
        for _ in range(6):
            query = data.draw(queries(world))
            expected = dict(reference_trace(store, query))
            result = trace(store, query)
            got = {p.edge_ids: p.score for p in result.paths}
            assert set(got) == set(expected), query
            assert result.total_found == len(expected)
            for ids, score in got.items():
                assert score == pytest.approx(expected[ids], abs=1e-8)
    finally:
        shutil.rmtree(store.path.parent, ignore_errors=True)


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_limit_is_a_prefix_of_the_full_ranking(data: st.DataObject) -> None:
    world = data.draw(worlds(max_edges=30))
    store = world.store()
    try:
        query = TraceQuery(dwell_days=None, continuity="off", max_hops=data.draw(st.integers(1, 4)), limit=100_000)
        full = trace(store, query)
        cut = data.draw(st.integers(0, 5))
        limited = trace(store, TraceQuery(**{**query.__dict__, "limit": cut}))
        assert [p.edge_ids for p in limited.paths] == [p.edge_ids for p in full.paths][:cut]
        assert limited.total_found == full.total_found
        scores = [p.score for p in full.paths]
        assert scores == sorted(scores, reverse=True)
    finally:
        shutil.rmtree(store.path.parent, ignore_errors=True)
