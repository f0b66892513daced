"""aree_strategiche (in preparazione)."""
import streamlit as st

st.title("aree_strategiche")
st.info("Pagina in preparazione.")
