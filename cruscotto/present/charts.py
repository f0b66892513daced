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
from cruscotto.present.formatting import integer, named, number, plural, shortened, smart
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
TARGET_TEXT = "#B34D00"   # the words on a target line: the same vermilion, dark enough for 5,3:1 on white
IT_SEPARATORS = ",."  # plotly: decimal ',' and thousands '.'
MAX_SERIES = 12  # series drawn in one chart; the others are one choice away (the page's «Serie» filter)

# Every chart is drawn on white with near-black words (st.plotly_chart(theme=None)): Streamlit's own chart theme
# writes ticks in #808495, 3,7:1 on white, below WCAG AA's 4,5:1, and no single grey passes on both a light and a
# dark page. On a white card the words are readable in both themes and the PNG looks like the screen.
PAPER = "#FFFFFF"
TEXT = "#1B1F24"       # 16:1 on white
AXIS_TEXT = "#3D4650"  # ticks: 9,9:1 on white
GRID = "#E3E7EC"
# a system font: a web font that arrives after plotly measured its words would overflow the boxes it drew for them
FONT = "Arial, Helvetica, Liberation Sans, sans-serif"
YEAR = "d"             # d3-format of a year on an axis: 2019, never 2.019
NUMBER = ",~f"         # d3-format of a number on an axis: 4.000, 22,5 (Italian with IT_SEPARATORS), never «4k»
PERCENT_TICKS = dict(tickformat=NUMBER, ticksuffix="%")

# Plotly's own words (the toolbar over a chart) in Italian, and Italian numbers and dates in plotly's formats.
PLOTLY_LOCALE = {
    "dictionary": {
        "Download plot as a PNG": "Scarica il grafico (PNG)",
        "Download plot as a png": "Scarica il grafico (PNG)",
        "Download plot": "Scarica il grafico",
        "Zoom": "Ingrandisci un'area",
        "Pan": "Sposta",
        "Box Select": "Seleziona con un rettangolo",
        "Lasso Select": "Seleziona con il lazo",
        "Zoom in": "Ingrandisci",
        "Zoom out": "Riduci",
        "Autoscale": "Scala automatica",
        "Reset axes": "Ripristina gli assi",
        "Reset": "Ripristina",
        "Reset view": "Ripristina la vista",
        "Reset views": "Ripristina le viste",
        "Toggle Spike Lines": "Mostra o nascondi le linee guida",
        "Show closest data on hover": "Mostra il dato più vicino al puntatore",
        "Compare data on hover": "Confronta i dati al puntatore",
        "Toggle show closest data on hover": "Mostra o nascondi il dato più vicino",
        "Preparing image - this may take a few seconds": "Preparazione dell'immagine: qualche secondo",
        "Image download succeeded": "Immagine scaricata",
        "Sorry, there was a problem downloading your image!": "Non è stato possibile scaricare l'immagine.",
        "Double-click to zoom back out": "Doppio clic per tornare alla vista intera",
    },
    "format": {
        "days": ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
        "shortDays": ["dom", "lun", "mar", "mer", "gio", "ven", "sab"],
        "months": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
                   "ottobre", "novembre", "dicembre"],
        "shortMonths": ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"],
        "decimal": ",",
        "thousands": ".",
        "date": "%d/%m/%Y",
    },
}
PLOTLY_CONFIG = {"displaylogo": False, "locale": "it", "locales": {"it": PLOTLY_LOCALE},
                 "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "grafico_cruscotto"},
                 "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
PNG_CONFIG = PLOTLY_CONFIG  # the name the pages used before


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
    """Italian numbers, white card, near-black words, the legend under the chart, one entry a line (at the top it sat
    under plotly's toolbar on a phone; side by side plotly cut the longer names to its column's width)."""
    fig.update_layout(separators=IT_SEPARATORS, title=html(title) if title else None, height=height,
                      paper_bgcolor=PAPER, plot_bgcolor=PAPER, font=dict(family=FONT, color=TEXT, size=13),
                      margin=dict(l=10, r=10, t=60 if title else 30, b=10),
                      legend=dict(orientation="v", yanchor="top", y=-0.08, x=0, xanchor="left",
                                  font=dict(color=TEXT)),
                      hoverlabel=dict(namelength=-1))
    axes = dict(tickfont=dict(color=AXIS_TEXT), title_font=dict(color=TEXT), gridcolor=GRID, linecolor=GRID,
                zerolinecolor="#C5CCD3", automargin=True)
    fig.update_xaxes(**axes)
    fig.update_yaxes(**axes)
    return fig


def _target_line(fig: go.Figure, y: float, text_: str, near=(), **where) -> None:
    """A dashed target line with its words written on it, at its right end, on a white ground: above the line, or
    below it when data drawn under the words (`near`: the values of the last few years) sit just above it."""
    values = [float(v) for v in near if v is not None and not pd.isna(v)]
    span = max([abs(v - y) for v in values] + [abs(y), 1.0])
    crowded_above = any(y <= v <= y + 0.15 * span for v in values)
    crowded_below = any(y - 0.15 * span <= v <= y for v in values)
    position = "bottom right" if crowded_above and not crowded_below else "top right"
    fig.add_hline(y=y, line=dict(color=TARGET, dash="dash", width=2), annotation_text=text_,
                  annotation_position=position, annotation_font=dict(color=TARGET_TEXT, size=12),
                  annotation_bgcolor="rgba(255,255,255,0.85)", **where)


def _last_years(frame: pd.DataFrame, *columns: str, years: int = 3) -> list:
    """The values of `columns` in the last `years` rows: what a label at the right end of a line may cover."""
    tail = frame.tail(years)
    return [v for column in columns for v in tail[column]]


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two '#RRGGBB' colours (1 to 21)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: str) -> str:
    """The colour of words written on `background`: near-black or white, whichever contrasts more (WCAG)."""
    return TEXT if contrast(TEXT, background) >= contrast("#FFFFFF", background) else "#FFFFFF"


