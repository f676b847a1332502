"""List files of every kind: detect the kind from the file, group companions, dispatch to the loader."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from graph.schema import Record
from ingest.quarantine import Rejected

KINDS = ("sdn", "csl", "entity-list", "ftm", "gur")
GUR_TABLES = ("components.csv", "manufacturers.csv", "drones.csv", "teardowns.csv", "supply_chain_edges.csv")


class ListKindError(ValueError):
    """The kind of a list file cannot be told; the message says what to pass."""


def _head(path: Path, size: int = 4096) -> str:
    with open(path, "rb") as handle:
        data = handle.read(size)
    return data.decode("utf-8", errors="replace").lstrip("\ufeff")


def detect_kind(path: str | Path) -> str:
    """The kind of a list file: sdn (also its add/alt files: "sdn-add", "sdn-alt"), csl, entity-list, ftm, gur.

    Raises:
        ListKindError: not a list format we know.
    """
    path = Path(path)
    head = _head(path)
    stripped = head.lstrip()
    if stripped.startswith("<") and ("GPOTABLE" in head or "<RULE" in head or "<FEDREG" in head):
        return "entity-list"
    if stripped.startswith("<") and path.suffix.lower() == ".xml":
        return "entity-list"
    if stripped.startswith("{") and '"schema"' in head:
        return "ftm"
    first = next(csv.reader([head.splitlines()[0] if head.splitlines() else ""]), [])
    lowered = [c.strip().lower() for c in first]
    if lowered[:3] == ["_id", "source", "entity_number"]:
        return "csl"
    if {"id", "schema", "name"} <= set(lowered) and ("sanctions" in lowered or "dataset" in lowered):
        return "ftm"
    if path.name in GUR_TABLES or "component_id" in lowered or "manufacturer_id" in lowered:
        return "gur"
    if first and first[0].strip().isdigit():
        if len(first) == 12:
            return "sdn"
        if len(first) == 6:
            return "sdn-add"
        if len(first) == 5:
            return "sdn-alt"
    raise ListKindError(f"{path}: cannot tell the kind of list; pass --kind {'|'.join(KINDS)}")


def load_lists(paths: Sequence[str | Path], kind: str | None = None) -> Iterator[Record | Rejected]:
    """Records of list files: SDN files take add/alt files given beside them; GUR tables load as a set."""
    from ingest import csl, entity_list, ftm, gur, sdn

    files = [Path(p) for p in paths]
    kinds = {f: _kind_of(f, kind) for f in files}
    adds = [f for f in files if kinds[f] == "sdn-add"]
    alts = [f for f in files if kinds[f] == "sdn-alt"]
    sdns = [f for f in files if kinds[f] == "sdn"]
    if (adds or alts) and not sdns:
        raise ListKindError("address/alias files need their SDN file (sdn.csv) in the same command")
    for f in sdns:
        yield from sdn.load_sdn(f, adds[0] if adds else None, alts[0] if alts else None)
    gur_dirs = sorted({f.parent for f in files if kinds[f] == "gur"})
    for directory in gur_dirs:
        yield from gur.load_gur(directory)
    for f in files:
        if kinds[f] == "csl":
            yield from csl.load_csl(f)
        elif kinds[f] == "entity-list":
            yield from entity_list.load_entity_list(f)
        elif kinds[f] == "ftm":
            yield from ftm.load_ftm(f)


def _kind_of(path: Path, kind: str | None) -> str:
    if kind is None:
        return detect_kind(path)
    if kind not in KINDS:
        raise ListKindError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    detected = detect_kind_safe(path)
    if kind == "sdn" and detected in ("sdn-add", "sdn-alt"):  # companions keep their role
        return detected
    return kind


def detect_kind_safe(path: Path) -> str | None:
    """detect_kind, or None when the kind cannot be told."""
    try:
        return detect_kind(path)
    except ListKindError:
        return None
