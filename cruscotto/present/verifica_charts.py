"""Plotly figure of the Verifica: the grado di raggiungimento per area with the bands of the rule in force.

Kept apart from charts.py (the dashboard's) so that the two can change independently; same palette (Okabe-Ito).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cruscotto.present import charts, formatting
from cruscotto.present.charts import TEXT
from cruscotto.present.text import html

# Bands of the grado: blue = raggiunto, yellow = parzialmente, vermilion = non raggiunto (colour-blind safe).
FASCIA_COLOURS = {"raggiunto": "#0072B2", "parzialmente raggiunto": "#F0E442", "non raggiunto": "#D55E00", None: "#999999"}
FASCIA_SYMBOLS = {"raggiunto": "🟦", "parzialmente raggiunto": "🟨", "non raggiunto": "🟥"}


def fascia_badge(fascia) -> str:
    if not isinstance(fascia, str) or not fascia:
        return "⬜ non valutabile"
    return f"{FASCIA_SYMBOLS.get(fascia, '')} {fascia}".strip()


def grado_per_area(frame: pd.DataFrame, soglia_raggiunto: float | None = 90, soglia_parziale: float | None = 70) -> go.Figure:
    """Horizontal bars: one per area (codice_area, nome, grado, fascia), the area's readable name above its bar, the
    grado written on it; the two thresholds as dashed lines, each labelled on its line in a row of its own above the
    bars (side by side they overlapped on a phone). The bars' customdata is the area code: a click opens the area."""
    codes = list(frame["codice_area"])
    names = frame["nome"] if "nome" in frame.columns else frame["denominazione"]
    labels = [html(formatting.named(n, c)) for n, c in zip(names, codes)]
    values = [None if pd.isna(v) else float(v) for v in frame["grado"]]
    written = [formatting.percent(v) if v is not None else "non valutabile" for v in values]
    fig = go.Figure(go.Bar(
        y=codes, x=[v or 0 for v in values], orientation="h",
        marker_color=[FASCIA_COLOURS.get(f if isinstance(f, str) else None) for f in frame["fascia"]],
        text=written, textposition="inside", insidetextanchor="end",
        insidetextfont=dict(size=13, color=[charts.readable_on(FASCIA_COLOURS.get(f if isinstance(f, str) else None))
                                            for f in frame["fascia"]]),
        customdata=codes, hovertext=[html(formatting.named(n, c, width=10_000)) for n, c in zip(names, codes)],
        hovertemplate="%{hovertext}<br>grado di raggiungimento %{text}<extra></extra>"))
    lines = [(v, f"{name} ≥ {formatting.percent(v, 0)}") for v, name in
             ((soglia_raggiunto, "raggiunto"), (soglia_parziale, "parzialmente")) if v is not None and not pd.isna(v)]
    for row, (value, words) in enumerate(lines):
        fig.add_vline(x=float(value), line_dash="dash", line_color="#5B6770")
        # each label ends on its own line, one row above the other
        fig.add_annotation(x=float(value), xref="x", y=1, yref="paper", yshift=6 + 20 * row, text=words,
                           showarrow=False, xanchor="right", yanchor="bottom", font=dict(size=12, color=TEXT))
    charts.labelled_rows(fig, codes, labels)
    fig.update_layout(showlegend=False, clickmode="event+select", margin=dict(t=30 + 20 * len(lines)),
                      xaxis=dict(range=[0, 105], tickformat=charts.NUMBER, ticksuffix="%"))
    charts._layout(fig, height=fig.layout.height + 20 * len(lines))
    fig.update_layout(margin=dict(t=30 + 20 * len(lines)))
    return fig


def describe_grado(frame: pd.DataFrame) -> str:
    """One sentence for a screen reader."""
    judged = frame[frame["grado"].notna()]
    if judged.empty:
        return "Nessuna area ha un grado di raggiungimento valutabile."
    if judged["grado"].nunique() == 1 and len(judged) == len(frame):
        return (f"Il grafico mostra il grado di raggiungimento di {formatting.plural(len(frame), 'area', 'aree')}: "
                f"{'è' if len(frame) == 1 else 'tutte hanno'} {formatting.percent(judged['grado'].iloc[0])}.")
    names = frame["nome"] if "nome" in frame.columns else frame["denominazione"]
    low = judged["grado"].astype(float).idxmin()
    return (f"Il grafico mostra il grado di raggiungimento di {formatting.plural(len(frame), 'area', 'aree')}: "
            f"il più basso è di {formatting.named(names[low], frame.loc[low, 'codice_area'])}, "
            f"{formatting.percent(frame.loc[low, 'grado'])}.")
