"""Cruscotto Performance: the entry point. `streamlit run app.py`.

Registers the pages; the data layer lives in cruscotto/ (no streamlit) and the SQL in queries/.
"""
import streamlit as st

from ui import documento, filters, sections, store_status

st.set_page_config(page_title="Cruscotto Performance", page_icon="📊", layout="wide")
documento.italiano()  # lang="it" and Streamlit's own words in Italian (ui/documento.py)

# The Panoramica is served at the app's root; its own name stays a valid address (a hidden page that forwards to the
# root with the same query), so that /panoramica never shows Streamlit's English «Page not found».
home = st.Page("pages/panoramica.py", title="Panoramica", icon="🏠", default=True, url_path="inizio")
pages = [
    home,
    st.Page("pages/aree_strategiche.py", title="Aree strategiche", icon="🎯", url_path="aree_strategiche"),
    st.Page("pages/indicatori.py", title="Indicatori", icon="📋", url_path="indicatori"),
    st.Page("pages/andamenti.py", title="Andamenti", icon="📈", url_path="andamenti"),
    st.Page("pages/responsabili.py", title="Responsabili", icon="👤", url_path="responsabili"),
    st.Page("pages/confronto_enti.py", title="Confronto enti", icon="🏛️", url_path="confronto_enti"),
    st.Page("pages/verifica.py", title="Verifica", icon="🔎", url_path="verifica"),
    st.Page("pages/carica_dati.py", title="Carica dati", icon="📤", url_path="carica_dati"),
    st.Page(lambda: filters.forward_to(home), title="Panoramica", url_path="panoramica", visibility="hidden"),
]
page = st.navigation(pages)
# What the user must know about the store (rebuilt, new, read-only, a failure) is said on every page, in Italian.
with store_status.guard():
    # Shared filters (ente, anno, area, obiettivo): drawn here, in the main script, so that they keep their value when
    # the page changes; ui/filters.py keeps them in the URL.
    filters.sidebar(page)
    sections.run_page(page)  # an Italian message, never a traceback, if the page fails
