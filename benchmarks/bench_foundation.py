"""Foundation benchmark: build the demo world, ingest it into the embedded store, open it again.

Each phase runs in its own process so its peak memory (ru_maxrss) is honest:
  generate   write the demo world (customs.csv, tags.csv, truth.json, news)
  ingest     customs.csv and tags.csv into a fresh embedded store (load_canonical -> Quarantine -> write)
  open       open the store (read the Parquet generation into frames)
  networkx   open the store and build its networkx MultiDiGraph view

Usage:
    PYTHONPATH=. python benchmarks/bench_foundation.py [--rows 1000000] [--seed 0] [--work DIR] [--keep]
Prints one line per phase and a JSON summary; the load average is printed beside the figures
because the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PHASES = ("generate", "ingest", "open", "networkx")


def peak_mb() -> float:
    """Peak resident memory of this process in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(phase: str, rows: int, seed: int, work: Path) -> dict[str, object]:
    """Run one phase in this process; returns its figures."""
    from graph.stores.embedded import EmbeddedStore  # imports stay out of the timings
    from ingest.customs import bulk_load, load_canonical
    from ingest.demo import generate_world
    from ingest.quarantine import Quarantine
    from ingest.tags import load_tags

    world, store_dir = work / "world", work / "store"
    out: dict[str, object] = {"phase": phase}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()
    if phase == "generate":
        files = generate_world(world, rows=rows, seed=seed)
        out |= {"rows": rows, "chains": files.chains, "decoys": files.decoys,
                "csv_mb": round(files.customs.stat().st_size / 2**20, 1)}
    elif phase == "ingest":
        shutil.rmtree(store_dir, ignore_errors=True)
        store = EmbeddedStore(store_dir)
        with Quarantine() as quarantine, bulk_load():
            result = store.write(quarantine.filter(load_canonical(world / "customs.csv")))
        customs_seconds = time.perf_counter() - started
        store.write(quarantine.filter(load_tags(world / "tags.csv")))
        out |= {"records": quarantine.records, "quarantined": quarantine.rejected,
                "edges_added": result.edges_added, "rows_per_s": round(rows / customs_seconds),
                "store_mb": round(sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file()) / 2**20, 1)}
    elif phase in ("open", "networkx"):
        store = EmbeddedStore(store_dir, create=False)
        out["open_s"] = round(time.perf_counter() - started, 2)
        out |= {"nodes": store.counts()["nodes"], "edges": store.counts()["edges"]}
        if phase == "networkx":
            built = time.perf_counter()
            graph = store.graph
            out["networkx_s"] = round(time.perf_counter() - built, 2)
            out["graph_edges"] = graph.number_of_edges()
    out["seconds"] = round(time.perf_counter() - started, 2)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_s"] = round(usage.ru_utime + usage.ru_stime - cpu_before, 2)  # honest on a busy machine
    if phase == "ingest":
        out["rows_per_cpu_s"] = round(rows / max(float(out["cpu_s"]), 1e-9))  # type: ignore[arg-type]
    out["peak_mb"] = round(peak_mb())
    return out


def _has_world(work: Path, rows: int) -> bool:
    truth = work / "world" / "truth.json"
    return truth.exists() and json.loads(truth.read_text("utf-8")).get("rows") == rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=None, help="working directory [default: a temporary one]")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--reuse-world", action="store_true",
                        help="skip the generate phase when --work already holds a world of --rows rows")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)  # internal: run one phase
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.rows, args.seed, args.work)))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-foundation-"))
    results = []
    try:
        for phase in PHASES:
            if phase == "generate" and args.reuse_world and _has_world(work, args.rows):
                continue
            load_before = os.getloadavg()
            proc = subprocess.run(
                [sys.executable, __file__, "--phase", phase, "--rows", str(args.rows), "--seed", str(args.seed),
                 "--work", str(work)], capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                sys.exit(f"phase {phase} failed:\n{proc.stderr}")
            figures = json.loads(proc.stdout.strip().splitlines()[-1])
            figures["loadavg"] = [round(x, 2) for x in load_before]
            results.append(figures)
            print("  ".join(f"{k}={v}" for k, v in figures.items()), flush=True)
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"rows": args.rows, "phases": results}))


if __name__ == "__main__":
    main()
