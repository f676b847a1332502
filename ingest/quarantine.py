"""Rows that could not be ingested travel as Rejected records to a quarantine file, with the reason."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input row (or document) that was not ingested, and why."""

    source: str   # document id, e.g. customs:file.csv
    locator: str  # row 17, line 3, ...
    reason: str
    raw: str | None = None
    file: str | None = None                 # path of the input file, when there is one
    row: Mapping[str, Any] | None = None    # the original row by column name (extra cells under "_extra")


class Quarantine:
    """Counts records and rejections flowing to a store; writes rejections as JSON lines.

    Usage: ``store.write(quarantine.filter(load_customs(path)))``.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else None
        self.rejected = 0
        self.records = 0
        self.reasons: dict[str, int] = {}
        self._handle: IO[str] | None = None

    def filter(self, stream: Iterable[T | Rejected]) -> Iterator[T]:
        """Pass records (and batches of edges) through; divert Rejected items to the quarantine file."""
        for item in stream:
            if isinstance(item, Rejected):
                self.add(item)
            else:
                self.records += 1
                yield item

    def add(self, item: Rejected) -> None:
        """Record one rejection."""
        self.rejected += 1
        kind = item.reason.split(":", 1)[0]
        self.reasons[kind] = self.reasons.get(kind, 0) + 1
        if self.path is not None:
            if self._handle is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "a", encoding="utf-8")
            self._handle.write(json.dumps(asdict(item), ensure_ascii=False, default=str) + "\n")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Quarantine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
