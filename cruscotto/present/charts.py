"""Plotly figures, built from query results. No streamlit here: the figures are tested directly.

One status palette everywhere (Okabe-Ito, safe for colour-blind readers) and, next to every colour, the word: the
legend of each chart and the «Stato» column of each table say what a colour means. Hover numbers are Italian
(`separators=",."`: 1.234,56).

Every text that comes from the data (titles, names, labels, hover text) goes through `text.html`: plotly draws a
subset of HTML, and a title with `<a href>` must stay a title. A chart draws at most MAX_SERIES series (the page
says how many it left out and where to see the others): hundreds of subplots neither fit nor draw in time.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cruscotto.present import formatting
from cruscotto.present.text import html

# One status palette everywhere, safe for colour-blind readers (Okabe-Ito): blue = reached, orange = not reached.
STATUS_COLOURS = {
    "raggiunto": "#0072B2",
    "non raggiunto": "#E69F00",
    "qualitativo": "#009E73",
    "non rilevato": "#999999",
    "senza target": "#CC79A7",
}
# The same statuses as Streamlit badge colours; the theme (.streamlit/config.toml) sets each of these named colours
# to the Okabe-Ito value above, in light and dark mode alike.
STATUS_BADGE_COLOURS = {
    "raggiunto": "blue",
    "non raggiunto": "orange",
    "qualitativo": "green",
    "non rilevato": "gray",
    "senza target": "violet",
}
STATUS_MEANING = {
    "raggiunto": "valore raggiunto conforme al valore atteso",
    "non raggiunto": "valore raggiunto che non rispetta il valore atteso",
    "qualitativo": "traguardo descritto a parole, giudicato nella relazione",
    "non rilevato": "valore raggiunto non indicato",
    "senza target": "valore atteso non indicato",
}
NEUTRAL = "#5B6770"       # lines and bars that carry no status
NEUTRAL_LIGHT = "#C9D1D9"  # secondary bars (totals)
TARGET = "#D55E00"        # reference lines for targets (Okabe-Ito vermilion, dashed)
IT_SEPARATORS = ",."  # plotly: decimal ',' and thousands '.'
PNG_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
MAX_SERIES = 12  # series drawn in one chart; the others are one choice away (the page's «Serie» filter)


def status_badge(stato: str | None) -> str:
    """'raggiunto' -> ':blue-badge[raggiunto]': Markdown for a badge in the status colour that says the word."""
    if not stato:
        return ""
    colour = STATUS_BADGE_COLOURS.get(stato)
    return f":{colour}-badge[{stato}]" if colour else stato


def status_cell_style(stato) -> str:
    """CSS for a table cell holding a status: a tint of the status colour behind the word (readable in both themes)."""
    colour = STATUS_COLOURS.get(stato) if isinstance(stato, str) else None
    return f"background-color: {colour}59" if colour else ""


def _layout(fig: go.Figure, title: str | None = None, height: int | None = None) -> go.Figure:
    fig.update_layout(separators=IT_SEPARATORS, title=html(title) if title else None, height=height,
                      margin=dict(l=10, r=10, t=60 if title else 30, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
                      hoverlabel=dict(namelength=-1))
    return fig


def _full_years(frame: pd.DataFrame, column: str = "anno", start: int | None = None, end: int | None = None) -> pd.DataFrame:
    """Every year from first to last as a row, so that a missing year is a gap on the chart, never interpolated."""
    if frame.empty:
        return frame
    first = int(frame[column].min()) if start is None else start
    last = int(frame[column].max()) if end is None else end
    years = pd.DataFrame({column: list(range(first, last + 1))})
    return years.merge(frame, on=column, how="left")


STATUS_COLUMNS = (("raggiunti", "raggiunto"), ("non_raggiunti", "non raggiunto"),
                  ("qualitativi", "qualitativo"), ("senza_valore", "non rilevato"))


def status_bars(frame: pd.DataFrame, labels: pd.Series, ids: pd.Series | None = None, what: str = "indicatori") -> go.Figure:
    """Stacked horizontal bars: for each row, indicators reached, not reached, qualitative, without value.

    `ids` become the points' customdata, so a click on a bar can say which row it was.
    """
    fig = go.Figure()
    labels = [html(label) for label in labels]
    for column, status in STATUS_COLUMNS:
        name = "Senza valore" if column == "senza_valore" else status.capitalize()
        fig.add_bar(x=frame[column], y=labels, orientation="h", name=name,
                    marker_color=STATUS_COLOURS[status],
                    customdata=None if ids is None else list(ids),
                    hovertemplate="%{y}<br>" + name.lower() + ": %{x:,.0f} " + what + "<extra></extra>")
    fig.update_layout(barmode="stack", xaxis_title=what.capitalize(), legend_traceorder="normal", yaxis=dict(autorange="reversed", automargin=True),
                      height=max(220, 60 + 45 * len(frame)), clickmode="event+select")
    return _layout(fig)


def area_achievement(summary: pd.DataFrame) -> go.Figure:
    """Stacked bars per area: indicators reached, not reached, qualitative, without value."""
    labels = summary["codice_area"] + " " + summary["denominazione"].fillna("")
    return status_bars(summary, labels, ids=summary["codice_area"])


def objective_tree(nodes: pd.DataFrame, indicators: pd.DataFrame) -> go.Figure:
    """A sunburst of one area: area (centre) → obiettivi strategici → operativi → indicatori (outer ring), each
    indicator in its status colour; clicking a sector drills down into it, clicking the centre climbs back."""
    ids, labels, parents, colours, hovers, values = [], [], [], [], [], []
    with_indicators = set(indicators["codice_obiettivo"])
    for row in nodes.itertuples():
        ids.append(html(row.codice))
        labels.append(html(row.codice))
        parents.append("" if pd.isna(row.codice_padre) else html(row.codice_padre))
        colours.append({"area": "#E8EDF2", "strategico": "#C9D1D9"}.get(row.livello, "#DDE3EA"))
        hovers.append(f"obiettivo {html(row.livello)}: {_short(row.titolo if isinstance(row.titolo, str) else row.etichetta, 80)}"
                      f"<br>responsabile: {html(row.responsabile) if isinstance(row.responsabile, str) else 'non indicato'}"
                      if row.livello != "area" else f"area strategica: {_short(row.etichetta, 80)}")
        # An operational objective without indicators still gets a thin sector, so the plan's structure shows.
        values.append(0.5 if row.livello == "operativo" and row.codice not in with_indicators else 0)
    known = set(ids)
    for row in indicators.itertuples():
        parent = html(row.codice_obiettivo)
        ids.append(html(row.codice))
        labels.append(html(row.codice.rsplit("-", 1)[-1]))
        parents.append(parent if parent in known else (ids[0] if ids else ""))
        colours.append(STATUS_COLOURS.get(row.stato, NEUTRAL))
        hovers.append(f"{_short(row.descrizione, 80)}<br>stato: {html(row.stato)}<br>VA: {_text(row.valore_atteso)}"
                      f"<br>VR: {_text(row.valore_raggiunto)}")
        values.append(1)
    fig = go.Figure(go.Sunburst(ids=ids, labels=labels, parents=parents, values=values, marker=dict(colors=colours),
                                customdata=hovers, hovertemplate="<b>%{id}</b><br>%{customdata}<extra></extra>",
                                branchvalues="remainder", maxdepth=-1, insidetextorientation="radial",
                                sort=False))
    # The status colours need a legend of their own: one invisible marker per status present.
    for stato in dict.fromkeys(indicators["stato"]):
        fig.add_scatter(x=[None], y=[None], mode="markers", name=html(stato), showlegend=True,
                        marker=dict(size=12, symbol="square", color=STATUS_COLOURS.get(stato, NEUTRAL)))
    fig.update_layout(height=560, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      plot_bgcolor="rgba(0,0,0,0)")
    return _layout(fig)


def _short(text, width: int) -> str:
    """The text cut to `width` characters, made safe for plotly (cut first, so no entity is cut in half)."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return html(text if len(text) <= width else text[: width - 1] + "…")


