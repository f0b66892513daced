"""What the Relazione says, read from the store: every number comes from a query in queries/ or from the Verifica
(cruscotto.checks), never from the template. Values are turned into Italian text here, so the template only lays out.

`gather(con, ente, anno, area)` returns a `Content`: the cover, the sintesi, the tree area → obiettivo strategico →
operativo → indicatori, the trends (as data and as the dashboard's plotly figures) and the Allegato OIV.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from cruscotto import verifica
from cruscotto.present import charts, formatting, verifica_charts
from cruscotto.store import queries
from cruscotto.store.schema import MOTIVAZIONE, NOTA_OIV, TIPO_ANNOTAZIONE_LABELS

# Series the Andamenti page draws with a chart of their own (the other series get one line chart each).
PRATICHE, IMPRESE = "pratiche_evase_5gg", "imprese_internazionalizzazione"
GRAVITA_LABELS = {verifica.ERRORE: "errore", verifica.AVVISO: "avviso", verifica.INFO: "informazione"}
_PLURALS = {"errore": "errori", "avviso": "avvisi", "info": "informazioni", "rilievo": "rilievi"}
LIVELLI = {"area": "area strategica", "strategico": "obiettivo strategico", "operativo": "obiettivo operativo"}


class NoData(ValueError):
    """The store holds nothing for the chosen ente, anno or area (the message is Italian, for the user)."""


# ---------------------------------------------------------------------------------------------- the pieces
@dataclass
class Chart:
    """A figure of the dashboard (same builder, same palette) with the words that stand for it when it is not seen."""
    key: str
    figure: object  # plotly Figure
    alt: str
    caption: str = ""
    height: int | None = None  # px at the drawing width; None: the figure's own height, else 400


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: set[int] = field(default_factory=set)  # columns aligned right
    groups: list[tuple[str, int]] = field(default_factory=list)  # a first header row: (label, columns spanned)


@dataclass
class Annotation:
    """A motivazione dello scostamento, a note of the OIV or a comment on an indicator, as the reader sees it."""
    tipo: str  # «Motivazione dello scostamento», «Nota dell'OIV», «Commento»
    testo: str
    firma: str  # «mario.rossi, 05/03/2026 10:00» (who and when, as known)


@dataclass
class Indicator:
    codice: str
    descrizione: str
    stato: str
    fields: list[tuple[str, str]]  # (label, value) in the order the scheda shows them
    risultato: str | None
    note: str | None
    key_figures: list[str]
    annotations: list[Annotation] = field(default_factory=list)


@dataclass
class Node:
    codice: str
    livello: str
    titolo: str
    lines: list[str]  # responsabile, grado, ... one line each
    risultato: str | None
    indicators: list[Indicator]
    key_figures: list[str]
    children: list["Node"] = field(default_factory=list)


@dataclass
class Trend:
    anchor: str
    title: str
    chart: Chart
    note: str
    table: Table
    sources: str = ""  # «Fonti dei riferimenti: …», the public references drawn on the chart


@dataclass
class Finding:
    gravita: str
    oggetto: str
    titolo: str
    spiegazione: str
    facts: list[tuple[str, str]]


@dataclass
class Content:
    ente: str
    anno: int
    area: str | None
    area_label: str
    prodotta_il: datetime
    data_line: str
    filters: list[tuple[str, str]]
    counts: list[tuple[str, str, str]]  # (label, value, detail)
    in_sintesi: str
    rule: str
    areas_table: Table
    weak_table: Table
    sintesi_charts: list[Chart]
    tree: list[Node]
    trends: list[Trend]
    verifica_counts: dict[str, int]
    checklist: Table
    findings: list[Finding]
    ricalcoli: Table
    senza_indicatori: Table
    gradi: Table
    annotazioni: Table  # the motivazioni and the OIV's notes, for the Allegato OIV

    @property
    def charts(self) -> list[Chart]:
        return self.sintesi_charts + [t.chart for t in self.trends]


# ---------------------------------------------------------------------------------------------- small helpers
def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def text(value) -> str | None:
    """A cell as text, None when empty."""
    if _missing(value):
        return None
    value = str(value).strip()
    return value or None


def dash(value) -> str:
    return text(value) or "—"


def grado_text(grado, fascia) -> str:
    if _missing(grado):
        return "non valutabile"
    return f"{formatting.percent(grado)} ({fascia})" if text(fascia) else formatting.percent(grado)


def _as(column: str, how):
    """A cell of `_rows`: the column's value written by `how` (formatting.percent, ...)."""
    return lambda row: how(row[column])


