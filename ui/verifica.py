"""The Verifica as the pages see it: findings (cached on the data version), the rule in force, the grado per area,
and small self-contained pieces other pages call (headline count, area grades, an indicator's findings).

Everything is computed in cruscotto/ (cruscotto/verifica, queries/*.sql); this file only caches and draws.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from cruscotto import store, verifica
from cruscotto.present import formatting, text, verifica_charts
from cruscotto.verifica import CHECKS, GRAVITA  # noqa: F401  (re-exported for pages/verifica.py)
from ui import filters, fonte, grafici, page, sections
from ui.data import data_version, query, reading_connection

GRAVITA_BADGES = {verifica.ERRORE: "⛔ errore", verifica.AVVISO: "⚠️ avviso", verifica.INFO: "ℹ️ info"}
INDICATORI_PAGE, VERIFICA_PAGE = "indicatori", "verifica"  # url_path of the two pages (app.py)
# Query parameters: the indicator whose detail the Indicatori page shows, and the Verifica's filter by indicator.
# Two names, so that the detail chosen on one page never narrows the other (each page's filters are its own).
DETTAGLIO, INDICATORE = "dettaglio", "indicatore"


@st.cache_data(show_spinner=False, max_entries=64)
def _findings(version: int, path: str, ente, anno) -> pd.DataFrame:
    return verifica.findings_frame(verifica.findings(reading_connection(), ente, anno))


def findings(ente: str | None = None, anno: int | None = None) -> pd.DataFrame:
    """Every finding for the chamber and year (None = all), errors first; cached until the data change."""
    return _findings(data_version(), str(store.db_path()), ente, None if anno is None else int(anno)).copy()


def filtered(frame: pd.DataFrame, *, gravita=None, controllo=None, area=None, indicatore=None) -> pd.DataFrame:
    """The findings that match every filter chosen (None = any)."""
    for column, value in (("gravita", gravita), ("controllo", controllo), ("codice_area", area),
                          ("codice_indicatore", indicatore)):
        if value:
            frame = frame[frame[column] == value]
    return frame


_TABLE = ["gravita", "oggetto", "titolo", "spiegazione", "righe_fonte", "valore_dichiarato", "valore_ricalcolato",
          "codice_area"]


def findings_table(shown: pd.DataFrame, ente: str | None, anno: int | None) -> pd.DataFrame:
    """The findings as the grid shows them (labels scope «rilievi»): the severity with its badge, and a link to the
    indicator each one concerns."""
    links = [indicator_link(c, ente, anno) if isinstance(c, str) else None for c in shown["codice_indicatore"]]
    return shown[_TABLE].assign(gravita=shown["gravita"].map(GRAVITA_BADGES), scheda_indicatore=links)


def findings_export(shown: pd.DataFrame) -> pd.DataFrame:
    """The findings as exported: what the grid shows, and in full what the detail shows (nothing only in a cut cell)."""
    return shown[_TABLE + ["controllo", "codice_indicatore", "calcolo", "regola", "citazione"]].assign(
        gravita=shown["gravita"].map(GRAVITA_BADGES))


def checks_table() -> pd.DataFrame:
    """Every check the Verifica runs (labels scope «controlli»)."""
    return pd.DataFrame([{"titolo": c.titolo, "verifica": c.verifica, "gravita": c.gravita}
                         for c in CHECKS.values()])


def plan_nodes(ente: str | None, anno: int | None) -> pd.DataFrame:
    """Every node of the plan with its place in it and its grado (queries/grado_obiettivi.sql): one query for the
    Verifica's grades, the links of its findings and its objective filter."""
    return query("grado_obiettivi", ente=ente, anno=anno)


def grades_table(nodes: pd.DataFrame, area: str | None = None) -> pd.DataFrame:
    """The grado per objective (rows of `plan_nodes`; of one area, or all) with the band's badge (labels scope
    «gradi»)."""
    if area:
        nodes = nodes[nodes["codice_area"] == area]
    return nodes[["livello", "codice", "titolo", "grado", "fascia", "indicatori_valutati", "indicatori_totali"]].assign(
        fascia=nodes["fascia"].map(verifica_charts.fascia_badge))


def counts(frame: pd.DataFrame) -> dict[str, int]:
    """How many of the findings `frame` (rows of `findings()`) have each severity."""
    return {g: int((frame["gravita"] == g).sum()) for g in verifica.GRAVITA}


def counted(ente: str | None, anno: int | None) -> dict[str, int]:
    """How many findings the chamber's report has per severity, without reading the findings (for other pages)."""
    found = query("conteggi_rilievi", ente=ente, anno=anno).set_index("gravita")["rilievi"]
    return {g: int(found.get(g, 0)) for g in verifica.GRAVITA}


