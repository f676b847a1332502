"""Benchmark: the Python work customs ingest does once per DISTINCT value, in µs per distinct value.

For each customs file (its layout chosen from the header, as ``transship ingest customs`` does) it
times ``new_company`` over the distinct (name, country, identifier, alias) tuples of each role, and
each layout transform over the distinct raw values of the columns the layout applies it to. The
functions' caches are cleared before every run, so each figure is the cost of a value not seen yet
(what a worker pays for each new company or cell).

    PYTHONPATH=. /work/venv/bin/python benchmarks/bench_identity.py [--runs 5] FILE [FILE ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

import graph.schema
import ingest.keys
import ingest.normalize
from ingest.layouts import Layout, Source, _transforms, choose_layout
from ingest.normalize import NormalizationError
from ingest.shipment_plan import new_company

ROLE_FIELDS = ("name", "country", "id", "alias")


def read_table(path: str) -> pa.Table:
    """The file with every column as text ('' kept as '')."""
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline().rstrip("\r\n").replace('"', "").split(",")
    convert = pacsv.ConvertOptions(column_types={c: pa.string() for c in header}, strings_can_be_null=False)
    return pacsv.read_csv(path, convert_options=convert)


def clear_caches() -> None:
    """Empty every functools cache of the modules the per-value work goes through."""
    for module in (ingest.normalize, ingest.keys, graph.schema):
        for obj in vars(module).values():
            if not isinstance(obj, type) and callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()


def cpu_us_per_value(work: Callable[[], tuple[int, int]], runs: int) -> tuple[float, int, int]:
    """Median CPU µs per value of ``work`` (which returns how many values it did and how many of them were
    unreadable) over ``runs`` cold runs, the values and the unreadable ones."""
    times = []
    n = unreadable = 0
    for _ in range(runs):
        clear_caches()
        start = time.process_time()
        n, unreadable = work()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1e6 / max(n, 1), n, unreadable


def apply_all(transform: Callable[[Any], Any], values: Iterable[Any]) -> tuple[int, int]:
    """Apply a transform to each value; the number of values, and of those it could not read (quarantine
    reasons, timed like the others)."""
    n = unreadable = 0
    for value in values:
        n += 1
        try:
            transform(value)
        except NormalizationError:
            unreadable += 1
    return n, unreadable


def present_sources(layout: Layout, field: str, columns: set[str]) -> list[Source]:
    """The field's sources whose column the file has."""
    return [s for s in layout.fields.get(field, ()) if s.column in columns]


def role_tuples(table: pa.Table, layout: Layout, role: str) -> list[tuple[Any, ...]]:
    """The distinct (name, country, identifier, alias) tuples the layout gives new_company for a role."""
    transforms = _transforms(False)
    columns = set(table.column_names)
    sources = {f: present_sources(layout, f"{role}_{f}", columns) for f in ROLE_FIELDS}
    used = sorted({s.column for spec in sources.values() for s in spec if s.column})
    distinct = table.select(used).group_by(used).aggregate([]).select(used)
    raw_rows = zip(*(distinct.column(c).to_pylist() for c in used))
    inferred = layout.inferred.get(f"{role}_country", (None, ""))[0]
    out = set()
    for raw in raw_rows:
        cells: dict[str | None, Any] = dict(zip(used, raw))
        try:
            values = [next((v for s in sources[f] if (v := transforms[s.transform](cells[s.column])) is not None),
                           None) for f in ROLE_FIELDS]
        except NormalizationError:
            continue  # the row is quarantined before it names a company
        if values[1] is None and inferred:
            values[1] = transforms["country"](inferred)
        out.add(tuple(values))
    return sorted(out, key=repr)


def column_values(table: pa.Table, layout: Layout) -> dict[str, list[Any]]:
    """Per transform name, the distinct raw values of every column the layout applies it to."""
    specs = [*layout.fields.values(), *(s for group in layout.props.values() for s in group.values())]
    out: dict[str, list[Any]] = {}
    for spec in specs:
        for src in spec:
            if src.column in table.column_names:
                out.setdefault(src.transform, []).extend(pc.unique(table.column(src.column)).to_pylist())
    return {name: list(dict.fromkeys(values)) for name, values in out.items()}


def bench_file(path: str, runs: int) -> None:
    """Print µs per distinct value for new_company per role and for each transform of one file."""
    table = read_table(path)
    layout = choose_layout(table.column_names).layout
    print(f"{path}: {table.num_rows} rows, layout {layout.name}, load {os.getloadavg()[0]:.2f}")
    for role in ("shipper", "consignee"):
        tuples = role_tuples(table, layout, role)

        us, n, unreadable = cpu_us_per_value(partial(apply_all, partial(new_company, role), tuples), runs)
        print(f"  new_company {role:<9} {n:>8} distinct  {us:8.2f} µs/value  ({unreadable} unreadable)")
    transforms = _transforms(False)
    for name, values in column_values(table, layout).items():
        us, n, unreadable = cpu_us_per_value(partial(apply_all, transforms[name], values), runs)
        print(f"  transform {name:<16} {n:>8} distinct  {us:8.2f} µs/value  ({unreadable} unreadable)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", help="customs CSV files (canonical or a built-in layout)")
    parser.add_argument("--runs", type=int, default=5, help="cold runs per figure (median reported)")
    args = parser.parse_args()
    for path in args.files:
        bench_file(path, args.runs)
    print(f"load {os.getloadavg()}")


if __name__ == "__main__":
    main()