def _year(row) -> str:
    return str(int(row["anno"]))


def _rows(frame: pd.DataFrame, columns: list) -> list[list[str]]:
    """Rows of text, one cell per item of `columns`: a column name, or a function of the row (a dict)."""
    return [[dash(c(row) if callable(c) else row.get(c)) for c in columns] for row in frame.to_dict("records")]


# ---------------------------------------------------------------------------------------------- gather
def gather(con, ente: str, anno: int, area: str | None = None, now: datetime | None = None,
           on_charts=None, attuale: int | None = None) -> Content:
    """Everything the Relazione shows for one chamber and year (one area strategica, or all).

    `on_charts(charts)` is called as soon as the charts are known, before the slower rest (the Verifica), so that
    they can be drawing meanwhile. `attuale`: the store's current version when `con` is the store as it was at an
    earlier one (store.snapshot, «come alla versione N»): the cover says which version it shows."""
    anno = int(anno)
    period = {"ente": ente, "anno": anno}
    summary = queries.run(con, "riepilogo_aree", period)
    if summary.empty:
        raise NoData(f"Nessun dato per {ente}, anno {anno}: scegliere un ente e un anno presenti nel database.")
    if area is not None:
        if area not in set(summary["codice_area"]):
            raise NoData(f"L'area strategica {area} non esiste per {ente}, anno {anno} (aree: "
                         f"{', '.join(summary['codice_area'])}).")
        summary = summary[summary["codice_area"] == area]
    area_label = "tutte" if area is None else f"{area} · {summary['denominazione'].iloc[0]}"
    where = {**period, "area": area}

    rules = {r.regola: (r.valore, r.fonte) for r in queries.run(con, "regole_in_vigore", period).itertuples()}
    grado_aree = queries.run(con, "grado_aree", period)
    grado_aree = grado_aree[grado_aree["codice_area"].isin(summary["codice_area"])]
    scorecard = queries.run(con, "scheda_indicatori", where)
    sintesi_charts = _sintesi_charts(summary, grado_aree, rules)
    trends = _trends(con, ente, anno, scorecard, area)
    if on_charts:
        on_charts(sintesi_charts + [t.chart for t in trends])
    nodes = queries.run(con, "nodi_piano", where)
    gradi_ind = queries.run(con, "grado_indicatori", where).set_index("codice")
    gradi_nodi = queries.run(con, "grado_obiettivi", where)
    figures = queries.run(con, "cifre_chiave_per_nodo", where)
    annotazioni = queries.run(con, "annotazioni", period)
    annotazioni = annotazioni[annotazioni["codice_indicatore"].isin(set(scorecard["codice"]))]
    findings = verifica.findings_frame(verifica.findings(con, ente, anno))
    if area is not None:  # the area's findings, and those on the whole year (the rules)
        findings = findings[findings["codice_area"].isna() | (findings["codice_area"] == area)]
    verifica_counts = {g: int((findings["gravita"] == g).sum()) for g in verifica.GRAVITA}

    now = now or datetime.now()
    totals = summary[["obiettivi_strategici", "obiettivi_operativi", "indicatori", "misurabili", "raggiunti",
                      "non_raggiunti", "qualitativi", "senza_valore"]].sum()
    info = queries.run(con, "dati_mostrati", period)
    shown = _viewed(info, attuale)
    filters = [("Ente", ente), ("Anno della relazione", str(anno)), ("Area strategica", area_label)]
    if shown is not None:
        filters.append(("Dati come alla versione", f"{shown} (in sola lettura; la versione attuale del database è la "
                                                   f"{attuale})"))
    content = Content(
        ente=ente, anno=anno, area=area, area_label=area_label, prodotta_il=now,
        data_line=_data_line(info, shown is None),
        filters=filters,
        counts=_counts(totals, verifica_counts),
        in_sintesi=_in_sintesi(anno, totals, grado_aree, verifica_counts),
        rule=verifica.describe_rules(rules),
        areas_table=_areas_table(summary, grado_aree),
        weak_table=_weak_table(queries.run(con, "punti_deboli", where)),
        sintesi_charts=sintesi_charts,
        tree=_tree(nodes, scorecard, gradi_ind, gradi_nodi, figures, annotazioni),
        trends=trends,
        verifica_counts=verifica_counts,
        checklist=_checklist(findings),
        findings=_findings(findings),
        ricalcoli=_ricalcoli(queries.run(con, "ricalcolo_indicatori", period), set(nodes["codice"])),
        senza_indicatori=_without_indicators(nodes, scorecard),
        gradi=_gradi(gradi_nodi),
        annotazioni=_annotazioni_table(annotazioni),
    )
    return content


