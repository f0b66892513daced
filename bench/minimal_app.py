"""The yardstick for bench_browser.py: the smallest Streamlit app with one plotly chart per page (two pages)."""
import plotly.graph_objects as go
import streamlit as st


def page(title, values):
    def run():
        st.title(title)
        st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=values)), width="stretch")
    return run


st.navigation([st.Page(page("Uno", [1, 3, 2]), title="Uno", url_path="uno", default=True),
               st.Page(page("Due", [2, 1, 3]), title="Due", url_path="due")]).run()