def _text(value) -> str:
    return "—" if value is None or (isinstance(value, float) and pd.isna(value)) else _short(value, 80)


def pratiche_evase(trend: pd.DataFrame, target_indice: float | None = 100.0,
                   references: pd.DataFrame | None = None) -> go.Figure:
    """Pratiche evase entro 5 giorni: the rate per year (line), evase and totali (bars) and the index to the base
    year (line, right axis) with the target as a reference line, and the public references of the rate (other
    chambers, Toscana, Italia: table riferimenti) on the same axis, each labelled with its source. Missing years
    (2014-2015) stay a gap: the x axis holds every year and connectgaps is off."""
    years = list(trend["anno"]) + ([] if references is None else [int(y) for y in references["anno_valore"]])
    full = _full_years(trend, start=min(years) if years else None, end=max(years) if years else None)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=full["anno"], y=full["totali"], name="Pratiche totali", marker_color=NEUTRAL_LIGHT,
                hovertemplate="%{x}: %{y:,.0f} pratiche totali<extra></extra>", secondary_y=False)
    fig.add_bar(x=full["anno"], y=full["evase"], name="Evase entro 5 giorni", marker_color=NEUTRAL,
                hovertemplate="%{x}: %{y:,.0f} evase entro 5 giorni<extra></extra>", secondary_y=False)
    fig.add_scatter(x=full["anno"], y=full["tasso_calcolato"], mode="lines+markers", name="% evase entro 5 giorni",
                    connectgaps=False, line=dict(color=STATUS_COLOURS["raggiunto"], width=3),
                    customdata=full[["evase", "totali"]],
                    hovertemplate="%{x}: %{y:,.2f}%<br>evase %{customdata[0]:,.0f} su %{customdata[1]:,.0f}<extra></extra>",
                    secondary_y=True)
    fig.add_scatter(x=full["anno"], y=full["indice_base"], mode="lines+markers", name="Indice (anno base = 100)",
                    connectgaps=False, line=dict(color=STATUS_COLOURS["qualitativo"], dash="dot"),
                    hovertemplate="%{x}: indice %{y:,.2f}<extra></extra>", secondary_y=True)
    if target_indice is not None:
        fig.add_hline(y=target_indice, line=dict(color=TARGET, dash="dash"), secondary_y=True,
                      annotation_text=f"obiettivo indice ≥ {target_indice:,.0f}".replace(",", "."),
                      annotation_position="top left")
    add_references(fig, references, secondary_y=True)
    fig.update_layout(barmode="overlay", xaxis=dict(dtick=1, title="Anno"))
    fig.update_yaxes(title_text="Pratiche", secondary_y=False)
    fig.update_yaxes(title_text="% e indice", ticksuffix="", secondary_y=True, rangemode="tozero")
    return _layout(fig, height=420)


