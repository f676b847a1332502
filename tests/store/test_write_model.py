"""Writes of records and batches (aligned or not), repeated and overlapping, against a plain-Python model:
the first row of an edge id wins, an evidence key is kept once, confidence is the noisy-or of an owner's
evidence in the order it was added, and edges() keeps the order edges were first written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.batch import EdgeBatch
from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record
from graph.stores import WriteResult
from graph.stores.embedded import EVIDENCE_KEY, EmbeddedStore
from graph.stores.frames import evidence_stats
from tests.store.test_batch import batch_of

NODES = [Node(NodeType.COMPANY, f"k{i}", f"C{i}", "HK", evidence=(Evidence("doc:nodes", f"n{i}", "test/1", 0.8),))
         for i in range(4)]

evidence = st.builds(Evidence, source=st.sampled_from(["doc:a", "doc:b"]), locator=st.sampled_from(["1", "2"]),
                     extractor=st.just("test/1"), confidence=st.sampled_from([0.2, 0.5, 0.95, 1.0]))
edges = st.builds(lambda s, t, key, value, ev: Edge(EdgeType.SHIPPED, NODES[s].id, NODES[t].id, key,
                                                    value_usd=value, evidence=tuple(ev)),
                  st.integers(0, 3), st.integers(0, 3), st.sampled_from(["x", "y"]), st.sampled_from([1.0, 2.0]),
                  st.lists(evidence, min_size=1, max_size=2)).filter(lambda e: e.source != e.target)
node_updates = st.builds(lambda i, ev: Node(NodeType.COMPANY, f"k{i}", f"C{i}", "HK", evidence=(ev,)),
                         st.integers(0, 3), evidence)
# one write: a list of parts, each records or a batch (shuffled evidence makes a batch unaligned)
part = st.tuples(st.sampled_from(["records", "batch", "shuffled batch"]), st.lists(edges, max_size=5),
                 st.lists(node_updates, max_size=2))


def items_of(kind: str, part_edges: list[Edge], nodes: list[Node]) -> list[Record | EdgeBatch]:
    if kind == "records" or not part_edges:
        return [*nodes, *part_edges]
    batch = batch_of(part_edges)
    if kind == "shuffled batch":
        batch = EdgeBatch(batch.edges, batch.evidence.take(list(reversed(range(batch.evidence.num_rows)))))
    return [*nodes, batch]


class Model:
    """What the store should hold, kept with plain Python."""

    def __init__(self) -> None:
        self.edges: dict[str, Edge] = {}
        self.evidence: dict[tuple[str, ...], tuple[str, float]] = {}  # key -> (owner, confidence), in order

    def add(self, owner: str, ev: tuple[Evidence, ...]) -> int:
        added = 0
        for e in ev:
            key = (owner, e.source, e.locator, e.extractor)
            if key not in self.evidence:
                self.evidence[key] = (owner, e.confidence)
                added += 1
        return added

    def write(self, parts: list[tuple[str, list[Edge], list[Node]]]) -> tuple[int, int]:
        new_edges = added = 0
        for kind, part_edges, nodes in parts:
            for node in nodes:
                added += self.add(node.id, node.evidence)
            for edge in part_edges:
                if edge.id not in self.edges:
                    self.edges[edge.id] = edge
                    new_edges += 1
            staged = [(edge.id, ev) for edge in part_edges for ev in edge.evidence]
            for owner, ev in (reversed(staged) if kind == "shuffled batch" else staged):
                added += self.add(owner, (ev,))
        return new_edges, added


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(part, min_size=1, max_size=3), min_size=1, max_size=3))
def test_writes_match_the_model(tmp_path_factory: object, writes: list[list[tuple[str, list[Edge], list[Node]]]]
                                ) -> None:
    path = Path(tmp_path_factory.mktemp("model")) / "s"  # type: ignore[attr-defined]
    store, model = EmbeddedStore(path), Model()
    assert store.write(NODES).nodes_added == len(NODES)
    model.write([("records", [], NODES)])
    for parts in writes:
        items = [item for kind, part_edges, nodes in parts for item in items_of(kind, part_edges, nodes)]
        new_edges, added = model.write(parts)
        result = store.write(items)
        assert (result.edges_added, result.evidence_added) == (new_edges, added)
        assert store.write(items) == WriteResult(0, 0, 0, 0)  # writing it again adds nothing
    for view in (store, EmbeddedStore(path)):
        assert [e.id for e in view.edges()] == list(model.edges)
        frame = view.edge_frame()
        assert frame["id"].tolist() == sorted(model.edges)
        assert frame["value_usd"].tolist() == [model.edges[i].value_usd for i in sorted(model.edges)]
        kept = view.evidence_frame()[EVIDENCE_KEY]
        assert list(kept.itertuples(index=False, name=None)) == list(model.evidence)
        rows = list(model.evidence.values())
        expected = evidence_stats([o for o, _ in rows], [c for _, c in rows]).reindex(frame["id"])
        pd.testing.assert_series_equal(frame["confidence"], expected["confidence"].reset_index(drop=True),
                                       check_names=False, check_exact=True)
        assert frame["n_evidence"].tolist() == expected["n_evidence"].tolist()