def _viewed(info: pd.DataFrame, attuale: int | None) -> int | None:
    """The earlier version the document shows (the latest of the snapshot it reads), None for the current data."""
    latest = 0 if info.empty else int(info["versione"].iloc[0])
    return latest if attuale is not None and latest < attuale else None


def _data_line(info: pd.DataFrame, current: bool) -> str:
    """The version that last wrote the chamber-year and its date (and, on the current data, the store's latest)."""
    if info.empty or _missing(info["versione_partizione"].iloc[0]):
        return "versione dei dati non registrata"
    row = info.iloc[0]
    source = f", file {row['file_name']}" if text(row["file_name"]) else ""
    latest = f" (ultima versione del database: {int(row['versione'])})" if current else ""
    return (f"versione {int(row['versione_partizione'])} del {pd.Timestamp(row['importata_il']):%d/%m/%Y %H:%M}"
            f"{source}{latest}")


def _counts(totals, verifica) -> list[tuple[str, str, str]]:
    quota = 100.0 * totals["raggiunti"] / totals["misurabili"] if totals["misurabili"] else None
    i = formatting.integer
    return [
        ("Obiettivi", i(totals["obiettivi_strategici"] + totals["obiettivi_operativi"]),
         f"{i(totals['obiettivi_strategici'])} strategici e {i(totals['obiettivi_operativi'])} operativi"),
        ("Indicatori", i(totals["indicatori"]),
         f"{i(totals['misurabili'])} misurabili, {i(totals['qualitativi'])} qualitativi, "
         f"{i(totals['senza_valore'])} senza valore"),
        ("Misurabili raggiunti", formatting.percent(quota) if quota is not None else "n.d.",
         f"{i(totals['raggiunti'])} su {i(totals['misurabili'])}"),
        ("Rilievi della verifica", f"{verifica['errore']} errori · {verifica['avviso']} avvisi",
         f"e {verifica['info']} informazioni (Allegato OIV)"),
    ]


def _in_sintesi(anno, totals, grado_aree, verifica) -> str:
    i = formatting.integer
    quota = 100.0 * totals["raggiunti"] / totals["misurabili"] if totals["misurabili"] else None
    text_ = (f"Nel {anno} {i(totals['raggiunti'])} indicatori misurabili su {i(totals['misurabili'])} hanno raggiunto "
             f"il valore atteso{'' if quota is None else f' ({formatting.percent(quota)})'}; "
             f"{i(totals['non_raggiunti'])} non l'hanno raggiunto, {i(totals['qualitativi'])} sono traguardi "
             f"qualitativi e {i(totals['senza_valore'])} non hanno un valore.")
    gradi = [f"{r.codice_area} {grado_text(r.grado, r.fascia)}" for r in grado_aree.itertuples()]
    if gradi:
        text_ += f" Grado di raggiungimento per area: {'; '.join(gradi)}."
    text_ += (f" La verifica di attendibilità ha trovato {verifica['errore']} errori, {verifica['avviso']} avvisi e "
              f"{verifica['info']} informazioni (Allegato OIV).")
    return text_


