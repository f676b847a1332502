"""A small store with one chain of every route shape we export, laced with hostile strings.

The world is synthetic (names invented here); HOSTILE holds what breaks naive
writers: XML specials, quotes, backslashes, newlines, control characters, RTL and
bidi overrides, emoji, Cypher and Markdown syntax. BIG is a 100 KB excerpt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType
from graph.stores.embedded import EmbeddedStore
from graph.trace import Hop, TracePath, TraceQuery, TraceResult

HOSTILE = (
    "<b>&amp; \"quoted\" 'single' \\back\\slash\\' ]]> --> <!-- x --> line1\nline2\r\nCRLF\ttab "
    "\x00nul\x01\x1b\x7f RTL: שלום \u202eevil\u202c مرحبا emoji 🚀🇷🇺 `tick` $param {a: 1}; "
    "MATCH (n) DETACH DELETE n // *md* _x_ [link](http://evil.example) <script>alert(1)</script>"
)
BIG = "Ж" * 50_000 + "A" * 50_000


def ev(source: str, locator: str, confidence: float = 0.9, observed: str | None = None,
       excerpt: str | None = None, extractor: str = "fixture/1") -> Evidence:
    return Evidence(source, locator, extractor, confidence, observed, excerpt)


def company(key: str, name: str, country: str, **props: object) -> Node:
    return Node(NodeType.COMPANY, key, name, country, props, (ev("registry:fixture", f"key {key}", 1.0),))


@dataclass
class World:
    """Handles to the fixture store and the ids a test needs."""

    store: EmbeddedStore
    ids: dict[str, str] = field(default_factory=dict)
    chain: list[str] = field(default_factory=list)  # edge ids of the traced path, in order


def build_records() -> tuple[list[Node], list[Edge], dict[str, str], list[str]]:
    maker = company("lei:FIXTUREMAKER0000001", "Lone Star Semiconductors", "US", roles=["manufacturer"],
                    identifiers=["lei:FIXTUREMAKER0000001"], address=["1 Fab Road, Austin, TX"])
    hk = company("name:harbour|HK", "Harbour Bright Trading Ltd", "HK", registered="2022-05-03",
                 aliases=["Harbour Bright", "港明贸易有限公司"])
    tr = company("name:hostile|TR", HOSTILE, "TR", aliases=[HOSTILE, "Köprü Dış Ticaret Ltd Şti"],
                 note={"nested": [1, 2]}, flag=True, rank=3)
    ru = company("inn:7722476458", "OOO Vektor", "RU", identifiers=["inn:7722476458", "ogrn:1027700000001",
                                                                    "kpp:770001001"])
    buyer = company("inn:7700000002", "AO Zenit Defense Works", "RU", roles=["defense_buyer"],
                    role_reasons=["defense_buyer: listed for military end use [bis:entity-list]"],
                    identifiers=["inn:7700000002"])
    person = Node(NodeType.PERSON, "name:ivanov", "Ivan Ivanov", "RU", {},
                  (ev("news:https://news.example/a", "chars 10-40", 0.6),))
    countries = [Node(NodeType.COUNTRY, c, n, c, {}, (ev("iso3166", c, 1.0),))
                 for c, n in (("US", "United States"), ("HK", "Hong Kong"), ("TR", "Türkiye"), ("RU", "Russia"))]
    good = Node(NodeType.GOOD, "hs6:854231", "Processors and controllers", None,
                {"hs6": "854231", "chpl_tier": 1, "category": "integrated circuits"}, (ev("hs2022", "854231", 1.0),))
    weapon = Node(NodeType.WEAPON, "name:orlan-x", "Orlan-X drone", "RU", {}, (ev("teardown:fixture", "item 4", 0.8),))
    listing = Node(NodeType.LISTING, "bis:entity-list", "BIS Entity List", "US", {"program": "EAR 744"},
                   (ev("bis:entity-list", "supplement 4", 1.0),))
    doc = Node(NodeType.DOCUMENT, "https://news.example/a", "Report on drone parts", None, {},
               (ev("news:https://news.example/a", "whole document", 1.0),))
    nodes = [maker, hk, tr, ru, buyer, person, *countries, good, weapon, listing, doc]
    ids = {"maker": maker.id, "hk": hk.id, "tr": tr.id, "ru": ru.id, "buyer": buyer.id, "person": person.id,
           "good": good.id, "weapon": weapon.id, "listing": listing.id, "doc": doc.id,
           **{f"country_{c.key}": c.id for c in countries}}

    def shipped(src: Node, dst: Node, key: str, date: str, value: float, excerpt: str, **props: object) -> Edge:
        return Edge(EdgeType.SHIPPED, src.id, dst.id, key, date, "854231", value, 100.0, "US",
                    {"description": "microcontrollers", "derivation": "record", **props},
                    (ev("customs:fixture.csv", f"row {key}", 0.95, date, excerpt),))

    hops = [
        shipped(maker, hk, "1", "2023-01-10", 120_000.0, "row one, plain"),
        shipped(hk, tr, "2", "2023-02-01", 110_000.5, HOSTILE, brand=HOSTILE),
        shipped(tr, ru, "3", "2023-03", 100_000.0, BIG),
        Edge(EdgeType.SUPPLIES, ru.id, buyer.id, "claim-1", "2023-04-15", "8542", None, None, None,
             {"derivation": "text"},
             (ev("news:https://news.example/a", "chars 120-184", 0.6, "2023-04", "Vektor supplied chips"),
              ev("news:https://news.example/b", "chars 5-50", 0.5, None, HOSTILE))),
    ]
    located = [Edge(EdgeType.LOCATED_IN, n.id, node_id_of(countries, n.country), "", None, None, None, None, None,
                    {}, (ev("registry:fixture", f"country of {n.key}", 1.0),))
               for n in (maker, hk, tr, ru, buyer)]
    others = [
        shipped(maker, hk, "1b", "2023-01-11", 5_000.0, "a parallel shipment on the same pair"),
        Edge(EdgeType.OWNED_BY, ru.id, person.id, "", "2022-06-01", props={"percentage": "51"},
             evidence=(ev("news:https://news.example/a", "chars 200-260", 0.7),)),
        Edge(EdgeType.LISTED_ON, buyer.id, listing.id, "", "2023-10-06",
             props={"list": "Entity List", "start_date": "2023-10-06", "citation": "88 FR 00000"},
             evidence=(ev("bis:entity-list", "entry 17", 1.0, "2023-10-06"),)),
        Edge(EdgeType.MANUFACTURES, maker.id, good.id, "", evidence=(ev("catalog:fixture", "p. 3", 0.9),)),
        Edge(EdgeType.FOUND_IN, good.id, weapon.id, "", evidence=(ev("teardown:fixture", "item 4", 0.8),)),
        Edge(EdgeType.MENTIONS, doc.id, hk.id, "", evidence=(ev("news:https://news.example/a", "chars 1-9", 0.9),)),
    ]
    return nodes, [*hops, *located, *others], ids, [h.id for h in hops]


def node_id_of(countries: list[Node], code: str | None) -> str:
    return next(c.id for c in countries if c.key == code)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    nodes, edges, ids, chain = build_records()
    store = EmbeddedStore(Path(tmp_path_factory.mktemp("exports")) / "store")
    store.write([*nodes, *edges])
    return World(store, ids, chain)


# ---- a trace result built by hand from the fixture chain --------------------------------------------
def fake_trace(world: World) -> TraceResult:
    """The fixture chain as a one-path (plus a shorter prefix) trace result."""
    hops = []
    for eid in world.chain:
        edge = world.store.get_edge(eid)
        assert edge is not None
        hops.append(Hop(eid, edge.type.value, edge.source, edge.target, edge.date, edge.hs_code,
                        edge.value_usd, edge.confidence))
    paths = (TracePath(tuple(hops), 0.91), TracePath(tuple(hops[:2]), 0.42))
    return TraceResult(TraceQuery(), paths, len(paths), {})


@pytest.fixture(scope="session")
def hostile() -> str:
    return HOSTILE


@pytest.fixture(scope="session")
def big() -> str:
    return BIG


@pytest.fixture(scope="session")
def trace_result(world: World) -> TraceResult:
    return fake_trace(world)
