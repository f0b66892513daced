"""Cruscotto Performance: the entry point. `streamlit run app.py`.

Registers the pages; the data layer lives in cruscotto/ (no streamlit) and the SQL in queries/.
"""
import streamlit as st

from ui import filters, printing, sections, store_status, versione

st.set_page_config(page_title="Cruscotto Performance", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/panoramica.py", title="Panoramica", icon="🏠", default=True, url_path="panoramica"),
    st.Page("pages/aree_strategiche.py", title="Aree strategiche", icon="🎯", url_path="aree_strategiche"),
    st.Page("pages/indicatori.py", title="Indicatori", icon="📋", url_path="indicatori"),
    st.Page("pages/andamenti.py", title="Andamenti", icon="📈", url_path="andamenti"),
    st.Page("pages/responsabili.py", title="Responsabili", icon="👤", url_path="responsabili"),
    st.Page("pages/confronto_enti.py", title="Confronto enti", icon="🏛️", url_path="confronto_enti"),
    st.Page("pages/verifica.py", title="Verifica", icon="🔎", url_path="verifica"),
    st.Page("pages/relazione.py", title="Relazione", icon="📄", url_path="relazione"),
    st.Page("pages/carica_dati.py", title="Carica dati", icon="📤", url_path="carica_dati"),
]
page = st.navigation(pages)
printing.install()  # every page prints well from the browser's menu (ui/printing.py)
# What the user must know about the store (rebuilt, new, read-only, a failure) is said on every page, in Italian.
with store_status.guard():
    # Shared filters (ente, anno, area, obiettivo): drawn here, in the main script, so that they stay in the URL and
    # keep their value when the page changes.
    versione.sidebar(page)  # «Dati come alla versione N»: first, the filters read the data it chooses
    filters.sidebar(page)
    sections.run_page(page)  # an Italian message, never a traceback, if the page fails
