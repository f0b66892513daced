"""Tables as Italians read them: the page keeps numbers as numbers (that is what is exported), the screen shows
them Italian (1.234,56 · 89,14% · € 18.978,38). Text is always text: nothing is rendered as HTML."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cruscotto.present import charts, export, formatting
from ui import printing

_FORMATTERS = {
    "integer": formatting.integer,
    "number": formatting.number,
    "percent": formatting.percent,
    "euro": formatting.euro,
    "auto": lambda v: formatting.number(v, 0 if float(v).is_integer() else 2),  # counts and amounts mixed
}


def for_display(frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> pd.DataFrame:
    """A copy with every non-count number written the Italian way; counts below 1.000 stay numbers (sortable)."""
    shown = frame.copy()
    for column in shown.columns:
        kind = export.column_kind(frame, column, kinds)
        if kind == "integer" and not (kinds and column in kinds):
            values = frame[column].dropna()
            if values.empty or values.abs().max() < 1000:
                continue  # a small count: keep it numeric
        if kind in _FORMATTERS:
            shown[column] = frame[column].map(lambda v, f=_FORMATTERS[kind]: f(v) if pd.notna(v) else None).astype("string")
        elif kind == "date":
            shown[column] = frame[column].map(lambda v: f"{pd.Timestamp(v):%d/%m/%Y %H:%M}" if pd.notna(v) else None)
        elif pd.api.types.is_string_dtype(frame[column]):
            shown[column] = frame[column].astype(object).where(frame[column].notna(), "")  # empty, not «None»
    return shown


STATUS_COLUMN = "Stato"


def show(frame: pd.DataFrame, kinds: dict[str, str] | None = None, *, empty: str | None = None, **kwargs):
    """st.dataframe of the Italian copy; an empty frame says why instead of drawing an empty grid.

    A «Stato» column gets the status colour behind its word (the same colours as the charts and the legend). The
    same rows are also written as a table that only the printer sees (ui/printing.py).
    """
    if frame.empty:
        st.info(empty or "Nessuna riga con i filtri scelti: allargare i filtri nella barra laterale.")
        return None
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    shown = for_display(frame, kinds)
    printing.table(shown, kwargs.get("column_config"))  # the grid prints only the rows in view: every row, for print
    if STATUS_COLUMN in shown.columns:
        shown = shown.style.map(charts.status_cell_style, subset=[STATUS_COLUMN])
    return st.dataframe(shown, **kwargs)

