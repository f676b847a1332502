"""Flows page: country-to-country values as a two-column Sankey diagram (senders left, receivers right)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ingest.normalize import country_name


def sankey_figure(frame: pd.DataFrame, source: str = "source_country", target: str = "target_country",
                  value: str = "value_usd", *, top: int = 40, title: str | None = None) -> go.Figure:
    """A Sankey of the ``top`` largest country pairs; senders and receivers are separate columns.

    Country-to-country flows have cycles (HK → CN and CN → HK), which a Sankey cannot draw, so every
    country appears once on the left (as sender) and once on the right (as receiver).
    """
    pairs = (frame.groupby([source, target], as_index=False)[value].sum()
             .sort_values(value, ascending=False, kind="stable").head(top))
    senders = list(dict.fromkeys(pairs[source]))
    receivers = list(dict.fromkeys(pairs[target]))
    labels = [f"{country_name(str(c))} ({c}) →" for c in senders] + [f"→ {country_name(str(c))} ({c})"
                                                                       for c in receivers]
    left = {c: i for i, c in enumerate(senders)}
    right = {c: len(senders) + i for i, c in enumerate(receivers)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "pad": 12, "thickness": 14},
        link={"source": [left[c] for c in pairs[source]], "target": [right[c] for c in pairs[target]],
              "value": [float(v) for v in pairs[value]],
              "hovertemplate": "%{source.label} %{target.label}<br>USD %{value:,.0f}<extra></extra>"},
    ))
    fig.update_layout(title=title, height=max(420, 22 * max(len(senders), len(receivers))),
                      margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig

