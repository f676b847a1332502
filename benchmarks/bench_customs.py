"""Benchmark: customs files of 1M rows, end to end into the embedded store (rows/s, peak memory).

Generates realistic rows in the canonical and the Russian line-level layouts (or takes files),
then ingests each in a fresh child process so peak memory is the ingest's alone.

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_customs.py [--rows 1000000] [--runs 1] [FILE ...]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ingest.normalize import is_valid_inn

US_MAKERS = ["Texas Instruments", "Analog Devices", "Microchip Technology", "Xilinx", "Intel", "NXP USA",
             "ON Semiconductor", "Maxim Integrated", "Lattice Semiconductor", "Cypress Semiconductor"]
HS_CODES = ["8542310000", "8542320000", "8542330000", "8542390000", "8517620000", "8526910000", "8541210000",
            "8532240000", "8471500000", "8536690000", "8504409000", "8473302000", "8486200000", "8457100000"]
HUB_COUNTRIES = ["HK", "CN", "TR", "AE", "KZ", "KG", "AM", "UZ", "IN", "RS"]
SYLLABLES = ["al", "ex", "tro", "ma", "sib", "tek", "nor", "vol", "ra", "kom", "pro", "ser", "vis", "tan", "lin"]
RU_SYLLABLES = ["ал", "экс", "тро", "ма", "сиб", "тек", "нор", "вол", "ра", "ком", "про", "сер", "вис", "тан", "лин"]
CANONICAL_HEADER = ["record_id", "date", "shipper_name", "shipper_country", "shipper_id", "consignee_name",
                    "consignee_country", "consignee_id", "origin_country", "hs_code", "description", "brand",
                    "part_number", "quantity", "unit", "value_usd"]
RU_HEADER = ["DECLARATION_NUMBER", "IMP_DATE", "SUPPLIER_NAME", "SUPPLIER_ADDRESS", "IMPORTER_CODE", "IMPORTER_NAME",
             "IMPORTER_NAME_EN", "ORIGIN_COUNTRY", "DESTINATION_COUNTRY", "BRAND", "MANUFACTURER", "HS_CODE",
             "PRODUCT_DESCRIPTION", "PRODUCT_DESCRIPTION_EN", "QUANTITY", "UNIT", "NET_WEIGHT_KG", "GROSS_WEIGHT_KG",
             "INVOICE_VALUE_RUB", "TOTAL_VALUE_USD", "INCOTERMS", "CUSTOMS_BROKER_NAME"]


def valid_inn(rng: random.Random) -> str:
    """A random 10-digit INN with correct check digit."""
    while True:
        inn = f"77{rng.randrange(10**7):07d}"
        for last in "0123456789":
            if is_valid_inn(inn + last):
                return inn + last


def word(rng: random.Random, parts: list[str], n: int = 3) -> str:
    idx = [rng.randrange(len(parts)) for _ in range(n)]
    return "".join(parts[i] for i in idx), idx  # type: ignore[return-value]


def make_world(rng: random.Random, n_suppliers: int = 8000, n_importers: int = 4000) -> tuple[list, list]:
    suppliers = []
    for _ in range(n_suppliers):
        name, _ = word(rng, SYLLABLES)
        country = rng.choice(HUB_COUNTRIES)
        suppliers.append((f"{name.upper()} {rng.choice(['LIMITED', 'CO LTD', 'TRADING FZE', 'DIS TIC LTD STI'])}",
                          country, f"{rng.randrange(1, 999)} {name.title()} Road, {country}"))
    importers = []
    for _ in range(n_importers):
        _, idx = word(rng, SYLLABLES)
        latin = "".join(SYLLABLES[i] for i in idx).upper()
        cyr = "".join(RU_SYLLABLES[i] for i in idx).upper()
        importers.append((valid_inn(rng), f"ООО «{cyr}»", f"OOO {latin}"))
    return suppliers, importers


def write_files(rows: int, folder: Path, seed: int = 7) -> tuple[Path, Path]:
    """A canonical CSV and a Russian line-level CSV with the same ``rows`` shipments."""
    rng = random.Random(seed)
    suppliers, importers = make_world(rng)
    canonical, russian = folder / "canonical.csv", folder / "ru_import_lines.csv"
    with open(canonical, "w", newline="", encoding="utf-8") as fc, open(russian, "w", newline="", encoding="utf-8") as fr:
        wc, wr = csv.writer(fc), csv.writer(fr)
        wc.writerow(CANONICAL_HEADER)
        wr.writerow(RU_HEADER)
        for i in range(rows):
            sup_name, sup_country, sup_addr = suppliers[int(rng.paretovariate(1.2)) % len(suppliers)]
            inn, cyr, latin = importers[int(rng.paretovariate(1.2)) % len(importers)]
            maker = rng.choice(US_MAKERS)
            hs = rng.choice(HS_CODES)
            day = rng.randrange(1, 29)
            month = rng.randrange(1, 13)
            year = rng.choice((2022, 2023, 2024))
            qty = rng.randrange(1, 5000)
            usd = round(qty * rng.uniform(0.5, 80), 2)
            part = f"{maker[:3].upper()}{rng.randrange(1000, 9999)}"
            decl = f"10{rng.randrange(100000, 999999)}/{day:02d}{month:02d}{year % 100:02d}/{i:07d}"
            wc.writerow([decl, f"{year}-{month:02d}-{day:02d}", sup_name, sup_country, "", latin, "RU", f"inn:{inn}",
                         "US", hs, f"integrated circuit {part}", maker, part, qty, "pcs", usd])
            wr.writerow([decl, f"{day:02d}.{month:02d}.{year}", sup_name, sup_addr, inn, cyr, latin, "США", "RU",
                         maker, maker, hs, f"интегральная схема {part}", f"integrated circuit {part}", qty, "ШТ",
                         round(qty * 0.01, 3), round(qty * 0.012, 3), round(usd * 90, 2), usd, "FCA",
                         "ООО БРОКЕР"])
    return canonical, russian


def ingest_once(path: str, layout: str) -> None:
    """Child process: ingest one file into a fresh store and print seconds, rows, peak RSS."""
    from graph.stores import open_store
    from ingest.customs import CustomsFile, paused_gc
    from ingest.quarantine import Quarantine

    store_dir = tempfile.mkdtemp(prefix="bench-customs-store-")
    try:
        started = time.perf_counter()
        store = open_store(store_dir)
        customs = CustomsFile(path, layout=layout)
        with Quarantine(Path(store_dir) / "quarantine.jsonl") as quarantine, paused_gc():
            store.write(quarantine.filter(customs.records()))
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        c = customs.counts
        print(f"{elapsed:.3f} {c.read} {c.ingested} {c.quarantined} {peak}")
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def measure(path: Path, layout: str, runs: int) -> None:
    results = []
    for _ in range(runs):
        load = os.getloadavg()
        out = subprocess.run([sys.executable, __file__, "--child", str(path), layout], check=True,
                             capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
        seconds, read, ingested, quarantined, peak = out.stdout.split()
        results.append((float(seconds), int(read), int(ingested), int(quarantined), int(peak), load))
        print(f"  run: {float(seconds):.1f} s, {int(read) / float(seconds):,.0f} rows/s, peak {int(peak) / 2**30:.2f} GB,"
              f" ingested {ingested}, quarantined {quarantined}, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    seconds = statistics.median(r[0] for r in results)
    rows = results[0][1]
    print(f"{path.name} [{layout}]: median {rows / seconds:,.0f} rows/s ({seconds:.1f} s for {rows:,} rows), "
          f"peak memory {max(r[4] for r in results) / 2**30:.2f} GB, load {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="customs files to ingest instead of generated ones")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--layout", default="auto")
    parser.add_argument("--child", nargs=2, metavar=("FILE", "LAYOUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        ingest_once(*args.child)
        return
    if args.files:
        for file in args.files:
            measure(file, args.layout, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="bench-customs-") as tmp:
        started = time.perf_counter()
        canonical, russian = write_files(args.rows, Path(tmp))
        print(f"generated {args.rows:,} rows per layout in {time.perf_counter() - started:.1f} s "
              f"({canonical.stat().st_size / 2**20:.0f} MB, {russian.stat().st_size / 2**20:.0f} MB)")
        measure(canonical, "canonical", args.runs)
        measure(russian, "ru-import-lines", args.runs)


if __name__ == "__main__":
    main()
