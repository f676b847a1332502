"""Load an SDN snapshot with its address and alias files into a fresh store; check every Russia-program row.

Run: PYTHONPATH=. /work/venv/bin/python benchmarks/bench_lists.py SDN.csv ADD.csv ALT.csv

Prints rows per Russia program in the file and LISTED_ON edges per program in the store
(rows present = ent_nums on LISTED_ON evidence; they must be equal), the quarantine reasons, counts and timings.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

from graph.stores.embedded import EmbeddedStore
from graph.stores.frames import load_props
from ingest.classify import classify_defense_buyers
from ingest.quarantine import Quarantine
from ingest.sdn import load_sdn, sdn_program_counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sdn", type=Path)
    parser.add_argument("add", type=Path)
    parser.add_argument("alt", type=Path)
    args = parser.parse_args()
    in_file = sdn_program_counts(args.sdn)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store")
        start = time.perf_counter()
        with Quarantine(Path(tmp) / "q.jsonl") as quarantine:
            result = store.write(quarantine.filter(load_sdn(args.sdn, args.add, args.alt)))
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        buyers = classify_defense_buyers(store).buyers
        classify_s = time.perf_counter() - start
        # a row is present when its ent_num is evidence of a LISTED_ON edge under the program
        edges = store.edge_frame(["LISTED_ON"])
        program_of = {eid: load_props(p).get("program", "") for eid, p in zip(edges["id"], edges["props"], strict=True)}
        evidence = store.evidence_frame()
        evidence = evidence[evidence["owner"].isin(list(program_of))]
        present = {(program_of[o], loc) for o, loc in zip(evidence["owner"], evidence["locator"], strict=True)}
        in_store = Counter(program for program, _ in present)
        print(f"records={quarantine.records} quarantined={quarantine.rejected} reasons={quarantine.reasons}")
        print(f"write={result} load_s={load_s:.1f} classify_s={classify_s:.1f} defense_buyers={buyers}")
        print(f"store counts={store.counts()}")
    ok = True
    for program in sorted(p for p in in_file if "RUSSIA" in p):
        same = in_file[program] == in_store[program]
        ok &= same
        print(f"{program}: rows in file={in_file[program]} LISTED_ON in store={in_store[program]} "
              f"{'OK' if same else 'MISSING'}")
    print(f"LISTED_ON edges={len(program_of)} (one per party and program)")
    rows_with_russia = sum(1 for p in in_file if "RUSSIA" in p)
    print(f"russia programs={rows_with_russia} all present={ok} loadavg={os.getloadavg()}")


if __name__ == "__main__":
    main()