REFERENCE = "#000000"  # public references (table riferimenti): thin black dashes, labelled at their end


def reference_label(row) -> str:
    """«Italia 2019: 75,4%» (plain text: escape it for where it goes)."""
    return f"{row.territorio} {int(row.anno_valore)}: {formatting.as_given(row.valore, row.unita)}"


def reference_source(row) -> str:
    """«fonte: <publisher> (<address>, consultata il <date>)», what always goes with a reference (plain text)."""
    extra = [v for v in (row.url, f"consultata il {row.consultato_il}" if isinstance(row.consultato_il, str) else None)
             if isinstance(v, str) and v]
    return f"fonte: {row.fonte}" + (f" ({', '.join(extra)})" if extra else "")


def references_table(references: pd.DataFrame) -> pd.DataFrame:
    """The public references as a table (rows of queries/riferimenti.sql; headings and formats in
    cruscotto/present/labels.py): the value as a number with its unit, the source, its address and when it was read."""
    return references[["territorio", "anno_valore", "valore", "unita", "dettaglio", "fonte", "url", "consultato_il"]]


def add_references(fig: go.Figure, references: pd.DataFrame | None, secondary_y: bool = False) -> go.Figure:
    """Each public reference as a short dashed line across its year at its value, named in the legend and the hover
    with its source, and labelled on the chart («Italia 75,4%», on a light background so that it reads over the
    bars). Labels of close values of the same year go one above, one below their lines, so they do not overlap."""
    if references is None or references.empty:
        return fig
    where = {"secondary_y": True} if secondary_y else {}
    ordered = references.sort_values(["anno_valore", "valore"], ascending=[True, False])
    span = max(float(ordered["valore"].max()), 1.0)
    previous: tuple[int, float, bool] | None = None  # (year, value, label above) of the label before
    for i, row in enumerate(ordered.itertuples()):
        year, value = int(row.anno_valore), float(row.valore)
        detail = f"<br>{html(row.dettaglio)}" if isinstance(row.dettaglio, str) and row.dettaglio else ""
        fig.add_scatter(x=[year - 0.45, year + 0.45], y=[value, value], mode="lines",
                        line=dict(color=REFERENCE, dash="dash", width=2), legendgroup="riferimenti",
                        legendgrouptitle_text="Riferimenti pubblici" if i == 0 else None,
                        name=html(f"{reference_label(row)} · {reference_source(row)}"),
                        hovertemplate=html(reference_label(row)) + detail + "<br>" + html(reference_source(row))
                        + "<extra></extra>", **where)
        close = previous is not None and previous[0] == year and previous[1] - value < 0.08 * span
        above = not previous[2] if close else True
        fig.add_annotation(x=year, y=value, yref="y2" if secondary_y else "y", showarrow=False,
                           text=html(f"{row.territorio} {formatting.as_given(row.valore, row.unita)}"),
                           yshift=9 if above else -9, font=dict(size=10, color=REFERENCE),
                           bgcolor="rgba(255,255,255,0.85)", borderpad=1)
        previous = (year, value, above)
    return fig


