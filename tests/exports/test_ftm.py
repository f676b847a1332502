"""FollowTheMoney JSON lines: every entity validates with the model, references resolve, evidence travels."""

from __future__ import annotations

import json
from typing import Any

from followthemoney import model

from graph.exports import export_bytes
from graph.exports.ftm import ftm_id
from graph.subgraph import everything


def _entities(world: Any) -> list[dict[str, Any]]:
    raw = export_bytes(world.store, everything(world.store), "ftm").decode("utf-8")
    return [json.loads(line) for line in raw.splitlines()]


def test_entities_validate_and_references_resolve(world: Any) -> None:
    entities = _entities(world)
    ids = {e["id"] for e in entities}
    assert len(ids) == len(entities)
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # re-cleans every value with the model's types
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        model.get(data["schema"]).validate(data)
        for name in model.get(data["schema"]).required:
            assert data["properties"].get(name), (data["id"], name)
        for prop in proxy.iterprops():
            if prop.type.name == "entity":
                assert set(proxy.get(prop)) <= ids, (data["id"], prop.name)


def test_mapping_of_the_fixture_world(world: Any) -> None:
    by_id = {e["id"]: e for e in _entities(world)}
    ru = by_id[ftm_id(world.ids["ru"])]["properties"]
    assert ru["innCode"] == ["7722476458"] and ru["kppCode"] == ["770001001"]
    assert ru.get("ogrnCode") == ["1027700000001"] or "ogrn:1027700000001" in ru["registrationNumber"]
    buyer = by_id[ftm_id(world.ids["buyer"])]["properties"]
    assert "inn:7700000002" in buyer["registrationNumber"]  # a bad INN checksum is kept, not dropped
    assert ru["country"] == ["ru"]
    assert by_id[ftm_id(world.ids["buyer"])]["properties"]["topics"] == ["mil"]
    hop = by_id[ftm_id(world.chain[0])]
    assert hop["schema"] == "EconomicActivity"
    assert hop["properties"]["sender"] == [ftm_id(world.ids["maker"])]
    assert hop["properties"]["receiver"] == [ftm_id(world.ids["hk"])]
    assert hop["properties"]["vedCode"] == ["854231"] and hop["properties"]["originCountry"] == ["us"]
    assert any("customs:fixture.csv | row 1" in s for s in hop["properties"]["summary"])
    schemas = {e["schema"] for e in by_id.values()}
    assert {"Company", "Person", "Asset", "Document", "EconomicActivity", "Ownership", "Sanction",
            "Documentation", "UnknownLink"} <= schemas
    sanction = next(e for e in by_id.values() if e["schema"] == "Sanction")["properties"]
    assert sanction["entity"] == [ftm_id(world.ids["buyer"])] and sanction["startDate"] == ["2023-10-06"]
    ownership = next(e for e in by_id.values() if e["schema"] == "Ownership")["properties"]
    assert ownership["asset"] == [ftm_id(world.ids["ru"])] and ownership["owner"] == [ftm_id(world.ids["person"])]


def test_every_entity_carries_evidence(world: Any) -> None:
    for data in _entities(world):
        if data["schema"] == "Document" and data["id"].startswith("ts-source-"):
            continue
        props = data["properties"]
        assert props.get("proof"), data["id"]
        assert props.get("notes") or props.get("summary"), data["id"]


def test_hostile_strings_survive_as_ftm_allows(world: Any, hostile: str, big: str) -> None:
    by_id = {e["id"]: e for e in _entities(world)}
    tr = by_id[ftm_id(world.ids["tr"])]["properties"]
    name = tr["name"][0]
    # FtM's name type keeps 384 characters; control characters become visible pictures, the rest is intact.
    assert name.startswith("<b>&amp; \"quoted\" 'single' \\back\\slash\\' ]]>")
    assert "\u2400nul\u2401\u241b" in name and "שלום \u202eevil" in name and "🚀" in name
    cut = [s for e in by_id.values() for s in e["properties"].get("summary", []) if "[cut from" in s]
    assert cut and all(len(s) <= 65000 for s in cut)  # the 100 KB excerpt, cut with a visible marker
