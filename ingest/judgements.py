"""A person's decisions on entity pairs (judgements file, CSV or TOML) → SAME_AS edges that win.

CSV header: ``left,right,decision,decided_at,by,note`` (decision ``confirmed`` or ``rejected``;
``decided_at`` ISO date or timestamp). TOML: ``[[judgement]]`` tables with the same keys.
Each becomes a SAME_AS edge keyed ``judgement:<decided_at>``; graph/identity.py lets the
latest judgement on a pair overrule the resolver. Undoing a merge is a newer ``rejected``.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.schema import Edge, EdgeType, Evidence
from ingest.normalize import NormalizationError, normalize_date

DECISIONS = frozenset({"confirmed", "rejected"})
EXTRACTOR = "judgement/1"
FIELDS = ("left", "right", "decision", "decided_at", "by", "note")


class JudgementError(ValueError):
    """A judgements file that cannot be read; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Judgement:
    """One pair decided by a person."""

    left: str
    right: str
    decision: str
    decided_at: str
    by: str = ""
    note: str = ""
    source: str = "judgements"
    locator: str = ""

    def edge(self) -> Edge:
        """The SAME_AS edge recording this judgement."""
        left, right = sorted((self.left, self.right))
        props = {"method": "judgement", "decision": self.decision, "decided_at": self.decided_at,
                 "by": self.by, "note": self.note, "score": 1.0 if self.decision == "confirmed" else 0.0}
        ev = Evidence(self.source, self.locator or f"{left} ~ {right}", EXTRACTOR, observed=self.decided_at[:10],
                      excerpt=f"{self.decision} by {self.by or 'unknown'}: {self.note}"[:300])
        return Edge(EdgeType.SAME_AS, left, right, key=f"judgement:{self.decided_at}", props=props, evidence=(ev,))


def _judgement(row: dict[str, object], where: str, source: str) -> Judgement:
    values = {k: str(row.get(k) or "").strip() for k in FIELDS}
    if not values["left"] or not values["right"]:
        raise JudgementError(f"{where}: left and right node ids are required")
    if values["left"] == values["right"]:
        raise JudgementError(f"{where}: left and right are the same node")
    decision = values["decision"].lower()
    if decision not in DECISIONS:
        raise JudgementError(f"{where}: decision must be confirmed or rejected, got {values['decision']!r}")
    stamp = values["decided_at"]
    try:
        if not stamp or normalize_date(stamp[:10]) is None:
            raise NormalizationError("missing")
    except NormalizationError as exc:
        raise JudgementError(f"{where}: decided_at must be an ISO date or timestamp, got {stamp!r}") from exc
    return Judgement(values["left"], values["right"], decision, stamp, values["by"], values["note"], source, where)


def load_judgements(path: str | Path) -> list[Judgement]:
    """Judgements from a CSV or TOML file.

    Raises:
        JudgementError: unreadable file or row (with line/entry number).
    """
    path = Path(path)
    source = f"judgements:{path.name}"
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgementError(f"cannot read judgements file {path}: {exc}") from exc
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise JudgementError(f"{path}: not valid TOML: {exc}") from exc
        entries = data.get("judgement", [])
        if not isinstance(entries, list):
            raise JudgementError(f"{path}: expected [[judgement]] tables")
        return [_judgement(e, f"{path.name} judgement {i}", source) for i, e in enumerate(entries, 1)]
    reader = csv.DictReader(text.splitlines())
    missing = [f for f in FIELDS[:4] if f not in (reader.fieldnames or [])]
    if missing:
        raise JudgementError(f"{path}: missing column(s) {', '.join(missing)} (header: {','.join(FIELDS)})")
    return [_judgement(row, f"{path.name} line {i}", source) for i, row in enumerate(reader, 2)]


def judgement_edges(judgements: Iterable[Judgement], known_ids: Sequence[str] | set[str]) -> list[Edge]:
    """SAME_AS edges of judgements; unknown node ids are an error (a typo must not pass silently)."""
    known = set(known_ids)
    out = []
    for j in judgements:
        for nid in (j.left, j.right):
            if nid not in known:
                raise JudgementError(f"{j.locator or j.source}: unknown node id {nid!r}")
        out.append(j.edge())
    return out