def imprese_internazionalizzazione(trend: pd.DataFrame, target: float | None = 70.0) -> go.Figure:
    """Imprese served per year (bars) and the count as % of the previous year (line) against the target."""
    full = _full_years(trend)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=full["anno"], y=full["imprese"], name="Imprese servite", marker_color=NEUTRAL,
                hovertemplate="%{x}: %{y:,.0f} imprese<extra></extra>", secondary_y=False)
    fig.add_scatter(x=full["anno"], y=full["percentuale_anno_precedente"], mode="lines+markers",
                    name="% sull'anno precedente", connectgaps=False,
                    line=dict(color=STATUS_COLOURS["raggiunto"], width=3),
                    hovertemplate="%{x}: %{y:,.2f}% dell'anno precedente<extra></extra>", secondary_y=True)
    if target is not None:
        fig.add_hline(y=target, line=dict(color=TARGET, dash="dash"), secondary_y=True,
                      annotation_text=f"obiettivo ≥ {target:,.0f}%", annotation_position="bottom left")
    fig.update_layout(xaxis=dict(dtick=1, title="Anno"))
    fig.update_yaxes(title_text="Imprese", secondary_y=False)
    fig.update_yaxes(title_text="% anno precedente", ticksuffix="%", secondary_y=True, rangemode="tozero")
    return _layout(fig, height=400)


def cost_containment(costs: pd.DataFrame, target: float | None = 100.0) -> go.Figure:
    """Each cost series as % of its base year (2011): bars per year, one colour per series, target line 100%.
    At most MAX_SERIES series (the first by code)."""
    fig = go.Figure()
    palette = [NEUTRAL, STATUS_COLOURS["raggiunto"], STATUS_COLOURS["qualitativo"], STATUS_COLOURS["senza target"]]
    for i, (serie, group) in enumerate(first_series(costs).groupby("serie", sort=True)):
        # no <extra> in the template: plotly shows the trace's name there, as plain text
        fig.add_bar(x=group["anno"].astype(str), y=group["percentuale_base"], name=html(group["titolo"].iloc[0]),
                    marker_color=palette[i % len(palette)], customdata=group[["valore"]],
                    hovertemplate="%{x}: %{y:,.2f}% del 2011<br>€ %{customdata[0]:,.2f}")
    if target is not None:
        fig.add_hline(y=target, line=dict(color=TARGET, dash="dash"),
                      annotation_text=f"obiettivo ≤ {target:,.0f}% dell'anno base", annotation_position="top left")
    fig.update_layout(barmode="group", xaxis=dict(title="Anno", type="category"),
                      yaxis=dict(title="% dell'anno base", ticksuffix="%", rangemode="tozero"))
    return _layout(fig, height=380)


