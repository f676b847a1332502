"""Benchmark: customs files of 1M rows, end to end into the embedded store (rows/s, peak memory).

Generates the demo world (ingest.demo) in the canonical layout and converts it to the Russian
line-level layout (or takes files),
then ingests each in a fresh child process with the default number of workers; peak memory (summed RSS)
and CPU seconds count that process and its workers.

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_customs.py [--rows 1000000] [--runs 1] [FILE ...]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

from commands.ingest import DEFAULT_WORKERS  # as `transship ingest customs` does by default

RU_HEADER = ["DECLARATION_NUMBER", "IMP_DATE", "SUPPLIER_NAME", "SUPPLIER_ADDRESS", "IMPORTER_CODE", "IMPORTER_NAME",
             "IMPORTER_NAME_EN", "ORIGIN_COUNTRY", "DESTINATION_COUNTRY", "BRAND", "MANUFACTURER", "HS_CODE",
             "PRODUCT_DESCRIPTION", "PRODUCT_DESCRIPTION_EN", "QUANTITY", "UNIT", "NET_WEIGHT_KG", "GROSS_WEIGHT_KG",
             "INVOICE_VALUE_RUB", "TOTAL_VALUE_USD", "INCOTERMS", "CUSTOMS_BROKER_NAME"]
RU_COUNTRY = {"US": "США", "CN": "КИТАЙ", "HK": "ГОНКОНГ", "TR": "ТУРЦИЯ", "AE": "ОАЭ", "RU": "РОССИЯ",
              "KZ": "КАЗАХСТАН", "DE": "ГЕРМАНИЯ", "TW": "ТАЙВАНЬ (КИТАЙ)", "KR": "КОРЕЯ, РЕСПУБЛИКА"}
LATIN, CYR = "abcdefghijklmnopqrstuvwxyz", "абкдефгхийклмнопкрстуввкуз"
CYRILLIC = str.maketrans(LATIN + LATIN.upper(), CYR + CYR.upper())


def russian_row(row: dict[str, str], serial: int) -> list[object]:
    """A Russian line-level declaration row for one canonical demo row (Cyrillic importer name, RUB value,
    one address per supplier as in real declarations)."""
    year, month, day = (row["date"].split("-") + ["01"])[:3]  # month-only demo rows: the 1st (benchmark only)
    inn = row["consignee_id"][4:] if row["consignee_id"].startswith("inn:") else ""
    usd = float(row["value_usd"] or 0)
    qty = float(row["quantity"] or 0)
    return [f"10{serial % 900000 + 100000:06d}/{day}{month}{year[2:]}/{serial:07d}", f"{day}.{month}.{year}",
            row["shipper_name"], f"{row['shipper_country']}, street {zlib.crc32(row['shipper_name'].encode()) % 97}",
            inn,
            row["consignee_name"].translate(CYRILLIC), row["consignee_name"],
            RU_COUNTRY.get(row["origin_country"], row["origin_country"]), row["consignee_country"], row["brand"],
            row["brand"], row["hs_code"].ljust(10, "0"), row["description"].translate(CYRILLIC), row["description"],
            row["quantity"], "ШТ", round(qty * 0.01, 3), round(qty * 0.012, 3), round(usd * 91.5, 2),
            row["value_usd"], "FCA", "ООО БРОКЕР"]


def write_files(rows: int, folder: Path, seed: int = 7) -> tuple[Path, Path]:
    """The demo world's canonical customs file, and the same rows in the Russian line-level layout."""
    from ingest.demo import generate_world

    canonical = generate_world(folder / "world", rows=rows, seed=seed).customs
    russian = folder / "ru_import_lines.csv"
    with open(canonical, newline="", encoding="utf-8") as source, \
            open(russian, "w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target)
        writer.writerow(RU_HEADER)
        for serial, row in enumerate(csv.DictReader(source)):
            writer.writerow(russian_row(row, serial))
    return canonical, russian


class TreeSampler(threading.Thread):
    """Samples this process and its descendants (the ingest's workers) every 0.2 s: the peak of their summed
    RSS, and the CPU time each used (the last sample of a worker, which ends before the ingest does)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self.done = threading.Event()

    def sample(self) -> None:
        import psutil

        me = psutil.Process()
        rss = 0
        for proc in [me, *me.children(recursive=True)]:
            try:
                with proc.oneshot():
                    rss += proc.memory_info().rss
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = times.user + times.system
            except psutil.Error:
                continue  # a worker that just ended
        self.peak = max(self.peak, rss)

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.sample()


def ingest_once(path: str, layout: str, workers: int) -> None:
    """Child process: ingest one file into a fresh store and print seconds, rows, peak RSS and CPU seconds
    of all its processes."""
    from graph.stores import open_store
    from ingest.customs import CustomsFile, bulk_load
    from ingest.quarantine import Quarantine

    store_dir = tempfile.mkdtemp(prefix="bench-customs-store-")
    sampler = TreeSampler()
    try:
        sampler.start()
        started = time.perf_counter()
        store = open_store(store_dir)
        customs = CustomsFile(path, layout=layout, workers=workers)
        with Quarantine(Path(store_dir) / "quarantine.jsonl") as quarantine, bulk_load():
            store.write(quarantine.filter(customs.batches()))
        elapsed = time.perf_counter() - started
        sampler.sample()
        sampler.done.set()
        peak = max(sampler.peak, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
        c = customs.counts
        print(f"{elapsed:.3f} {c.read} {c.ingested} {c.quarantined} {peak} {sum(sampler.cpu.values()):.3f}")
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)


def measure(path: Path, layout: str, runs: int, workers: int = DEFAULT_WORKERS) -> None:
    results = []
    for _ in range(runs):
        load = os.getloadavg()
        out = subprocess.run([sys.executable, __file__, "--child", str(path), layout, str(workers)], check=False,
                             capture_output=True, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
        if out.returncode:
            raise SystemExit(f"ingest of {path} failed:\n{out.stderr}")
        seconds, read, ingested, quarantined, peak, cpu = out.stdout.split()
        results.append((float(seconds), int(read), int(ingested), int(quarantined), int(peak), float(cpu)))
        print(f"  run: {float(seconds):.1f} s wall, {float(cpu):.1f} s CPU, {int(read) / float(seconds):,.0f} rows/s,"
              f" {int(read) / float(cpu):,.0f} rows per CPU-second, peak {int(peak) / 2**30:.2f} GB,"
              f" ingested {ingested}, quarantined {quarantined}, load before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    seconds = statistics.median(r[0] for r in results)
    cpu_seconds = statistics.median(r[5] for r in results)
    rows = results[0][1]
    print(f"{path.name} [{layout}, {workers} worker(s)]: median {rows / seconds:,.0f} rows/s "
          f"({seconds:.1f} s for {rows:,} rows; "
          f"{rows / cpu_seconds:,.0f} rows per CPU-second), peak memory {max(r[4] for r in results) / 2**30:.2f} GB, "
          f"load after {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="customs files to ingest instead of generated ones")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--layout", default="auto")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the generated files here")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="processes planning each file")
    parser.add_argument("--child", nargs=3, metavar=("FILE", "LAYOUT", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        ingest_once(args.child[0], args.child[1], int(args.child[2]))
        return
    if args.files:
        for file in args.files:
            measure(file, args.layout, args.runs, args.workers)
        return
    with tempfile.TemporaryDirectory(prefix="bench-customs-") as tmp:
        folder = args.workdir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        canonical, russian = folder / "world" / "customs.csv", folder / "ru_import_lines.csv"
        if not (canonical.exists() and russian.exists() and args.workdir):
            canonical, russian = write_files(args.rows, folder)
        print(f"generated {args.rows:,} rows per layout in {time.perf_counter() - started:.1f} s "
              f"({canonical.stat().st_size / 2**20:.0f} MB, {russian.stat().st_size / 2**20:.0f} MB)")
        measure(canonical, "canonical", args.runs, args.workers)
        measure(russian, "ru-import-lines", args.runs, args.workers)


if __name__ == "__main__":
    main()
