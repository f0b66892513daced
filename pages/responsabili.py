"""Responsabili: the scorecard per responsabile and per centro di responsabilità (objectives in charge, indicators,
achievement): the view a director's evaluation starts from. A name opens its indicators.

The scorecard is a summary of a few names (the responsabili of one chamber and year), the chart's numbers: a plain
table like the Panoramica's areas (ui/tables.plain), every row in view and on paper, read by screen readers at once;
the indicators of one name, often many, stay a grid to sort."""
import streamlit as st

from cruscotto.present import charts, labels, scorecard, text
from ui import banner, filters, grafici, page, sections
from ui.data import query
from ui.export_buttons import View

selection = page.start()

PER = {per: labels.label("nome", per).heading for per in scorecard.GROUPINGS}  # the scorecard's own labels
PER_PLURAL = {"responsabile": "responsabili", "centro": "centri di responsabilità"}


INDICATORI = "indicatori_nome"  # the section on demand with the indicators of the name chosen


def _show_clicked():
    """A click on a bar chooses that name in «Indicatori di un responsabile» (the same choice by keyboard) and opens
    its indicators."""
    if names := grafici.clicked("grafico_responsabili"):
        st.session_state["nome"] = names[0]
        sections.open_on_demand(INDICATORI)


per = st.radio("Raggruppa per", list(PER), index=0, key="per", bind="query-params", format_func=PER.get, horizontal=True)
scope = selection.params("ente", "anno", "area", "obiettivo")
card = query("scheda_responsabili", **scope, per=per)
exports = View("Responsabili", selection.describe() | {"Raggruppa per": PER[per]})
filters.active(selection)
if card.empty:
    st.info("Nessun obiettivo con i filtri scelti: togliere qualche filtro nella barra laterale.")
    st.stop()

# --- Scorecard -----------------------------------------------------------------------------------------------------
with sections.section(f"Scheda per {PER[per].lower()}"):
    st.caption("Gli indicatori sono attribuiti al responsabile dell'obiettivo (o dell'area) a cui appartengono; "
               f"«{scorecard.NOT_STATED}» raccoglie gli obiettivi per cui la relazione non dà un nome.")
    grafici.show(grafici.figure(charts.status_bars, card, card["nome"], ids=card["nome"]),
                 charts.describe_status_bars(card, card["nome"], (PER[per].lower(), PER_PLURAL[per]))
                 + " Fare clic su una barra per vederne gli indicatori qui sotto.",
                 key="grafico_responsabili", on_select=_show_clicked)
    banner.legend()
with sections.section():
    exports.show(card[["nome", "aree", "obiettivi_strategici", "obiettivi_operativi", "indicatori", "misurabili",
                       "raggiunti", "non_raggiunti", "qualitativi", "senza_valore", "quota_raggiunti"]], "Scheda", per,
                 sortable=False)

# --- Indicators of one name --------------------------------------------------------------------------------------
st.subheader("Indicatori di un responsabile")
nome = st.selectbox(PER[per], list(card["nome"]), index=0, key="nome", bind="query-params")
# drawn when opened (or when a bar is clicked): not a second grid to mount at every switch to the page
with sections.section():
    mine = scorecard.indicators_of(query("scheda_indicatori", **scope), per, nome)
    exports.on_demand("Mostra gli indicatori del nome scelto", INDICATORI,
                      mine[["codice", "stato", "descrizione", "valore_atteso", "valore_raggiunto", "esito_dichiarato",
                            "codice_obiettivo"]], f"Indicatori {nome}"[:31],
                      empty=f"{text.md(nome)}: nessun indicatore negli obiettivi assegnati.")

exports.workbook_button()