def wrapped(text_: str, width: int = 24, lines: int = 2) -> str:
    """`text_` (already made safe with html()) on at most `lines` lines of about `width` characters (plotly does not
    wrap): for labels that must fit a phone."""
    words, out, line = text_.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(" ,;:.") + "…"
    return "<br>".join(out)


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


ROW_HEIGHT = 60  # px per bar of a horizontal bar chart: the bar and, above it, its name (18 px more a line)


def labelled_rows(fig: go.Figure, ids: list, labels: list[str]) -> None:
    """Horizontal bars with each name written ABOVE its bar, across the whole width, instead of as a tick label
    beside it: on a 390 px phone tick labels of readable names took 60% of the width. `ids` are the y categories
    (codes), `labels` what a person reads (already made safe with html())."""
    texts = [wrapped(label, 46, lines=3) for label in labels]
    lines = max((t.count("<br>") + 1 for t in texts), default=1)
    for row_id, text_ in zip(ids, texts):
        fig.add_annotation(x=0, xref="paper", y=row_id, yref="y", text=text_, showarrow=False,
                           xanchor="left", yanchor="bottom", yshift=12, align="left", font=dict(size=13, color=TEXT),
                           bgcolor="rgba(255,255,255,0.9)")
    fig.update_yaxes(showticklabels=False, autorange="reversed", type="category")
    row_height = ROW_HEIGHT + 18 * (lines - 1)
    fig.update_layout(height=max(200, 80 + row_height * len(ids)), bargap=1 - 24 / row_height)


def status_bars(frame: pd.DataFrame, labels: pd.Series, ids: pd.Series | None = None, what: str = "indicatori",
                hover=None) -> go.Figure:
    """Stacked horizontal bars: for each row, indicators reached, not reached, qualitative, without value; the
    row's name above its bar.

    `ids` become the y categories and the points' customdata, so a click on a bar can say which row it was; `hover`
    (default: the labels) is what the pointer shows, e.g. a name the label had to shorten.
    """
    fig = go.Figure()
    labels = [html(label) for label in labels]
    hover = labels if hover is None else [html(h) for h in hover]
    ids = list(ids) if ids is not None else list(labels)
    rows = [html(i) for i in ids]  # the y categories: never drawn (the names are written above the bars), but safe
    for column, status in STATUS_COLUMNS:
        name = "Senza valore" if column == "senza_valore" else status.capitalize()
        fig.add_bar(x=frame[column], y=rows, orientation="h", name=name, marker_color=STATUS_COLOURS[status],
                    customdata=ids, hovertext=hover,
                    hovertemplate="%{hovertext}<br>" + name.lower() + ": %{x:,.0f} " + what + "<extra></extra>")
    fig.update_layout(barmode="stack", legend_traceorder="normal", clickmode="event+select",
                      xaxis=dict(tickformat=",d", rangemode="tozero"))  # the section's title says what is counted
    labelled_rows(fig, rows, labels)
    return _layout(fig, height=fig.layout.height)


