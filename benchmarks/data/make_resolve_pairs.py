"""Writes resolve_pairs.csv: the labelled pair set of the resolution benchmark (kept to show how it was built).

Every pair is written out from hand-made base records and hand-made variants below; the
labels are ours. Run: PYTHONPATH=. /work/venv/bin/python benchmarks/data/make_resolve_pairs.py
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).with_name("resolve_pairs.csv")

# (Latin name, Cyrillic name or "", country, INN or ""), Russian companies in customs/sanctions spellings.
RUSSIAN = [
    ("Zhukovskiy Priborostroitelnyi Zavod", "Жуковский приборостроительный завод", "RU", "5013001234"),
    ("Radioelektronnye Tekhnologii", "Радиоэлектронные технологии", "RU", "7703695246"),
    ("Promtekhkomplekt", "Промтехкомплект", "RU", "7728123456"),
    ("Spetsialnyi Tekhnologicheskii Tsentr", "Специальный технологический центр", "RU", "7802212345"),
    ("Kronshtadt", "Кронштадт", "RU", "7713734526"),
    ("Elektronnye Komponenty Yug", "Электронные компоненты юг", "RU", "6164301234"),
    ("Mikroelektronika Plyus", "Микроэлектроника плюс", "RU", "7736612345"),
    ("Tekhnopark Severo-Zapad", "Технопарк Северо-Запад", "RU", "7805512345"),
    ("Grifon Trading", "Грифон Трейдинг", "RU", "7714412345"),
    ("Aviazapchast Sibir", "Авиазапчасть Сибирь", "RU", "5405012345"),
    ("Signal Komplekt", "Сигнал комплект", "RU", "7724412345"),
    ("Optron Stavropol", "Оптрон Ставрополь", "RU", "2635012345"),
    ("Kvant Elektro", "Квант электро", "RU", "7701812345"),
    ("Vektor Energo Servis", "Вектор энерго сервис", "RU", "7743312345"),
    ("Zvezda Logistik", "Звезда логистик", "RU", "7810012345"),
    ("Yuzhnyi Tekhnicheskii Tsentr", "Южный технический центр", "RU", "6165012345"),
    ("Shchit Oboronnye Sistemy", "Щит оборонные системы", "RU", "7729912345"),
    ("Tsifrovye Resheniya", "Цифровые решения", "RU", "7720012345"),
    ("Ural Priborservis", "Урал приборсервис", "RU", "6670012345"),
    ("Yakor Elektronika", "Якорь электроника", "RU", "7705512345"),
]
# Other transliteration schemes a person or a vendor might use for the same Russian name.
TRANSLIT_VARIANTS = {
    "Zhukovskiy Priborostroitelnyi Zavod": "Zhukovsky Priborostroitelny Zavod",
    "Radioelektronnye Tekhnologii": "Radioelektronnyye Tekhnologiyi",
    "Promtekhkomplekt": "Promtechkomplekt",
    "Spetsialnyi Tekhnologicheskii Tsentr": "Spetsialny Tekhnologichesky Tsentr",
    "Kronshtadt": "Kronstadt",
    "Elektronnye Komponenty Yug": "Elektronnyye Komponenty Iug",
    "Mikroelektronika Plyus": "Mikroelektronika Plius",
    "Tekhnopark Severo-Zapad": "Technopark Severo Zapad",
    "Grifon Trading": "Griffon Trading",
    "Aviazapchast Sibir": "Aviazapchast' Sibir'",
    "Signal Komplekt": "Signal Komplekt",
    "Optron Stavropol": "Optron-Stavropol",
    "Kvant Elektro": "Kwant Elektro",
    "Vektor Energo Servis": "Vector Energo Service",
    "Zvezda Logistik": "Zvezda Logistic",
    "Yuzhnyi Tekhnicheskii Tsentr": "Iuzhnyi Tekhnicheskiy Tsentr",
    "Shchit Oboronnye Sistemy": "Schit Oboronnyye Sistemy",
    "Tsifrovye Resheniya": "Tsifrovyye Resheniia",
    "Ural Priborservis": "Ural Pribor Servis",
    "Yakor Elektronika": "Yakor' Elektronika",
}
RU_FORMS = [("OOO {}", "{} LLC"), ("AO {}", "{} JSC"), ("Obshchestvo s ogranichennoy otvetstvennostyu {}", "OOO {}"),
            ("LIMITED LIABILITY COMPANY {}", "{}, OOO"), ("PAO {}", "Public Joint Stock Company {}")]

# Trading companies in intermediary countries: (full name, trade-record abbreviation, country).
TRADERS = [
    ("Sino Electronics Technology Company Limited", "SINO ELEC TECH CO LTD", "HK"),
    ("Grand Star International Trading Co., Ltd.", "GRAND STAR INTL TRDG CO LTD", "HK"),
    ("Asia Pacific Communication Group Limited", "ASIA PACIFIC COMM GRP LTD", "HK"),
    ("Shenzhen Huaxin Electronic Technology Co., Ltd.", "SHENZHEN HUAXIN ELEC TECH CO LTD", "CN"),
    ("Fortune Link Services International Limited", "FORTUNE LINK SRVCES INTL LTD", "HK"),
    ("Mikro Tek Elektronik Sanayi ve Ticaret Limited Sirketi", "MIKRO TEK ELEKTRONIK SAN. VE TIC. LTD. STI.", "TR"),
    ("Anadolu Teknoloji Dis Ticaret Anonim Sirketi", "ANADOLU TEKNOLOJI DIS TIC. A.S.", "TR"),
    ("Gulf Horizon General Trading LLC", "GULF HORIZON GEN TRDG L.L.C.", "AE"),
    ("Desert Falcon Electronics Trading FZE", "DESERT FALCON ELECTRONICS TRDG FZE", "AE"),
    ("Bright Ocean Logistics Company Limited", "BRIGHT OCEAN LOGISTIC CO LTD", "HK"),
    ("Tianjin Yuanda Industrial Equipment Co., Ltd.", "TIANJIN YUANDA IND EQUIP CO LTD", "CN"),
    ("Silk Road Technologies Trading LLP", "SILK ROAD TECH TRDG LLP", "KZ"),
    ("Alatau Engineering Services LLP", "ALATAU ENGG SVCS LLP", "KZ"),
    ("Eurasia Components Manufacturing Company", "EURASIA COMPONENTS MFG CO", "KG"),
    ("Ararat Electronic Systems LLC", "ARARAT ELEC SYS LLC", "AM"),
    ("Polar Bridge Development Limited", "POLAR BRIDGE DEV LTD", "HK"),
    ("Kowloon Precision Instruments Company Limited", "KOWLOON PRECISION INSTR CO LTD", "HK"),
    ("Hangzhou Lianxin Semiconductor Technology Co., Ltd.", "HANGZHOU LIANXIN SEMICONDUCTOR TECHNOLOGY CO LTD", "CN"),
    ("Nova Holdings International Limited", "NOVA HLDGS INTL LTD", "HK"),
    ("Istanbul Makina Sanayi Anonim Sirketi", "ISTANBUL MAKINA SANAYI A.S.", "TR"),
    ("Caspian Distribution Services FZCO", "CASPIAN DISTR SERVICES FZCO", "AE"),
    ("Pacific Rim Communications Limited", "PACIFIC RIM COMMUNICATIONS LTD.", "HK"),
    ("United Northern Industries Group Limited", "UNITED NORTHERN INDS GRP LTD", "HK"),
    ("Jiangsu Ruitai Electric Co., Ltd.", "JIANGSU RUITAI ELECTRIC COMPANY LIMITED", "CN"),
    ("Alfa Elektronik GmbH", "ALFA ELEKTRONIK G.M.B.H.", "DE"),
]
CHINESE = [  # Chinese names in characters and in pinyin/English as written on trade records
    ("深圳市华信电子科技有限公司", "Shenzhen Shi Hua Xin Dian Zi Ke Ji You Xian Gong Si", "CN"),
    ("北京云泽科技有限公司", "Beijing Yun Ze Ke Ji Youxian Gongsi", "CN"),
    ("天津远大工业设备有限公司", "Tianjin Yuan Da Gong Ye She Bei You Xian Gong Si", "CN"),
]
# Typos and dropped punctuation seen in manually keyed records.
TYPOS = [
    ("Grand Star International Trading Co., Ltd.", "Grand Starr International Trading Co Ltd", "HK"),
    ("Sino Electronics Technology Company Limited", "Sino Electroncs Technology Company Limited", "HK"),
    ("Gulf Horizon General Trading LLC", "Gulf Horizn General Trading LLC", "AE"),
    ("Shenzhen Huaxin Electronic Technology Co., Ltd.", "Shenzen Huaxin Electronic Technology Co Ltd", "CN"),
    ("Bright Ocean Logistics Company Limited", "Bright Ocean Logistics Comapny Limited", "HK"),
    ("Kowloon Precision Instruments Company Limited", "Kowlon Precision Instruments Company Limited", "HK"),
    ("Promtekhkomplekt JSC", "Promtehkomplekt JSC", "RU"),
    ("Alatau Engineering Services LLP", "Alatau Enginering Services LLP", "KZ"),
    ("Desert Falcon Electronics Trading FZE", "Desert Falkon Electronics Trading FZE", "AE"),
    ("Tianjin Yuanda Industrial Equipment Co., Ltd.", "Tianjin Yuanda Industrial Equipments Co Ltd", "CN"),
]
# Word order swaps.
ORDER = [
    ("Trading Grand Star International", "Grand Star International Trading", "HK"),
    ("Elektronika Yakor", "Yakor Elektronika", "RU"),
    ("Services Fortune Link International", "Fortune Link Services International", "HK"),
]
# Hard negatives: subsidiaries, sister companies and near-homonyms (all different companies).
SUBSIDIARIES = [
    ("Rostec", "Rostec Aviation Holding", "RU"), ("Almaz-Antey", "Almaz-Antey Service", "RU"),
    ("Kronshtadt", "Kronshtadt Technologies", "RU"), ("Sino Electronics Technology Co Ltd", "Sino Electronics Trading Co Ltd", "HK"),
    ("Grand Star International Trading Co Ltd", "Grand Star Logistics Co Ltd", "HK"),
    ("Mikro Tek Elektronik Ltd Sti", "Mikro Tek Makina Ltd Sti", "TR"),
    ("Gulf Horizon General Trading LLC", "Gulf Horizon Shipping LLC", "AE"),
    ("Shenzhen Huaxin Electronic Technology Co Ltd", "Shenzhen Huaxin Electronic Technology (Hong Kong) Co Ltd", "CN"),
    ("Radioelektronnye Tekhnologii", "Radioelektronnye Tekhnologii Servis", "RU"),
    ("Signal Komplekt", "Signal Komplekt Sever", "RU"), ("Kvant Elektro", "Kvant Elektro Montazh", "RU"),
    ("Zvezda Logistik", "Zvezda Logistik Vostok", "RU"), ("Nova Holdings International Ltd", "Nova Holdings Capital Ltd", "HK"),
    ("Polar Bridge Development Ltd", "Polar Bridge Investment Ltd", "HK"),
    ("Asia Pacific Communication Group Ltd", "Asia Pacific Communication Group Holdings (BVI) Ltd", "HK"),
    ("Optron Stavropol", "Optron Moskva", "RU"), ("Ural Priborservis", "Ural Priborservis Plus", "RU"),
    ("Tsifrovye Resheniya", "Tsifrovye Resheniya Yug", "RU"), ("Alfa Elektronik GmbH", "Alfa Elektronik Service GmbH", "DE"),
    ("Silk Road Technologies Trading LLP", "Silk Road Technologies Consulting LLP", "KZ"),
]
NUMBERED = [
    ("Plant No. 1 Signal", "Plant No. 2 Signal", "RU"), ("Zavod 9", "Zavod 19", "RU"),
    ("Research Institute 13", "Research Institute 14", "CN"), ("Branch 1 of Kvant", "Branch 2 of Kvant", "RU"),
    ("Shenzhen Huaxin No. 3 Factory", "Shenzhen Huaxin No. 5 Factory", "CN"),
]
NEAR_HOMONYMS = [
    ("Mikron", "Mikran", "RU"), ("Elektron", "Elektrosila", "RU"), ("Tekhnopark", "Tekhnoprom", "RU"),
    ("Asia Star Trading Ltd", "Asia Sun Trading Ltd", "HK"), ("Grifon Trading", "Grafit Trading", "RU"),
    ("Vektor Energo", "Vektor Avto", "RU"), ("Optron", "Optek", "RU"), ("Kvant", "Kvarts", "RU"),
    ("Orion Electronics Ltd", "Orient Electronics Ltd", "HK"), ("Zenit Trade", "Zenith Trans", "RU"),
    ("Alpha Components Ltd", "Alpine Components Ltd", "HK"), ("Delta Systems FZE", "Delta Solutions FZE", "AE"),
    ("Nord Komplekt", "Nord Kontrakt", "RU"), ("Atlas Electronics", "Atlant Electronics", "TR"),
    ("Sigma Tech Co Ltd", "Sigma Trade Co Ltd", "CN"),
]

DIACRITICS = [
    ("Müller Elektronik GmbH", "Mueller Elektronik GmbH", "DE"), ("Çelik Teknoloji Ltd. Şti.", "Celik Teknoloji Ltd Sti", "TR"),
    ("Özgür Dış Ticaret A.Ş.", "Ozgur Dis Ticaret AS", "TR"), ("Şahin Elektronik Sanayi", "Sahin Elektronik Sanayi", "TR"),
    ("Gök Havacılık Ltd. Şti.", "Gok Havacilik Ltd Sti", "TR"), ("Bäcker Präzisionstechnik GmbH", "Baecker Praezisionstechnik GmbH", "DE"),
    ("Škoda Komponenty s.r.o.", "Skoda Komponenty sro", "CZ"), ("Łódź Elektronika Sp. z o.o.", "Lodz Elektronika Sp z o o", "PL"),
    ("Ağaoğlu Makina A.Ş.", "Agaoglu Makina AS", "TR"), ("Žalgiris Prekyba UAB", "Zalgiris Prekyba UAB", "LT"),
]


def main() -> None:
    rows: list[dict[str, str]] = []

    def pair(case: str, same: int, a: str, ac: str, b: str, bc: str, a_ids: str = "", b_ids: str = "") -> None:
        rows.append({"case": case, "same": str(same), "left_name": a, "left_country": ac, "left_ids": a_ids,
                     "right_name": b, "right_country": bc, "right_ids": b_ids})

    for i, (latin, cyr, cc, inn) in enumerate(RUSSIAN):
        left_form, right_form = RU_FORMS[i % len(RU_FORMS)]
        pair("legal-form", 1, left_form.format(latin), cc, right_form.format(latin), cc)
        pair("cyrillic-latin", 1, f"ООО «{cyr}»", cc, f"{latin} LLC", cc)
        pair("translit-variant", 1, f"OOO {latin}", cc, f"{TRANSLIT_VARIANTS[latin]} Ltd", cc)
        pair("identifier", 1, f"OOO {latin}", cc, f"{cyr.upper()} ООО", cc, f"inn:{inn}", f"inn:{inn}")
        pair("cyrillic-full-form", 1, f"Общество с ограниченной ответственностью «{cyr}»", cc, f"{latin.upper()}, OOO", cc)
        pair("same-name-two-countries", 0, f"{latin} LLC", cc, f"{latin} Limited", "HK" if i % 2 else "KZ")
        pair("conflicting-identifier", 0, f"OOO {latin}", cc, f"AO {latin}", cc, f"inn:{inn}",
             f"inn:{int(inn) + 7}")
    for full, abbrev, cc in TRADERS:
        pair("abbreviation", 1, full, cc, abbrev, cc)
        pair("case-punctuation", 1, full.upper().replace(",", "").replace(".", ""), cc, full.lower(), cc)
        other = {"HK": "CN", "CN": "HK", "TR": "AE", "AE": "TR", "KZ": "KG", "KG": "KZ", "AM": "GE", "DE": "AT"}[cc]
        pair("same-name-two-countries", 0, full, cc, full, other)
    for han, pinyin, cc in CHINESE:
        pair("chinese-pinyin", 1, han, cc, pinyin, cc)
    for a, b, cc in DIACRITICS:
        pair("diacritics", 1, a, cc, b, cc)
    for a, b, cc in TYPOS:
        pair("typo", 1, a, cc, b, cc)
    for a, b, cc in ORDER:
        pair("word-order", 1, a, cc, b, cc)
    for a, b, cc in SUBSIDIARIES:
        pair("subsidiary", 0, a, cc, b, cc)
    for a, b, cc in NUMBERED:
        pair("numbered", 0, a, cc, b, cc)
    for a, b, cc in NEAR_HOMONYMS:
        pair("near-homonym", 0, a, cc, b, cc)
    # Unrelated companies sharing generic words only.
    for i, (a, _, ac) in enumerate(TRADERS):
        b, _, bc = TRADERS[(i + 7) % len(TRADERS)]
        pair("unrelated", 0, a, ac, b, bc)
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} pairs -> {OUT}")


if __name__ == "__main__":
    main()
