"""Panoramica: how the plan went, at a glance: headline figures, achievement per area strategica (a click opens
the area), the indicators to look at, the key trends (drawn when asked).

Sections are marked so that other blocks (e.g. the grado di raggiungimento per area) can be added between them.
"""
import streamlit as st

from cruscotto.present import charts, formatting, scorecard, text
from ui import banner, filters, grafici, page, sections, verifica
from ui.pages_spec import path
from ui.data import query
from ui.export_buttons import View

selection = page.start()
summary = page.areas(selection)
params = selection.params("ente", "anno")
exports = View("Panoramica", selection.describe(with_plan=False))

# --- Headline figures ------------------------------------------------------------------------------------------
with sections.section():
    totals = scorecard.headline(summary)
    quota = totals.quota_raggiunti
    weak = query("punti_deboli", **params)
    with page.figures():
        page.figure("Obiettivi", formatting.integer(totals.obiettivi),
                    help=f"{formatting.integer(totals.obiettivi_strategici)} strategici e "
                         f"{formatting.integer(totals.obiettivi_operativi)} operativi.")
        page.figure("Indicatori", formatting.integer(totals.indicatori),
                    help=f"{formatting.integer(totals.misurabili)} misurabili (valore atteso e raggiunto numerici), "
                         f"{formatting.integer(totals.qualitativi)} qualitativi, "
                         f"{formatting.integer(totals.senza_valore)} senza valore.")
        page.figure("Misurabili raggiunti", formatting.percent(quota) if quota is not None else "n.d.",
                    help=f"{formatting.integer(totals.raggiunti)} su {formatting.integer(totals.misurabili)}: il valore "
                         "raggiunto confrontato con il valore atteso secondo il suo operatore (≥, ≤, =).")
        page.figure("Indicatori da guardare", formatting.integer(len(weak)),
                    help="Non raggiunti, senza valore raggiunto o atteso, o senza esito dichiarato: elenco più sotto.")
        verifica.headline_metric(selection)  # findings of the Verifica (ui/verifica.py)
    st.markdown(
        f"**In sintesi.** Nel {selection.anno} {formatting.integer(totals.raggiunti)} indicatori misurabili su "
        f"{formatting.integer(totals.misurabili)} hanno raggiunto il valore atteso"
        f"{'' if quota is None else f' ({formatting.percent(quota)})'}; "
        f"{formatting.integer(totals.non_raggiunti)} non l'hanno raggiunto, "
        f"{formatting.integer(totals.qualitativi)} sono traguardi qualitativi e "
        f"{formatting.integer(totals.senza_valore)} non hanno un valore.")


# --- Achievement per area strategica -----------------------------------------------------------------------------
def _open_clicked_area():
    """A click on a bar opens that area (the bar's customdata is the area code)."""
    if codes := grafici.clicked("grafico_aree"):
        filters.go_to_area(codes[0])


area_names = [formatting.named(n, c) for n, c in zip(summary["nome"], summary["codice_area"])]
with sections.section("Indicatori per area strategica"):
    st.caption("Fare clic su una barra, o sul nome dell'area nell'elenco «Apri un'area», per aprirne la pagina.")
    # its numbers are the table right under it («Aree strategiche»): no «Dati del grafico» of its own to draw
    grafici.show(grafici.figure(charts.area_achievement, summary), charts.describe_status_bars(summary, area_names),
                 key="grafico_aree", on_select=_open_clicked_area)
    banner.legend()
# The two tables of the home page are small read-only summaries, drawn as plain tables (ui/tables.plain): the first
# page of a session then mounts no grid and does not wait for the grid's code (bench/bench_browser.py).
with sections.section():
    exports.show(summary[["codice_area", "denominazione", "obiettivi_strategici", "obiettivi_operativi", "indicatori",
                          "misurabili", "raggiunti", "non_raggiunti", "qualitativi", "senza_valore", "quota_raggiunti"]],
                 "Aree strategiche", sortable=False)
with sections.section("Apri un'area"):
    for name, row in zip(area_names, summary.itertuples()):  # what a click on a bar does, by keyboard too
        st.page_link(path("aree_strategiche"), label=text.md(formatting.named(row.nome, row.codice_area, width=34)),
                     icon=":material/arrow_forward:", help=text.md(name),
                     query_params=selection.link(area=row.codice_area))

# --- Grado di raggiungimento per area (Verifica: rule in force shown under it) ---------------------------------
with sections.section():
    verifica.area_grades(selection)

# --- Indicators to look at -------------------------------------------------------------------------------------
with sections.section("Da guardare"):
    weak = query("punti_deboli", **params)
    exports.show(weak[["codice", "stato", "motivo", "descrizione", "valore_atteso", "valore_raggiunto", "codice_area"]],
                 "Da guardare", empty="Nessun indicatore da segnalare: tutti hanno valori ed esito conseguito.",
                 sortable=False)

# --- Key trends, on demand: a dozen small charts are the page's heaviest drawing --------------------------------
with sections.section("Andamenti principali"):
    series = query("valori_serie", ente=selection.ente)
    count = formatting.plural(len(charts.series_codes(series)), "serie storica", "serie storiche")
    if series.empty:
        st.info("Nessuna serie storica per questo ente.")
    elif (box := sections.on_demand(f"Mostra i grafici ({count})", key="andamenti_principali",
                                    icon=":material/show_chart:")).open:
        with box:
            grafici.show(grafici.figure(charts.small_multiples, series), charts.describe_series(series),
                         charts.series_table(charts.first_series(series)))
            st.caption("Gli anni che la relazione non riporta restano vuoti: non sono interpolati. Dettagli nella pagina "
                       "«Andamenti»." + charts.series_cap_note(series, "tutte nella pagina «Andamenti»"))

exports.workbook_button()
