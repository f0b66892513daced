"""Streamlit glue shared by the pages: the one place outside pages/ that imports streamlit.

Business rules and SQL stay in cruscotto/ and queries/; this package only connects, caches and renders.
"""
