"""Cruscotto Performance: the entry point. `streamlit run app.py`.

Registers the pages listed in ui/pages_spec.py; the data layer lives in cruscotto/ (no streamlit) and the SQL in
queries/.
"""
import streamlit as st

from ui import page, store_status

st.set_page_config(page_title="Cruscotto Performance", page_icon="📊", layout="wide")

current = page.navigation()
# What the user must know about the store (rebuilt, new, read-only, a failure) is said on every page, in Italian.
with store_status.guard():
    # Shared filters (ente, anno, area, obiettivo): drawn here, in the main script, so that they stay in the URL and
    # keep their value when the page changes; then the page, with an Italian message, never a traceback, if it fails.
    page.run(current)