def series_line(values: pd.DataFrame, title: str | None = None, unit: str | None = None,
                start: int | None = None, end: int | None = None) -> go.Figure:
    """One series over the years, gaps kept; bars when the series has at most three points."""
    full = _full_years(values, start=start, end=end)
    suffix = "%" if unit == "%" else ""
    hover_unit = "" if unit in (None, "%", "numero") else f" {unit}"
    value_format = "%{y:,.2f}" if unit in ("%", "€", "‰", "punteggio") else "%{y:,.0f}" if _all_whole(full.get("valore")) else "%{y:,.2f}"
    prefix = "€ " if unit == "€" else ""
    fig = go.Figure()
    hovertemplate = "%{x}: " + prefix + value_format + suffix + hover_unit + "<extra></extra>"
    if full["valore"].notna().sum() <= 3:
        fig.add_bar(x=full["anno"], y=full["valore"], name=html(title or "valore"), marker_color=NEUTRAL, hovertemplate=hovertemplate)
    else:
        fig.add_scatter(x=full["anno"], y=full["valore"], mode="lines+markers", name=html(title or "valore"),
                        connectgaps=False, line=dict(color=NEUTRAL, width=2), hovertemplate=hovertemplate)
    fig.update_layout(xaxis=dict(dtick=1, title="Anno"), yaxis=dict(title=unit or "", ticksuffix=suffix, rangemode="tozero"),
                      showlegend=False)
    return _layout(fig, title=title, height=320)


def _all_whole(series) -> bool:
    if series is None:
        return True
    values = series.dropna()
    return bool(len(values)) and bool((values % 1 == 0).all())


def series_codes(values: pd.DataFrame) -> list:
    """The series of a frame, in the order of their first row."""
    return list(dict.fromkeys(values["serie"]))


def first_series(values: pd.DataFrame, limit: int = MAX_SERIES) -> pd.DataFrame:
    """The rows of the first `limit` series (in the order of their first row): what one chart draws."""
    codes = series_codes(values)
    return values if len(codes) <= limit else values[values["serie"].isin(codes[:limit])]


def series_cap_note(values: pd.DataFrame, where: str, limit: int = MAX_SERIES) -> str:
    """' Mostrate le prime 12 serie su 50: …' when a chart leaves series out, else ''."""
    total = len(series_codes(values))
    return f" Il grafico mostra le prime {limit} serie su {total}: {where}." if total > limit else ""


def small_multiples(values: pd.DataFrame, columns: int = 3, limit: int = MAX_SERIES) -> go.Figure:
    """The series (at most `limit`, the first in order) as small charts of their own (one scale each), missing
    years as gaps."""
    series = series_codes(first_series(values, limit))
    rows = max(1, -(-len(series) // columns))
    titles = []
    for s in series:
        group = values[values["serie"] == s]
        titles.append(_short(f"{group['titolo'].iloc[0]} ({group['unita'].iloc[0]})", 55))
    # plotly refuses a spacing above 1 / (rows - 1): keep below it for any number of rows
    spacing = min(0.32 / rows + 0.05, 0.5 / max(rows - 1, 1))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, vertical_spacing=spacing,
                        horizontal_spacing=0.06)
    for i, s in enumerate(series):
        group = _full_years(values[values["serie"] == s].sort_values("anno"))
        unit = group["unita"].dropna().iloc[0] if group["unita"].notna().any() else None
        fmt = "%{y:,.2f}" + ("%" if unit == "%" else "") if unit in ("%", "€", "‰", "punteggio") else "%{y:,.0f}"
        fig.add_scatter(x=group["anno"], y=group["valore"], mode="lines+markers", connectgaps=False, showlegend=False,
                        line=dict(color=STATUS_COLOURS["raggiunto"], width=2), name=html(s),
                        hovertemplate="%{x}: " + ("€ " if unit == "€" else "") + fmt + "<extra></extra>",
                        row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(dtick=1, tickangle=-45, tickfont=dict(size=10))
    fig.update_yaxes(rangemode="tozero", tickfont=dict(size=10))
    fig.update_annotations(font_size=12)
    fig.update_layout(height=260 * rows)
    return _layout(fig)
