"""Every chart the same way: drawn on its white card with plotly's words in Italian, and a text alternative for
whoever cannot see it (a screen reader, a printout): one sentence that says what it shows, then its data as a real
table in a collapsed «Dati del grafico» section (or a pointer to the table right under it).

    grafici.show(grafici.figure(charts.area_achievement, summary), "Il grafico mostra …", data=frame,
                 key="grafico_aree", on_select=callback)

`figure(build, *args)` builds a figure once per data version and arguments and shares it with every session: a page
seen again, or a rerun that changed none of a chart's inputs, draws the figure it already has (building one takes
plotly 30-150 ms of the server's time; bench/bench_pages.py); a chart that takes no clicks is sent written so that
the browser draws it once (cruscotto/present/browser_figure.py).

The sentence is the product's own words with data in it: it is shown as plain text (cruscotto.text.md).
"""
from __future__ import annotations

import hashlib

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cruscotto import store
from cruscotto.present import browser_figure, charts, formatting
from cruscotto.present.text import md
from ui import tables
from ui.data import data_version, fingerprint

BELOW = "I valori sono nella tabella qui sotto."


def figure(build, *args, **kwargs) -> go.Figure:
    """build(*args, **kwargs), built once per data version and arguments and shared by every session. Frames among
    the arguments count by their content (ui.data.fingerprint), so the same rows give the same figure. The arguments
    must be picklable (frames, series, numbers, text). The figure is shared: draw it, never change it."""
    inputs = (args, tuple(sorted(kwargs.items())))
    return _built(data_version(), str(store.db_path()), f"{build.__module__}.{build.__qualname__}",
                  fingerprint(*inputs), build, inputs)


# The arguments count by their fingerprint (ui.data.fingerprint: Streamlit's own hashing of the frames cost more than
# the rest of the call); the version is in the key too, so an import never serves a figure of the data before.
@st.cache_resource(show_spinner=False, max_entries=256)
def _built(version: int, path: str, builder: str, inputs: str, _build, _inputs: tuple) -> go.Figure:
    args, kwargs = _inputs
    fig = _build(*args, **dict(kwargs))
    # what show() sends of a chart that takes no clicks: drawn once in the browser, not twice
    # (cruscotto/present/browser_figure.py); the cache key names the content
    revision = hashlib.sha256("\0".join((str(version), path, builder, inputs)).encode()).hexdigest()[:16]
    fig._drawn_once = browser_figure.drawn_once(fig, revision)
    return fig


def show(fig, summary: str, data: pd.DataFrame | None = None, *, key: str | None = None, on_select=None,
         selection_mode=None, kinds: dict[str, str] | None = None) -> None:
    """The chart, its one-sentence summary and (with `data`) its data table in «Dati del grafico».

    Without `data` the page shows the chart's numbers in a table right under it, and the summary says so.
    `on_select` makes a click on a point call it (the page reads the point from st.session_state[key])."""
    options = {"key": key, "width": "stretch", "theme": None, "config": charts.PLOTLY_CONFIG}
    if on_select is not None:
        options |= {"on_select": on_select, "selection_mode": selection_mode or "points"}
    # A chart that takes clicks keeps the figure as built, and its second drawing: Streamlit changes its layout right
    # after it appears (clickmode, dragmode), and plotly.js's partial update of the figure written to be drawn once
    # then placed the bars of the Responsabili a few pixels off their rows.
    st.plotly_chart(fig if on_select is not None else getattr(fig, "_drawn_once", fig), **options)
    st.caption(md(summary) + ("" if data is not None else " " + BELOW))
    if data is not None and not data.empty:
        with st.expander("Dati del grafico", icon=":material/table:"):
            st.markdown(tables.markdown_of(*for_reading(data, kinds)))  # a plain table (ui/tables.plain)


def for_reading(data: pd.DataFrame, kinds: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[bool]]:
    """The table as a person reads it: numbers written the Italian way (1.234,56 · 89,14%), empty cells as «—»;
    and which columns hold numbers (aligned right). Every cell is text made inert for Markdown (a name with ![](…) in
    it would load an image)."""
    kinds = kinds or {}
    shown, numbers = pd.DataFrame(index=range(len(data))), []
    for column in data.columns:
        values = data[column].reset_index(drop=True)
        kind = kinds.get(column)
        if kind == "percent":
            shown[column] = values.map(lambda v: formatting.percent(v) or "—")
        elif kind == "text" or not pd.api.types.is_numeric_dtype(values):
            shown[column] = values.map(lambda v: "—" if v is None or v != v or v == "" else md(v))
        else:
            shown[column] = values.map(lambda v: formatting.smart(v) or "—")
        numbers.append(kind == "percent" or (kind != "text" and pd.api.types.is_numeric_dtype(values)))
    shown.columns = [md(c) for c in shown.columns]
    return shown, numbers


def clicked(key: str) -> list:
    """The customdata of the points clicked in the chart drawn with `key` (st.plotly_chart's selection)."""
    points = st.session_state.get(key, {}).get("selection", {}).get("points", [])
    found = []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, (list, tuple)):
            data = data[0] if data else None
        if data:
            found.append(data)
    return found
