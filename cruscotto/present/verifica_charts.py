"""Plotly figure of the Verifica: the grado di raggiungimento per area with the bands of the rule in force.

Kept apart from charts.py (the dashboard's) so that the two can change independently; same palette (Okabe-Ito).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cruscotto.present import formatting
from cruscotto.present.text import html

# Bands of the grado: blue = raggiunto, yellow = parzialmente, vermilion = non raggiunto (colour-blind safe).
FASCIA_COLOURS = {"raggiunto": "#0072B2", "parzialmente raggiunto": "#F0E442", "non raggiunto": "#D55E00", None: "#999999"}
FASCIA_SYMBOLS = {"raggiunto": "🟦", "parzialmente raggiunto": "🟨", "non raggiunto": "🟥"}


def fascia_badge(fascia) -> str:
    if not isinstance(fascia, str) or not fascia:
        return "⬜ non valutabile"
    return f"{FASCIA_SYMBOLS.get(fascia, '')} {fascia}".strip()


def grado_per_area(frame: pd.DataFrame, soglia_raggiunto: float | None = 90, soglia_parziale: float | None = 70) -> go.Figure:
    """Horizontal bars: one per area (codice_area, denominazione, grado, fascia), dashed lines at the two thresholds."""
    labels = [html(f"{r.codice_area} · {r.denominazione}") for r in frame.itertuples()]
    values = [None if pd.isna(v) else float(v) for v in frame["grado"]]
    fig = go.Figure(go.Bar(
        y=labels, x=[v or 0 for v in values], orientation="h",
        marker_color=[FASCIA_COLOURS.get(f if isinstance(f, str) else None) for f in frame["fascia"]],
        text=[formatting.percent(v) if v is not None else "non valutabile" for v in values], textposition="auto",
        customdata=[html(fascia_badge(f)) for f in frame["fascia"]],
        hovertemplate="%{y}<br>grado di raggiungimento %{text}<br>%{customdata}<extra></extra>"))
    for value, name in ((soglia_raggiunto, "raggiunto"), (soglia_parziale, "parzialmente")):
        if value is not None and not pd.isna(value):
            fig.add_vline(x=float(value), line_dash="dash", line_color="#5B6770",
                          annotation_text=f"{name} ≥ {formatting.percent(value, 0)}", annotation_position="top")
    fig.update_layout(separators=",.", height=120 + 50 * len(labels), margin=dict(l=10, r=10, t=40, b=10),
                      xaxis=dict(title="grado di raggiungimento (%)", rangemode="tozero", ticksuffix="%"),
                      yaxis=dict(autorange="reversed"), showlegend=False)
    return fig
