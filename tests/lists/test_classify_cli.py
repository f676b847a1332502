"""Defense buyer rules with their reasons, and the ingest list / resolve / screen commands."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli import transship
from graph.stores.embedded import EmbeddedStore
from ingest.classify import classify_defense_buyers, load_tags


def run(*args: str) -> str:
    result = CliRunner().invoke(transship, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_defense_buyer_rules(fixtures: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    run("ingest", "list", str(fixtures / "sdn" / "sdn.csv"), str(fixtures / "entity_list_rule.xml"),
        "--store", str(store_dir), "--no-classify")
    tags = tmp_path / "tags.csv"
    tags.write_text("entity,tag,reason\nMIKRO TEK ELEKTRONIK SANAYI VE TICARET LIMITED SIRKETI,defense_buyer,"
                    "analyst note 12\n", "utf-8")
    store = EmbeddedStore(store_dir)
    report = classify_defense_buyers(store, load_tags(tags))
    by_name = {n.name: n for n in EmbeddedStore(store_dir).nodes()}

    def reasons(name: str) -> list[str]:
        return list(by_name[name].props.get("role_reasons", []))

    assert any("military-end-use" in r and "744.21" in r for r in reasons("Pribor Design Bureau JSC"))
    assert not reasons("Sample Microchip Trading Co., Ltd.")  # 744.21 but in China: a supplier, not a buyer
    assert any("defense-sector" in r and "ROSTEC" in r for r in reasons("STATE CORPORATION ROSTEC"))
    assert any("defense-sector" in r for r in reasons("ALMAZ-ANTEY AIR AND SPACE DEFENSE CORPORATION JSC"))
    assert any("defense-sector" in r for r in reasons("JSC NPO HIGH PRECISION SYSTEMS"))
    assert any("RUSELECTRONICS" in r for r in reasons("OPEN JOINT STOCK COMPANY RUSSIAN ELECTRONICS"))
    assert any("owned-by-defense-group" in r and "RUSSIAN ELECTRONICS" in r for r in reasons("OOO KOMPONENT-SNAB"))
    # a Hong Kong company linked to a defense group is a supplier, not a Russian buyer
    assert not reasons("SINO ELECTRONICS TRADING CO., LIMITED")
    assert any("user-tag: analyst note 12" in r for r in reasons("MIKRO TEK ELEKTRONIK SANAYI VE TICARET LIMITED SIRKETI"))
    assert not reasons("AEROCARIBBEAN AIRLINES")
    assert by_name["STATE CORPORATION ROSTEC"].props["roles"] == ["defense_buyer"]
    assert report.buyers == sum(1 for n in by_name.values() if n.props.get("roles") == ["defense_buyer"])


def test_cli_ingest_screen_resolve(fixtures: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    out = run("ingest", "list", str(fixtures / "sdn" / "sdn.csv"), str(fixtures / "csl.csv"), "--store", store,
              "--format", "json")
    row = json.loads(out)[0]
    assert row["quarantined"] == 4 and row["defense_buyers"] >= 4
    hits = json.loads(run("screen", "Sino Elec Trdg Co Ltd", "--store", store, "--format", "json"))
    assert hits and hits[0]["name"] == "SINO ELECTRONICS TRADING CO., LIMITED" and hits[0]["score"] == 1.0
    assert any("ofac-sdn RUSSIA-EO14024" in entry for entry in hits[0]["lists"])
    rostekh = json.loads(run("screen", "Ростех", "--store", store, "--format", "json"))
    assert rostekh[0]["matched_name"] == "ROSTEKH" and rostekh[0]["method"] == "exact"
    assert json.loads(run("screen", "Nothing Like Anything", "--store", store, "--format", "json")) == []
    table = run("resolve", "--store", store, "--show", "all")
    assert "match=" in table and "identifier:" in table  # the SDN and CSL rows of ent_num 30001 share ofac:30001
    csv_out = run("resolve", "--store", store, "--show", "all", "--format", "csv")
    assert csv_out.splitlines()[0].startswith("decision,score,method,left")


def test_cli_errors(fixtures: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(transship, ["ingest", "list", str(fixtures / "sdn" / "add.csv"), "--store",
                                            str(tmp_path / "s")])
    assert result.exit_code != 0
    result = CliRunner().invoke(transship, ["resolve", "--threshold", "0.5", "--review-band", "0.9", "--store",
                                            str(tmp_path / "s")])
    assert result.exit_code != 0
