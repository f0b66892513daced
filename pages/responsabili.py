"""Responsabili: the scorecard per responsabile and per centro di responsabilità (objectives in charge, indicators,
achievement): the view a director's evaluation starts from. A name opens its indicators."""
import streamlit as st

from cruscotto.present import charts, text
from ui import banner, filters, grafici, sections, tables
from ui.data import query
from ui.export_buttons import View

selection = filters.current()

st.title("Responsabili")
if not banner.show(selection):
    st.stop()

PER = {"responsabile": "Responsabile", "centro": "Centro di responsabilità"}
PER_PLURAL = {"responsabile": "responsabili", "centro": "centri di responsabilità"}


def _show_clicked():
    """A click on a bar chooses that name in «Indicatori di un responsabile» (the same choice by keyboard)."""
    if names := grafici.clicked("grafico_responsabili"):
        st.session_state["nome"] = names[0]
per = st.radio("Raggruppa per", list(PER), index=0, key="per", bind="query-params", format_func=PER.get, horizontal=True)
scope = selection.params("ente", "anno", "area", "obiettivo")
scorecard = query("responsabili_scorecard", **scope, per=per)
exports = View("Responsabili", selection.describe() | {"Raggruppa per": PER[per]})
filters.active(selection)
if scorecard.empty:
    st.info("Nessun obiettivo con i filtri scelti: togliere qualche filtro nella barra laterale.")
    st.stop()

# --- Scorecard -----------------------------------------------------------------------------------------------------
with sections.section(f"Scheda per {PER[per].lower()}"):
    st.caption("Gli indicatori sono attribuiti al responsabile dell'obiettivo (o dell'area) a cui appartengono; "
               "«(non indicato)» raccoglie gli obiettivi per cui la relazione non dà un nome.")
    grafici.show(charts.status_bars(scorecard, scorecard["nome"], ids=scorecard["nome"]),
                 charts.describe_status_bars(scorecard, scorecard["nome"], (PER[per].lower(), PER_PLURAL[per]))
                 + " Fare clic su una barra per vederne gli indicatori qui sotto.",
                 key="grafico_responsabili", on_select=_show_clicked)
    banner.legend()
with sections.section():
    table = scorecard[["nome", "aree", "obiettivi_strategici", "obiettivi_operativi", "indicatori", "misurabili",
                       "raggiunti", "non_raggiunti", "qualitativi", "senza_valore", "quota_raggiunti"]].rename(
        columns={"nome": PER[per], "aree": "Aree", "obiettivi_strategici": "Ob. strategici",
                 "obiettivi_operativi": "Ob. operativi", "indicatori": "Indicatori", "misurabili": "Misurabili",
                 "raggiunti": "Raggiunti", "non_raggiunti": "Non raggiunti", "qualitativi": "Qualitativi",
                 "senza_valore": "Senza valore", "quota_raggiunti": "% raggiunti"})
    kinds = {"% raggiunti": "percent"}
    tables.show(table, kinds)
    exports.table(table, "Scheda", kinds)

# --- Indicators of one name --------------------------------------------------------------------------------------
st.subheader("Indicatori di un responsabile")
nome = st.selectbox(PER[per], list(scorecard["nome"]), index=0, key="nome", bind="query-params")
with sections.section():
    indicators = query("indicator_scorecard", **scope)
    column = "responsabile" if per == "responsabile" else "centro_responsabilita"
    mine = indicators[indicators[column].fillna("(non indicato)") == nome]
    detail = mine[["codice_obiettivo", "codice", "stato", "descrizione", "valore_atteso", "valore_raggiunto",
                   "esito_dichiarato"]].rename(
        columns={"codice_obiettivo": "Obiettivo", "codice": "Indicatore", "descrizione": "Descrizione",
                 "valore_atteso": "Valore atteso", "valore_raggiunto": "Valore raggiunto", "stato": "Stato",
                 "esito_dichiarato": "Esito dichiarato"})
    tables.show(detail, empty=f"{text.md(nome)}: nessun indicatore negli obiettivi assegnati.")
    if not detail.empty:
        exports.table(detail, f"Indicatori {nome}"[:31])

exports.workbook_button()