def area_achievement(summary: pd.DataFrame) -> go.Figure:
    """Stacked bars per area (by its readable name, the code after it): indicators reached, not reached,
    qualitative, without value."""
    labels = [named(n, c) for n, c in zip(summary["nome"], summary["codice_area"])]
    whole = [named(n, c, width=10_000) for n, c in zip(summary["nome"], summary["codice_area"])]
    return status_bars(summary, labels, ids=summary["codice_area"], hover=whole)


def describe_status_bars(frame: pd.DataFrame, labels, unit: tuple[str, str] = ("area", "aree")) -> str:
    """One sentence for a screen reader: how many rows, and the one with the most indicators reached."""
    if frame.empty:
        return "Il grafico non ha dati da mostrare."
    labels = list(labels)
    best = int(frame["raggiunti"].astype(int).to_numpy().argmax())
    row = frame.iloc[best]
    return (f"Il grafico mostra per {plural(len(frame), *unit)} quanti indicatori sono raggiunti, non raggiunti, "
            f"qualitativi o senza valore; il maggior numero di raggiunti è di {labels[best]} "
            f"({integer(row['raggiunti'])} su {integer(row['indicatori'])}).")


def objective_tree(nodes: pd.DataFrame, indicators: pd.DataFrame) -> go.Figure:
    """A sunburst of one area: area (centre) → obiettivi strategici → operativi → indicatori (outer ring), each
    sector by its readable name (the code in the hover), each indicator in its status colour; clicking a sector
    drills down into it, clicking the centre climbs back."""
    ids, labels, parents, colours, hovers, values = [], [], [], [], [], []
    with_indicators = set(indicators["codice_obiettivo"])
    for row in nodes.itertuples():
        readable = row.titolo if isinstance(row.titolo, str) and row.titolo else row.etichetta
        ids.append(html(row.codice))
        labels.append(wrapped(html(shortened(readable, 40)), 20))
        parents.append("" if pd.isna(row.codice_padre) else html(row.codice_padre))
        colours.append({"area": "#E8EDF2", "strategico": "#C9D1D9"}.get(row.livello, "#DDE3EA"))
        hovers.append(f"obiettivo {html(row.livello)}: {_short(readable, 80)}"
                      f"<br>responsabile: {html(row.responsabile) if isinstance(row.responsabile, str) else 'non indicato'}"
                      if row.livello != "area" else f"area strategica: {_short(readable, 80)}")
        # An operational objective without indicators still gets a thin sector, so the plan's structure shows.
        values.append(0.5 if row.livello == "operativo" and row.codice not in with_indicators else 0)
    known = set(ids)
    for row in indicators.itertuples():
        parent = html(row.codice_obiettivo)
        ids.append(html(row.codice))
        labels.append(wrapped(html(shortened(row.descrizione, 36)), 18))
        parents.append(parent if parent in known else (ids[0] if ids else ""))
        colours.append(STATUS_COLOURS.get(row.stato, NEUTRAL))
        hovers.append(f"{_short(row.descrizione, 80)}<br>stato: {html(row.stato)}<br>VA: {_text(row.valore_atteso)}"
                      f"<br>VR: {_text(row.valore_raggiunto)}")
        values.append(1)
    fig = go.Figure(go.Sunburst(ids=ids, labels=labels, parents=parents, values=values, marker=dict(colors=colours),
                                insidetextfont=dict(color=[readable_on(c) for c in colours]),
                                customdata=hovers, hovertemplate="<b>%{id}</b><br>%{customdata}<extra></extra>",
                                branchvalues="remainder", maxdepth=3, insidetextorientation="horizontal",
                                sort=False, textfont=dict(size=12)))
    # One trace: the status colours are explained by the legend the page writes under the chart (ui/banner.legend).
    # A legend of plotly's own needed an invisible scatter per status, and with it a hidden cartesian plot for the
    # browser to lay out and draw at every page switch.
    fig.update_layout(height=600, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      plot_bgcolor="rgba(0,0,0,0)")
    return _layout(fig)