def _areas_table(summary: pd.DataFrame, grado_aree: pd.DataFrame) -> Table:
    gradi = grado_aree.set_index("codice_area")
    rows = []
    for r in summary.itertuples():
        g = gradi.loc[r.codice_area] if r.codice_area in gradi.index else None
        rows.append([r.codice_area, dash(r.denominazione), formatting.integer(r.obiettivi_strategici),
                     formatting.integer(r.obiettivi_operativi), formatting.integer(r.indicatori),
                     formatting.integer(r.raggiunti), formatting.integer(r.non_raggiunti),
                     formatting.integer(r.qualitativi), formatting.integer(r.senza_valore),
                     formatting.percent(r.quota_raggiunti) or "n.d.",
                     "non valutabile" if g is None else grado_text(g["grado"], g["fascia"])])
    return Table(["Area", "Denominazione", "strategici", "operativi", "totali", "raggiunti", "non raggiunti",
                  "qualitativi", "senza valore", "% misurabili raggiunti", "Grado di raggiungimento"],
                 rows, numeric={2, 3, 4, 5, 6, 7, 8, 9},
                 groups=[("Area", 1), ("Denominazione", 1), ("Obiettivi", 2), ("Indicatori", 5),
                         ("% misurabili raggiunti", 1), ("Grado di raggiungimento", 1)])


def _weak_table(weak: pd.DataFrame) -> Table:
    return Table(["Indicatore", "Stato", "Perché", "Valore atteso", "Valore raggiunto"],
                 _rows(weak, ["codice", "stato", "motivo", "valore_atteso",
                              "valore_raggiunto"]))


def _sintesi_charts(summary: pd.DataFrame, grado_aree: pd.DataFrame, rules) -> list[Chart]:
    out = [Chart("aree", charts.area_achievement(summary),
                 "Grafico a barre orizzontali: per ogni area strategica gli indicatori raggiunti, non raggiunti, "
                 "qualitativi e senza valore. " + "; ".join(
                     f"{r.codice_area}: {r.raggiunti} raggiunti, {r.non_raggiunti} non raggiunti, {r.qualitativi} "
                     f"qualitativi, {r.senza_valore} senza valore" for r in summary.itertuples()) + ".",
                 "Indicatori per area strategica e stato (i numeri sono nella tabella sopra).",
                 height=max(240, 100 + 45 * len(summary)))]
    if not grado_aree.empty:
        soglie = [float(rules[k][0]) if k in rules else None for k in ("soglia_raggiunto", "soglia_parziale")]
        grado = verifica_charts.grado_per_area(grado_aree, *soglie)
        # On paper the two threshold labels (90% and 70%) would overlap: each goes on its far side of its line.
        for annotation, side in zip(grado.layout.annotations, ("left", "right")):
            annotation.xanchor = side
        out.append(Chart("grado_aree", grado,
                         "Grafico a barre: grado di raggiungimento per area strategica, con le soglie delle fasce. "
                         + "; ".join(f"{r.codice_area}: {grado_text(r.grado, r.fascia)}" for r in grado_aree.itertuples())
                         + ".", "Grado di raggiungimento per area, con le soglie della regola in vigore."))
    return out


