"""Verifica: what the report gets wrong. Every indicator recomputed from its data, the esito compared with the rule,
codes and objectives checked; each finding with its severity, a plain explanation and the source lines. Filters,
export, and a link to the indicator each finding concerns (the indicator's detail links back here)."""
import streamlit as st

from cruscotto.present import formatting
from ui import annotazioni, filters, fonte, page, sections, tables, verifica
from ui.data import query
from ui.export_buttons import View

selection = page.start()
st.markdown("Il cruscotto ricalcola ogni indicatore dai dati della relazione, confronta l'esito dichiarato con la "
            "regola in vigore e controlla codici e obiettivi. Ogni rilievo dice che cosa non torna, con i numeri e "
            "le righe della relazione, così che lo si possa rifare a mano.")
with sections.section():
    verifica.rule_caption(selection.ente, selection.anno)

everything = verifica.findings(selection.ente, selection.anno)
n = verifica.counts(everything)
with sections.section(), page.figures():
    page.figure("⛔ Errori", n["errore"], help="Un numero o un esito della relazione contraddice i suoi dati o la regola.")
    page.figure("⚠️ Avvisi", n["avviso"], help="Un'incoerenza o una lacuna che l'OIV chiederebbe di spiegare.")
    page.figure("ℹ️ Informazioni", n["info"], help="Da sapere, non sbagliato.")

# --- Filters (sidebar, in the URL) -------------------------------------------------------------------------------
gravita = filters.choice("Gravità", list(verifica.GRAVITA), key="gravita", placeholder="Tutte le gravità",
                         help="errore: contraddice i dati o la regola; avviso: da spiegare; info: da sapere.")
controllo = filters.choice("Controllo", list(verifica.CHECKS), key="controllo", placeholder="Tutti i controlli",
                           format_func=lambda c: verifica.CHECKS[c].titolo)
area = selection.area  # the shared «Area strategica» filter of the sidebar
indicatore = filters.choice("Indicatore", sorted(everything["codice_indicatore"].dropna().unique()), key=verifica.INDICATORE,
                            placeholder="Tutti gli indicatori")

shown = verifica.filtered(everything, gravita=gravita, controllo=controllo, area=area, indicatore=indicatore)
nodes = verifica.plan_nodes(selection.ente, selection.anno)  # the plan with its grado: filter, links, grades below
if selection.obiettivo:  # the shared «Obiettivo strategico»: findings on it and on its operational objectives
    shown = shown[shown["codice_obiettivo"].isin(nodes.loc[nodes["codice_strategico"] == selection.obiettivo, "codice"])]
table = verifica.findings_table(shown, selection.ente, selection.anno)
exports = View("Verifica", selection.describe(with_plan=False) | {
    "Gravità": gravita, "Controllo": verifica.CHECKS[controllo].titolo if controllo else None, "Area strategica": area,
    "Indicatore": indicatore, "Regola in vigore": verifica.rule_text(selection.ente, selection.anno)})

# The finding whose detail is shown: chosen below or by clicking a row (one widget per combination of filters, so
# that a position never points at another list).
detail_key = "rilievo_" + "_".join(str(v) for v in (gravita, controllo, area, selection.obiettivo, indicatore))


def _row_chosen():
    rows = st.session_state.get("tabella_rilievi", {}).get("selection", {}).get("rows", [])
    if rows and rows[0] < len(shown):
        st.session_state[detail_key] = rows[0]


with sections.section("Rilievi"):
    filters.active(selection, {"gravita": ("gravità", gravita, None),
                               "controllo": ("controllo", verifica.CHECKS[controllo].titolo if controllo else None, None),
                               verifica.INDICATORE: ("indicatore", indicatore, None)})
    st.caption(f"{formatting.plural(len(table), 'rilievo', 'rilievi')} su {formatting.integer(len(everything))} con i "
               "filtri scelti. Selezionare una riga per il dettaglio (sotto la tabella); il codice nella colonna "
               "«Indicatore» apre il dettaglio dell'indicatore.")
    tables.show(table, "rilievi", key="tabella_rilievi", on_select=_row_chosen, selection_mode="single-row",
                empty="Nessun rilievo con i filtri scelti: togliere qualche filtro nella barra laterale.")
    if not table.empty:
        exports.table(verifica.findings_export(shown), "Rilievi", "rilievi")
if not table.empty:
    with sections.section("Dettaglio del rilievo"):
        rows = list(shown.itertuples())
        if not 0 <= st.session_state.get(detail_key, 0) < len(rows):  # a choice made before the data changed
            st.session_state.pop(detail_key, None)
        chosen = st.selectbox("Rilievo", range(len(rows)), format_func=lambda i: verifica.finding_label(rows[i]),
                              key=detail_key, help="Anche un clic su una riga della tabella lo sceglie.")
        verifica.finding_detail(rows[chosen or 0], selection.ente, selection.anno)

with sections.section("Motivazioni e note dell'OIV"):
    annotazioni.for_report(selection.ente, selection.anno, exports, indicatore)

# The list of checks, the recomputations and the grado per obiettivo are drawn when opened (ui/sections.on_demand):
# with them the page mounted four grids and a code block at every switch (bench/bench_browser.py). Their labels stay
# the same when a filter changes, so that an opened section stays open (Streamlit keys its state on the label too).
if (box := sections.on_demand("Che cosa controlla la verifica", key="controlli", icon=":material/checklist:")).open:
    with box:
        tables.show(verifica.checks_table(), "controlli")

# --- Recomputations and grado ------------------------------------------------------------------------------------
with sections.section("Indicatori ricalcolati"):
    recomputed = query("ricalcoli_verifica", ente=selection.ente, anno=selection.anno, indicatore=indicatore)
    if recomputed.empty:
        st.info("Nessun metodo di calcolo dichiarato (foglio metodi_calcolo) per questi indicatori.")
    elif box := exports.on_demand("Mostra i ricalcoli", "ricalcoli",
                                  recomputed[["codice_indicatore", "oggetto", "lettura", "metodo", "dichiarato_testo",
                                              "valore_ricalcolato", "mancanti", "riga_metodo"]],
                                  "Ricalcoli", "ricalcoli", icon=":material/calculate:"):
        with box:
            fonte.pick(recomputed, lambda r: f"{r.codice_indicatore} · {r.oggetto} ({r.lettura}, r. {int(r.riga_metodo)})",
                       "riga_metodo", selection.ente, selection.anno, key="ricalcolo_citato",
                       label="Dalla relazione: ricalcolo", help="Mostra le righe della relazione da cui viene il calcolo.")

with sections.section("Grado di raggiungimento per obiettivo"):
    exports.on_demand("Mostra il grado di ogni obiettivo", "gradi", verifica.grades_table(nodes, area),
                      "Grado per obiettivo", "gradi")
    st.caption("Un obiettivo senza indicatori valutabili non ha grado («non valutabile»): non conta come zero. "
               f"I traguardi qualitativi valgono {formatting.percent(100, 0)} se raggiunti secondo la regola.")

exports.workbook_button()
