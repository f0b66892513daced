"""Andamenti: the historical series of the report, one view at a time (a tab each, only the chosen one is drawn):
pratiche evase entro 5 giorni (rate, evase and totali, index to 2013 with its target, the public references of
other chambers, Toscana and Italia with their sources; the missing 2014-2015 stay a gap), imprese served for
internationalisation (count and % of the previous year with the 70% target), cost containment vs 2011, and every
series in the store (or the one chosen above them), over a chosen range of years.

A table of one series, a row a year, is a plain table: read in the order of the years, nothing to sort, every row in
view, a real table for screen readers as soon as it is seen (a grid writes its copy for them 250-350 ms later:
bench/bench_browser.py). The tables of several series (costs, every series) are grids, to sort and scroll."""
import streamlit as st

from cruscotto.present import charts, formatting, text, trends
from ui import filters, grafici, page, sections
from ui.data import query
from ui.export_buttons import View

selection = page.start()
series = query("valori_serie", ente=selection.ente)
if series.empty:
    st.info(f"Nessuna serie storica per {text.md(selection.ente)}. Le serie si caricano con il foglio «serie_storiche».")
    st.stop()

first, last = int(series["anno"].min()), int(series["anno"].max())
da, a = filters.year_range("Anni da mostrare", first, last, key="anni")
titles = dict(zip(series["serie"], series["titolo"]))
scorecard = query("valori_indicatori", **selection.params("ente", "anno"))
filters.active(selection, {"anni": ("anni", None if (da, a) == (first, last) else f"{da}–{a}", None)},
               shared=(), resets={"anni": (first, last)})
exports = View("Andamenti", selection.describe(with_plan=False) | {"Anni": f"{da}-{a}"})
# One view at a time: a tab runs only when chosen (its name in the URL, `andamento`), so a page switch draws one chart.
pratiche_tab, imprese_tab, costi_tab, serie_tab = st.tabs(
    ["Pratiche evase", "Imprese servite", "Costi", "Tutte le serie"], key="andamento", bind="query-params")


def in_range(frame, column="anno"):
    return frame[(frame[column] >= da) & (frame[column] <= a)]


def trend(name: str, nothing: str):
    """The rows of queries/NAME.sql in the years chosen, or None after saying that there are none."""
    rows = in_range(query(name, ente=selection.ente))
    if rows.empty:
        st.info(f"Nessun dato {nothing} negli anni scelti.")
        return None
    return rows


def target_of(serie_codes, usual: str) -> float:
    return trends.target(series, scorecard, serie_codes, trends.USUAL_TARGETS[usual])


# --- Pratiche evase entro 5 giorni -------------------------------------------------------------------------------
if pratiche_tab.open:
    with pratiche_tab, sections.section("Pratiche del Registro imprese evase entro 5 giorni"):
        if (pratiche := trend("andamento_pratiche_evase", "sulle pratiche evase")) is not None:
            target = target_of(["pratiche_evase_5gg"], "pratiche_evase")
            riferimenti = in_range(query("riferimenti", ente=selection.ente, riferimento="pratiche_evase_5gg"), "anno_valore")
            grafici.show(grafici.figure(charts.pratiche_evase, pratiche, target, riferimenti),
                         charts.describe_trend("Pratiche evase entro 5 giorni", pratiche["anno"], pratiche["tasso_calcolato"], "%"),
                         key="grafico_pratiche")
            last_row = pratiche.iloc[-1]
            st.caption(f"Gli anni senza dato nella relazione restano vuoti: non sono interpolati. Indice: tasso dell'anno / tasso "
                       f"del 2013 × 100 (obiettivo ≥ {formatting.number(target, 0)}). {int(last_row['anno'])}: "
                       f"{formatting.percent(last_row['tasso_calcolato'])} delle pratiche evase entro 5 giorni, indice "
                       f"{formatting.number(last_row['indice_base'])}.")
            exports.show(pratiche[["anno", "evase", "totali", "tasso_dichiarato", "tasso_calcolato", "indice_base",
                                   "indice_dichiarato"]], "Pratiche evase", sortable=False)
            if not riferimenti.empty:
                st.caption("Linee tratteggiate nere: valori di riferimento pubblici (foglio «riferimenti»), ciascuno con la "
                           "sua fonte: " + "; ".join(text.md(f"{charts.reference_label(r)} ({charts.reference_source(r)})")
                                                    for r in riferimenti.itertuples()) + ".")
                # the caption says each reference with its source: their table (to sort, to download) when asked
                exports.on_demand("Mostra i riferimenti in tabella", "riferimenti",
                                  charts.references_table(riferimenti), "Riferimenti pubblici")

