"""Aree strategiche: one area at a time. Its obiettivi strategici → operativi as a tree (a treemap that drills down
on click, and sections drawn when opened), each indicator with VA, VR, status, modalità di calcolo and the narrative
result, and the key figures of each objective (the area's indicators and all its key figures in tables, on request).

Sections are marked so that other blocks (e.g. the grado di raggiungimento of the area) can be added between them.
"""
import streamlit as st

from cruscotto.present import charts, formatting, text
from ui import banner, filters, fonte, grafici, page, sections, verifica
from ui.data import query
from ui.export_buttons import View

selection = page.start()
aree = page.areas(selection)
period = selection.params("ente", "anno")

# --- Which area ------------------------------------------------------------------------------------------------
codice_area = selection.area
if codice_area is None:
    codice_area = aree["codice_area"].iloc[0]
    st.info(f"Nessuna area scelta: è mostrata la prima ({text.md(codice_area)}). Sceglierne un'altra nel filtro «Area "
            "strategica» della barra laterale o dalla Panoramica.")
area = aree[aree["codice_area"] == codice_area].iloc[0]
nodes = query("nodi_piano", **period, area=codice_area)
indicators = query("scheda_indicatori", **period, area=codice_area, obiettivo=selection.obiettivo)
key_figures = query("cifre_chiave_per_nodo", **period, area=codice_area, obiettivo=selection.obiettivo)
exports = View(f"Area {codice_area}", selection.describe())
filters.active(selection, shared=(filters.OBIETTIVO,))  # the area is the page's subject, not a filter

st.header(text.md(formatting.named(area["nome"], codice_area)))
with sections.section():
    area_node = nodes[nodes["livello"] == "area"].iloc[0]
    st.text(f"{area['denominazione']} · missione {area['missione']}"
            + (f" · {area_node['titolo']}" if isinstance(area_node["titolo"], str)
               and area_node["titolo"] != area["denominazione"] else "")
            + (f" · responsabile: {area_node['responsabile']}" if isinstance(area_node["responsabile"], str) else ""))

# --- Headline figures of the area --------------------------------------------------------------------------------
with sections.section(), page.figures():
    page.figure("Obiettivi strategici", formatting.integer(area["obiettivi_strategici"]))
    page.figure("Obiettivi operativi", formatting.integer(area["obiettivi_operativi"]))
    page.figure("Indicatori", formatting.integer(area["indicatori"]),
                help=f"{formatting.integer(area['misurabili'])} misurabili, {formatting.integer(area['qualitativi'])} "
                     f"qualitativi, {formatting.integer(area['senza_valore'])} senza valore.")
    page.figure("Misurabili raggiunti", formatting.percent(area["quota_raggiunti"]) if area["misurabili"] else "n.d.",
                help=f"{formatting.integer(area['raggiunti'])} su {formatting.integer(area['misurabili'])}.")
with sections.section():
    verifica.area_grade(selection, codice_area)  # grado di raggiungimento of the area (ui/verifica.py)

# --- The tree of objectives --------------------------------------------------------------------------------------
tree_nodes = nodes
if selection.obiettivo:
    tree_nodes = nodes[(nodes["livello"] == "area") | (nodes["codice_strategico"] == selection.obiettivo)]
with sections.section("Albero degli obiettivi"):
    st.caption("Dal centro: area, obiettivi strategici, operativi e, nell'anello esterno, gli indicatori nel colore del loro stato. "
               "Fare clic su un settore per entrarci, sul centro per risalire.")
    if indicators.empty:
        st.info("Nessun indicatore in quest'area con i filtri scelti.")
    else:
        grafici.show(grafici.figure(charts.objective_tree, tree_nodes, indicators), charts.describe_tree(tree_nodes, indicators)
                     + " Ogni obiettivo e i suoi indicatori sono elencati sotto, con il collegamento al dettaglio.")
    banner.legend()