def _short(text, width: int) -> str:
    """The text cut to `width` characters, made safe for plotly (cut first, so no entity is cut in half)."""
    text = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return html(text if len(text) <= width else text[: width - 1] + "…")


def _text(value) -> str:
    return "—" if value is None or (isinstance(value, float) and pd.isna(value)) else _short(value, 80)


def _years_axis(fig: go.Figure, years, **where) -> None:
    """Whole years on the x axis. Up to nine years every year is written (nine «2019» fit a 390 px phone); over a
    longer span plotly chooses the step from the width it has (every year on a laptop, every second on a phone):
    fixing it at one wrote eleven years over each other on a phone. Below nine years plotly's own choice could be
    half a year, which writes 2018, 2019, 2019."""
    years = [int(y) for y in years if y is not None and not pd.isna(y)]
    if years and max(years) - min(years) <= 8:
        fig.update_xaxes(tickformat=YEAR, tickmode="linear", tick0=min(years), dtick=1, **where)
    else:
        fig.update_xaxes(tickformat=YEAR, tickmode="auto", **where)


def pratiche_evase(trend: pd.DataFrame, target_indice: float | None = 100.0,
                   references: pd.DataFrame | None = None) -> go.Figure:
    """Pratiche evase entro 5 giorni, in two panels over the same years (no second axis): above, the rate per year
    and the index to the base year with the target on its line, and the public references of the rate (other
    chambers, Toscana, Italia: table riferimenti), each labelled with its source; below, evase and totali. Missing
    years (2014-2015) stay a gap: the x axis holds every year and connectgaps is off."""
    years = list(trend["anno"]) + ([] if references is None else [int(y) for y in references["anno_valore"]])
    full = _full_years(trend, start=min(years) if years else None, end=max(years) if years else None)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.55, 0.45],
                        subplot_titles=("% evase in 5 giorni e indice (base = 100)", "Pratiche"))
    fig.add_bar(x=full["anno"], y=full["totali"], name="Pratiche totali", marker_color=NEUTRAL_LIGHT,
                hovertemplate="%{x}: %{y:,.0f} pratiche totali<extra></extra>", row=2, col=1)
    fig.add_bar(x=full["anno"], y=full["evase"], name="Evase entro 5 giorni", marker_color=NEUTRAL,
                hovertemplate="%{x}: %{y:,.0f} evase entro 5 giorni<extra></extra>", row=2, col=1)
    fig.add_scatter(x=full["anno"], y=full["tasso_calcolato"], mode="lines+markers", name="% evase entro 5 giorni",
                    connectgaps=False, line=dict(color=STATUS_COLOURS["raggiunto"], width=3),
                    customdata=full[["evase", "totali"]],
                    hovertemplate="%{x}: %{y:,.2f}%<br>evase %{customdata[0]:,.0f} su %{customdata[1]:,.0f}<extra></extra>",
                    row=1, col=1)
    fig.add_scatter(x=full["anno"], y=full["indice_base"], mode="lines+markers", name="Indice (base = 100)",
                    connectgaps=False, line=dict(color=STATUS_COLOURS["qualitativo"], dash="dot"),
                    hovertemplate="%{x}: indice %{y:,.2f}<extra></extra>", row=1, col=1)
    if target_indice is not None:
        _target_line(fig, target_indice, f"obiettivo indice ≥ {integer(target_indice)}",
                     _last_years(full, "tasso_calcolato", "indice_base"), row=1, col=1)
    add_references(fig, references, row=1, col=1)
    fig.update_layout(barmode="overlay")
    _years_axis(fig, full["anno"])
    fig.update_yaxes(tickformat=NUMBER, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(tickformat=NUMBER, rangemode="tozero", row=2, col=1)
    return _layout(fig, height=520).update_layout(margin_l=NUMBER_TICKS_MARGIN)


# Left margin (px) that already holds y tick labels of up to 7 characters («35.000», «350.000»). _layout's 10 px makes
# plotly measure the labels after a first drawing, widen the margin (automargin) and draw everything again: on the
# two-panel chart of the pratiche evase that second pass was 14 of its 37 ms a drawing, and Streamlit draws a chart
# two or three times when a page opens (bench/RESULTS.md, section 3). Automargin stays on: a wider label still fits.
NUMBER_TICKS_MARGIN = 64


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


# One shape per public reference, at the middle of its dash and beside its name in the legend: the chart carries no
# words of its own for them, because five names over two neighbouring years cannot share a 390 px phone without
# covering each other and the year labels (the names are in the legend, the sources in the hover, the caption and
# the table under the chart).
REFERENCE_SYMBOLS = ("diamond", "square", "triangle-up", "circle-open", "x", "star", "triangle-down", "cross")


def add_references(fig: go.Figure, references: pd.DataFrame | None, row: int | None = None,
                   col: int | None = None) -> go.Figure:
    """Each public reference as a black dash across its year at its value, with a shape of its own in the middle,
    named in the legend («Italia 2019: 75,4%», by year and value) and with its source in the hover."""
    if references is None or references.empty:
        return fig
    where = {"row": row, "col": col} if row is not None else {}
    ordered = references.sort_values(["anno_valore", "valore"], ascending=[True, False])
    for i, row in enumerate(ordered.itertuples()):
        year, value = int(row.anno_valore), float(row.valore)
        detail = f"<br>{html(row.dettaglio)}" if isinstance(row.dettaglio, str) and row.dettaglio else ""
        fig.add_scatter(x=[year - 0.45, year, year + 0.45], y=[value] * 3, mode="lines+markers",
                        line=dict(color=REFERENCE, dash="dash", width=2),
                        marker=dict(symbol=REFERENCE_SYMBOLS[i % len(REFERENCE_SYMBOLS)], size=[0, 10, 0],
                                    color=REFERENCE, line=dict(color=REFERENCE, width=1.5)),
                        legendgroup="riferimenti",
                        legendgrouptitle_text="Riferimenti pubblici (fonti sotto il grafico)" if i == 0 else None,
                        name=html(reference_label(row)),
                        hovertemplate=html(reference_label(row)) + detail + "<br>" + html(reference_source(row))
                        + "<extra></extra>", **where)
    fig.update_layout(legend_itemsizing="constant")  # the legend shows each shape at full size
    return fig


def imprese_internazionalizzazione(trend: pd.DataFrame, target: float | None = 70.0) -> go.Figure:
    """Imprese served per year (bars, below) and the count as % of the previous year (line, above) against the
    target: two panels over the same years, no second axis."""
    full = _full_years(trend)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.5, 0.5],
                        subplot_titles=("In % dell'anno precedente", "Imprese servite"))
    fig.add_bar(x=full["anno"], y=full["imprese"], name="Imprese servite", marker_color=NEUTRAL,
                hovertemplate="%{x}: %{y:,.0f} imprese<extra></extra>", row=2, col=1)
    fig.add_scatter(x=full["anno"], y=full["percentuale_anno_precedente"], mode="lines+markers",
                    name="% sull'anno precedente", connectgaps=False,
                    line=dict(color=STATUS_COLOURS["raggiunto"], width=3),
                    hovertemplate="%{x}: %{y:,.2f}% dell'anno precedente<extra></extra>", row=1, col=1)
    if target is not None:
        _target_line(fig, target, f"obiettivo ≥ {integer(target)}%", _last_years(full, "percentuale_anno_precedente"),
                     row=1, col=1)
    _years_axis(fig, full["anno"])
    fig.update_yaxes(rangemode="tozero", row=1, col=1, **PERCENT_TICKS)
    fig.update_yaxes(tickformat=NUMBER, rangemode="tozero", row=2, col=1)
    return _layout(fig, height=500)


