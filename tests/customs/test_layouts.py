"""Exact graphs and quarantines for every built-in layout and file format (fixtures in ./fixtures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
Ingest = Any  # the ingest fixture (conftest.py)


def write_banner_xlsx(path: Path) -> Path:
    """A small workbook: two banner rows (report title, blank) above a Russian-import header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Импорт"
    sheet.append(["Импорт РФ: микросхемы, март 2025"])
    sheet.append([])
    sheet.append(["DECLARATION_NUMBER", "IMP_DATE", "SUPPLIER_NAME", "IMPORTER_CODE", "IMPORTER_NAME",
                  "IMPORTER_NAME_EN", "ORIGIN_COUNTRY", "HS_CODE", "QUANTITY", "TOTAL_VALUE_USD"])
    from datetime import datetime

    sheet.append(["10702070/150325/3012345", datetime(2025, 3, 15), "Pacific Semicon Ltd", 7722476458,
                  "ООО «ЯТАШ РУС»", "OOO YATASH RUS", "Тайвань (Китай)", 8542310000, 250, 1234.5])
    sheet.append(["10702070/160325/3012399", None, "Pacific Semicon Ltd", None, "ООО «ЯТАШ РУС»", None, "TW",
                  "854232", 3, "n/a"])
    sheet.append(["10702070/170325/3012400", "2025-03-17", "Pacific Semicon Ltd", "7722476458", "ООО «ЯТАШ РУС»",
                  None, "TW", "85423", "many", 5])
    book.save(path)
    return path


def write_parquet(path: Path) -> Path:
    """A Parquet file in the canonical layout with typed columns (dates, an integer HS code)."""
    from datetime import date

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "record_id": ["PQ-1", "PQ-2"],
        "date": [date(2024, 1, 9), date(2024, 2, 1)],
        "shipper_name": ["Orient Tech Trading Co., Ltd", "Orient Tech Trading Co., Ltd"],
        "shipper_country": ["CN", "CN"],
        "consignee_name": ["Kyrgyz Trade Bridge OsOO", "Kyrgyz Trade Bridge OsOO"],
        "consignee_country": ["Kyrgyzstan", "KGZ"],
        "origin_country": ["US", None],
        "hs_code": pa.array([85423900, 30490], pa.int64()),  # integers: the leading zero is lost
        "quantity": [1000.0, 5.0],
        "value_usd": [4200.0, None],
    })
    pq.write_table(table, path)
    return path


# Expected results: nodes and edges as (type, endpoints as Type:key, key, date, hs, value, qty, origin, props).