def _objective(strategico) -> None:
    """One obiettivo strategico in its expander: its operativi, their indicators and key figures."""
    if isinstance(strategico.titolo, str) and len(strategico.titolo) > 80:  # the expander's label shortened it
        st.text(strategico.titolo)
    if isinstance(strategico.responsabile, str):
        st.caption(f"Responsabile: {text.md(strategico.responsabile)}")
    branch = [strategico] + list(tree_nodes[(tree_nodes["livello"] == "operativo")
                                            & (tree_nodes["codice_strategico"] == strategico.codice)].itertuples())
    for node in branch:
        own = indicators[indicators["codice_obiettivo"] == node.codice]
        if node.livello == "operativo":
            name = node.titolo if isinstance(node.titolo, str) and node.titolo else node.etichetta
            st.markdown(f"**{text.md(name)}** ({text.md(node.codice)})")
            if isinstance(node.responsabile, str):
                st.caption(f"Responsabile: {text.md(node.responsabile)} · centro di responsabilità: "
                           f"{text.md(node.centro_responsabilita)}")
        if own.empty and node.livello == "operativo":
            st.caption("Nessun indicatore riportato per questo obiettivo.")
        for ind in own.itertuples():
            st.markdown(f"{charts.status_badge(ind.stato)} · **{text.md(ind.codice)}** · {text.md(ind.descrizione)}")
            cols = st.columns(3)
            cols[0].text(f"Valore atteso: {formatting.or_dash(ind.valore_atteso)}")
            cols[1].text(f"Valore raggiunto: {formatting.or_dash(ind.valore_raggiunto)}")
            cols[2].text(f"Esito dichiarato: {formatting.or_dash(ind.esito_dichiarato)}")
            if isinstance(ind.modalita_calcolo, str):
                st.text(f"Modalità di calcolo: {ind.modalita_calcolo}")
            if isinstance(ind.risultato, str):
                st.text(f"Risultato: {ind.risultato}")
            st.page_link("pages/indicatori.py", label=f"Dettaglio di {text.md(ind.codice)} nella pagina Indicatori",
                         icon=":material/arrow_forward:", query_params=selection.link(dettaglio=ind.codice))
        if isinstance(node.risultato, str):
            st.text(f"Relazione sull'obiettivo: {node.risultato}")
        node_figures = key_figures[key_figures["codice_obiettivo"] == node.codice]
        if not node_figures.empty:
            st.text("Cifre chiave: " + " · ".join(f"{f.voce}: {formatting.smart(f.valore, f.unita)}"
                                                   for f in node_figures.itertuples()))


strategici = tree_nodes[tree_nodes["livello"] == "strategico"]
for strategico in strategici.itertuples():
    readable = strategico.titolo if isinstance(strategico.titolo, str) and strategico.titolo else strategico.etichetta
    # drawn when opened: an area's objectives, indicators and links are 250 elements, the page's slowest part to draw
    box = sections.on_demand(text.md(formatting.named(readable, strategico.codice)), key=f"obiettivo_{strategico.codice}",
                             expanded=len(strategici) == 1)
    if box.open:
        with box, sections.section():
            _objective(strategico)

# --- Indicators of the area, on demand: each objective above lists its own; the table is to sort and download ------
with sections.section("Indicatori dell'area"):
    if indicators.empty:
        st.info("Nessun indicatore in quest'area con i filtri scelti.")
    else:  # a label that stays the same when a filter changes: Streamlit keys an expander's state on its label too
        exports.on_demand("Mostra la tabella degli indicatori dell'area", "indicatori_area",
                          indicators[["codice", "stato", "descrizione", "valore_atteso", "valore_raggiunto",
                                      "esito_dichiarato", "responsabile", "codice_obiettivo", "tipo", "modalita_calcolo"]],
                          "Indicatori")

# --- Key figures, on demand (each objective shows its own when opened): a grid and the report's lines -------------
with sections.section("Cifre chiave"):
    if key_figures.empty:
        st.info("La relazione non riporta cifre chiave per quest'area con i filtri scelti.")
    elif box := exports.on_demand(f"Mostra le cifre chiave ({formatting.plural(len(key_figures), 'cifra', 'cifre')})",
                                  "cifre_area", key_figures[["codice_obiettivo", "codice_indicatore", "voce", "valore",
                                                             "unita", "riga_fonte"]], "Cifre chiave"):
        with box:
            fonte.key_figures(key_figures.reset_index(drop=True), selection.ente, selection.anno, key="cifra_area")

exports.workbook_button()