# ---------------------------------------------------------------------------------------------- the tree
def _tree(nodes, scorecard, gradi_ind, gradi_nodi, figures, annotazioni) -> list[Node]:
    gradi = gradi_nodi.set_index("codice")
    by_node = {code: list(group.itertuples()) for code, group in scorecard.groupby("codice_obiettivo", sort=False)}
    figures_of_indicator = {code: g for code, g in figures.dropna(subset=["codice_indicatore"]).groupby("codice_indicatore")}
    figures_of_node = {code: g for code, g in figures[figures["codice_indicatore"].isna()].groupby("codice_obiettivo")}
    annotations_of = {code: [_annotation(r) for r in g.itertuples()]
                      for code, g in annotazioni.groupby("codice_indicatore", sort=False)}

    def node(row) -> Node:
        lines = []
        if row.livello != "area" and text(row.titolo) and text(row.titolo) != text(row.etichetta):
            lines.append(text(row.titolo))
        if text(row.responsabile):
            centro = f" · centro di responsabilità: {row.centro_responsabilita}" if text(row.centro_responsabilita) \
                and row.centro_responsabilita != row.responsabile else ""
            lines.append(f"Responsabile: {row.responsabile}{centro}")
        if row.codice in gradi.index:
            g = gradi.loc[row.codice]
            valutati = int(g["indicatori_valutati"])
            lines.append(f"Grado di raggiungimento: {grado_text(g['grado'], g['fascia'])} ({valutati} "
                         f"{'indicatore valutabile' if valutati == 1 else 'indicatori valutabili'} su "
                         f"{int(g['indicatori_totali'])})")
        indicators = [_indicator(i, gradi_ind, figures_of_indicator.get(i.codice), annotations_of.get(i.codice, []))
                      for i in by_node.get(row.codice, [])]
        return Node(row.codice, row.livello, dash(row.etichetta), lines, text(row.risultato), indicators,
                    _figure_texts(figures_of_node.get(row.codice)))

    tree, strategici = [], {}
    for row in nodes.itertuples():
        if row.livello == "area":
            tree.append(node(row))
        elif row.livello == "strategico":
            strategici[row.codice] = node(row)
            next(a for a in tree if a.codice == row.codice_area).children.append(strategici[row.codice])
        else:
            parent = strategici.get(row.codice_strategico) or next(a for a in tree if a.codice == row.codice_area)
            parent.children.append(node(row))
    return tree


def _indicator(row, gradi: pd.DataFrame, figures: pd.DataFrame | None, annotations: list[Annotation]) -> Indicator:
    g = gradi.loc[row.codice] if row.codice in gradi.index else None
    if isinstance(g, pd.DataFrame):  # a duplicated code (the Verifica reports it): the first
        g = g.iloc[0]
    fields = [  # short ones in pairs, long ones on a row of their own (the template's wide_fields)
        ("Tipo", dash(row.tipo)),
        ("Fonte dei dati", dash(row.fonte_dati)),
        ("Valore atteso", dash(row.valore_atteso)),
        ("Valore raggiunto", dash(row.valore_raggiunto)),
        ("Esito dichiarato", dash(row.esito_dichiarato)),
        ("Esito secondo la regola", dash(None if g is None else g["esito_regola"])),
        ("Grado di raggiungimento", "non valutabile" if g is None else grado_text(g["grado"], g["fascia"])),
        ("Stato", dash(row.stato)),
        ("Modalità di calcolo", dash(row.modalita_calcolo)),
    ]
    if text(row.target_triennale):
        fields.append(("Target triennale", text(row.target_triennale)))
    if text(row.responsabile):
        fields.append(("Responsabile", text(row.responsabile)))
    fields.append(("Riga della relazione", dash(row.riga_fonte)))
    return Indicator(row.codice, dash(row.descrizione), dash(row.stato), fields, text(row.risultato), text(row.note),
                     _figure_texts(figures), annotations)


def _annotation(row) -> Annotation:
    firma = ", ".join(p for p in (text(row.autore), formatting.moment(row.scritta_il)) if p)
    return Annotation(TIPO_ANNOTAZIONE_LABELS.get(row.tipo, row.tipo), row.testo, firma)


def _figure_texts(figures: pd.DataFrame | None) -> list[str]:
    if figures is None:
        return []
    return [f"{f.voce}: {formatting.smart(f.valore, text(f.unita))}" for f in figures.itertuples()]


# ---------------------------------------------------------------------------------------------- the trends
def _target(series: pd.DataFrame, codes, targets: pd.Series, default: float) -> float:
    """The valore atteso of the indicator a series measures (as the report gives it), else the report's usual one
    (the same rule as the Andamenti page)."""
    linked = series.loc[series["serie"].isin(list(codes)), "codice_indicatore"].dropna().unique()
    found = [targets.get(c) for c in linked if not _missing(targets.get(c))]
    return float(found[0]) if found else default


