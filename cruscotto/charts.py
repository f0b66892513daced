"""Plotly figures, built from query results. No streamlit here: the figures are tested directly."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

# One status palette everywhere, safe for colour-blind readers (Okabe-Ito): blue = reached, orange = not reached.
STATUS_COLOURS = {
    "raggiunto": "#0072B2",
    "non raggiunto": "#E69F00",
    "qualitativo": "#009E73",
    "non rilevato": "#999999",
    "senza target": "#CC79A7",
}
IT_SEPARATORS = ",."  # plotly: decimal ',' and thousands '.'


def _layout(fig: go.Figure, title: str | None = None) -> go.Figure:
    fig.update_layout(separators=IT_SEPARATORS, title=title, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def area_achievement(summary: pd.DataFrame) -> go.Figure:
    """Stacked bars per area: indicators reached, not reached, qualitative, without value."""
    fig = go.Figure()
    labels = summary["codice_area"] + " " + summary["denominazione"].fillna("")
    for column, status in (("raggiunti", "raggiunto"), ("non_raggiunti", "non raggiunto"),
                           ("qualitativi", "qualitativo"), ("senza_valore", "non rilevato")):
        fig.add_bar(x=summary[column], y=labels, orientation="h", name=status.capitalize(),
                    marker_color=STATUS_COLOURS[status],
                    hovertemplate="%{y}<br>" + status + ": %{x:,.0f} indicatori<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title="Indicatori", yaxis=dict(autorange="reversed"))
    return _layout(fig)


def pratiche_evase(trend: pd.DataFrame) -> go.Figure:
    """Rate of pratiche evase entro 5 giorni per year; missing years stay a gap (connectgaps off, full x range)."""
    years = list(range(int(trend["anno"].min()), int(trend["anno"].max()) + 1))
    full = pd.DataFrame({"anno": years}).merge(trend, on="anno", how="left")
    fig = go.Figure()
    fig.add_scatter(x=full["anno"], y=full["tasso_calcolato"], mode="lines+markers", name="Evase entro 5 giorni (%)",
                    connectgaps=False, marker_color=STATUS_COLOURS["raggiunto"],
                    customdata=full[["evase", "totali"]],
                    hovertemplate="%{x}: %{y:.2f}%<br>evase %{customdata[0]:,.0f} su %{customdata[1]:,.0f}<extra></extra>")
    fig.update_layout(xaxis=dict(dtick=1, title="Anno"), yaxis=dict(title="%", ticksuffix="%"))
    return _layout(fig)
