"""Panoramica: how the plan went, per area strategica, and the key trend."""
import streamlit as st

from cruscotto import charts, formatting
from ui.data import query

st.title("Panoramica")
summary = query("area_summary")
if summary.empty:
    st.info("Nessun dato nel database. Caricare una relazione dalla pagina «Carica dati» oppure eseguire `python -m cruscotto build`.")
    st.stop()

st.subheader("Indicatori raggiunti per area strategica")
st.plotly_chart(charts.area_achievement(summary), width="stretch")
st.dataframe(
    summary[["codice_area", "denominazione", "obiettivi_strategici", "obiettivi_operativi", "indicatori", "misurabili", "raggiunti", "quota_raggiunti"]],
    hide_index=True,
    column_config={
        "codice_area": "Area", "denominazione": "Denominazione", "obiettivi_strategici": "Ob. strategici",
        "obiettivi_operativi": "Ob. operativi", "indicatori": "Indicatori", "misurabili": "Misurabili",
        "raggiunti": "Raggiunti", "quota_raggiunti": st.column_config.NumberColumn("% raggiunti", format="%.2f%%"),
    },
)

st.subheader("Pratiche evase entro 5 giorni")
trend = query("trend_pratiche_evase")
st.plotly_chart(charts.pratiche_evase(trend), width="stretch")
st.caption("Anni senza dato nella relazione (2014-2015) restano vuoti: non sono interpolati. "
           f"Tasso 2019: {formatting.percent(trend['tasso_calcolato'].iloc[-1])}.")