def rules(ente: str | None, anno: int | None) -> dict[str, tuple[str, str]]:
    """{regola: (valore in vigore, fonte)} for one chamber and year."""
    frame = query("regole_valori", ente=ente, anno=anno)
    return {r.regola: (r.valore, r.fonte) for r in frame.itertuples()}


def rule_text(ente: str | None, anno: int | None) -> str:
    """The rule in force in one sentence, e.g. «tetto 100% · raggiunto ≥ 90%, parzialmente 70–90%, non raggiunto
    < 70% · media semplice · aggregazione gerarchica (valori predefiniti)»."""
    return verifica.describe_rules(rules(ente, anno))


def rule_caption(ente: str | None, anno: int | None) -> None:
    st.caption(f"Regola in vigore per il grado di raggiungimento: {text.md(rule_text(ente, anno))}. "
               "Si cambia col foglio «regole» del file caricato: lo spiega il foglio «istruzioni» del modello (pagina "
               "«Carica dati»).")


def indicator_link(codice: str, ente: str | None = None, anno: int | None = None) -> str:
    params = {k: v for k, v in (("ente", ente), ("anno", anno), (DETTAGLIO, codice)) if v is not None}
    return f"{INDICATORI_PAGE}?{urlencode(params)}"


def verifica_link(codice: str, ente: str | None = None, anno: int | None = None) -> str:
    params = {k: v for k, v in (("ente", ente), ("anno", anno), (INDICATORE, codice)) if v is not None}
    return f"{VERIFICA_PAGE}?{urlencode(params)}"


# ------------------------------------------------------------------ pieces for other pages

def headline_metric(selection) -> None:
    """One figure «Rilievi della verifica» (errors, then warnings) among a page's headline figures (ui.page.figures)."""
    n = counted(selection.ente, selection.anno)
    page.figure("Rilievi della verifica", verifica.riepilogo(n, (verifica.ERRORE, verifica.AVVISO), " · "),
                help=f"Dalla pagina Verifica: {verifica.riepilogo(n, (verifica.ERRORE, verifica.AVVISO))} e "
                     f"{verifica.quanti(n[verifica.INFO], verifica.INFO)} su ciò che la relazione dichiara "
                     "rispetto ai suoi dati.")


def area_grades(selection, area: str | None = None) -> None:
    """The grado di raggiungimento per area (all areas, or one) with the rule in force: the grades in a line of text,
    the chart in a section on demand (a click on a bar opens the area)."""
    # the rows of the page's summary per area (riepilogo_aree carries the grado, as grado_aree gives it): no query
    frame = query("riepilogo_aree", ente=selection.ente, anno=selection.anno)
    if area:
        frame = frame[frame["codice_area"] == area]
    st.subheader("Grado di raggiungimento per area" if not area else "Grado di raggiungimento dell'area")
    if frame.empty:
        st.info("Nessuna area da valutare con i filtri scelti.")
        return
    r = rules(selection.ente, selection.anno)
    soglie = [float(r[k][0]) if k in r else None for k in ("soglia_raggiunto", "soglia_parziale")]
    key = f"grado_aree_{area or 'tutte'}"

    def open_clicked_area():  # a click on a bar opens the area; the links under the chart do it by keyboard
        if codes := grafici.clicked(key):
            filters.go_to_area(codes[0])

    # the figures in words first (no table, so that the page's own tables keep their place); the chart, whose layout
    # costs the browser about a fifth of the Panoramica's switch (bench/bench_browser.py, 03/12), only when asked
    st.caption(" · ".join(
        f"{text.md(r.codice_area)}: {formatting.percent(r.grado) if pd.notna(r.grado) else 'non valutabile'} "
        f"({verifica_charts.fascia_badge(r.fascia)}, "
        f"{formatting.plural(r.indicatori_valutati, 'indicatore valutabile', 'indicatori valutabili')} su "
        f"{formatting.integer(r.indicatori_totali)})" for r in frame.itertuples()))
    if (box := sections.on_demand("Mostra il grafico del grado", key=key, icon=":material/bar_chart:")).open:
        with box:
            data = pd.DataFrame({"Area": [formatting.named(n, c) for n, c in zip(frame["nome"], frame["codice_area"])],
                                 "Grado di raggiungimento": frame["grado"].to_numpy(),
                                 "Fascia": [verifica_charts.fascia_badge(f) for f in frame["fascia"]],
                                 "Indicatori valutabili": frame["indicatori_valutati"].to_numpy(),
                                 "Indicatori": frame["indicatori_totali"].to_numpy()})
            grafici.show(grafici.figure(verifica_charts.grado_per_area, frame, *soglie),
                         verifica_charts.describe_grado(frame) + " Fare clic su una barra per aprire l'area.", data,
                         key=key, on_select=open_clicked_area, kinds={"Grado di raggiungimento": "percent"})
    rule_caption(selection.ente, selection.anno)


