"""The line under every page title that says which data the page shows: ente, anno, data version, last import."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cruscotto.present import text
from ui.data import query
from ui.filters import Selection

EMPTY_STORE = "Nessun dato nel database. Caricare una relazione (file Excel o CSV) dalla pagina «Carica dati»."
EMPTY_STORE_ADMIN = ("Da terminale: `python -m cruscotto build` carica i dati della cartella `data/`, "
                     "`python -m cruscotto import FILE` un file.")


def data_line(selection: Selection) -> str:
    """The line as Markdown: the ente and the file name are data, escaped (cruscotto.text.md)."""
    # The sidebar's scelte_periodi already holds each partition's latest import: no query of its own here.
    periods = query("scelte_periodi")
    info = periods[(periods["ente"] == selection.ente) & (periods["anno"] == selection.anno)]
    if info.empty:
        info = query("dati_mostrati", ente=selection.ente, anno=selection.anno)
    parts = [f"Ente: {text.md(selection.ente)}", f"anno: {selection.anno}"]
    if not info.empty:
        row = info.iloc[0]
        parts.append(f"versione dei dati: {int(row['versione'])}")
        when = row["importata_il"]
        if when is not None and not pd.isna(when):
            source = f" ({text.md(row['file_name'])})" if isinstance(row["file_name"], str) and row["file_name"] else ""
            parts.append(f"ultimo caricamento: {pd.Timestamp(when):%d/%m/%Y %H:%M}{source}")
    return " · ".join(parts)


def show(selection: Selection) -> bool:
    """Print the data line; on an empty store say how to load data and return False (the page should stop)."""
    if selection.empty:
        st.info(EMPTY_STORE)
        from ui.accesso import for_administrator

        for_administrator(EMPTY_STORE_ADMIN)
        return False
    st.caption(data_line(selection))
    return True


def legend() -> None:
    """What each status colour means (the charts and the «Stato» column use the same colours)."""
    from cruscotto.present.charts import STATUS_MEANING, status_badge

    # st.markdown, not st.caption: a caption fades everything in it, the badges' words too (3,3:1 on their tint)
    st.markdown("Legenda dello stato (confronto del valore raggiunto con il valore atteso): "
                + " · ".join(f"{status_badge(s)}: {m}" for s, m in STATUS_MEANING.items()))
