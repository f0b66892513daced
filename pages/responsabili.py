"""responsabili (in preparazione)."""
import streamlit as st

st.title("responsabili")
st.info("Pagina in preparazione.")