def area_grade(selection, codice_area: str) -> None:
    """The grado di raggiungimento of one area as a figure, with its strategic objectives and the rule in force in
    a caption (no table: the page's own tables keep their place)."""
    # the same rows as the page's tree (nodi_piano carries the grado): no query of its own
    frame = query("nodi_piano", ente=selection.ente, anno=selection.anno, area=codice_area)
    area = frame[frame["livello"] == "area"]
    if area.empty:
        return
    row = area.iloc[0]
    grado = formatting.percent(row["grado"]) if pd.notna(row["grado"]) else "non valutabile"
    with page.figures():
        page.figure("Grado di raggiungimento dell'area", grado,
                    help=f"{verifica_charts.fascia_badge(row['fascia'])}: su "
                         f"{formatting.plural(row['indicatori_valutati'], 'indicatore valutabile', 'indicatori valutabili')} "
                         f"di {formatting.integer(row['indicatori_totali'])}, con la regola in vigore (sotto).")
    strategici = frame[frame["livello"] == "strategico"]
    parts = [f"{text.md(formatting.named(r.titolo, r.codice, width=40))} "
             f"{formatting.percent(r.grado) if pd.notna(r.grado) else 'non valutabile'}" for r in strategici.itertuples()]
    if parts:
        st.caption("Obiettivi strategici: " + " · ".join(parts) + ". Dettaglio per obiettivo nella pagina Verifica.")
    rule_caption(selection.ente, selection.anno)


def indicator_findings(codice: str, ente: str | None, anno: int | None) -> None:
    """The findings of one indicator (for its detail), each with the lines of the report it cites and a link to the
    Verifica page."""
    frame = query("rilievi_indicatore", ente=ente, anno=anno, indicatore=codice)
    if frame.empty:
        st.caption("Verifica: nessun rilievo su questo indicatore.")
        return
    st.markdown(f"**Rilievi della verifica ({len(frame)})**")
    for r in frame.itertuples():
        st.text(f"{GRAVITA_BADGES[r.gravita]} · {r.titolo}\n{r.spiegazione}")
        fonte.quote(ente, anno, r.righe_fonte)
    st.page_link(f"pages/{VERIFICA_PAGE}.py", label="Apri nella pagina Verifica", icon="🔎",
                 query_params={k: str(v) for k, v in (("ente", ente), ("anno", anno), (INDICATORE, codice))
                               if v is not None})


def finding_label(r) -> str:
    return f"{GRAVITA_BADGES[r.gravita]} · {r.oggetto} · {r.titolo}"


def finding_detail(r, ente: str | None, anno: int | None) -> None:
    """Everything about one finding (a row of `findings()`): the full explanation, the calculation step by step,
    the report's own lines, the rule applied, links to its indicator and its objective."""
    with st.container(border=True):
        st.markdown(f"**{text.md(r.titolo)}**")
        st.caption(f"{GRAVITA_BADGES[r.gravita]} · {text.md(r.oggetto)} · controllo «{verifica.CHECKS[r.controllo].titolo}»")
        st.text(r.spiegazione)
        if isinstance(r.calcolo, str) and r.calcolo:
            st.markdown("**Il calcolo, passo per passo**")
            st.text(r.calcolo)
        st.markdown("**Dalla relazione**")
        if not fonte.quote(ente, anno, r.righe_fonte):
            st.caption("Il rilievo non cita righe della relazione.")
        st.markdown("**Regola applicata**")
        st.text(r.regola if isinstance(r.regola, str) else verifica.CHECKS[r.controllo].verifica)
        _links(r, ente, anno)


def _links(r, ente, anno) -> None:
    if isinstance(r.codice_indicatore, str):
        st.page_link(f"pages/{INDICATORI_PAGE}.py", label=f"Indicatore {text.md(r.codice_indicatore)}", icon="📈",
                     query_params={k: str(v) for k, v in (("ente", ente), ("anno", anno), (DETTAGLIO, r.codice_indicatore))
                                   if v is not None})
    if isinstance(r.codice_obiettivo, str) or isinstance(r.codice_area, str):
        nodes = plan_nodes(ente, anno)
        node = nodes[nodes["codice"] == (r.codice_obiettivo if isinstance(r.codice_obiettivo, str) else r.codice_area)]
        if node.empty:
            return
        node = node.iloc[0]
        params = {k: str(v) for k, v in (("ente", ente), ("anno", anno)) if v is not None} | {"area": node["codice_area"]}
        if isinstance(node["codice_strategico"], str):
            params["obiettivo"] = node["codice_strategico"]
        what = {"area": "Area", "strategico": "Obiettivo strategico", "operativo": "Obiettivo operativo"}[node["livello"]]
        st.page_link("pages/aree_strategiche.py", label=f"{what} {text.md(node['codice'])} nella pagina Aree strategiche",
                     icon="🎯", query_params=params)
