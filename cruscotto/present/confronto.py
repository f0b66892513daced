"""Figures and labels of the «Confronto enti» page: one indicator across chambers, and the chamber against public
references (other chambers, a region, Italy: table riferimenti). No streamlit here.

The ranking and the distribution come from queries/confronto_indicatore.sql; this module only draws them, with the
chosen chamber highlighted in the one colour nobody else gets. Every public reference carries its source.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from cruscotto.present import charts, formatting
from cruscotto.present.charts import IT_SEPARATORS, reference_source
from cruscotto.present.text import html

HIGHLIGHT = "#D55E00"  # Okabe-Ito vermilion: this chamber
OTHERS = "#56B4E9"  # Okabe-Ito sky blue: the other chambers
MEDIAN = "#000000"


def value_text(value, unita: str | None) -> str:
    """A value as the report writes it: 89,14% · 3 giorni · € 1.234,56 · 17."""
    if unita in (None, "numero") or (isinstance(unita, float) and unita != unita):
        return formatting.smart(value, None)
    return formatting.smart(value, unita)


def _suffix(unita) -> str:
    return {"%": "%", "‰": "‰", "giorni": " giorni", "€": " €"}.get(unita if isinstance(unita, str) else "", "")


def position_text(posizione: int, enti: int) -> str:
    return f"{int(posizione)}° su {int(enti)}"


def ranking(frame: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Horizontal bars, best first; the chosen chamber in vermilion, the median as a dashed line."""
    frame = frame.sort_values(["posizione", "ente"])
    unita = frame["unita"].dropna().iloc[0] if frame["unita"].notna().any() else None
    colours = [HIGHLIGHT if e else OTHERS for e in frame["e_ente"]]
    labels = [html(f"{p}° {e}") for p, e in zip(frame["posizione"], frame["ente"])]
    fig = go.Figure()
    fig.add_bar(x=frame["valore"], y=labels, orientation="h", marker_color=colours,
                text=[value_text(v, unita) for v in frame["valore"]], textposition="outside", cliponaxis=False,
                hovertemplate="%{y}<br>valore raggiunto: %{text}<extra></extra>", name="Valore raggiunto")
    if len(frame):
        fig.add_vline(x=float(frame["mediana"].iloc[0]), line_dash="dash", line_color=MEDIAN,
                      annotation_text=f"mediana {value_text(frame['mediana'].iloc[0], unita)}",
                      annotation_position="top")
    fig.update_layout(yaxis=dict(autorange="reversed", title=None), xaxis=dict(title="Valore raggiunto", ticksuffix=_suffix(unita)),
                      showlegend=False, height=max(260, 22 * len(frame) + 80), separators=IT_SEPARATORS,
                      title=html(title) if title else None,
                      margin=dict(l=10, r=40, t=40 if title else 30, b=10))
    return fig


