"""A small hand-made transshipment world for the store contract (our own invented companies)."""

from __future__ import annotations

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record

HOSTILE = (
    "O'Brien \"Quoted\" `backtick` {brace} $param \\ back\\slash",
    "line one\nline two\r\nline three\ttab",
    "'}) MATCH (n) DETACH DELETE n //",
    "\" RETURN 1; DROP CONSTRAINT x; //",
    "ООО «Ромашка» 深圳市电子有限公司 شركة الإمارات "
    "\u202eRTL override\u202c 🚀🛰️ e\u0301",
    "x" * 100_000,
    "",
)


def ev(source: str, row: int, confidence: float = 0.9, observed: str | None = "2023-03-01",
       excerpt: str | None = None) -> Evidence:
    return Evidence(source, f"row {row}", "contract-test/1", confidence, observed, excerpt)


def company(key: str, name: str, country: str | None, *evidence: Evidence, **props: object) -> Node:
    return Node(NodeType.COMPANY, key, name, country, dict(props), tuple(evidence) or (ev("doc:reg", 0),))


def world() -> list[Record]:
    """A US maker -> HK distributor -> TR trader -> RU importer -> RU defense buyer chain, plus context."""
    e = ev
    maker = company("name:acme chips|US", "Acme Chips Inc", "US", e("doc:reg", 1),
                    roles=["manufacturer"], identifiers=["lei:5493001KJTIIGC8Y1R12"])
    hk = company("name:far east trading|HK", "Far East Trading Ltd", "HK", e("doc:reg", 2), aliases=["FET"])
    tr = company("name:bosphorus elektronik|TR", "Bosphorus Elektronik Ltd Sti", "TR", e("doc:reg", 3))
    ru = company("inn:7700000001", "OOO Import Front", "RU", e("doc:reg", 4), identifiers=["inn:7700000001"])
    buyer = company("inn:7700000002", "AO Missile Works", "RU", e("doc:list", 5),
                    roles=["defense_buyer"], role_reasons=["defense_buyer: listed [doc:list]"])
    countries = [Node(NodeType.COUNTRY, c, c, c, {}, (e("doc:countries", i),)) for i, c in
                 enumerate(("US", "HK", "TR", "RU"))]
    good = Node(NodeType.GOOD, "hs6:854231", "Processors and controllers", None,
                {"hs6": "854231", "chpl_tier": 1}, (e("doc:hs", 1),))
    listing = Node(NodeType.LISTING, "entity-list", "BIS Entity List", "US", {"program": "EAR"}, (e("doc:list", 1),))
    nodes: list[Record] = [maker, hk, tr, ru, buyer, *countries, good, listing]

    def ship(a: Node, b: Node, key: str, date: str, value: float, row: int, conf: float = 0.95) -> Edge:
        return Edge(EdgeType.SHIPPED, a.id, b.id, key, date, "854231", value, 100.0, "US",
                    {"derivation": "record", "brand": "ACME"}, (e("customs:demo.csv", row, conf, date),))

    edges: list[Record] = [
        ship(maker, hk, "decl-1", "2023-01-10", 50_000.0, 10),
        ship(hk, tr, "decl-2", "2023-02-01", 48_000.0, 11),
        ship(tr, ru, "decl-3", "2023-02-20", 47_500.5, 12),
        ship(ru, buyer, "decl-4", "2023-03-05", 47_000.0, 13, 0.8),
        Edge(EdgeType.SUPPLIES, hk.id, buyer.id, "", "2023-04", None, None, None, None,
             {"derivation": "text"}, (e("news:article-1", 3, 0.6, "2023-04", "FET supplied chips"),)),
        Edge(EdgeType.MANUFACTURES, maker.id, good.id, "", None, "854231", None, None, None, {},
             (e("doc:catalog", 1),)),
        Edge(EdgeType.LISTED_ON, buyer.id, listing.id, "", "2022-06-28", None, None, None, None,
             {"start_date": "2022-06-28"}, (e("doc:list", 7),)),
    ]
    for node, code in ((maker, "US"), (hk, "HK"), (tr, "TR"), (ru, "RU"), (buyer, "RU")):
        edges.append(Edge(EdgeType.LOCATED_IN, node.id, countries[("US", "HK", "TR", "RU").index(code)].id,
                          evidence=(e("doc:reg", 20 + len(edges)),)))
    return nodes + edges
