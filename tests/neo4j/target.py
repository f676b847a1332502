"""Where the Bolt tests connect."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BoltTarget:
    """A Bolt server and the credentials for it."""

    uri: str
    user: str
    password: str
    database: str | None
