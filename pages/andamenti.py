"""andamenti (in preparazione)."""
import streamlit as st

st.title("andamenti")
st.info("Pagina in preparazione.")
