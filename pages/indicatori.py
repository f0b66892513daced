"""Indicatori: every indicator in one table, filtered by area, obiettivo strategico (shared filters), tipo,
responsabile, centro di responsabilità, esito and free text; a row chosen in the table (or in «Dettaglio») shows its
detail, its motivazione and notes (with the form to write them) and the chart of its series."""
import streamlit as st

from cruscotto.present import charts, formatting, text
from cruscotto.store import schema
from ui import annotazioni, banner, filters, fonte, grafici, page, sections, verifica
from ui.data import query
from ui.export_buttons import View

selection = page.start()


# --- Page filters (sidebar, in the URL) -------------------------------------------------------------------------
def _scorecard(**page_filters):
    return query("scheda_indicatori", **selection.params("ente", "anno", "area", "obiettivo"), **page_filters)


scope = _scorecard()
tipo = filters.choice("Tipo", schema.TIPI_INDICATORE, key="tipo", placeholder="Tutti i tipi")
responsabile = filters.choice("Responsabile", sorted(scope["responsabile"].dropna().unique()), key="responsabile",
                              placeholder="Tutti i responsabili")
centro = filters.choice("Centro di responsabilità", sorted(scope["centro_responsabilita"].dropna().unique()),
                        key="centro", placeholder="Tutti i centri")
stato = filters.choice("Esito (confronto VR con VA)", list(charts.STATUS_COLOURS), key="esito",
                       placeholder="Tutti gli esiti")
testo = filters.text("Cerca nel testo", key="testo", help="Cerca in descrizione, modalità di calcolo, note e risultato.")

page_filters = {"tipo": tipo, "responsabile": responsabile, "centro": centro, "stato": stato, "testo": testo}
# Without page filters the rows are the scope already: a second query only when a filter is chosen.
indicators = _scorecard(**page_filters) if any(v is not None for v in page_filters.values()) else scope
exports = View("Indicatori", selection.describe() | {"Tipo": tipo, "Responsabile": responsabile,
                                                     "Centro di responsabilità": centro, "Esito": stato, "Testo": testo})

# --- The table ---------------------------------------------------------------------------------------------------
filters.active(selection, {"tipo": ("tipo", tipo, None), "responsabile": ("responsabile", responsabile, None),
                           "centro": ("centro", centro, None), "esito": ("esito", stato, None),
                           "testo": ("testo", testo, "")})
st.caption(f"{formatting.plural(len(indicators), 'indicatore', 'indicatori')} su {formatting.integer(len(scope))} con i filtri scelti. "
           "Selezionare una riga per il dettaglio.")
banner.legend()
# the key columns first: they fit a 1366 px screen (cruscotto/present/labels.py), the others scroll into view
table = indicators[["codice", "stato", "descrizione", "valore_atteso", "valore_raggiunto", "esito_dichiarato",
                    "responsabile", "tipo", "codice_area", "codice_obiettivo", "centro_responsabilita"]]


DETAIL = "dettaglio_indicatore"  # the section on demand with the detail of the indicator chosen


def _open_detail():
    sections.open_on_demand(DETAIL)


def _row_chosen():
    rows = st.session_state.get("tabella_indicatori", {}).get("selection", {}).get("rows", [])
    if rows and rows[0] < len(table):
        st.session_state[verifica.DETTAGLIO] = table["codice"].iloc[rows[0]]
        _open_detail()


if verifica.DETTAGLIO in st.query_params:  # a link to one indicator (Verifica, Aree strategiche, a shared address)
    sections.open_on_demand(DETAIL, unless_chosen=True)


with sections.section():
    exports.show(table, "Indicatori", key="tabella_indicatori", on_select=_row_chosen, selection_mode="single-row",
                 empty="Nessun indicatore con i filtri scelti: togliere qualche filtro nella barra laterale.")
if table.empty:
    exports.workbook_button()
    st.stop()

# --- Detail of one indicator -------------------------------------------------------------------------------------
st.subheader("Dettaglio")
codice = st.selectbox("Indicatore", list(table["codice"]), index=0, key=verifica.DETTAGLIO, bind="query-params",
                      on_change=_open_detail,
                      help="Il codice dell'indicatore; anche un clic su una riga della tabella lo sceglie.")
# Drawn when an indicator is chosen (a row, the list above, a link) or the section is opened: from the menu the page
# draws its table only, not the detail of the first row (half of the page's elements, drawn at every switch).
box = sections.on_demand("Mostra il dettaglio dell'indicatore", key=DETAIL, icon=":material/info:")
if box.open:
    with box:
        with sections.section():
            ind = indicators[indicators["codice"] == codice].iloc[0]
            st.markdown(f"{charts.status_badge(ind['stato'])} · **{text.md(ind['codice'])}** · {text.md(ind['descrizione'])}")
            cols = st.columns(4)
            cols[0].text(f"Tipo: {ind['tipo']}")
            cols[1].text(f"Valore atteso: {formatting.or_dash(ind['valore_atteso'])}")
            cols[2].text(f"Valore raggiunto: {formatting.or_dash(ind['valore_raggiunto'])}")
            cols[3].text(f"Esito dichiarato: {formatting.or_dash(ind['esito_dichiarato'])}")
            for label, column in (("Modalità di calcolo", "modalita_calcolo"), ("Fonte dei dati", "fonte_dati"),
                                  ("Target del triennio", "target_triennale"), ("Risultato", "risultato"), ("Note", "note")):
                if isinstance(ind[column], str) and ind[column].strip():
                    st.text(f"{label}: {ind[column]}")
            st.caption(f"Obiettivo {text.md(ind['codice_obiettivo'])} · area {text.md(ind['codice_area'])} · riga "
                       f"{ind['riga_fonte']} della relazione")
            value_lines = [ind["riga_fonte"]] if formatting.missing(ind["riga_va"]) else [ind["riga_va"], ind["riga_vr"]]
            fonte.quote(selection.ente, selection.anno, value_lines,
                        label="Valore atteso e valore raggiunto come li stampa la relazione (▶ = riga citata):")
        with sections.section():
            verifica.indicator_findings(codice, selection.ente, selection.anno)
        with sections.section():
            annotazioni.for_indicator(codice, selection.ente, selection.anno, exports)
        with sections.section():
            own_figures = query("cifre_chiave_per_nodo", ente=selection.ente, anno=selection.anno, area=ind["codice_area"])
            fonte.key_figures(own_figures[own_figures["codice_indicatore"] == codice].reset_index(drop=True),
                              selection.ente, selection.anno, key="cifra_indicatore")

        with sections.section():
            series = query("valori_serie", ente=selection.ente)
            series = series[series["codice_indicatore"] == codice]
            if series.empty:
                st.caption("Nessuna serie storica collegata a questo indicatore.")
            else:
                for serie, values in charts.first_series(series).groupby("serie", sort=False):
                    grafici.show(grafici.figure(charts.series_line, values, values["titolo"].iloc[0], values["unita"].iloc[0]),
                                 charts.describe_trend(values["titolo"].iloc[0], values["anno"], values["valore"]),
                                 key=f"serie_{serie}")
                if note := charts.series_cap_note(series, "le altre nella tabella qui sotto e nella pagina «Andamenti»"):
                    st.caption(note.strip())
                exports.show(series[["serie", "anno", "valore", "unita", "numeratore", "denominatore"]], "Serie dell'indicatore")

exports.workbook_button()
