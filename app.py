"""Cruscotto Performance: the entry point. `streamlit run app.py`.

Registers the pages listed in ui/pages_spec.py; the data layer lives in cruscotto/ (no streamlit) and the SQL in
queries/.
"""
import streamlit as st

from ui import documento, page, printing, store_status

st.set_page_config(page_title="Cruscotto Performance", page_icon="📊", layout="wide")
# The document's own scripts are sent at the session's first run: what they install stays in the browser's window.
with page.first_run_of_session() as first:
    documento.italiano(send=first)  # lang="it" and Streamlit's own words in Italian (ui/documento.py)
    current = page.navigation()
    printing.install(send=first)  # every page prints well from the browser's menu (ui/printing.py)
    # What the user must know about the store (rebuilt, new, read-only, a failure) is said on every page, in Italian.
    with store_status.guard():
        # The sidebar's choices, drawn here in the main script so that they stay in the URL and keep their value when
        # the page changes: «Dati come alla versione N», then ente, anno, area, obiettivo; then the page, with an
        # Italian message, never a traceback, if it fails.
        page.run(current)
