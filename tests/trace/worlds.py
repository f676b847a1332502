"""Hypothesis strategies for small random worlds and trace queries, and a store builder."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, node_id
from graph.stores.embedded import EmbeddedStore
from graph.trace import TraceQuery

COUNTRIES = ("US", "CN", "HK", "TR", "RU")
DATES = ("2023-01-05", "2023-01-20", "2023-02", "2023-02-10", "2023-03-15", "2023-06-30", "2023-07", "2024-01-01",
         "2023", None)
HS = ("854231", "8542310000", "854231", "854232", "852691", "8542", None)
PARTS = (None, None, "XC7Z020", "stm32 ")
VALUES = (None, 0.0, 500.0, 20_000.0, 1_000_000.0)
CONFIDENCES = (0.3, 0.6, 0.95)
GOODS = ("8542", "854231", "tier:1", "tier:2", "cat:integrated_circuits", "cat:navigation_gnss", "pn:XC7Z020",
         "cat:capacitors")


def ev(locator: str, confidence: float = 1.0) -> Evidence:
    return Evidence("test:world", locator, "test/1", confidence)


def company_id(i: int) -> str:
    return node_id(NodeType.COMPANY, f"c{i}")


@dataclass
class World:
    """Records of a random world and handy ids."""

    records: list[Record] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)

    def store(self) -> EmbeddedStore:
        store = EmbeddedStore(tempfile.mkdtemp(prefix="trace-world-") + "/s")
        store.write(self.records)
        return store


@st.composite
def worlds(draw: Any, max_companies: int = 6, max_edges: int = 12) -> World:
    world = World()
    for code in COUNTRIES:
        world.records.append(Node(NodeType.COUNTRY, code, code, evidence=(ev(f"country {code}"),)))
    n = draw(st.integers(3, max_companies))
    for i in range(n):
        # company 0 tends to be a US maker and the last one a Russian defense buyer, so paths exist
        usual_country = "US" if i == 0 else "RU" if i == n - 1 else draw(st.sampled_from(COUNTRIES[1:]))
        ends = i in (0, n - 1)
        country = usual_country if ends else draw(st.sampled_from((*COUNTRIES, None)))
        usual_roles = ["manufacturer"] if i == 0 else ["defense_buyer"] if i == n - 1 else []
        roles = usual_roles if ends else draw(st.lists(
            st.sampled_from(("manufacturer", "defense_buyer", "distributor")), max_size=2, unique=True))
        as_edge = draw(st.booleans())
        props = {"roles": roles} if roles else {}
        node = Node(NodeType.COMPANY, f"c{i}", f"Company {i}", None if as_edge else country, props,
                    (ev(f"company {i}"),))
        world.records.append(node)
        world.companies.append(node.id)
        if as_edge and country:
            world.records.append(Edge(EdgeType.LOCATED_IN, node.id, node_id(NodeType.COUNTRY, country),
                                      evidence=(ev(f"located {i}"),)))
    # a backbone 0 -> 1 -> ... -> n-1 (with gaps), doubled links and random extra edges
    backbone = [(i, i + 1) for i in range(n - 1) for _ in range(draw(st.sampled_from((1, 2, 1, 0))))]
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=max_edges))
    for j, (s, t) in enumerate([*backbone, *extra]):
        hs = draw(st.sampled_from(HS))
        part = draw(st.sampled_from(PARTS))
        confs = draw(st.lists(st.sampled_from(CONFIDENCES), min_size=1, max_size=2))
        world.records.append(Edge(
            draw(st.sampled_from((EdgeType.SHIPPED, EdgeType.SHIPPED, EdgeType.SUPPLIES))),
            company_id(s), company_id(t), key=f"k{j}", date=draw(st.sampled_from(DATES)),
            hs_code=hs, value_usd=draw(st.sampled_from(VALUES)),
            origin_country=draw(st.sampled_from((None, "US", "CN"))),
            props={"part_number": part} if part else {},
            evidence=tuple(ev(f"edge {j} {k}", c) for k, c in enumerate(confs)),
        ))
    for j in range(draw(st.integers(0, 2))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            decision = draw(st.sampled_from(("match", "review", "confirmed")))
            world.records.append(Edge(EdgeType.SAME_AS, company_id(a), company_id(b), key=f"resolver:{j}",
                                      props={"decision": decision}, evidence=(ev(f"same {j}", 0.9),)))
    return world


@st.composite
def queries(draw: Any, world: World) -> TraceQuery:
    def often(default: Any, *others: Any) -> Any:
        return draw(st.one_of(st.just(default), st.just(default), st.just(default), st.sampled_from(others)))

    some = st.lists(st.sampled_from(world.companies), max_size=3, unique=True).map(tuple)
    return TraceQuery(
        origins=draw(st.one_of(st.just(()), st.just(()), some)),
        destinations=draw(st.one_of(st.just(()), st.just(()), some)),
        via_countries=often((), *[(c,) for c in COUNTRIES], ("CN", "HK")),
        goods=often((), *[(g,) for g in GOODS], ("854232", "pn:STM32")),
        max_hops=draw(st.integers(1, 4)),
        since=often(None, "2023-02", "2023-03-01"),
        until=often(None, "2023-06", "2024"),
        min_value=often(None, 0.0, 1000.0),
        dwell_days=draw(st.sampled_from((None, None, 0, 20, 180, 400))),
        continuity=draw(st.sampled_from(("hs6", "category", "off", "off"))),
        include_text=draw(st.booleans()),
        min_confidence=often(0.0, 0.5, 0.9),
        limit=100_000,
        with_evidence=False,
    )
