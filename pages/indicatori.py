"""indicatori (in preparazione)."""
import streamlit as st

st.title("indicatori")
st.info("Pagina in preparazione.")