# --- Imprese internazionalizzazione ------------------------------------------------------------------------------
if imprese_tab.open:
    with imprese_tab, sections.section("Imprese che usufruiscono dei servizi di supporto all'internazionalizzazione"):
        if (imprese := trend("andamento_imprese_internazionalizzazione", "sulle imprese servite")) is not None:
            target = target_of(["imprese_internazionalizzazione"], "imprese_internazionalizzazione")
            grafici.show(grafici.figure(charts.imprese_internazionalizzazione, imprese, target),
                         charts.describe_trend("Imprese servite in % dell'anno precedente", imprese["anno"],
                                               imprese["percentuale_anno_precedente"], "%", target), key="grafico_imprese")
            st.caption(f"Indicatore: imprese dell'anno / imprese dell'anno precedente × 100, obiettivo ≥ {formatting.percent(target, 0)}.")
            exports.show(imprese[["anno", "imprese", "imprese_anno_precedente", "percentuale_anno_precedente",
                                  "percentuale_dichiarata"]], "Imprese internazionalizzazione", sortable=False)

# --- Cost containment --------------------------------------------------------------------------------------------
if costi_tab.open:
    with costi_tab, sections.section("Contenimento dei costi rispetto al 2011"):
        if (costi := trend("contenimento_costi", "sui costi")) is not None:
            target = target_of(costi["serie"].unique(), "costi")
            grafici.show(grafici.figure(charts.cost_containment, costi, target), charts.describe_costs(costi, target),
                         key="grafico_costi")
            st.caption(f"Indicatore: costi dell'anno / costi del 2011 × 100, obiettivo ≤ {formatting.percent(target, 0)}."
                       + charts.series_cap_note(costi, "tutte nella tabella qui sotto"))
            exports.show(costi[["titolo", "anno", "valore", "valore_base", "percentuale_base", "percentuale_dichiarata"]],
                         "Costi", scope="costi")

# --- Every series --------------------------------------------------------------------------------------------------
if serie_tab.open:
    with serie_tab, sections.section("Tutte le serie"):
        # the choice of one series filters this view only: it sits here, above what it filters, not in the sidebar
        chosen = filters.choice("Serie", list(titles), key="serie", placeholder="Tutte le serie",
                                format_func=lambda s: titles.get(s, s), in_sidebar=False)
        values = query("valori_serie", ente=selection.ente, serie=chosen, anno_da=da, anno_a=a)
        if values.empty:
            st.info("Nessun valore negli anni scelti.")
        else:
            if chosen:
                grafici.show(grafici.figure(charts.series_line, values, titles[chosen], values["unita"].iloc[0], da, a),
                             charts.describe_trend(titles[chosen], values["anno"], values["valore"]), key="grafico_serie")
            else:
                grafici.show(grafici.figure(charts.small_multiples, values), charts.describe_series(values), key="grafico_serie")
                if note := charts.series_cap_note(values, "sceglierne una nel filtro «Serie» qui sopra"):
                    st.caption(note.strip())
            exports.show(values[["titolo", "anno", "valore", "unita", "numeratore", "denominatore", "codice_indicatore",
                                 "anno_relazione"]], "Serie", scope="serie")

exports.workbook_button()
