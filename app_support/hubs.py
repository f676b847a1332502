"""Hubs page: the ranked intermediaries and the what-if (choke point) listing as readable tables."""

from __future__ import annotations

import pandas as pd

HUB_SHOWN = ["rank", "name", "country", "paths", "path_share", "pass_through_value", "betweenness", "registered",
             "age_days_at_first_trace", "listed", "reasons", "node_id"]
CHOKE_SHOWN = ["rank", "name", "country", "listed", "paths_cut", "value_cut", "cumulative_share", "reason", "node_id"]


def _joined(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def readable(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns to show, with list cells (lists, reasons) joined into text."""
    shown = frame[[c for c in columns if c in frame.columns]].copy()
    for column in ("listed", "reasons", "reason"):
        if column in shown.columns:
            shown[column] = shown[column].map(_joined)
    return shown


def hub_table(frame: pd.DataFrame) -> pd.DataFrame:
    """graph.queries.hubs output as shown on the page."""
    return readable(frame, HUB_SHOWN)


def choke_table(frame: pd.DataFrame) -> pd.DataFrame:
    """graph.queries.chokepoints output as shown on the page."""
    return readable(frame, CHOKE_SHOWN)