def cost_containment(costs: pd.DataFrame, target: float | None = 100.0) -> go.Figure:
    """Each cost series as % of its base year (2011): bars per year, one colour per series, each bar with its
    value written on it (a value of 0 is a bar of no height: its «0%» still shows), target line 100%.
    At most MAX_SERIES series (the first by code)."""
    fig = go.Figure()
    palette = [NEUTRAL, STATUS_COLOURS["raggiunto"], STATUS_COLOURS["qualitativo"], STATUS_COLOURS["senza target"]]
    drawn = first_series(costs)
    top = float(drawn["percentuale_base"].max(skipna=True) or 0) if len(drawn) else 0.0
    for i, (serie, group) in enumerate(drawn.groupby("serie", sort=True)):
        colour = palette[i % len(palette)]
        # the value inside a tall bar, above a short one: a bar of 0 has no inside, its «0%» stands on the axis
        where = ["inside" if pd.notna(v) and v >= 0.15 * max(top, 1) else "outside" for v in group["percentuale_base"]]
        fig.add_bar(x=group["anno"].astype(str), y=group["percentuale_base"], name=wrapped(html(group["titolo"].iloc[0]), 28),
                    marker_color=colour, customdata=group[["valore"]],
                    text=[percent_text(v) for v in group["percentuale_base"]], textposition=where,
                    insidetextanchor="end", cliponaxis=False, insidetextfont=dict(color=readable_on(colour), size=12),
                    outsidetextfont=dict(color=TEXT, size=12),
                    hovertext=[html(t) for t in group["titolo"]],
                    hovertemplate="%{hovertext}<br>%{x}: %{y:,.2f}% del 2011<br>€ %{customdata[0]:,.2f}<extra></extra>")
    if target is not None:
        top = max(top, float(target))
        last = costs[costs["anno"] == costs["anno"].max()]["percentuale_base"]
        _target_line(fig, target, f"obiettivo ≤ {integer(target)}%", list(last))
    fig.update_layout(barmode="group", xaxis=dict(type="category"),
                      yaxis=dict(title="% dell'anno base", range=[0, top * 1.25 or 1], **PERCENT_TICKS))
    return _layout(fig, height=400)


