"""Andamenti: the historical series of the report. Pratiche evase entro 5 giorni (rate, evase and totali, index to
2013 with its target; the missing 2014-2015 stay a gap), imprese served for internationalisation (count and % of
the previous year with the 70% target), cost containment vs 2011, and every other series in the store, over a
chosen range of years."""
import streamlit as st

from cruscotto.present import charts, formatting, text
from ui import banner, filters, grafici, sections, tables
from ui.data import query
from ui.export_buttons import View

selection = filters.current()

st.title("Andamenti")
if not banner.show(selection):
    st.stop()
series = query("series_values", ente=selection.ente)
if series.empty:
    st.info(f"Nessuna serie storica per {text.md(selection.ente)}. Le serie si caricano con il foglio «serie_storiche».")
    st.stop()

first, last = int(series["anno"].min()), int(series["anno"].max())
da, a = filters.year_range("Anni da mostrare", first, last, key="anni")
filters.active(selection, {"anni": ("anni", None if (da, a) == (first, last) else f"{da}–{a}", None)},
               shared=(), resets={"anni": (first, last)})
targets = query("indicator_scorecard", **selection.params("ente", "anno")).set_index("codice")["va_numero"]
exports = View("Andamenti", selection.describe(with_plan=False) | {"Anni": f"{da}-{a}"})


def in_range(frame, column="anno"):
    return frame[(frame[column] >= da) & (frame[column] <= a)]


def target_of(serie_codes, default):
    """The valore atteso of the indicator a series measures (as the report gives it), else the report's usual one."""
    codes = series.loc[series["serie"].isin(list(serie_codes)), "codice_indicatore"].dropna().unique()
    found = [targets.get(code) for code in codes if targets.get(code) == targets.get(code) and targets.get(code) is not None]
    return float(found[0]) if found else default


# --- Pratiche evase entro 5 giorni -------------------------------------------------------------------------------
with sections.section("Pratiche del Registro imprese evase entro 5 giorni"):
    pratiche = in_range(query("trend_pratiche_evase", ente=selection.ente))
    if pratiche.empty:
        st.info("Nessun dato sulle pratiche evase negli anni scelti.")
    else:
        target = target_of(["pratiche_evase_5gg"], 100.0)
        grafici.show(charts.pratiche_evase(pratiche, target),
                     charts.describe_trend("Pratiche evase entro 5 giorni", pratiche["anno"], pratiche["tasso_calcolato"], "%"),
                     key="grafico_pratiche")
        last_row = pratiche.iloc[-1]
        st.caption(f"Gli anni senza dato nella relazione restano vuoti: non sono interpolati. Indice: tasso dell'anno / tasso "
                   f"del 2013 × 100 (obiettivo ≥ {formatting.number(target, 0)}). {int(last_row['anno'])}: "
                   f"{formatting.percent(last_row['tasso_calcolato'])} delle pratiche evase entro 5 giorni, indice "
                   f"{formatting.number(last_row['indice_base'])}.")
        pratiche_table = pratiche[["anno", "evase", "totali", "tasso_dichiarato", "tasso_calcolato", "indice_base",
                                   "indice_dichiarato"]].rename(
            columns={"anno": "Anno", "evase": "Evase entro 5 giorni", "totali": "Pratiche totali",
                     "tasso_dichiarato": "% dichiarata", "tasso_calcolato": "% ricalcolata",
                     "indice_base": "Indice (2013 = 100)", "indice_dichiarato": "Indice dichiarato"})
        pratiche_kinds = {"Anno": "text", "Evase entro 5 giorni": "integer", "Pratiche totali": "integer",
                          "% dichiarata": "percent", "% ricalcolata": "percent", "Indice (2013 = 100)": "number",
                          "Indice dichiarato": "number"}
        tables.show(pratiche_table, pratiche_kinds)
        exports.table(pratiche_table, "Pratiche evase", pratiche_kinds)

