"""Cruscotto Performance: the entry point. `streamlit run app.py`.

Registers the pages; the data layer lives in cruscotto/ (no streamlit) and the SQL in queries/.
"""
import streamlit as st

st.set_page_config(page_title="Cruscotto Performance", page_icon="📊", layout="wide")

pages = [
    st.Page("pages/panoramica.py", title="Panoramica", icon="🏠", default=True, url_path="panoramica"),
]
st.navigation(pages).run()