def _trends(con, ente: str, anno: int, scorecard: pd.DataFrame, area: str | None) -> list[Trend]:
    series = queries.run(con, "valori_serie", {"ente": ente, "anno_a": anno})
    if series.empty:
        return []
    targets = scorecard.drop_duplicates("codice").set_index("codice")["va_numero"]
    in_area = set(scorecard["codice"])

    def wanted(codes) -> bool:
        linked = set(series.loc[series["serie"].isin(list(codes)), "codice_indicatore"].dropna())
        return area is None or bool(linked & in_area)

    out: list[Trend] = []
    def years(frame: pd.DataFrame) -> pd.DataFrame:  # the report's year and the ones before it
        return frame[frame["anno"] <= anno]

    pratiche = years(queries.run(con, "andamento_pratiche_evase", {"ente": ente}))
    if not pratiche.empty and wanted([PRATICHE]):
        references = queries.run(con, "riferimenti", {"ente": ente, "riferimento": PRATICHE})
        out.append(_pratiche(pratiche, _target(series, [PRATICHE], targets, 100.0),
                             references[references["anno_valore"] <= anno]))
    imprese = years(queries.run(con, "andamento_imprese_internazionalizzazione", {"ente": ente}))
    if not imprese.empty and wanted([IMPRESE]):
        out.append(_imprese(imprese, _target(series, [IMPRESE], targets, 70.0)))
    costi = years(queries.run(con, "contenimento_costi", {"ente": ente}))
    if not costi.empty and wanted(costi["serie"].unique()):
        out.append(_costi(costi, _target(series, costi["serie"].unique(), targets, 100.0)))
    drawn = {PRATICHE, IMPRESE, *costi["serie"]}
    for serie, values in series[~series["serie"].isin(drawn)].groupby("serie", sort=True):
        if wanted([serie]):
            out.append(_other_series(serie, values))
    return out


def _pratiche(frame: pd.DataFrame, target: float, references: pd.DataFrame) -> Trend:
    last = frame.iloc[-1]
    years = ", ".join(f"{int(r.anno)}: {formatting.percent(r.tasso_calcolato)}" for r in frame.itertuples())
    labels = "; ".join(charts.reference_label(r) for r in references.itertuples())
    chart = Chart("pratiche", charts.pratiche_evase(frame, target, references),
                  f"Grafico: pratiche del Registro imprese evase entro 5 giorni, per anno (barre: evase e totali; linee: "
                  f"percentuale e indice con anno base 2013 = 100; linea tratteggiata: obiettivo indice ≥ "
                  f"{formatting.number(target, 0)}). Percentuale evase entro 5 giorni: {years}."
                  + (f" Valori di riferimento pubblici (tratteggio nero): {labels}." if labels else ""))
    table = Table(["Anno", "Evase entro 5 giorni", "Pratiche totali", "% dichiarata", "% ricalcolata",
                   "Indice (2013 = 100)", "Indice dichiarato"],
                  _rows(frame, [_year, _as("evase", formatting.integer),
                                _as("totali", formatting.integer),
                                _as("tasso_dichiarato", formatting.percent),
                                _as("tasso_calcolato", formatting.percent),
                                _as("indice_base", formatting.number),
                                _as("indice_dichiarato", formatting.number)]),
                  numeric={1, 2, 3, 4, 5, 6})
    note = (f"Gli anni senza dato nella relazione restano vuoti: non sono interpolati. Indice: tasso dell'anno / tasso "
            f"del 2013 × 100 (obiettivo ≥ {formatting.number(target, 0)}). {int(last['anno'])}: "
            f"{formatting.percent(last['tasso_calcolato'])} delle pratiche evase entro 5 giorni, indice "
            f"{formatting.number(last['indice_base'])}.")
    sources = "; ".join(f"{charts.reference_label(r)} ({charts.reference_source(r)})" for r in references.itertuples())
    return Trend("andamento-pratiche", "Pratiche del Registro imprese evase entro 5 giorni", chart, note, table,
                 f"Fonti dei riferimenti: {sources}." if sources else "")