CANONICAL_COUNTS = (7, 2, 5)
CANONICAL_GRAPH = {'edges': [('LOCATED_IN', 'Company:inn:7722476458', 'Country:RU', '', None, None, None, None,
            None, {}),
           ('LOCATED_IN', 'Company:name:alpha components ltd|HK', 'Country:HK', '', None, None,
            None, None, None, {}),
           ('MANUFACTURES', 'Company:name:texas instruments|??', 'Good:hs6:854231', '', None,
            None, None, None, None, {}),
           ('MANUFACTURES', 'Company:name:xilinx|??', 'Good:hs6:854239', '', None, None, None,
            None, None, {}),
           ('SHIPPED', 'Company:name:alpha components ltd|HK', 'Company:inn:7722476458',
            'BL-1||854231|12500.0|500.0|TMS320F28335', '2023-04-05', '854231', 12500.0, 500.0,
            'US',
            {'brand': 'Texas Instruments',
             'category': 'integrated_circuits',
             'chpl_tier': '1',
             'description': 'microcontrollers',
             'part_number': 'TMS320F28335',
             'record_id': 'BL-1',
             'unit': 'pcs'}),
           ('SHIPPED', 'Company:name:alpha components ltd|HK', 'Company:inn:7722476458',
            'BL-2||854239|8000.0|20.0|XC7A100T', '2023-05-05', '854239', 8000.0, 20.0, 'US',
            {'brand': 'Xilinx',
             'category': 'integrated_circuits',
             'chpl_tier': '1',
             'description': 'FPGA',
             'part_number': 'XC7A100T',
             'record_id': 'BL-2',
             'unit': 'pcs'})],
 'nodes': [('Company', 'inn:7722476458', 'OOO Vektor', 'RU',
            {'identifiers': ['inn:7722476458']}),
           ('Company', 'name:alpha components ltd|HK', 'Alpha Components Ltd', 'HK', {}),
           ('Company', 'name:texas instruments|??', 'Texas Instruments', None,
            {'roles': ['manufacturer']}),
           ('Company', 'name:xilinx|??', 'Xilinx', None, {'roles': ['manufacturer']}),
           ('Country', 'HK', 'Hong Kong', 'HK', {}),
           ('Country', 'RU', 'Russian Federation', 'RU', {}),
           ('Good', 'hs6:854231', 'HS 8542.31', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854231'}),
           ('Good', 'hs6:854239', 'HS 8542.39', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854239'})]}
CANONICAL_QUARANTINE = [('line 4', 'missing required field(s): consignee_name'),
 ('line 5', "date: unreadable date '2023-13-45'"),
 ('line 6', "shipper_country: unknown country 'Atlantis'"),
 ('line 7', 'ragged row: 7 cells, header has 16'),
 ('line 8', 'ragged row: 17 cells, header has 16')]

RU_CP1251_COUNTS = (4, 3, 1)
RU_CP1251_GRAPH = {'edges': [('LOCATED_IN', 'Company:inn:7722476458', 'Country:RU', '', None, None, None, None,
            None, {}),
           ('LOCATED_IN', 'Company:inn:7722476459', 'Country:RU', '', None, None, None, None,
            None, {}),
           ('MANUFACTURES', 'Company:name:analog devices|??', 'Good:hs6:854233', '', None, None,
            None, None, None, {}),
           ('SHIPPED', 'Company:name:sino bright trading limited|??', 'Company:inn:7722476458',
            '10012020/310325/5016594||8517620009|1000.0|4.0|', '2025-03-31', '8517620009',
            1000.0, 4.0, 'CN',
            {'category': 'telecom_network',
             'chpl_tier': '2',
             'description': 'ROUTERS',
             'description_ru': 'МАРШРУТИЗАТОРЫ',
             'gross_weight_kg': 2.5,
             'incoterms': 'EXW',
             'net_weight_kg': 2.0,
             'record_id': '10012020/310325/5016594',
             'unit': 'ШТ',
             'value_rub': 90000.0}),
           ('SHIPPED', 'Company:name:sino bright trading limited|??', 'Company:inn:7722476458',
            '10012020/310325/5016594||8542339000|2750.0|100.0|', '2025-03-31', '8542339000',
            2750.0, 100.0, 'US',
            {'brand': 'ANALOG DEVICES',
             'category': 'integrated_circuits',
             'chpl_tier': '1',
             'customs_broker': 'ООО БРОКЕР-М',
             'description': 'INTEGRATED CIRCUITS',
             'description_ru': 'ИНТЕГРАЛЬНЫЕ СХЕМЫ',
             'gross_weight_kg': 0.7,
             'incoterms': 'FCA',
             'manufacturer': 'ANALOG DEVICES INC',
             'net_weight_kg': 0.5,
             'record_id': '10012020/310325/5016594',
             'unit': 'ШТ',
             'value_rub': 250000.5}),
           ('SHIPPED', 'Company:name:sino bright trading limited|??', 'Company:inn:7722476459',
            '10012020/010425/5016600||8542339000|10.0|1.0|', '2025-04-01', '8542339000', 10.0,
            1.0, 'US',
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'record_id': '10012020/010425/5016600',
             'unit': 'ШТ'})],
 'nodes': [('Company', 'inn:7722476458', 'ООО «ЯТАШ РУС»', 'RU',
            {'aliases': ['ООО «ЯТАШ РУС»', 'OOO YATASH RUS'],
             'identifiers': ['inn:7722476458', 'kpp:772201001']}),
           ('Company', 'inn:7722476459', 'ООО «ТЕСТ»', 'RU',
            {'aliases': ['ООО «ТЕСТ»', 'OOO TEST'],
             'identifiers': ['inn:7722476459'],
             'unverified_identifiers': ['inn:7722476459']}),
           ('Company', 'name:analog devices|??', 'ANALOG DEVICES', None,
            {'roles': ['manufacturer']}),
           ('Company', 'name:sino bright trading limited|??', 'SINO BRIGHT TRADING LIMITED',
            None, {'address': ['FLAT 5, 12/F, KOWLOON, HONG KONG']}),
           ('Country', 'RU', 'Russian Federation', 'RU', {}),
           ('Good', 'hs6:851762', 'HS 8517.62', None,
            {'category': 'telecom_network', 'chpl_tier': '2', 'hs4': '8517', 'hs6': '851762'}),
           ('Good', 'hs6:854233', 'HS 8542.33', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854233'})]}
RU_CP1251_QUARANTINE = [('line 5', 'missing required field(s): shipper_name')]

EXPORTS_BOM_COUNTS = (2, 2, 0)
EXPORTS_BOM_GRAPH = {'edges': [('LOCATED_IN', 'Company:name:bogazici elektronik dis tic ltd sti|TR', 'Country:TR',
            '', None, None, None, None, None, {'inferred': 'given with --default'}),
           ('LOCATED_IN', 'Company:name:ooo vektor|RU', 'Country:RU', '', None, None, None,
            None, None, {}),
           ('SHIPPED', 'Company:name:bogazici elektronik dis tic ltd sti|TR',
            'Company:name:ooo vektor|RU', 'TR-2023-0001||854239900000|48250.75|1000.0|',
            '2023-07-12', '854239900000', 48250.75, 1000.0, 'US',
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'description': 'ENTEGRE DEVRE',
             'incoterms': 'DAP',
             'net_weight_kg': 12.5,
             'record_id': 'TR-2023-0001',
             'unit': 'ADET'}),
           ('SHIPPED', 'Company:name:bogazici elektronik dis tic ltd sti|TR',
            'Company:name:ooo vektor|RU', 'TR-2023-0002||852691|900.0|10.0|', '2023-07-13',
            '852691', 900.0, 10.0, 'CN',
            {'category': 'navigation_gnss',
             'chpl_tier': '2',
             'description': 'GNSS ALICI',
             'incoterms': 'DAP',
             'net_weight_kg': 1.0,
             'record_id': 'TR-2023-0002',
             'unit': 'ADET'})],
 'nodes': [('Company', 'name:bogazici elektronik dis tic ltd sti|TR',
            'BOĞAZİÇİ ELEKTRONİK DIŞ TİC. LTD. ŞTİ.', 'TR',
            {'aliases': ['BOĞAZİÇİ ELEKTRONİK DIŞ TİC. LTD. ŞTİ.',
                         'BOGAZICI ELEKTRONIK DIS TIC LTD STI']}),
           ('Company', 'name:ooo vektor|RU', 'OOO VEKTOR', 'RU', {'address': ['MOSKVA']}),
           ('Country', 'RU', 'Russian Federation', 'RU', {}),
           ('Country', 'TR', 'Türkiye', 'TR', {}),
           ('Good', 'hs6:852691', 'HS 8526.91', None,
            {'category': 'navigation_gnss', 'chpl_tier': '2', 'hs4': '8526', 'hs6': '852691'}),
           ('Good', 'hs6:854239', 'HS 8542.39', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854239'})]}
EXPORTS_BOM_QUARANTINE = []

MONTHLY_COUNTS = (3, 2, 1)
MONTHLY_GRAPH = {'edges': [('LOCATED_IN', 'Company:name:too astana tech|KZ', 'Country:KZ', '', None, None, None,
            None, None, {'inferred': 'given with --default'}),
           ('SHIPPED', 'Company:name:shen chzhen elektroniks|??',
            'Company:name:too astana tech|KZ', '2023-04||8542310000|15000.5|1200.0|', '2023-04',
            '8542310000', 15000.5, 1200.0, 'CN',
            {'aggregate': 'month', 'category': 'integrated_circuits', 'chpl_tier': '1'}),
           ('SHIPPED', 'Company:name:shen chzhen elektroniks|??',
            'Company:name:too astana tech|KZ', '2023-05||8542310000|12.5|1.0|', '2023-05',
            '8542310000', 12.5, 1.0, 'CN',
            {'aggregate': 'month', 'category': 'integrated_circuits', 'chpl_tier': '1'})],
 'nodes': [('Company', 'name:shen chzhen elektroniks|??', 'ШЭНЬЧЖЭНЬ ЭЛЕКТРОНИКС', None,
            {'aliases': ['ШЭНЬЧЖЭНЬ ЭЛЕКТРОНИКС', 'SHENZHEN ELECTRONICS CO LTD']}),
           ('Company', 'name:too astana tech|KZ', 'TOO ASTANA TECH', 'KZ', {}),
           ('Country', 'KZ', 'Kazakhstan', 'KZ', {}),
           ('Good', 'hs6:854231', 'HS 8542.31', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854231'})]}
MONTHLY_QUARANTINE = [('line 4', 'missing required field(s): shipper_name')]

BILLS_GZIP_COUNTS = (2, 2, 0)
BILLS_GZIP_GRAPH = {'edges': [('LOCATED_IN', 'Company:name:gulf star general trading llc|AE', 'Country:AE', '',
            None, None, None, None, None, {}),
           ('LOCATED_IN', 'Company:name:silk road logistics llp|KZ', 'Country:KZ', '', None,
            None, None, None, None, {}),
           ('SHIPPED', 'Company:name:gulf star general trading llc|AE',
            'Company:name:silk road logistics llp|KZ', 'MEDU1234567||None|None|2.0|',
            '2023-09-14', None, None, 2.0, 'US',
            {'description': 'ELECTRONIC COMPONENTS 2 PALLETS',
             'gross_weight_kg': 350.0,
             'notify_party': 'SAME AS CONSIGNEE',
             'port_of_lading': 'JEBEL ALI',
             'port_of_unlading': 'AKTAU',
             'record_id': 'MEDU1234567',
             'unit': 'PLT',
             'vessel': 'MSC ANNA'}),
           ('SHIPPED', 'Company:name:gulf star general trading llc|AE',
            'Company:name:silk road logistics llp|KZ', 'MEDU1234568||847150|18000.0|4.0|',
            '2023-09-20', '847150', 18000.0, 4.0, None,
            {'category': 'computers',
             'chpl_tier': '3.A',
             'description': 'SERVERS',
             'gross_weight_kg': 120.0,
             'port_of_lading': 'JEBEL ALI',
             'port_of_unlading': 'AKTAU',
             'record_id': 'MEDU1234568',
             'unit': 'PCS',
             'vessel': 'MSC ANNA'})],
 'nodes': [('Company', 'name:gulf star general trading llc|AE', 'GULF STAR GENERAL TRADING LLC',
            'AE', {'address': ['DEIRA, DUBAI']}),
           ('Company', 'name:silk road logistics llp|KZ', 'SILK ROAD LOGISTICS LLP', 'KZ',
            {'address': ['ALMATY']}),
           ('Country', 'AE', 'United Arab Emirates', 'AE', {}),
           ('Country', 'KZ', 'Kazakhstan', 'KZ', {}),
           ('Good', 'hs6:847150', 'HS 8471.50', None,
            {'category': 'computers', 'chpl_tier': '3.A', 'hs4': '8471', 'hs6': '847150'})]}
BILLS_GZIP_QUARANTINE = []

XLSX_BANNER_COUNTS = (3, 2, 1)
XLSX_BANNER_GRAPH = {'edges': [('LOCATED_IN', 'Company:inn:7722476458', 'Country:RU', '', None, None, None, None,
            None,
            {'inferred': 'layout ru-import-lines: the importer on a Russian import declaration '
                         'is in Russia'}),
           ('LOCATED_IN', 'Company:name:ooo iatash rus|RU', 'Country:RU', '', None, None, None,
            None, None,
            {'inferred': 'layout ru-import-lines: the importer on a Russian import declaration '
                         'is in Russia'}),
           ('SHIPPED', 'Company:name:pacific semicon ltd|??', 'Company:inn:7722476458',
            '10702070/150325/3012345||8542310000|1234.5|250.0|', '2025-03-15', '8542310000',
            1234.5, 250.0, 'TW',
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'record_id': '10702070/150325/3012345'}),
           ('SHIPPED', 'Company:name:pacific semicon ltd|??', 'Company:name:ooo iatash rus|RU',
            '10702070/160325/3012399||854232|None|3.0|', '2025-03-16', '854232', None, 3.0,
            'TW',
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'record_id': '10702070/160325/3012399'})],
 'nodes': [('Company', 'inn:7722476458', 'ООО «ЯТАШ РУС»', 'RU',
            {'aliases': ['ООО «ЯТАШ РУС»', 'OOO YATASH RUS'],
             'identifiers': ['inn:7722476458']}),
           ('Company', 'name:ooo iatash rus|RU', 'ООО «ЯТАШ РУС»', 'RU', {}),
           ('Company', 'name:pacific semicon ltd|??', 'Pacific Semicon Ltd', None, {}),
           ('Country', 'RU', 'Russian Federation', 'RU', {}),
           ('Good', 'hs6:854231', 'HS 8542.31', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854231'}),
           ('Good', 'hs6:854232', 'HS 8542.32', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854232'})]}
XLSX_BANNER_QUARANTINE = [('Импорт!row 6', "quantity: not a number: 'many'")]

PARQUET_COUNTS = (2, 2, 0)
PARQUET_GRAPH = {'edges': [('LOCATED_IN', 'Company:name:kyrgyz trade bridge osoo|KG', 'Country:KG', '', None,
            None, None, None, None, {}),
           ('LOCATED_IN', 'Company:name:orient tech trading co ltd|CN', 'Country:CN', '', None,
            None, None, None, None, {}),
           ('SHIPPED', 'Company:name:orient tech trading co ltd|CN',
            'Company:name:kyrgyz trade bridge osoo|KG', 'PQ-1||85423900|4200.0|1000.0|',
            '2024-01-09', '85423900', 4200.0, 1000.0, 'US',
            {'category': 'integrated_circuits', 'chpl_tier': '1', 'record_id': 'PQ-1'}),
           ('SHIPPED', 'Company:name:orient tech trading co ltd|CN',
            'Company:name:kyrgyz trade bridge osoo|KG', 'PQ-2||030490|None|5.0|', '2024-02-01',
            '030490', None, 5.0, None, {'record_id': 'PQ-2'})],
 'nodes': [('Company', 'name:kyrgyz trade bridge osoo|KG', 'Kyrgyz Trade Bridge OsOO', 'KG',
            {}),
           ('Company', 'name:orient tech trading co ltd|CN', 'Orient Tech Trading Co., Ltd',
            'CN', {}),
           ('Country', 'CN', 'China', 'CN', {}), ('Country', 'KG', 'Kyrgyzstan', 'KG', {}),
           ('Good', 'hs6:030490', 'HS 0304.90', None, {'hs4': '0304', 'hs6': '030490'}),
           ('Good', 'hs6:854239', 'HS 8542.39', None,
            {'category': 'integrated_circuits',
             'chpl_tier': '1',
             'hs4': '8542',
             'hs6': '854239'})]}
PARQUET_QUARANTINE = []

CASES = {
    "canonical": (lambda tmp: FIXTURES / "canonical.csv", {}, "canonical", "csv utf-8 ','",
                  CANONICAL_COUNTS, CANONICAL_GRAPH, CANONICAL_QUARANTINE),
    "ru-import-lines, CP1251": (lambda tmp: FIXTURES / "ru_import_lines_cp1251.csv", {}, "ru-import-lines",
                                "csv cp1251 ','", RU_CP1251_COUNTS, RU_CP1251_GRAPH, RU_CP1251_QUARANTINE),
    "exports, UTF-8 BOM, semicolon": (lambda tmp: FIXTURES / "exports_tr_bom.csv",
                                      {"defaults": {"shipper_country": "TR"}}, "exports",
                                      "csv utf-8-sig ';' decimal-comma",
                                      EXPORTS_BOM_COUNTS, EXPORTS_BOM_GRAPH, EXPORTS_BOM_QUARANTINE),
    "monthly aggregates, semicolon + comma decimals": (
        lambda tmp: FIXTURES / "monthly_semicolon.csv", {"defaults": {"consignee_country": "KZ"}},
        "monthly-aggregates", "csv utf-8 ';' decimal-comma", MONTHLY_COUNTS, MONTHLY_GRAPH, MONTHLY_QUARANTINE),
    "bills of lading, gzip, quoted newline": (
        lambda tmp: FIXTURES / "bills_of_lading.csv.gz", {}, "bills-of-lading", "csv gzip utf-8 ','",
        BILLS_GZIP_COUNTS, BILLS_GZIP_GRAPH, BILLS_GZIP_QUARANTINE),
    "xlsx with banner rows": (lambda tmp: write_banner_xlsx(tmp / "banner.xlsx"), {}, "ru-import-lines", "xlsx",
                              XLSX_BANNER_COUNTS, XLSX_BANNER_GRAPH, XLSX_BANNER_QUARANTINE),
    "parquet with typed columns": (lambda tmp: write_parquet(tmp / "canonical.parquet"), {}, "canonical", "parquet",
                                   PARQUET_COUNTS, PARQUET_GRAPH, PARQUET_QUARANTINE),
}


@pytest.mark.parametrize("case", list(CASES))
def test_layout_gives_exact_graph_and_quarantine(case: str, ingest: Ingest, tmp_path: Path) -> None:
    make, options, layout, described, counts, graph, rejected = CASES[case]
    got, _ = ingest(make(tmp_path), **options)
    assert ingest.customs.choice.layout.name == layout
    assert ingest.customs.choice.how == "auto"
    assert ingest.customs.info.describe() == described
    assert (got.read, got.ingested, got.quarantined) == counts
    assert ingest.graph() == graph
    assert ingest.rejected() == rejected


@pytest.mark.parametrize("case", list(CASES))
def test_reingesting_the_same_file_adds_nothing(case: str, ingest: Ingest, tmp_path: Path) -> None:
    make, options, *_ = CASES[case]
    path = make(tmp_path)
    ingest(path, **options)
    before = ingest.graph()
    evidence = len(ingest.store.evidence_frame())
    _, result = ingest(path, **options)
    assert not result.changed
    assert ingest.graph() == before
    assert len(ingest.store.evidence_frame()) == evidence


def test_banner_rows_are_reported_not_ingested(tmp_path: Path, ingest: Ingest) -> None:
    ingest(write_banner_xlsx(tmp_path / "banner.xlsx"))
    assert ingest.customs.info.banner_rows == ["Импорт РФ: микросхемы, март 2025"]
    assert ingest.customs.info.header[:2] == ["DECLARATION_NUMBER", "IMP_DATE"]


def test_quarantine_lines_hold_original_row_file_locator_and_reason(ingest: Ingest) -> None:
    import json

    ingest(FIXTURES / "canonical.csv")
    items = [json.loads(line) for line in ingest.quarantine.read_text("utf-8").splitlines()]
    extra = next(i for i in items if i["locator"] == "line 8")
    assert extra["file"].endswith("canonical.csv")
    assert extra["source"] == "customs:canonical.csv"
    assert extra["row"]["record_id"] == "BL-7" and extra["row"]["_extra"] == ["EXTRA"]
    assert extra["reason"] == "ragged row: 17 cells, header has 16"


def test_same_inn_across_files_is_one_company_with_both_names(ingest: Ingest) -> None:
    ingest(FIXTURES / "canonical.csv")
    ingest(FIXTURES / "ru_import_lines_cp1251.csv")
    companies = [n for n in ingest.graph()["nodes"] if n[1] == "inn:7722476458"]
    assert len(companies) == 1
    _, _, name, country, props = companies[0]
    assert (name, country) == ("OOO Vektor", "RU")  # the first source's name stays the node's name
    assert props["aliases"] == ["ООО «ЯТАШ РУС»", "OOO YATASH RUS"]
    assert props["identifiers"] == ["inn:7722476458", "kpp:772201001"]
