"""Sanctions and export-control list uploads: the files of one upload, their kinds, and the defense-buyer rules.

An upload of lists is a folder of files saved together (an SDN file with its address and
alias files, or several GUR tables); ``ingest.lists`` tells the kinds apart and loads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from graph.schema import Record
from graph.stores import GraphStore
from ingest.lists import GUR_TABLES, KINDS, ListKindError, detect_kind_safe, load_lists
from ingest.quarantine import Rejected

AUTO = "auto"
LIST_KINDS = (AUTO, *KINDS)
LIST_KIND_LABELS = {
    AUTO: "detect from each file",
    "sdn": "OFAC SDN (sdn.csv, with add.csv / alt.csv alongside)",
    "csl": "Consolidated Screening List (trade.gov CSV)",
    "entity-list": "BIS Entity List (Federal Register rule XML)",
    "ftm": "OpenSanctions (FtM JSON lines or targets.simple.csv)",
    "gur": "GUR component tables (components.csv, manufacturers.csv, ...)",
}
LIST_EXTENSIONS = ("csv", "xml", "json", "jsonl", "ndjson")


def list_files(folder: Path) -> list[Path]:
    """The uploaded files in the upload's folder, in name order."""
    return sorted(p for p in folder.iterdir() if p.is_file())


def file_kinds(folder: Path, kind: str | None = None) -> dict[str, str]:
    """The kind each uploaded file will be loaded as (``kind`` chosen by the user, or detected).

    Raises:
        ListKindError: a file's kind cannot be told, or a GUR upload lacks its main table.
    """
    kinds: dict[str, str] = {}
    for path in list_files(folder):
        detected = detect_kind_safe(path)
        if kind in (None, AUTO) and detected is None:
            raise ListKindError(f"{path.name}: cannot tell the kind of list; choose the kind above "
                                f"({', '.join(KINDS)})")
        chosen = detected if kind in (None, AUTO) or (kind == "sdn" and detected in ("sdn-add", "sdn-alt")) else kind
        kinds[path.name] = str(chosen)
    gur = [name for name, k in kinds.items() if k == "gur"]
    if gur and not {"components.csv", "supply_chain_edges.csv"} & set(gur):
        raise ListKindError(f"GUR tables need components.csv or supply_chain_edges.csv among them "
                            f"(tables: {', '.join(GUR_TABLES)})")
    return kinds


def load_list_folder(folder: Path, kind: str | None = None) -> Iterator[Record | Rejected]:
    """Records of every list file in the upload's folder (``kind`` None or "auto": detected per file)."""
    file_kinds(folder, kind)  # one clear message before anything is loaded
    yield from load_lists(list_files(folder), None if kind in (None, AUTO) else kind)


def kinds_table(folder: Path, kind: str | None = None) -> pd.DataFrame:
    """Which file is loaded as which kind (for the preview)."""
    rows = [{"file": name, "kind": k} for name, k in file_kinds(folder, kind).items()]
    return pd.DataFrame(rows, columns=["file", "kind"])


def classify_buyers(store: GraphStore) -> pd.DataFrame:
    """Run the Russian defense-buyer rules (ingest.classify) and list each buyer's reasons, one row per reason."""
    from ingest.classify import classify_defense_buyers

    report = classify_defense_buyers(store)
    nodes = store.node_frame()
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    rows = [{"company": names.get(nid, nid), "id": nid, "reason": reason}
            for nid, reasons in sorted(report.reasons.items(), key=lambda kv: str(names.get(kv[0], kv[0])))
            for reason in reasons]
    return pd.DataFrame(rows, columns=["company", "id", "reason"])
