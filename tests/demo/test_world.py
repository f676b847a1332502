"""The demo world keeps its promises, checked by brute force over the CSV rows alone.

The checker below is deliberately independent of every engine in the project: it reads
customs.csv and tags.csv with the csv module and enumerates paths with a plain DFS.
"""

from __future__ import annotations

import csv
import json
from calendar import monthrange
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from ingest.demo import generate_world
from ingest.shipments import CANONICAL_COLUMNS

ROWS = 2_000
MAX_HOPS = 4
DWELL = timedelta(days=180)


def company(row: dict[str, str], side: str) -> tuple[str, str, str]:
    return (row[f"{side}_name"], row[f"{side}_country"], row[f"{side}_id"])


def interval(text: str) -> tuple[date, date]:
    """A date as the interval it covers (a month-only date covers its whole month)."""
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:])
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    day = date.fromisoformat(text)
    return day, day


def follows(prev: dict[str, str], cur: dict[str, str], goods: bool = True) -> bool:
    """May ``cur`` be the hop after ``prev``? Time order, dwell limit and goods continuity."""
    p0, p1 = interval(prev["date"])
    c0, c1 = interval(cur["date"])
    if c1 < p0 or c0 > p1 + DWELL:
        return False
    if not goods:
        return True
    same_hs = prev["hs_code"][:6] == cur["hs_code"][:6]
    same_part = bool(prev["part_number"]) and prev["part_number"] == cur["part_number"]
    return same_hs or same_part


