"""Short news-style articles about some planted chains, written by the generator in its own words."""

from __future__ import annotations

from datetime import date, timedelta

from graph.goods import describe_hs
from ingest.demo_plan import Hop, Route
from ingest.normalize import country_name

MAX_ARTICLES = 6
URL_BASE = "https://news.demo.invalid/transship"


def _in(code: str) -> str:
    """A country as prose: "the United States", "Hong Kong"."""
    name = country_name(code)
    return f"the {name}" if name.startswith(("United", "Netherlands")) else name


def _month(day: str) -> str:
    return date.fromisoformat(day).strftime("%B %Y")


def _sentence_for(hop: Hop, index: int) -> str:
    s, c = hop.shipper, hop.consignee
    what = hop.good.description if hop.good.hs6 != "880699" else "drones"
    if index == 0:
        return (f"Export records show that {s.name}, a chip maker in {_in(s.country)}, sold "
                f"{what}s to {c.name} in {_in(c.country)} in {_month(hop.date)}.")
    if c.kind == "defense":
        return (f"By {_month(hop.date)} the goods had reached {c.name}, a Russian defense producer, "
                f"supplied by {s.name}.")
    if c.kind in ("trader", "iran", "drone"):
        return (f"In {_month(hop.date)}, {s.name} shipped the same {what}s on to {c.name}, "
                f"registered in {_in(c.country)}.")
    return f"Customs declarations list {c.name} of {_in(c.country)} as the buyer from {s.name} in {_month(hop.date)}."


def write_article(route: Route, number: int) -> str:
    """Markdown with front matter (title, date, url) telling one planted route in prose."""
    first, last = route.hops[0], route.hops[-1]
    published = (date.fromisoformat(last.date) + timedelta(days=45)).isoformat()
    goods = describe_hs(first.good.hs6) or first.good.description
    title = (f"US-made {first.good.description}s traced to {last.consignee.name} via "
             f"{', '.join(country_name(h.consignee.country) for h in route.hops[1:-1])}")
    body = [_sentence_for(hop, i) for i, hop in enumerate(route.hops)]
    if route.scenario == "relaxed_goods":
        body.append(f"Investigators believe the parts went into drones that {last.shipper.name} later delivered "
                    f"to Russia (HS {last.good.hs6}).")
    body.append(f"The goods are classed under HS {first.good.hs6[:4]}.{first.good.hs6[4:]} ({goods.lower()}). "
                "All companies named here are fictional; this article is part of the transship demo world.")
    front = "\n".join(("---", f"title: \"{title}\"", f"date: {published}",
                       f"url: {URL_BASE}/{number:02d}-{route.id}", "synthetic: true", "---"))
    return front + "\n\n" + " ".join(body) + "\n"


def pick_routes(chains: list[Route]) -> list[Route]:
    """The first chain of each shape, then more chains, up to MAX_ARTICLES."""
    picked: list[Route] = []
    shapes: set[str] = set()
    for route in chains:
        if route.shape not in shapes:
            shapes.add(route.shape)
            picked.append(route)
    for route in chains:
        if len(picked) >= MAX_ARTICLES:
            break
        if route not in picked:
            picked.append(route)
    return picked[:MAX_ARTICLES]
