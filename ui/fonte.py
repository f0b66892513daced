"""The report's own words beside a value: the cited lines with two lines of context each side (the cited ones
marked ▶), and the whole passage on request. Text from the store (fonte_righe), shown as plain text (st.text in a
bordered box), never as markdown or HTML. Not st.code: its highlighter is 1,5 MB of JavaScript that the browser
evaluates on the first page of a session showing a code block (about 200 ms of that page switch, or of the one
after the first page when loaded ahead), for text that has nothing to highlight."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cruscotto.ingest import fonte
from cruscotto.present import formatting
from ui.data import query


def _report(ente: str, anno: int) -> pd.DataFrame:
    """The report's text, read once per chamber, year and data version whatever the page quotes from it."""
    return query("fonte_relazione", ente=ente, anno=int(anno))


# st.text strips the text's leading spaces (streamlit.string_util.clean_text): an invisible zero-width space first
# keeps the indent of a first line that is not cited («  1153  …»), aligned with the «▶ 1155  …» below it.
KEEP_INDENT = "\u200b"


def _lines(text: str) -> None:
    """The report's lines as printed: line breaks and the spaces before the line numbers kept (st.text), in a box."""
    with st.container(border=True):
        st.text(KEEP_INDENT + text, width="stretch")


def quote(ente: str | None, anno: int | None, righe, *, passage: bool = True, label: str | None = None) -> bool:
    """Draw the cited lines (`righe`: '1141, 1155' or numbers) as the report prints them, and an expander with the
    whole passage. Returns False (and says why in a caption) when there is nothing to quote."""
    cited = fonte.cited_lines(righe)
    if not cited or ente is None or anno is None:
        return False
    report = _report(ente, anno)
    excerpts = [fonte.excerpt(report, cited)]
    text = fonte.quotation(excerpts, cited)
    where = ", ".join(f"r. {r}" for r in cited)
    if not text:
        st.caption(f"Righe della relazione: {where}. Il testo della relazione non è caricato (foglio «fonte_righe»).")
        return False
    st.caption(label or f"Righe citate: {where}, con due righe di contesto (▶ = riga citata).")
    _lines(text)
    if passage:
        whole = fonte.passage(report, min(cited), max(cited))
        shown = {int(r) for e in excerpts for r in e["riga"]}
        if not whole.empty and set(whole["riga"].astype(int)) - shown:
            first, last = int(whole["inizio"].iloc[0]), int(whole["fine"].iloc[0])
            with st.expander(f"Tutto il passaggio (righe {first}–{last})"):
                _lines(fonte.quotation([whole], cited))
    return True


def pick(frame: pd.DataFrame, label_of, line_column: str, ente: str | None, anno: int | None, *, key: str,
         label: str, help: str) -> None:
    """Choose one row of `frame` (each labelled by `label_of(row)`) and quote the line in its `line_column`."""
    if frame.empty or ente is None or anno is None:
        return
    rows = [r for r in frame.itertuples(index=False) if pd.notna(getattr(r, line_column))]
    if not rows:
        return
    chosen = st.selectbox(label, range(len(rows)), format_func=lambda i: label_of(rows[i]), key=key, help=help)
    quote(ente, anno, [int(getattr(rows[chosen or 0], line_column))])


def key_figures(frame: pd.DataFrame, ente: str | None, anno: int | None, key: str) -> None:
    """A key figure chosen among `frame`'s (rows of queries/cifre_chiave_per_nodo.sql) with the lines it comes from."""
    pick(frame, lambda r: f"{r.voce}: {formatting.smart(r.valore, r.unita)} (r. {int(r.riga_fonte)})", "riga_fonte",
         ente, anno, key=key, label="Dalla relazione: cifra chiave",
         help="Mostra le righe della relazione da cui viene la cifra.")