class World:
    def __init__(self, path: Path) -> None:
        with open(path / "customs.csv", newline="", encoding="utf-8") as handle:
            self.rows = list(csv.DictReader(handle))
        with open(path / "tags.csv", newline="", encoding="utf-8") as handle:
            self.tags = list(csv.DictReader(handle))
        self.truth = json.loads((path / "truth.json").read_text("utf-8"))
        self.by_id = {r["record_id"]: r for r in self.rows}
        self.out = defaultdict(list)
        for row in self.rows:
            self.out[company(row, "shipper")].append(row)
        tagged = defaultdict(set)
        for t in self.tags:
            tagged[t["tag"]].add((t["name"], t["country"], t["identifier"]))
        self.destinations = tagged["defense_buyer"]
        self.origins = {c for c in tagged["manufacturer"] if c[1] == "US"}
        self.origins |= {company(r, "shipper") for r in self.rows if r["origin_country"] == "US"}

    def valid_paths(self, goods: bool = True) -> set[tuple[str, ...]]:
        """Every simple path of 1..4 hops from an origin to a destination, as record ids."""
        reach = {d: 0 for d in self.destinations}  # hops to the nearest destination, ignoring dates
        frontier = set(self.destinations)
        into = defaultdict(set)
        for row in self.rows:
            into[company(row, "consignee")].add(company(row, "shipper"))
        for hops in range(1, MAX_HOPS):
            frontier = {s for c in frontier for s in into[c] if s not in reach}
            reach |= {s: hops for s in frontier}
        found: set[tuple[str, ...]] = set()

        def walk(node, path_rows, visited):
            if node in self.destinations and path_rows:
                found.add(tuple(r["record_id"] for r in path_rows))
            if len(path_rows) == MAX_HOPS:
                return
            for row in self.out[node]:
                nxt = company(row, "consignee")
                if nxt in visited or reach.get(nxt, MAX_HOPS) > MAX_HOPS - len(path_rows) - 1:
                    continue
                if path_rows and not follows(path_rows[-1], row, goods):
                    continue
                walk(nxt, [*path_rows, row], visited | {nxt})

        for origin in self.origins:
            if origin in reach:
                walk(origin, [], {origin})
        return found

    def route_rows(self, route: dict) -> list[dict[str, str]]:
        return [self.by_id[h["record_id"]] for h in route["hops"]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    path = tmp_path_factory.mktemp("world")
    generate_world(path, rows=ROWS, seed=7)
    return World(path)


def test_rows_are_canonical_unique_and_labelled(world: World) -> None:
    assert len(world.rows) == ROWS
    assert list(world.rows[0]) == list(CANONICAL_COLUMNS)
    assert len(world.by_id) == ROWS
    for row in world.rows:
        assert row["shipper_name"].endswith("(FICTIONAL)") and row["consignee_name"].endswith("(FICTIONAL)")
        assert "2022-03" <= row["date"][:7] <= "2024-12"
        assert float(row["value_usd"]) > 0
    assert all(t["name"].endswith("(FICTIONAL)") for t in world.tags)


def test_truth_matches_the_rows(world: World) -> None:
    for route in world.truth["chains"] + world.truth["decoys"] + world.truth["scenarios"]["relaxed_goods"]["chains"]:
        for hop, row in zip(route["hops"], world.route_rows(route), strict=True):
            assert (hop["shipper"], hop["consignee"], hop["date"], hop["hs_code"]) == (
                row["shipper_name"], row["consignee_name"], row["date"], row["hs_code"])
        names = [h["shipper"] for h in route["hops"]] + [route["hops"][-1]["consignee"]]
        assert len(set(names)) == len(names), f"{route['id']} repeats a company"


def test_every_shape_and_decoy_kind_is_planted(world: World) -> None:
    shapes = {c["shape"] for c in world.truth["chains"]}
    assert len(shapes) == 4 and any("iran" in s for s in shapes)
    assert {len(c["hops"]) for c in world.truth["chains"]} == {3, 4}
    assert world.truth["scenarios"]["relaxed_goods"]["chains"]
    assert {d["violates"] for d in world.truth["decoys"]} == {
        "time_order", "dwell", "goods_change", "dead_end", "too_many_hops", "legit_buyer"}
    assert 1 / 200 <= len(world.truth["chains"]) / ROWS <= 1 / 100


def test_every_planted_chain_is_a_valid_path_and_no_decoy_record_is(world: World) -> None:
    paths = world.valid_paths()
    for chain in world.truth["chains"]:
        assert tuple(h["record_id"] for h in chain["hops"]) in paths, chain["id"]
    decoy_only = set(world.truth["decoy_only_record_ids"])
    assert decoy_only == {h["record_id"] for d in world.truth["decoys"] for h in d["hops"]}
    used = {rid for path in paths for rid in path}
    assert not used & decoy_only
    drone = {h["record_id"] for c in world.truth["scenarios"]["relaxed_goods"]["chains"] for h in c["hops"]}
    assert not used & drone, "the drone route must need relaxed goods continuity"


def test_drone_route_is_found_with_goods_continuity_relaxed(world: World) -> None:
    paths = world.valid_paths(goods=False)
    for chain in world.truth["scenarios"]["relaxed_goods"]["chains"]:
        rows = world.route_rows(chain)
        assert tuple(r["record_id"] for r in rows) in paths
        assert rows[0]["hs_code"][:6] != rows[-1]["hs_code"][:6] and rows[-1]["hs_code"].startswith("8806")


def test_each_decoy_breaks_the_rule_it_names(world: World) -> None:
    for decoy in world.truth["decoys"]:
        rows = world.route_rows(decoy)
        pairs = list(zip(rows, rows[1:]))
        end = company(rows[-1], "consignee")
        kind = decoy["violates"]
        if kind == "time_order":
            assert any(b["date"] < a["date"] for a, b in pairs)
        elif kind == "dwell":
            assert any(interval(b["date"])[0] - interval(a["date"])[0] > DWELL for a, b in pairs)
        elif kind == "goods_change":
            assert any(a["hs_code"][:6] != b["hs_code"][:6] and a["part_number"] != b["part_number"]
                       for a, b in pairs)
        elif kind == "dead_end":
            assert end[1] == "RU" and end not in world.destinations
        elif kind == "too_many_hops":
            assert len(rows) == 5 and all(follows(a, b) for a, b in pairs) and end in world.destinations
        elif kind == "legit_buyer":
            assert end[1] != "RU" and end not in world.destinations
        if kind not in ("too_many_hops", "dead_end", "legit_buyer"):
            assert end in world.destinations


def test_same_seed_same_files_other_seed_other_world(tmp_path: Path) -> None:
    files = ("customs.csv", "tags.csv", "truth.json", "README.txt")
    a, b, c = (generate_world(tmp_path / n, rows=600, seed=s) for n, s in (("a", 3), ("b", 3), ("c", 4)))
    for name in files:
        assert (a.out_dir / name).read_bytes() == (b.out_dir / name).read_bytes()
    assert [p.read_bytes() for p in a.news] == [p.read_bytes() for p in b.news]
    assert (a.out_dir / "customs.csv").read_bytes() != (c.out_dir / "customs.csv").read_bytes()
    assert (a.out_dir / "truth.json").read_bytes() != (c.out_dir / "truth.json").read_bytes()
    assert "SYNTHETIC" in a.readme.read_text("utf-8")


def test_news_front_matter_and_fiction_marker(world: World, tmp_path: Path) -> None:
    files = generate_world(tmp_path, rows=600, seed=1).news
    assert 3 <= len(files) <= 6
    for path in files:
        text = path.read_text("utf-8")
        head, _, body = text.partition("\n---\n")
        assert head.startswith("---\ntitle: ") and "\ndate: " in head and "\nurl: https://" in head
        assert "(FICTIONAL)" in body and "fictional" in body


@pytest.mark.parametrize("rows", [10, 10**9])
def test_rows_out_of_range_is_a_clear_error(tmp_path: Path, rows: int) -> None:
    with pytest.raises(ValueError, match="--rows must be between"):
        generate_world(tmp_path, rows=rows)
