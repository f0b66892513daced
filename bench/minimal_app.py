"""The yardstick for bench_browser.py: the smallest Streamlit app with one plotly chart per page («Uno», «Due»), and
two pages («Tabella», «Altra tabella») with the chart and one grid as the app draws its tables (26 rows, the columns'
headings, widths and number formats set, missing values «—»). The first grid of a session also loads the grid's
code; the second is what a page with a table costs at the least once that is done, as in the app after the
Panoramica."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

ROWS = pd.DataFrame({"codice": [f"2019_01_{i:02d}-I1" for i in range(26)], "stato": ["raggiunto", "non raggiunto"] * 13,
                     "descrizione": ["Percentuale delle pratiche evase entro cinque giorni"] * 26,
                     "valore": [i * 1.5 for i in range(26)], "quota": [i / 25 for i in range(26)]})
COLUMNS = {"codice": st.column_config.TextColumn("Indicatore", width=140, pinned=True),
           "stato": st.column_config.TextColumn("Stato", width=110),
           "descrizione": st.column_config.TextColumn("Descrizione", width="large"),
           "valore": st.column_config.NumberColumn("Valore", format="localized", step=0.01, width=100),
           "quota": st.column_config.NumberColumn("Quota", format="percent", step=0.0001, width=90)}


def page(title, values, table=False):
    def run():
        st.title(title)
        st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=values)), width="stretch")
        if table:
            st.dataframe(ROWS, column_config=COLUMNS, hide_index=True, width="stretch", placeholder="—")
    return run


st.navigation([st.Page(page("Uno", [1, 3, 2]), title="Uno", url_path="uno", default=True),
               st.Page(page("Due", [2, 1, 3]), title="Due", url_path="due"),
               st.Page(page("Tabella", [3, 2, 1], table=True), title="Tabella", url_path="tabella"),
               st.Page(page("Altra tabella", [1, 2, 3], table=True), title="Altra tabella", url_path="altra_tabella")]).run()
