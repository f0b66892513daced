"""Column headings and formats, declared once (like Evidence's column formats): every table a page shows and every
export (CSV, XLSX, the view's workbook) reads its Italian heading and its kind here. Pages pass the columns as the
queries name them and never rename them or say how to format them.

A kind says how a value is shown, not what it is stored as (numbers stay numbers, so that they sort and export as
numbers):
- euro, percent (the value is already a percentage: 89.14 means 89,14%), integer, number (two decimals), auto (a
  column mixing counts and amounts: decimals only where there are some);
- year and code (a number shown as written: 2019, a line of the report 1141; or a code as text);
- text, date, link (a URL whose `link_text` pattern picks the part shown).

The same column name can mean different things in different tables (`titolo` of a cost, of a series, of a finding):
those tables pass a `scope`, whose entries in SCOPES win over LABELS. A column found in neither keeps its own name as
heading and gets the kind its dtype suggests (the upload page's tables, whose frames already carry Italian headings);
the scope AS_WRITTEN keeps every name as written (the preview of an upload shows the file's own column names).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

KINDS = ("euro", "percent", "integer", "number", "auto", "year", "code", "text", "date", "link")
NUMERIC_KINDS = frozenset({"euro", "percent", "integer", "number", "auto", "year", "code"})


@dataclass(frozen=True)
class Label:
    heading: str
    kind: str = "text"
    width: int | None = None  # pixels on screen; None = fitted to the content
    help: str | None = None
    pinned: bool = False  # stays in view when the table scrolls sideways
    link_text: str | None = None  # for a link: regex whose group is the text shown

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind {self.kind!r} is not one of {KINDS}")


# Widths of the key columns, chosen so that code, status, description, both values, the declared outcome and the
# responsabile of the Indicatori table fit a 1366 px laptop screen with the sidebar open (tests/test_pages.py).
CODE_WIDTH, STATUS_WIDTH, TEXT_WIDTH, VALUE_WIDTH, NAME_WIDTH = 125, 100, 140, 105, 120

LABELS: dict[str, Label] = {
    # the plan: areas, objectives, indicators
    "codice_area": Label("Area", "code", 70),
    "codice_obiettivo": Label("Obiettivo", "code", 110),
    "codice": Label("Indicatore", "code", CODE_WIDTH, pinned=True),
    "codice_indicatore": Label("Indicatore", "code", CODE_WIDTH),
    "denominazione": Label("Denominazione"),
    "descrizione": Label("Descrizione", width=TEXT_WIDTH),
    "tipo": Label("Tipo"),
    "stato": Label("Stato", width=STATUS_WIDTH, help="Valore raggiunto confrontato con il valore atteso"),
    "valore_atteso": Label("Valore atteso", width=VALUE_WIDTH),
    "valore_raggiunto": Label("Valore raggiunto", width=VALUE_WIDTH + 20),
    "esito_dichiarato": Label("Esito dichiarato", width=NAME_WIDTH + 30),
    "responsabile": Label("Responsabile", width=NAME_WIDTH),
    "centro_responsabilita": Label("Centro di responsabilità", width=NAME_WIDTH),
    "modalita_calcolo": Label("Modalità di calcolo"),
    "motivo": Label("Perché"),
    # counts per area or per responsabile
    "aree": Label("Aree", "integer"),
    "obiettivi_strategici": Label("Ob. strategici", "integer"),
    "obiettivi_operativi": Label("Ob. operativi", "integer"),
    "indicatori": Label("Indicatori", "integer"),
    "misurabili": Label("Misurabili", "integer"),
    "raggiunti": Label("Raggiunti", "integer"),
    "non_raggiunti": Label("Non raggiunti", "integer"),
    "qualitativi": Label("Qualitativi", "integer"),
    "senza_valore": Label("Senza valore", "integer"),
    "quota_raggiunti": Label("% raggiunti", "percent"),
    # key figures and series
    "voce": Label("Voce"),
    "valore": Label("Valore", "auto"),
    "unita": Label("Unità"),
    "serie": Label("Serie"),
    "anno": Label("Anno", "year", 70),
    "anno_relazione": Label("Relazione", "year", help="L'anno della relazione che riporta il valore"),
    "numeratore": Label("Numeratore", "auto"),
    "denominatore": Label("Denominatore", "auto"),
    "riga_fonte": Label("Riga della relazione", "code"),
    # Andamenti
    "evase": Label("Evase entro 5 giorni", "integer"),
    "totali": Label("Pratiche totali", "integer"),
    "tasso_dichiarato": Label("% dichiarata", "percent"),
    "tasso_calcolato": Label("% ricalcolata", "percent"),
    "indice_base": Label("Indice (2013 = 100)", "number"),
    "indice_dichiarato": Label("Indice dichiarato", "number"),
    "imprese": Label("Imprese", "integer"),
    "imprese_anno_precedente": Label("Imprese anno precedente", "integer"),
    "percentuale_anno_precedente": Label("% sull'anno precedente", "percent"),
    "percentuale_dichiarata": Label("% dichiarata", "percent"),
    # Verifica
    "gravita": Label("Gravità"),
    "oggetto": Label("Oggetto", width=CODE_WIDTH),
    "spiegazione": Label("Spiegazione", width=400),
    "righe_fonte": Label("Righe della relazione"),
    "valore_dichiarato": Label("Valore dichiarato"),
    "valore_ricalcolato": Label("Valore ricalcolato", "number"),
    "controllo": Label("Controllo"),
    "calcolo": Label("Calcolo"),
    "regola": Label("Regola applicata"),
    "citazione": Label("Testo citato"),
    "scheda_indicatore": Label("Indicatore", "link", CODE_WIDTH, link_text=r"dettaglio=([^&]+)$",
                               help="Apre il dettaglio dell'indicatore nella pagina Indicatori"),
    "lettura": Label("Lettura"),
    "metodo": Label("Metodo"),
    "dichiarato_testo": Label("Dichiarato"),
    "mancanti": Label("Dati mancanti"),
    "riga_metodo": Label("Riga", "code"),
    "livello": Label("Livello"),
    "grado": Label("Grado di raggiungimento", "percent"),
    "fascia": Label("Fascia"),
    "indicatori_valutati": Label("Indicatori valutati", "integer"),
    "indicatori_totali": Label("Indicatori", "integer"),
    # motivazioni, OIV notes and comments (queries/annotazioni.sql)
    "testo": Label("Testo", width=400),
    "autore": Label("Autore"),
    "scritta_il": Label("Scritta il"),
    # public references (queries/riferimenti.sql): the value shown with the decimals its source gives (auto)
    "territorio": Label("Territorio"),
    "anno_valore": Label("Anno", "year", 70),
    "dettaglio": Label("Dettaglio"),
    "fonte": Label("Fonte"),
    "url": Label("Indirizzo"),
    "consultato_il": Label("Consultata il"),
    # Confronto enti
    "posizione": Label("Posizione", "integer"),
    "ente": Label("Ente"),
    "percentile": Label("Percentile", "integer", help="Quota degli altri enti con un valore peggiore (100 = il migliore)."),
    # frames built with their Italian headings already (the upload page's problems)
    "Riga": Label("Riga", "code"),
}

SCOPES: dict[str, dict[str, Label]] = {
    "costi": {"titolo": Label("Voce di costo", width=260), "valore": Label("Costo", "euro", 130),
              "valore_base": Label("Costo 2011", "euro", 130), "percentuale_base": Label("% del 2011", "percent")},
    "serie": {"titolo": Label("Serie")},
    "rilievi": {"titolo": Label("Rilievo")},
    "ricalcoli": {"oggetto": Label("Che cosa"), "valore_ricalcolato": Label("Ricalcolato", "number")},
    "gradi": {"codice": Label("Codice", "code"), "titolo": Label("Titolo")},
    "controlli": {"titolo": Label("Controllo"), "verifica": Label("Che cosa verifica")},
    # the scorecard per responsabile or per centro di responsabilità (queries/scheda_responsabili.sql, `per`)
    "responsabile": {"nome": Label("Responsabile", width=NAME_WIDTH)},
    "centro": {"nome": Label("Centro di responsabilità", width=NAME_WIDTH)},
}
# Confronto enti: the values of one indicator across chambers, formatted in the indicator's unit.
SCOPES["confronto"] = {"valore": Label("Valore raggiunto", "number"), "valore_atteso": Label("Valore atteso", "number"),
                       "raggiunti": Label("Indicatori raggiunti", "integer")}
for _unit, _kind in (("%", "percent"), ("€", "euro")):
    SCOPES[f"confronto {_unit}"] = SCOPES["confronto"] | {"valore": Label("Valore raggiunto", _kind),
                                                         "valore_atteso": Label("Valore atteso", _kind)}


def guessed_kind(series: pd.Series) -> str:
    """The kind of a column no label declares, from its dtype: whole numbers are counts."""
    if pd.api.types.is_bool_dtype(series):
        return "text"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        values = series.dropna()
        return "integer" if len(values) and (values % 1 == 0).all() else "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    return "text"


# The scope of a table whose columns are shown with the names the user's file gives them (the upload's preview):
# the declared kinds format them, the headings stay as written.
AS_WRITTEN = "come nel file"


def label(column: str, scope: str | None = None, series: pd.Series | None = None) -> Label:
    """The label of a column in a table of that scope; an undeclared column is headed by its own name."""
    found = SCOPES.get(scope or "", {}).get(column) or LABELS.get(column)
    if found is not None and scope != AS_WRITTEN:
        return found
    kind = found.kind if found is not None else guessed_kind(series) if series is not None else "text"
    return Label(str(column), kind)


def of(frame: pd.DataFrame, scope: str | None = None) -> dict[str, Label]:
    """{column: Label} for every column of `frame`, in order."""
    return {c: label(c, scope, frame[c]) for c in frame.columns}


def headed(frame: pd.DataFrame, scope: str | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with its Italian headings, and {heading: kind}, as every export writes it."""
    found = of(frame, scope)
    headings = [found[c].heading for c in frame.columns]
    if len(set(headings)) != len(headings):
        raise ValueError(f"two columns with the same heading: {headings}")
    out = frame.set_axis(headings, axis="columns")
    return out, {found[c].heading: found[c].kind for c in frame.columns}
