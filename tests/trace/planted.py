"""A small hand-made world with planted chains and decoys (names invented for the tests)."""

from __future__ import annotations

from graph.schema import Edge, EdgeType, Evidence, Node, NodeType, Record, node_id

SRC = "test:planted"


def ev(locator: str, confidence: float = 0.95, excerpt: str | None = None) -> tuple[Evidence, ...]:
    return (Evidence(SRC, locator, "test/1", confidence, excerpt=excerpt),)


def company(key: str, name: str, country: str, **props: object) -> Node:
    return Node(NodeType.COMPANY, key, name, country, props, ev(f"company {key}"))


TI = company("ti", "Texas Instruments", "US", roles=["manufacturer"])
ADI = company("adi", "Analog Devices", "US", roles=["manufacturer"])
NORDIC = company("nordic", "Nordic Components Oy", "FI")
SUNRISE = company("sunrise", "Sunrise Trading Ltd", "HK", registered="2022-06-01", aliases=["Sunrise HK"])
SUNRISE_ALIAS = company("sunrise2", "SUNRISE TRADING LIMITED", "HK")
ANKA = company("anka", "Anka Elektronik", "TR")
ROMASHKA = company("romashka", "Romashka LLC", "RU")
RADIOZAVOD = company("radiozavod", "Radiozavod JSC", "RU", roles=["defense_buyer"])
KUPOL = company("kupol", "Kupol Plant", "RU", roles=["defense_buyer"])
COMPANIES = (TI, ADI, NORDIC, SUNRISE, SUNRISE_ALIAS, ANKA, ROMASHKA, RADIOZAVOD, KUPOL)


def ship(src: Node, dst: Node, key: str, date: str, hs: str, value: float, part: str | None = None,
         text: bool = False, confidence: float = 0.95) -> Edge:
    props = {"part_number": part} if part else {}
    kind = EdgeType.SUPPLIES if text else EdgeType.SHIPPED
    return Edge(kind, src.id, dst.id, key, date, hs, value, origin_country="US", props=props,
                evidence=ev(f"row {key}", confidence, excerpt=f"{src.name} -> {dst.name} {hs}"))


# chain A (3 hops, the middle one from an alias merged by SAME_AS, last date month-only)
A = (ship(TI, SUNRISE, "a1", "2023-01-10", "8542310000", 120_000.0, "TMS320F28335"),
     ship(SUNRISE_ALIAS, ROMASHKA, "a2", "2023-02-15", "8542319000", 110_000.0),
     ship(ROMASHKA, RADIOZAVOD, "a3", "2023-03", "854231", 100_000.0))
# chain B (2 hops, the last one a claim from news)
B = (ship(ADI, ANKA, "b1", "2023-05-01", "854239", 40_000.0),
     ship(ANKA, KUPOL, "b2", "2023-06-10", "854239", 30_000.0, text=True, confidence=0.5))
# decoy C: the second hop happens before the first
C = (ship(ADI, SUNRISE, "c1", "2023-09-01", "852691", 9_000.0),
     ship(SUNRISE, ROMASHKA, "c2", "2023-03-01", "852691", 9_000.0),
     ship(ROMASHKA, RADIOZAVOD, "c3", "2023-04-01", "852691", 9_000.0))
# decoy D: the goods change on the way
D = (ship(TI, ANKA, "d1", "2023-07-01", "854231", 5_000.0),
     ship(ANKA, KUPOL, "d2", "2023-07-20", "850440", 5_000.0))
# decoy E: goods sit 500 days at the distributor (over the 180-day dwell limit)
E = (ship(TI, NORDIC, "e1", "2022-01-01", "854232", 7_000.0),
     ship(NORDIC, KUPOL, "e2", "2023-06-01", "854232", 7_000.0))

ENTITY_LIST = Node(NodeType.LISTING, "entity-list", "Entity List", None, {}, ev("list"))


def records() -> list[Record]:
    countries = sorted({c.country for c in COMPANIES if c.country})
    out: list[Record] = [Node(NodeType.COUNTRY, c, c, evidence=ev(f"country {c}")) for c in countries]
    out += [*COMPANIES, ENTITY_LIST, *A, *B, *C, *D, *E]
    out.append(Edge(EdgeType.SAME_AS, SUNRISE.id, SUNRISE_ALIAS.id, "resolver:1", props={"decision": "match"},
                    evidence=ev("resolver", 0.9)))
    out.append(Edge(EdgeType.LISTED_ON, ROMASHKA.id, ENTITY_LIST.id, "2023-11-02",
                    props={"list": "Entity List", "start_date": "2023-11-02"}, evidence=ev("listing")))
    out += [Edge(EdgeType.LOCATED_IN, c.id, node_id(NodeType.COUNTRY, str(c.country)), evidence=ev("located"))
            for c in COMPANIES]
    return out


def ids(chain: tuple[Edge, ...]) -> tuple[str, ...]:
    return tuple(e.id for e in chain)