def percent_text(value) -> str:
    """The label written on a bar: '49,3%', '0%'; nothing for a missing value."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return number(value, 1).removesuffix(",0") + "%"


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
    fig.update_layout(xaxis=dict(dtick=1, title="Anno", tickformat=YEAR),
                      yaxis=dict(title=unit or "", ticksuffix=suffix, rangemode="tozero", tickformat=NUMBER),
                      showlegend=False)
    _layout(fig, height=340)
    if title:  # on two lines at most: a long series title stays inside a phone's width
        fig.update_layout(title=dict(text=wrapped(html(title), 40)), margin_t=70)
    return fig


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


def small_multiples(values: pd.DataFrame, columns: int = 2, limit: int = MAX_SERIES) -> go.Figure:
    """The series (at most `limit`, the first in order) as small charts of their own (one scale each), missing
    years as gaps. Two columns and titles on two short lines, so that a phone (390 px) still reads them."""
    series = series_codes(first_series(values, limit))
    rows = max(1, -(-len(series) // columns))
    titles = []
    for s in series:
        group = values[values["serie"] == s]
        titles.append(wrapped(html(f"{group['titolo'].iloc[0]} ({group['unita'].iloc[0]})"), 22, lines=3))
    # plotly refuses a spacing above 1 / (rows - 1): keep below it for any number of rows
    spacing = min(0.36 / rows + 0.06, 0.5 / max(rows - 1, 1))
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, vertical_spacing=spacing,
                        horizontal_spacing=0.12)
    for i, s in enumerate(series):
        group = _full_years(values[values["serie"] == s].sort_values("anno"))
        unit = group["unita"].dropna().iloc[0] if group["unita"].notna().any() else None
        fmt = "%{y:,.2f}" + ("%" if unit == "%" else "") if unit in ("%", "€", "‰", "punteggio") else "%{y:,.0f}"
        fig.add_scatter(x=group["anno"], y=group["valore"], mode="lines+markers", connectgaps=False, showlegend=False,
                        line=dict(color=STATUS_COLOURS["raggiunto"], width=2), name=html(s),
                        hovertemplate="%{x}: " + ("€ " if unit == "€" else "") + fmt + "<extra></extra>",
                        row=i // columns + 1, col=i % columns + 1)
        first, last = int(group["anno"].min()), int(group["anno"].max())
        # whole years only, at most about four labels: a narrow panel never writes 2018, 2019, 2019
        fig.update_xaxes(tickmode="linear", tick0=first, dtick=_year_step(last - first), row=i // columns + 1,
                         col=i % columns + 1)
    fig.update_xaxes(tickformat=YEAR, tickfont=dict(size=11))
    fig.update_yaxes(rangemode="tozero", tickformat=NUMBER, nticks=4, tickfont=dict(size=11))
    fig.update_annotations(font_size=11, yshift=4)
    _layout(fig)
    fig.update_layout(height=300 * rows, margin=dict(t=80))
    return fig


def _year_step(span: int) -> int:
    return 1 if span <= 3 else 2 if span <= 8 else 5


def status_donut(counts: dict[str, int]) -> go.Figure:
    """How many indicators in each status, as a ring with the words in the legend."""
    items = [(s, n) for s, n in counts.items() if n]
    fig = go.Figure(go.Pie(labels=[s for s, _ in items], values=[n for _, n in items], hole=0.55, sort=False,
                           marker=dict(colors=[STATUS_COLOURS[s] for s, _ in items]),
                           hovertemplate="%{label}: %{value:,.0f} indicatori (%{percent})<extra></extra>",
                           textinfo="value"))
    fig.update_layout(height=300, showlegend=True)
    return _layout(fig)


def describe_series(values: pd.DataFrame) -> str:
    """One sentence for the small multiples: how many series, over which years."""
    if values.empty:
        return "Il grafico non ha dati da mostrare."
    total = len(series_codes(values))
    shown = min(total, MAX_SERIES)
    return (f"{'Il grafico mostra' if shown == total else f'Il grafico mostra le prime {shown} di'} "
            f"{plural(total, 'serie storica', 'serie storiche')}, ciascuna con la sua scala, "
            f"dal {int(values['anno'].min())} al {int(values['anno'].max())}; gli anni senza dato restano vuoti.")


def series_table(values: pd.DataFrame) -> pd.DataFrame:
    """The data of a series chart as a table: series, year, value with its unit."""
    ordered = values.sort_values(["serie", "anno"], kind="stable")
    return pd.DataFrame({"Serie": ordered["titolo"].to_numpy(), "Anno": ordered["anno"].astype(str).to_numpy(),
                         "Valore": [smart(v, u) for v, u in zip(ordered["valore"], ordered["unita"])]})


def describe_trend(what: str, years, values, unit: str = "", target: float | None = None, below: bool = False) -> str:
    """One sentence for a trend chart: first and last value, and the target."""
    pairs = [(int(y), float(v)) for y, v in zip(years, values) if v is not None and not pd.isna(v)]
    if not pairs:
        return f"{what}: nessun valore negli anni scelti."
    (first_year, first), (last_year, last) = pairs[0], pairs[-1]
    sentence = f"{what}: {number(first, 2)}{unit} nel {first_year}, {number(last, 2)}{unit} nel {last_year}"
    if target is not None:
        sentence += f"; obiettivo {'≤' if below else '≥'} {integer(target)}{unit}"
    return sentence + "."


def describe_costs(costs: pd.DataFrame, target: float | None) -> str:
    """One sentence for the cost chart: each series' last value as % of its base year."""
    if costs.empty:
        return "Il grafico non ha dati da mostrare."
    last = costs.sort_values("anno").groupby("serie", sort=True).tail(1)
    parts = [f"{row.titolo} {percent_text(row.percentuale_base)} nel {int(row.anno)}" for row in last.itertuples()]
    goal = f" (obiettivo ≤ {integer(target)}%)" if target is not None else ""
    return "Costi in % dell'anno base" + goal + ": " + "; ".join(parts) + "."


def describe_tree(nodes: pd.DataFrame, indicators: pd.DataFrame) -> str:
    """One sentence for the objective tree: how many objectives and indicators, by status."""
    strategici = int((nodes["livello"] == "strategico").sum())
    operativi = int((nodes["livello"] == "operativo").sum())
    by_status = indicators["stato"].value_counts()
    statuses = ", ".join(f"{integer(n)} {s}" for s, n in by_status.items())
    return (f"L'albero mostra {plural(strategici, 'obiettivo strategico', 'obiettivi strategici')}, "
            f"{plural(operativi, 'obiettivo operativo', 'obiettivi operativi')} e "
            f"{plural(len(indicators), 'indicatore', 'indicatori')} ({statuses}).")
