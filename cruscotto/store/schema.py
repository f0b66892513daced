"""The data model, declared once.

Every sheet of a workbook (and every CSV in data/) is one table below. The template, the validation, the DuckDB
DDL and the docs are all derived from these declarations, so they cannot drift apart.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from cruscotto.paths import QUERIES_DIR

TIPI_INDICATORE = ("OUTCOME", "STRATEGICO", "OPERATIVO", "EFFICACIA", "EFFICIENZA", "QUALITA")
LIVELLI_OBIETTIVO = ("strategico", "operativo")
ESITI = ("OBIETTIVO CONSEGUITO", "OBIETTIVO PARZIALMENTE CONSEGUITO", "OBIETTIVO NON CONSEGUITO")
UNITA = ("%", "‰", "€", "giorni", "numero", "punteggio", "tonnellate")
# What an annotation of an indicator is: the office's reason for a missed target, the OIV's note, a comment.
MOTIVAZIONE, NOTA_OIV, COMMENTO = "motivazione", "nota OIV", "commento"
TIPI_ANNOTAZIONE = (MOTIVAZIONE, NOTA_OIV, COMMENTO)
TIPO_ANNOTAZIONE_LABELS = {MOTIVAZIONE: "Motivazione dello scostamento", NOTA_OIV: "Nota dell'OIV", COMMENTO: "Commento"}
ANNO_MIN, ANNO_MAX = 1990, 2100


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "int", "float", "year"
    required: bool = False
    help: str = ""  # Italian, shown in the template and in error messages
    choices: tuple[str, ...] = ()
    example: str = ""
    # numbers: the least value that can be true (a count is never negative, a denominator or a weight never zero)
    at_least: float | None = None
    more_than: float | None = None

    @property
    def sql_type(self) -> str:
        return {"text": "VARCHAR", "int": "BIGINT", "year": "INTEGER", "float": "DOUBLE"}[self.kind]


@dataclass(frozen=True)
class Table:
    name: str
    help: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # unique within the table
    derived: tuple[tuple[str, str], ...] = field(default=())  # columns the import adds: (name, sql type)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def report_table(name: str, help: str, columns: tuple[Column, ...], key: tuple[str, ...],
                 derived: tuple[tuple[str, str], ...] = ()) -> Table:
    """A table of the report of one chamber and year: every row belongs to one (ente, anno), the partition an import
    replaces, so ENTE and ANNO lead the columns and the key of every table."""
    return Table(name, help, (ENTE, ANNO, *columns), ("ente", "anno", *key), derived)


ENTE = Column("ente", "text", True, "Ente (camera di commercio) a cui si riferisce la riga.", example="CCIAA di Cremona")
ANNO = Column("anno", "year", True, "Anno del ciclo della performance (anno della relazione).", example="2019")
RIGA = Column("riga_fonte", "int", False, "Riga del documento di origine da cui è trascritta la riga (provenienza; 1 o più).",
              example="1129", at_least=1)
NOTE = Column("note", "text", False, "Note e scelte di trascrizione.")

AREE = report_table(
    "aree",
    "Aree strategiche, ciascuna legata a una missione.",
    (
        Column("codice", "text", True, "Codice dell'area strategica.", example="2019_01"),
        Column("missione", "text", True, "Codice della missione (tre cifre).", example="011"),
        Column("missione_descrizione", "text", False, "Nome della missione.", example="Competitività e sviluppo delle imprese"),
        Column("denominazione", "text", False, "Denominazione breve dell'area.", example="M.011 COMPETITIVITA' SVIL.IMP."),
        Column("descrizione", "text", False, "Descrizione dell'area."),
        Column("centro_responsabilita", "text", False, "Centro di responsabilità.", example="ENTE"),
        Column("responsabile", "text", False, "Responsabile.", example="Ente"),
        RIGA, NOTE,
    ),
    key=("codice",),
)

OBIETTIVI = report_table(
    "obiettivi",
    "Obiettivi strategici (figli di un'area) e operativi (figli di un obiettivo strategico).",
    (
        Column("codice", "text", True, "Codice univoco dell'obiettivo.", example="2019_02_01_02"),
        Column("codice_documento", "text", False, "Codice come stampato nel documento (vuoto se il documento non lo dà)."),
        Column("livello", "text", True, "Livello dell'obiettivo.", LIVELLI_OBIETTIVO, example="operativo"),
        Column("codice_padre", "text", True, "Codice dell'area (per gli strategici) o dell'obiettivo strategico (per gli operativi).", example="2019_02_01"),
        Column("titolo", "text", False, "Titolo dell'obiettivo.", example="Implementare la trasparenza nelle relazioni commerciali"),
        Column("denominazione", "text", False, "Denominazione breve (per gli strategici).", example="ASSICURARE TEMPI RAPIDI/TRASP."),
        Column("centro_responsabilita", "text", False, "Centro di responsabilità.", example="CAPPELLI MARIA GRAZIA"),
        Column("responsabile", "text", False, "Responsabile.", example="CAPPELLI MARIA GRAZIA"),
        Column("risultato", "text", False, "Relazione sul risultato riferita all'obiettivo."),
        RIGA, NOTE,
    ),
    key=("codice",),
)

INDICATORI = report_table(
    "indicatori",
    "Indicatori con valore atteso (VA) e valore raggiunto (VR) come scritti nella relazione.",
    (
        Column("codice", "text", True, "Codice univoco dell'indicatore.", example="2019_02_01-I1"),
        Column("codice_obiettivo", "text", True, "Codice dell'area o dell'obiettivo a cui l'indicatore appartiene.", example="2019_02_01"),
        Column("descrizione", "text", True, "Descrizione dell'indicatore.", example="Tasso di evasione delle pratiche entro 5 giorni"),
        Column("tipo", "text", True, "Tipo di indicatore.", TIPI_INDICATORE, example="STRATEGICO"),
        Column("valore_atteso", "text", False, "Valore atteso come scritto: operatore, numero, unità (es. '>=80%', '<=20 giorni', '4') oppure un testo per i traguardi qualitativi.", example=">=100%"),
        Column("valore_raggiunto", "text", False, "Valore raggiunto come scritto (es. '= 137,56%', '3 giorni') oppure un testo.", example="= 137,56%"),
        Column("modalita_calcolo", "text", False, "Modalità di calcolo."),
        Column("fonte_dati", "text", False, "Fonte dei dati.", example="interna"),
        Column("target_triennale", "text", False, "Target del triennio.", example=">= 100% nel triennio"),
        Column("esito_dichiarato", "text", False, "Esito dichiarato nella relazione.", ESITI, example="OBIETTIVO CONSEGUITO"),
        NOTE,
        Column("risultato", "text", False, "Relazione sul risultato dell'indicatore."),
        Column("peso", "float", False, "Peso dell'indicatore nel calcolo del grado di raggiungimento, maggiore di zero "
               "(vuoto = peso uguale).", more_than=0),
        RIGA,
        Column("riga_va", "int", False, "Riga del documento in cui è stampato il valore atteso (la prima, se occupa più righe).", example="1141"),
        Column("riga_vr", "int", False, "Riga del documento in cui è stampato il valore raggiunto (la prima, se occupa più righe).", example="1142"),
    ),
    key=("codice",),
    derived=(
        ("va_tipo", "VARCHAR"), ("va_operatore", "VARCHAR"), ("va_operatore_implicito", "BOOLEAN"),
        ("va_numero", "DOUBLE"), ("va_unita", "VARCHAR"),
        ("vr_tipo", "VARCHAR"), ("vr_numero", "DOUBLE"), ("vr_unita", "VARCHAR"),
    ),
)

SERIE_STORICHE = report_table(
    "serie_storiche",
    "Serie storiche in forma lunga: una riga per serie e anno.",
    (
        Column("serie", "text", True, "Codice della serie.", example="pratiche_evase_5gg"),
        Column("titolo", "text", True, "Titolo della serie.", example="Pratiche evase entro 5 giorni (% sul totale)"),
        Column("anno_valore", "year", True, "Anno a cui si riferisce il valore.", example="2019"),
        # a value may be negative (a balance, a change: saldo imprese, variazione dei costi); its parts may not
        Column("valore", "float", True, "Valore (numero; la virgola è il separatore decimale nei file italiani; può essere "
               "negativo, per un saldo o una variazione).", example="89,14"),
        Column("unita", "text", True, "Unità di misura.", UNITA, example="%"),
        Column("numeratore", "float", False, "Numeratore, quando il valore è un rapporto (zero o più).", example="18235", at_least=0),
        Column("denominatore", "float", False, "Denominatore, quando il valore è un rapporto (maggiore di zero).", example="20456",
               more_than=0),
        Column("codice_indicatore", "text", False, "Indicatore calcolato da questa serie."),
        Column("testo_originale", "text", False, "Testo della relazione da cui viene il valore."),
        RIGA,
    ),
    key=("serie", "anno_valore"),
)

CIFRE_CHIAVE = report_table(
    "cifre_chiave",
    "Cifre chiave della relazione (spesa, contributi, imprese, partecipanti, ...) per obiettivo.",
    (
        Column("codice_obiettivo", "text", True, "Codice dell'area o dell'obiettivo.", example="2019_01_01"),
        Column("codice_indicatore", "text", False, "Indicatore a cui la cifra si riferisce, se c'è."),
        Column("voce", "text", True, "Che cosa misura la cifra.", example="Spesa totale del progetto PID"),
        Column("valore", "float", True, "Valore numerico (può essere negativo, per un saldo o una variazione).", example="658.424,32"),
        Column("unita", "text", True, "Unità di misura.", UNITA, example="€"),
        Column("testo_originale", "text", False, "Testo della relazione da cui viene la cifra."),
        RIGA, NOTE,
    ),
    key=("codice_obiettivo", "voce"),
)

# ------------------------------------------------------------------ the source document (issue 13)

FONTE_RIGHE = report_table(
    "fonte_righe",
    "Il testo della relazione, una riga per riga del documento (le righe vuote si possono omettere): le pagine citano "
    "da qui le righe indicate nelle colonne riga_fonte, riga_va e riga_vr. Facoltativo. Dal testo estratto dal PDF lo "
    "prepara il comando «python -m cruscotto fonte FILE.txt --ente ... --anno ...».",
    (
        Column("riga", "int", True, "Numero della riga nel documento (1 = la prima): lo stesso delle colonne riga_fonte.", example="1155"),
        Column("testo", "text", True, "Testo della riga com'è nel documento.",
               example="Al 31/12/2016: evase nei 5 giorni lavorativi 16344 su pratiche complessive 19537 (84,43%)"),
    ),
    key=("riga",),
)

CODICI_RIPETUTI = report_table(
    "codici_ripetuti",
    "Codici stampati più volte nel documento, per blocchi diversi, che la trascrizione riunisce in un solo obiettivo: "
    "una riga per ogni volta che il codice è stampato. Facoltativo: serve alla verifica per segnalarli.",
    (
        Column("codice", "text", True, "Codice dell'area o dell'obiettivo stampato più volte.", example="2019_01_02_05"),
        Column("riga_fonte", "int", True, "Riga del documento in cui il codice è stampato.", example="865"),
        NOTE,
    ),
    key=("codice", "riga_fonte"),
)

# ------------------------------------------------------------------ verifica (issue 6): methods and rules as data

# The calculation methods are declared once, where SQL computes them: the `methods:` lines of the header of
# int_ricalcolo.sql (name | Italian label | what the view computes). Adding a method touches that file, its formula
# written out in verifica/metodi.py, and a test; the column metodo admits what the SQL declares.
METODI_SQL = QUERIES_DIR / "intermediate" / "int_ricalcolo.sql"
_METHOD_LINE = re.compile(r"^--\s+([a-z][a-z0-9_]*)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*$")


def methods_declared(sql_path: Path = METODI_SQL) -> dict[str, tuple[str, str]]:
    """name -> (Italian label, what SQL computes), in the order the header of `sql_path` declares them."""
    header = itertools.takewhile(lambda text: text.startswith("--"), sql_path.read_text(encoding="utf-8").splitlines())
    return {m[1]: (m[2], m[3]) for m in map(_METHOD_LINE.match, header) if m}


METODI_DICHIARATI = methods_declared()
METODI = tuple(METODI_DICHIARATI)
LETTURE = ("principale", "letterale", "riscontro")
GRANDEZZE = ("valore", "numeratore", "denominatore", "tasso")
# The rules of the SMVP: name -> (default, Italian help). The one definition of the defaults: the store keeps a copy in
# the table regole_predefinite (rewritten by store.models when this changes), which the SQL reads.
REGOLE_PREDEFINITE: dict[str, tuple[str, str]] = {
    "tetto_grado": ("100", "Tetto del grado di raggiungimento in %, da 100 a 1000 (es. 100 o 120); 'nessuno' = senza tetto."),
    "soglia_raggiunto": ("90", "Grado minimo (%) per la fascia 'raggiunto', da 0 a 100."),
    "soglia_parziale": ("70", "Grado minimo (%) per la fascia 'parzialmente raggiunto', da 0 a 100 e non più alto di "
                        "soglia_raggiunto; sotto è 'non raggiunto'."),
    "media": ("semplice", "'semplice' (ogni indicatore conta uguale) o 'ponderata' (con la colonna peso degli indicatori)."),
    "aggregazione": ("gerarchica", "'gerarchica' (ogni obiettivo o area = media dei suoi indicatori e dei suoi obiettivi figli) "
                     "o 'indicatori' (media di tutti gli indicatori che stanno sotto)."),
    "grado_traguardo_raggiunto": ("100", "Grado (%) di un traguardo qualitativo raggiunto, da 0 a 100."),
    "grado_traguardo_non_raggiunto": ("0", "Grado (%) di un traguardo qualitativo non raggiunto, da 0 a 100 e non più alto "
                                      "di grado_traguardo_raggiunto."),
    "tolleranza_arrotondamento": ("1", "Differenza ammessa tra valore dichiarato e ricalcolato, in unità dell'ultima cifra "
                                  "decimale dichiarata, da 0 a 100 (1: per 137,56 si ammette 0,01)."),
    "parole_non_raggiunto": ("non; parzialmente; ritardo; sospeso; rinviato; annullato",
                             "Parole che, nel valore raggiunto di un traguardo qualitativo, lo rendono 'non raggiunto' (separate da ';')."),
    "parole_motivazione": ("scostamento; a causa; causa; dovuto; motivo; in quanto; per effetto; ritardo",
                           "Parole che, nella relazione o nelle note, indicano il motivo di uno scostamento (separate da ';')."),
    "soglia_ambizione": ("3", "Quante volte il valore raggiunto può superare il valore atteso (o il valore atteso il raggiunto, "
                         "per i valori da non superare) prima che la verifica giudichi il valore atteso poco ambizioso."),
}

# The numeric rules: the values that can be true. A cap under 100 would make a target met in full count as not met;
# thresholds and milestone grades are percentages. Each pair (lower, upper) must not be inverted.
REGOLE_INTERVALLI: dict[str, tuple[float, float]] = {
    "tetto_grado": (100, 1000), "soglia_raggiunto": (0, 100), "soglia_parziale": (0, 100),
    "grado_traguardo_raggiunto": (0, 100), "grado_traguardo_non_raggiunto": (0, 100), "tolleranza_arrotondamento": (0, 100),
    "soglia_ambizione": (1, 1000),  # a ratio VR/VA: below 1 every indicator that meets its target would be flagged
}
REGOLE_ORDINATE = (("soglia_parziale", "soglia_raggiunto"), ("grado_traguardo_non_raggiunto", "grado_traguardo_raggiunto"))
# The rules that are words: one of a few choices, or a list of words separated by ';'. Every other rule is a number
# (tetto_grado also admits 'nessuno').
REGOLE_SCELTE: dict[str, tuple[str, ...]] = {"media": ("semplice", "ponderata"), "aggregazione": ("gerarchica", "indicatori")}
REGOLE_ELENCHI = ("parole_non_raggiunto", "parole_motivazione")


def tipo_regola(regola: str) -> str:
    """'tetto' (a number or 'nessuno'), 'scelta' (REGOLE_SCELTE), 'parole' (REGOLE_ELENCHI) or 'numero'."""
    if regola == "tetto_grado":
        return "tetto"
    if regola in REGOLE_SCELTE:
        return "scelta"
    return "parole" if regola in REGOLE_ELENCHI else "numero"


def regole_predefinite_rows() -> list[tuple]:
    """The rows of the store table regole_predefinite: (regola, predefinito, numero, tipo, scelte, descrizione)."""
    rows = []
    for regola, (default, help_text) in REGOLE_PREDEFINITE.items():
        kind = tipo_regola(regola)
        number = float(default) if kind in ("tetto", "numero") else None
        rows.append((regola, default, number, kind, list(REGOLE_SCELTE.get(regola, ())), help_text))
    return rows


REGOLE_PREDEFINITE_DDL = """
CREATE TABLE IF NOT EXISTS regole_predefinite (
    regola VARCHAR PRIMARY KEY,
    predefinito VARCHAR NOT NULL,
    numero DOUBLE,
    tipo VARCHAR NOT NULL,
    scelte VARCHAR[] NOT NULL,
    descrizione VARCHAR NOT NULL
)
"""

METODI_CALCOLO = report_table(
    "metodi_calcolo",
    "Come si ricalcola un indicatore (o una percentuale citata nella sua relazione) dai dati: metodo e parametri.",
    (
        Column("codice_indicatore", "text", True, "Indicatore a cui il calcolo si riferisce.", example="2019_02_01-I1"),
        Column("oggetto", "text", True, "Che cosa si ricalcola: 'valore raggiunto' oppure il nome di una percentuale "
               "citata nella relazione.", example="valore raggiunto"),
        Column("lettura", "text", True, "principale = il calcolo che il valore dichiarato dovrebbe seguire; letterale = la "
               "modalità di calcolo presa alla lettera (per confronto); riscontro = un secondo calcolo che deve tornare.",
               LETTURE, example="principale"),
        Column("metodo", "text", True, "Come si ricalcola: " + "; ".join(
                   name if label == name.replace("_", " ") else f"{name} ({label})"
                   for name, (label, _) in METODI_DICHIARATI.items()) + ".",
               METODI, example="rapporto_anno_base"),
        Column("dichiarato", "text", False, "Valore dichiarato da confrontare, come scritto (es. '82%'); vuoto = il valore "
               "raggiunto dell'indicatore; con un operatore davanti (es. '>= 80%') è una condizione che il valore "
               "ricalcolato deve rispettare (una voce dichiarata raggiunta il cui dato deve stare sopra la soglia).",
               example="82%"),
        Column("serie", "text", False, "Serie storica da cui prendere i valori (colonna serie di serie_storiche).", example="pratiche_evase_5gg"),
        Column("grandezza", "text", False, "Quale numero della serie: valore (predefinito), numeratore, denominatore, tasso "
               "(numeratore / denominatore × 100).", GRANDEZZE, example="tasso"),
        Column("anno_valore", "year", False, "Anno del valore (vuoto = anno della relazione).", example="2019"),
        Column("anno_base", "year", False, "Anno base del rapporto (rapporto_anno_base).", example="2013"),
        Column("numeratore", "text", False, "Voci di cifre_chiave o numeri, separati da ';' (quota, somma, media_scala, valore_diretto).",
               example="Music China 2019: imprese con giudizio positivo; 12"),
        Column("denominatore", "text", False, "Voci di cifre_chiave o numeri, separati da ';' (quota).", example="44"),
        Column("scala", "float", False, "Punteggio massimo della scala (media_scala), maggiore di zero.", example="5", more_than=0),
        RIGA, NOTE,
    ),
    key=("codice_indicatore", "oggetto", "lettura"),
)

REGOLE = report_table(
    "regole",
    "Regole del sistema di misurazione (SMVP) dell'ente: tetto, fasce, media e aggregazione. Facoltativo: ogni regola "
    "non indicata vale il suo valore predefinito.",
    (
        Column("regola", "text", True, "Nome della regola: " + "; ".join(f"{k} (predefinito {v[0]}): {v[1]}" for k, v in REGOLE_PREDEFINITE.items()),
               tuple(REGOLE_PREDEFINITE), example="tetto_grado"),
        Column("valore", "text", True, "Valore della regola (numero, 'nessuno', 'semplice', 'ponderata', … o parole separate da ';').", example="100"),
        NOTE,
    ),
    key=("regola",),
    # the import reads a number rule the Italian way (parsing.parse_number) and stores the number: SQL never parses it
    derived=(("numero", "DOUBLE"),),
)

# ------------------------------------------------------------------ the cycle around the report (issue 16)

ANNOTAZIONI = report_table(
    "annotazioni",
    "Motivazioni degli scostamenti (scritte dall'ufficio), note dell'OIV e commenti, uno per tipo e indicatore. "
    "Facoltativo; si scrivono anche dal dettaglio della pagina «Indicatori». Chi ha scritto il testo e quando lo "
    "registra il cruscotto: le colonne autore e scritta_il del file sono ignorate per i testi nuovi o cambiati.",
    (
        Column("codice_indicatore", "text", True, "Indicatore a cui si riferisce il testo.", example="2019_02_01-I1"),
        Column("tipo", "text", True, "motivazione = il motivo dello scostamento, scritto dall'ufficio; nota OIV = "
               "scritta dall'OIV; commento = un'osservazione dell'ufficio.", TIPI_ANNOTAZIONE, example=MOTIVAZIONE),
        Column("testo", "text", True, "Il testo.", example="Scostamento dovuto al passaggio al nuovo gestionale delle pratiche."),
        Column("autore", "text", False, "Chi ha scritto il testo: lo registra il cruscotto (chi carica il file o usa il "
               "modulo della pagina Indicatori)."),
        Column("scritta_il", "text", False, "Quando il testo è stato scritto (AAAA-MM-GG HH:MM:SS): lo registra il cruscotto."),
    ),
    key=("codice_indicatore", "tipo"),
)

RIFERIMENTI = report_table(
    "riferimenti",
    "Valori di riferimento pubblici (un'altra camera, una regione, l'Italia) con la loro fonte, da confrontare con una "
    "serie storica o un indicatore dell'ente: compaiono come linee di riferimento negli andamenti e nella pagina "
    "«Confronto enti», sempre con la fonte. Facoltativo.",
    (
        Column("riferimento", "text", True, "Serie (colonna serie di serie_storiche) o indicatore (codice) con cui si "
               "confronta il valore.", example="pratiche_evase_5gg"),
        Column("territorio", "text", True, "Territorio o ente a cui si riferisce il valore.", example="Italia"),
        Column("anno_valore", "year", True, "Anno a cui si riferisce il valore.", example="2019"),
        Column("valore", "float", True, "Valore (numero; la virgola è il separatore decimale).", example="75,4"),
        Column("unita", "text", True, "Unità di misura.", UNITA, example="%"),
        Column("fonte", "text", True, "Chi pubblica il valore (ente, documento, testata): compare accanto al valore.",
               example="Camera di commercio di Pisa, comunicato stampa"),
        Column("url", "text", False, "Indirizzo della pubblicazione (comincia con http:// o https://); vuoto se non è "
               "registrato."),
        Column("consultato_il", "text", False, "Data in cui la fonte è stata consultata (GG/MM/AAAA).", example="15/03/2020"),
        Column("dettaglio", "text", False, "Altre cifre della stessa fonte (pratiche, giorni medi, target).",
               example="4.082.172 pratiche, 5,8 giorni medi"),
        NOTE,
    ),
    key=("riferimento", "territorio", "anno_valore"),
)

TABLES: tuple[Table, ...] = (AREE, OBIETTIVI, INDICATORI, SERIE_STORICHE, CIFRE_CHIAVE, METODI_CALCOLO, REGOLE,
                             CODICI_RIPETUTI, FONTE_RIGHE, ANNOTAZIONI, RIFERIMENTI)
TABLES_BY_NAME = {t.name: t for t in TABLES}
REQUIRED_TABLES = ("aree", "obiettivi", "indicatori")


def create_table_sql(table: Table, name: str | None = None) -> str:
    cols = [f'"{c.name}" {c.sql_type}' for c in table.columns]
    cols += [f'"{n}" {t}' for n, t in table.derived]
    return f'CREATE OR REPLACE TABLE "{name or table.name}" ({", ".join(cols)})'


def all_column_names(table: Table) -> list[str]:
    return table.column_names + [n for n, _ in table.derived]