def _imprese(frame: pd.DataFrame, target: float) -> Trend:
    years = ", ".join(f"{int(r.anno)}: {formatting.integer(r.imprese)}" for r in frame.itertuples())
    chart = Chart("imprese", charts.imprese_internazionalizzazione(frame, target),
                  f"Grafico: imprese che usufruiscono dei servizi di supporto all'internazionalizzazione, per anno "
                  f"(barre), e percentuale sull'anno precedente (linea) con l'obiettivo ≥ "
                  f"{formatting.percent(target, 0)}. Imprese: {years}.")
    table = Table(["Anno", "Imprese", "Imprese anno precedente", "% sull'anno precedente", "% dichiarata"],
                  _rows(frame, [_year, _as("imprese", formatting.integer),
                                _as("imprese_anno_precedente", formatting.integer),
                                _as("percentuale_anno_precedente", formatting.percent),
                                _as("percentuale_dichiarata", formatting.percent)]),
                  numeric={1, 2, 3, 4})
    note = (f"Indicatore: imprese dell'anno / imprese dell'anno precedente × 100, obiettivo ≥ "
            f"{formatting.percent(target, 0)}.")
    return Trend("andamento-imprese", "Imprese che usufruiscono dei servizi di supporto all'internazionalizzazione",
                 chart, note, table)


def _costi(frame: pd.DataFrame, target: float) -> Trend:
    values = "; ".join(f"{r.titolo} {int(r.anno)}: {formatting.percent(r.percentuale_base)} del 2011"
                       for r in frame.itertuples() if not _missing(r.percentuale_base))
    chart = Chart("costi", charts.cost_containment(frame, target),
                  f"Grafico a barre: ogni voce di costo in percentuale del 2011, con l'obiettivo ≤ "
                  f"{formatting.percent(target, 0)}. {values}.")
    table = Table(["Voce di costo", "Anno", "Costo", "Costo 2011", "% del 2011", "% dichiarata"],
                  _rows(frame, ["titolo", _year,
                                _as("valore", formatting.euro),
                                _as("valore_base", formatting.euro),
                                _as("percentuale_base", formatting.percent),
                                _as("percentuale_dichiarata", formatting.percent)]),
                  numeric={2, 3, 4, 5})
    note = f"Indicatore: costi dell'anno / costi del 2011 × 100, obiettivo ≤ {formatting.percent(target, 0)}."
    return Trend("andamento-costi", "Contenimento dei costi rispetto al 2011", chart, note, table)


def _other_series(serie: str, values: pd.DataFrame) -> Trend:
    values = values.sort_values("anno")
    title, unit = values["titolo"].iloc[0], text(values["unita"].iloc[0])
    listed = ", ".join(f"{int(r.anno)}: {formatting.smart(r.valore, unit)}" for r in values.itertuples())
    figure = charts.series_line(values, title, unit)
    figure.update_layout(title=None, margin_t=30)  # the section's heading already says it
    chart = Chart(f"serie_{serie}", figure,
                  f"Grafico: {title}, per anno. Valori: {listed}.")
    table = Table(["Anno", "Valore", "Numeratore", "Denominatore", "Indicatore"],
                  _rows(values, [_year,
                                 lambda r: formatting.smart(r["valore"], unit),
                                 _as("numeratore", formatting.smart),
                                 _as("denominatore", formatting.smart),
                                 "codice_indicatore"]), numeric={1, 2, 3})
    return Trend(f"andamento-{serie}", title, chart, "Gli anni senza dato nella relazione restano vuoti.", table)