def distribution(frame: pd.DataFrame, ente: str | None = None) -> go.Figure:
    """The spread of all chambers (box with every point) and a marker where the chosen chamber stands."""
    unita = frame["unita"].dropna().iloc[0] if frame["unita"].notna().any() else None
    fig = go.Figure()
    fig.add_box(x=frame["valore"], name="Tutti gli enti", boxpoints="all", jitter=0.4, pointpos=0,
                marker_color=OTHERS, line_color="#0072B2", customdata=[[html(e)] for e in frame["ente"]],
                hovertemplate="%{customdata[0]}: %{x}<extra></extra>", orientation="h")
    mine = frame[frame["e_ente"]]
    if len(mine):
        # no <extra> in the template: plotly shows the trace's name there, as plain text
        fig.add_scatter(x=mine["valore"], y=["Tutti gli enti"] * len(mine), mode="markers",
                        name=html(ente or mine["ente"].iloc[0]),
                        marker=dict(color=HIGHLIGHT, size=16, symbol="diamond", line=dict(color="black", width=1)),
                        hovertemplate="%{x}")
    fig.update_layout(xaxis=dict(title="Valore raggiunto", ticksuffix=_suffix(unita)), yaxis=dict(showticklabels=False),
                      height=220, separators=IT_SEPARATORS, margin=dict(l=10, r=10, t=30, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def table(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The ranking as a table, numbers kept numbers, and the labels scope that formats its values in their unit
    (cruscotto.present.labels: «confronto %», «confronto €», else «confronto» with the unit in its own column)."""
    unita = frame["unita"].dropna().iloc[0] if frame["unita"].notna().any() else None
    columns = ["posizione", "ente", "valore", "valore_atteso", "raggiunti", "indicatori", "percentile"]
    if unita in ("%", "€"):
        return frame[columns], f"confronto {unita}"
    return frame[columns[:4] + ["unita"] + columns[4:]], "confronto"


def own_values(key: str, series: pd.DataFrame, scorecard: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The chamber's own (anno, valore) to set beside the public references of `key`, and its title: the series of
    that name (rows of queries/valori_serie.sql), else the indicator of that code and its valore raggiunto in the
    report year (rows of queries/valori_indicatori.sql or scheda_indicatori.sql)."""
    serie = series[series["serie"] == key]
    if len(serie):
        return serie[["anno", "valore"]], serie["titolo"].iloc[0]
    mine = scorecard[scorecard["codice"] == key]
    own = pd.DataFrame({"anno": mine["anno"], "valore": mine["vr_numero"]}).dropna()
    return own, mine["descrizione"].iloc[0] if len(mine) else key


def overview(frame: pd.DataFrame, ente: str | None = None) -> go.Figure:
    """Distribution (top) and ranking (below) in ONE figure on a shared axis: one chart for the browser to draw
    instead of two (the page switch at national scale was dominated by drawing)."""
    from plotly.subplots import make_subplots

    bars, spread = ranking(frame), distribution(frame, ente)
    n = len(frame)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.03,
                        row_heights=[0.22 if n < 20 else 0.1, 0.78 if n < 20 else 0.9],
                        subplot_titles=("Distribuzione", "Classifica"))
    for trace in spread.data:
        fig.add_trace(trace, row=1, col=1)
    for trace in bars.data:
        fig.add_trace(trace, row=2, col=1)
    unita = frame["unita"].dropna().iloc[0] if frame["unita"].notna().any() else None
    if n:
        median = float(frame["mediana"].iloc[0])
        fig.add_vline(x=median, line_dash="dash", line_color=MEDIAN, row=1, col=1,
                      annotation_text=f"mediana {value_text(median, unita)}", annotation_position="top right")
        fig.add_vline(x=median, line_dash="dash", line_color=MEDIAN, row=2, col=1)
    fig.update_yaxes(showticklabels=False, row=1, col=1)
    fig.update_yaxes(autorange="reversed", row=2, col=1)
    fig.update_xaxes(title="Valore raggiunto", ticksuffix=_suffix(unita), row=2, col=1)
    fig.update_xaxes(tickformat=charts.NUMBER)
    charts._layout(fig)
    fig.update_layout(showlegend=False, height=max(340, 22 * n + 200), margin=dict(l=10, r=40, t=40, b=10))
    return fig


def with_references(own: pd.DataFrame, references: pd.DataFrame, ente: str) -> pd.DataFrame:
    """The chamber's own values (columns anno, valore) in the years the references give, and its latest, beside the
    references: one row per bar (etichetta, anno, valore, unita, e_ente, fonte), latest year first."""
    unita = references["unita"].iloc[0]
    years = set(int(y) for y in references["anno_valore"]) | ({int(own["anno"].max())} if len(own) else set())
    mine = own[own["anno"].isin(years)]
    rows = [{"territorio": ente, "anno": int(a), "valore": float(v), "unita": unita, "e_ente": True, "fonte": None}
            for a, v in zip(mine["anno"], mine["valore"])]
    rows += [{"territorio": r.territorio, "anno": int(r.anno_valore), "valore": float(r.valore), "unita": r.unita,
              "e_ente": False, "fonte": reference_source(r)} for r in references.itertuples()]
    frame = pd.DataFrame(rows)
    return frame.sort_values(["anno", "e_ente", "valore"], ascending=[False, False, False]).reset_index(drop=True)


def references(bars: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Horizontal bars of `with_references`: the chamber in vermilion, each reference with its source under its name."""
    labels = [html(f"{t} {a}") + ("" if e else "<br><sup>" + html(f) + "</sup>")
              for t, a, e, f in zip(bars["territorio"], bars["anno"], bars["e_ente"], bars["fonte"])]
    values = [formatting.as_given(v, u) for v, u in zip(bars["valore"], bars["unita"])]
    unita = bars["unita"].iloc[0] if len(bars) else None
    fig = go.Figure()
    fig.add_bar(x=bars["valore"], y=labels, orientation="h", text=values, textposition="outside", cliponaxis=False,
                marker_color=[HIGHLIGHT if e else OTHERS for e in bars["e_ente"]],
                hovertemplate="%{y}<br>%{text}<extra></extra>", name="Valore")
    fig.update_layout(yaxis=dict(autorange="reversed", title=None, automargin=True),
                      xaxis=dict(title="Valore", ticksuffix=_suffix(unita), rangemode="tozero"),
                      showlegend=False, height=max(260, 44 * len(bars) + 80), separators=IT_SEPARATORS,
                      title=html(title) if title else None, margin=dict(l=10, r=60, t=50 if title else 30, b=10))
    return fig
def describe(frame: pd.DataFrame, unita: str | None) -> str:
    """One sentence for the chart: how many chambers, the median, and where this chamber stands."""
    if frame.empty:
        return "Il grafico non ha dati da mostrare."
    sentence = (f"Il grafico mette a confronto {formatting.plural(len(frame), 'ente', 'enti')}: mediana "
                f"{value_text(frame['mediana'].iloc[0], unita)}")
    mine = frame[frame["e_ente"]]
    if len(mine):
        row = mine.iloc[0]
        sentence += (f"; {row['ente']} è {position_text(row['posizione'], row['enti'])} con "
                     f"{value_text(row['valore'], unita)}")
    return sentence + "."
