"""«Dati come alla versione N» (issue 16): the sidebar's choice of the data the pages show, the current data or the
state of an earlier version (read-only), and the warning every page shows while it looks back.

The choice is in the URL (?versione=N), so a link reproduces, for instance, the Relazione as it was approved. The
pages read through ui.data (query, reading_connection), which does the rest. «Carica dati» always shows and changes
the current data.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cruscotto import store
from cruscotto.present import text
from cruscotto.store import versions
from ui.data import VIEWED, connection, current_version, viewed_version
from ui.pages_spec import PageSpec

CURRENT = 0  # the option «attuale»


@st.cache_data(show_spinner=False, max_entries=8)
def _earlier(path: str, current: int) -> dict[int, str]:
    """The versions before the current one that can be shown, newest first, each with its label."""
    oldest = versions.first_restorable(connection())
    return {v.versione: f"{v.versione} · {pd.Timestamp(v.creata_il):%d/%m/%Y %H:%M} · {v.operazione}"
                        + (f" · {v.utente}" if v.utente else "")
            for v in versions.list_versions(connection()) if oldest <= v.versione < current}


def _accept_number_in_link(labels: dict[int, str]) -> None:
    """The bound selectbox writes its label in the URL; a link written by hand carries the bare number
    (?versione=5): choose that version once, on arrival."""
    value = st.query_params.get(VIEWED)
    if value is None or not value.isdigit() or int(value) not in labels:
        return
    if st.session_state.get(VIEWED) != int(value) and not st.session_state.get("_versione_letta"):
        st.session_state["_versione_letta"] = True
        st.session_state[VIEWED] = int(value)


def sidebar(page: PageSpec) -> None:
    """Draw the choice in the sidebar (app.py, before the filters, which read the chosen data) and, while an earlier
    version is shown, say so at the top of the page."""
    current = current_version()
    earlier = _earlier(str(store.db_path()), current)
    labels = {CURRENT: f"attuale (versione {current})"} | earlier
    _accept_number_in_link(labels)
    with st.sidebar:
        st.selectbox("Dati come alla versione", list(labels), key=VIEWED, bind="query-params", format_func=labels.get,
                     help="Mostra le pagine con i dati com'erano a una versione precedente, in sola lettura (per "
                          "esempio la relazione come è stata approvata, prima delle correzioni successive). L'elenco "
                          "delle versioni è nella pagina «Carica dati».")
    shown = viewed_version()
    if shown is None:
        return
    if page.current_data:
        st.info(f"Nella barra laterale è scelta la versione {shown}: questa pagina mostra e modifica comunque i dati "
                f"attuali (versione {current}).")
        return
    st.warning(f"Dati come alla versione {text.md(earlier.get(shown, str(shown)))}, in sola lettura: la versione "
               f"attuale è la {current}. Per tornare ai dati attuali scegliere «attuale» in «Dati come alla versione» "
               "nella barra laterale.", icon="🕰️")