# ---------------------------------------------------------------------------------------------- Allegato OIV
def _checklist(findings: pd.DataFrame) -> Table:
    rows = []
    for check in verifica.CHECKS.values():
        found = findings[findings["controllo"] == check.id]
        if found.empty:
            outcome = "✓ nessun rilievo"
        else:
            parts = [_how_many(int((found["gravita"] == g).sum()), g) for g in verifica.GRAVITA if (found["gravita"] == g).any()]
            outcome = f"{_how_many(len(found), 'rilievo')}: {', '.join(parts)}"
        rows.append([check.titolo, check.verifica, check.gravita, outcome])
    return Table(["Controllo", "Che cosa verifica", "Gravità", "Esito"], rows)


def _how_many(n: int, noun: str) -> str:
    """1 errore, 2 errori; 1 informazione, 3 informazioni."""
    return f"{n} {GRAVITA_LABELS.get(noun, noun) if n == 1 else _PLURALS[noun]}"


def _findings(frame: pd.DataFrame) -> list[Finding]:
    out = []
    for r in frame.to_dict("records"):
        facts = []
        if text(r["valore_dichiarato"]):
            facts.append(("Valore dichiarato", text(r["valore_dichiarato"])))
        if not _missing(r["valore_ricalcolato"]):
            facts.append(("Valore ricalcolato", verifica.num(r["valore_ricalcolato"])))
        if text(r["righe_fonte"]):
            facts.append(("Righe della relazione", text(r["righe_fonte"])))
        if text(r["codice_area"]):
            facts.append(("Area", text(r["codice_area"])))
        out.append(Finding(r["gravita"], r["oggetto"], r["titolo"], r["spiegazione"], facts))
    return out


def _ricalcoli(frame: pd.DataFrame, node_codes: set[str]) -> Table:
    frame = frame[frame["codice_obiettivo"].isin(node_codes)]
    return Table(["Indicatore", "Che cosa", "Lettura", "Metodo", "Dichiarato", "Ricalcolato", "Dati mancanti", "Riga"],
                 _rows(frame, ["codice_indicatore", "oggetto",
                               lambda r: verifica.LETTURE.get(r["lettura"], r["lettura"]),
                               lambda r: verifica.METODI.get(r["metodo"], r["metodo"]), "dichiarato_testo",
                               lambda r: None if _missing(r["valore_ricalcolato"]) else verifica.num(r["valore_ricalcolato"]),
                               "mancanti", "riga_metodo"]), numeric={5})


def _without_indicators(nodes: pd.DataFrame, scorecard: pd.DataFrame) -> Table:
    """Objectives with no indicator of their own and none below them (operativi: none of their own)."""
    with_indicators = set(scorecard["codice_obiettivo"])
    below = {c for c in scorecard["codice_strategico"].dropna()} | {c for c in scorecard["codice_area"].dropna()}
    rows = []
    for r in nodes.itertuples():
        empty = r.codice not in with_indicators and (r.livello == "operativo" or r.codice not in below)
        if empty:
            rows.append([LIVELLI[r.livello], r.codice, dash(r.etichetta), dash(r.responsabile)])
    return Table(["Livello", "Codice", "Titolo", "Responsabile"], rows)


def _annotazioni_table(frame: pd.DataFrame) -> Table:
    """The motivazioni dello scostamento and the OIV's notes (comments stay under their indicator)."""
    frame = frame[frame["tipo"].isin([MOTIVAZIONE, NOTA_OIV])]
    return Table(["Indicatore", "Tipo", "Testo", "Autore", "Scritta il"],
                 _rows(frame, ["codice_indicatore", lambda r: TIPO_ANNOTAZIONE_LABELS.get(r["tipo"], r["tipo"]), "testo",
                               "autore", lambda r: formatting.moment(r["scritta_il"])]))


def _gradi(frame: pd.DataFrame) -> Table:
    return Table(["Livello", "Codice", "Titolo", "Grado di raggiungimento", "Indicatori valutabili"],
                 _rows(frame, [lambda r: LIVELLI.get(r["livello"], r["livello"]), "codice", "titolo",
                               lambda r: grado_text(r["grado"], r["fascia"]),
                               lambda r: f"{int(r['indicatori_valutati'])} su {int(r['indicatori_totali'])}"]),
                 numeric={4})