# --- Imprese internazionalizzazione ------------------------------------------------------------------------------
with sections.section("Imprese che usufruiscono dei servizi di supporto all'internazionalizzazione"):
    imprese = in_range(query("trend_imprese_internazionalizzazione", ente=selection.ente))
    if imprese.empty:
        st.info("Nessun dato sulle imprese servite negli anni scelti.")
    else:
        target = target_of(["imprese_internazionalizzazione"], 70.0)
        grafici.show(charts.imprese_internazionalizzazione(imprese, target),
                     charts.describe_trend("Imprese servite in % dell'anno precedente", imprese["anno"],
                                           imprese["percentuale_anno_precedente"], "%", target), key="grafico_imprese")
        st.caption(f"Indicatore: imprese dell'anno / imprese dell'anno precedente × 100, obiettivo ≥ {formatting.percent(target, 0)}.")
        imprese_table = imprese[["anno", "imprese", "imprese_anno_precedente", "percentuale_anno_precedente",
                                 "percentuale_dichiarata"]].rename(
            columns={"anno": "Anno", "imprese": "Imprese", "imprese_anno_precedente": "Imprese anno precedente",
                     "percentuale_anno_precedente": "% sull'anno precedente", "percentuale_dichiarata": "% dichiarata"})
        imprese_kinds = {"Anno": "text", "Imprese": "integer", "Imprese anno precedente": "integer",
                         "% sull'anno precedente": "percent", "% dichiarata": "percent"}
        tables.show(imprese_table, imprese_kinds)
        exports.table(imprese_table, "Imprese internazionalizzazione", imprese_kinds)

# --- Cost containment --------------------------------------------------------------------------------------------
with sections.section("Contenimento dei costi rispetto al 2011"):
    costi = in_range(query("cost_containment", ente=selection.ente))
    if costi.empty:
        st.info("Nessun dato sui costi negli anni scelti.")
    else:
        target = target_of(costi["serie"].unique(), 100.0)
        grafici.show(charts.cost_containment(costi, target), charts.describe_costs(costi, target), key="grafico_costi")
        st.caption(f"Indicatore: costi dell'anno / costi del 2011 × 100, obiettivo ≤ {formatting.percent(target, 0)}."
                   + charts.series_cap_note(costi, "tutte nella tabella qui sotto"))
        costi_table = costi[["titolo", "anno", "valore", "valore_base", "percentuale_base", "percentuale_dichiarata"]].rename(
            columns={"titolo": "Voce di costo", "anno": "Anno", "valore": "Costo", "valore_base": "Costo 2011",
                     "percentuale_base": "% del 2011", "percentuale_dichiarata": "% dichiarata"})
        costi_kinds = {"Anno": "text", "Costo": "euro", "Costo 2011": "euro", "% del 2011": "percent", "% dichiarata": "percent"}
        tables.show(costi_table, costi_kinds)
        exports.table(costi_table, "Costi", costi_kinds)

# --- Every series --------------------------------------------------------------------------------------------------
with sections.section("Tutte le serie"):
    titles = dict(zip(series["serie"], series["titolo"]))
    chosen = filters.choice("Serie", list(titles), key="serie", placeholder="Tutte le serie", format_func=lambda s: titles.get(s, s))
    values = query("series_values", ente=selection.ente, serie=chosen, anno_da=da, anno_a=a)
    if values.empty:
        st.info("Nessun valore negli anni scelti.")
    else:
        if chosen:
            grafici.show(charts.series_line(values, titles[chosen], values["unita"].iloc[0], da, a),
                         charts.describe_trend(titles[chosen], values["anno"], values["valore"]), key="grafico_serie")
        else:
            grafici.show(charts.small_multiples(values), charts.describe_series(values), key="grafico_serie")
            if note := charts.series_cap_note(values, "sceglierne una nel filtro «Serie» della barra laterale"):
                st.caption(note.strip())
        values_table = values[["titolo", "anno", "valore", "unita", "numeratore", "denominatore", "codice_indicatore",
                               "anno_relazione"]].rename(
            columns={"titolo": "Serie", "anno": "Anno", "valore": "Valore", "unita": "Unità", "numeratore": "Numeratore",
                     "denominatore": "Denominatore", "codice_indicatore": "Indicatore", "anno_relazione": "Relazione"})
        values_kinds = {"Anno": "text", "Relazione": "text", "Valore": "auto", "Numeratore": "auto", "Denominatore": "auto"}
        tables.show(values_table, values_kinds)
        exports.table(values_table, "Serie", values_kinds)

exports.workbook_button()
