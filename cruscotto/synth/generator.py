"""Synthetic data in the real schema, for many chambers and many years: the benchmarks and the multi-chamber pages.

`python -m cruscotto synth --enti N --anni A-B [--seed S] [--serie K] (--xlsx FILE | --store FILE)`

What a chamber's report looks like is copied from the shipped 2019 report of Cremona (data/):
- 4 aree strategiche on the missions 011, 012, 016, 032; 1-3 obiettivi strategici per area, 1-6 operativi each;
  codes prefixed by the year (2019_02, 2019_02_01, 2019_02_01_02) with each chamber's own numbering style;
- indicators hung at every level (0-2 per node), with VA/VR written as the report writes them ('>=80%', '= 137,56%',
  '<=20 giorni', '4' / '33', '34 (come da calendario agli atti)', qualitative milestones, missing VR), an esito
  that mostly agrees with the numbers, and cifre chiave (counts, euros, scores) under them;
- historical series in long form: each report repeats the history of its series (pratiche evase entro 5 giorni
  with numeratore/denominatore and missing years, imprese per l'internazionalizzazione, costi against the 2011
  base, two-year series), so a later report extends and occasionally corrects the values of an earlier one.
`--serie K` adds K-6 further series per chamber with a longer history (from 2005): the knob that takes the
store from the shipped size to about 5 million series rows (60 enti, 2010-2024, --serie 450).

Everything is a pure function of (seed, chamber number, year): the same arguments give the same data, byte for byte
in the workbook, and the first N chambers are the same whatever --enti says. Chamber names say "sintetica": these
are not any real chamber's figures.

Two ways into a store, with the same result:
- `write_store(..., bulk=False)`: per chamber, the cells go through `validate` and `store.write_tables`, exactly as
  an uploaded workbook (one version per chamber);
- `write_store(..., bulk=True)`: the typed rows `validate` would produce are built directly (the VA/VR derived
  columns with the same `parsing.parse_target`) and inserted with the same version records. It exists because the
  row-by-row validation takes minutes at millions of rows; tests/test_synth.py proves both give identical tables.
"""
from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from cruscotto.ingest.parsing import parse_target
from cruscotto.ingest.reader import Sheet
from cruscotto.store.schema import ANNO_MAX, ANNO_MIN, TABLES, TABLES_BY_NAME

DEFAULT_SEED = 2019
SHIPPED_SERIES = 6  # the series of the real report; --serie above this adds generic long series
DENSE_HISTORY_START = 2005
XLSX_MAX_ROWS = 1_048_575  # Excel's limit per sheet, header excluded

PROVINCE = (
    "Bergamo", "Brescia", "Como Lecco", "Milano Monza Brianza Lodi", "Varese", "Sondrio", "Torino", "Cuneo",
    "Alessandria Asti", "Biella Vercelli Novara VCO", "Genova", "Riviere di Liguria", "Venezia Rovigo", "Verona",
    "Vicenza", "Padova", "Treviso Belluno", "Trento", "Bolzano", "Udine Pordenone", "Venezia Giulia", "Bologna",
    "Ferrara Ravenna", "Modena", "Parma", "Reggio Emilia", "Romagna", "Firenze", "Pisa", "Lucca",
    "Toscana Nord-Ovest", "Arezzo Siena", "Maremma e Tirreno", "Pistoia Prato", "Perugia", "Marche", "Roma",
    "Rieti Viterbo", "Frosinone Latina", "Chieti Pescara", "Gran Sasso d'Italia", "Molise", "Napoli", "Caserta",
    "Salerno", "Irpinia Sannio", "Bari", "Brindisi Taranto", "Foggia", "Lecce", "Basilicata", "Cosenza",
    "Catanzaro Crotone Vibo Valentia", "Reggio Calabria", "Palermo Enna", "Catania", "Messina",
    "Sud Est Sicilia", "Sassari", "Cagliari Oristano", "Nuoro", "Aosta",
)

MISSIONI = (
    ("011", "Competitività e sviluppo delle imprese", "M.011 COMPETITIVITA' SVIL.IMP."),
    ("012", "Regolazione del mercato", "M.012-REGOLAZIONE DEL MERCATO"),
    ("016", "Commercio internazionale e internazionalizzazione del sistema produttivo", "M.016-COMM.INTERNAZ/INTERNAZ."),
    ("032", "Servizi istituzionali e generali delle Amministrazioni Pubbliche", "M.032-SERV.IST/GENERALI P.A."),
)

STRATEGICI = {
    "011": (
        ("Favorire lo sviluppo dell'innovazione e del trasferimento tecnologico nelle imprese della provincia", "INNOVAZIONE"),
        ("Migliorare la competitività del territorio attraverso la definizione di interventi strategici e il rafforzamento della partnership pubblico-privato.", "COMPETITIVITA' TERRITORIO"),
        ("Favorire la formazione e l'aggiornamento degli imprenditori e delle professionalità strategiche per le aziende", "SVILUPPO DEL CAPITALE UMANO"),
    ),
    "012": (
        ("Assicurare all'impresa tempi certi e rapidi per l'espletamento delle incombenze amministrative e garantire la trasparenza nelle relazioni commerciali", "ASSICURARE TEMPI RAPIDI/TRASP."),
        ("Tutelare il consumatore e la fede pubblica attraverso la vigilanza e la regolazione del mercato", "TUTELA DEL MERCATO"),
    ),
    "016": (
        ("Favorire lo sviluppo dell'internazionalizzazione delle imprese della provincia", "FAVORIRE SVILUPPO INTERNAZ."),
    ),
    "032": (
        ("Indirizzo politico", "INDIRIZZO POLITICO"),
        ("Valorizzare le competenze delle risorse interne e razionalizzare l'utilizzo delle risorse economiche a favore del sistema delle imprese", "SERV.GEN/FORMATIVI/APPROVVIG."),
    ),
}

OPERATIVI = {
    "011": (
        "Promozione di processi di innovazione tecnologica anche in accordo con la Regione",
        "Collaborazione con Università e centri di ricerca", "Tutela della proprietà industriale", "Tutela dell'ambiente",
        "Progetto PID Punto Impresa Digitale",
        "Incrementare la competitività del territorio mediante azioni di marketing territoriale e di infrastrutturazione del territorio",
        "Incrementare la competitività del territorio mediante promozione del turismo, eventi culturali e prodotti tipici.",
        "Sostenere lo sviluppo delle imprese e delle filiere del territorio",
        "Promuovere la conoscenza del sistema economico provinciale",
        "Implementazione della semplificazione amministrativa attraverso SUAP, firma digitale, CNS, e-government",
        "Formazione per gli imprenditori e collaborazione con associazioni dei professionisti",
        "Linee programmatiche per l'Azienda Speciale",
    ),
    "012": (
        "Assicurare la tenuta del registro delle imprese",
        "Implementare la trasparenza nelle relazioni commerciali tra le imprese del territorio",
        "Diffondere e gestire forme alternative di giustizia -arbitrato conciliazione",
        "Vigilanza sulla sicurezza dei prodotti e metrologia legale",
    ),
    "016": (
        "Gestione iniziative di internazionalizzazione in accordo con la Regione.",
        "Organizzazione fiere in collaborazione con istituzioni competenti",
        "Gestione di servizi di supporto all'internazionalizzazione delle imprese",
    ),
    "032": (
        "Assicurare il corretto funzionamento dell'attività di supporto agli organi istituzionali e delle attività di comunicazione",
        "Assicurare la gestione delle attività necessarie per il corretto funzionamento dell'ente, nel rispetto delle norme, razionalizzando l'utilizzo delle risorse umane",
        "Assicurare la gestione delle attività necessarie per il corretto funzionamento dell'ente, nel rispetto delle norme, razionalizzando l'utilizzo dei beni e delle risorse strumentali",
        "Assicurare la gestione delle attività necessarie per il corretto funzionamento dell'ente, nel rispetto delle norme, razionalizzando l'utilizzo delle risorse economiche",
    ),
}

COGNOMI = ("ROSSI", "BIANCHI", "FERRARI", "ESPOSITO", "ROMANO", "COLOMBO", "RICCI", "MARINO", "GRECO", "BRUNO",
           "GALLO", "CONTI", "DE LUCA", "MANCINI", "COSTA", "GIORDANO", "RIZZO", "LOMBARDI", "MORETTI", "BARBIERI")
NOMI = ("MARIA GRAZIA", "GIOVANNI", "ANNA", "PAOLO", "LUCIA", "MARCO", "ELENA", "FRANCESCO", "SILVIA", "ANDREA")


@dataclass(frozen=True)
class IndicatorKind:
    """One kind of indicator, written like the report: a description the chambers share (the key of the
    comparison across chambers), how VA and VR are written, and the series that computes it, if any."""
    descrizione: str
    tipo: str
    missione: str  # where it belongs
    va: str  # 'ge_pct', 'le_days', 'le_pct', 'count', 'qual', 'qual_progetto'
    modalita: str | None = None
    fonte: str | None = "interna"
    triennale: str | None = None
    serie: str | None = None


KINDS = (
    IndicatorKind("Tasso di evasione delle pratiche entro 5 giorni", "STRATEGICO", "012", "index_ge100",
                  "(numero di pratiche evase entro 5 giorni nell'anno corrente/numero pratiche evase entro 5 giorni 2013)*100",
                  triennale=">= 100% nel triennio", serie="pratiche_evase_5gg"),
    IndicatorKind("Percezione del livello di qualità e adeguatezza delle attività e dei servizi di arbitrato e conciliazione",
                  "STRATEGICO", "012", "ge_pct80", "(numero di valutazioni positive/numero totale di valutazioni)*100",
                  triennale=">=80% nel triennio", serie="soddisfazione_arbitrato_conciliazione"),
    IndicatorKind("Tempi di evasione delle pratiche inerenti il registro protesti", "OPERATIVO", "012", "le_days20",
                  "Tempo medio di evasione delle pratiche protesti"),
    IndicatorKind("Livello di soddisfazione degli utenti del servizio", "STRATEGICO", "012", "ge_pct80",
                  "(numero di valutazioni positive/numero totale di valutazioni)*100",
                  fonte="interna; Questionari di customer satisfaction", triennale=">= 80% nel triennio"),
    IndicatorKind("Percezione del livello di qualità ed adeguatezza dei servizi resi in tema di interventi promozionali",
                  "OUTCOME", "011", "ge_pct80", "(numero di valutazioni positive/numero totale di valutazioni)*100",
                  triennale=">= 80% nel triennio"),
    IndicatorKind("Percezione del livello di qualità e adeguatezza dei percorsi formativi realizzati anche attraverso l'Azienda Speciale",
                  "STRATEGICO", "011", "ge_pct80", "(numero di valutazioni positive/numero totale di valutazioni)*100",
                  triennale=">= 80% nel triennio"),
    IndicatorKind("Numero di masterclass con il supporto organizzativo della Camera", "OPERATIVO", "011", "count",
                  "Numero di masterclass"),
    IndicatorKind("Numero di rapporti di informazione sul sistema economico provinciale", "OPERATIVO", "011", "count_small",
                  "Numero di rapporti di informazione sul sistema economico provinciale"),
    IndicatorKind("Tempo medio di pubblicazione delle indagini congiunturali", "OPERATIVO", "011", "le_days10",
                  "Sommatoria numero giorni lavorativi tra moratoria alla pubblicazione Unioncamere e pubblicazione analisi congiunturali/numero analisi congiunturali pubblicate"),
    IndicatorKind("Implementazione nuove funzioni previste dal D.Lgs 219 del 2016 con riferimento al Punto impresa digitale",
                  "STRATEGICO", "011", "qual_mise", "Attuazione e rendicontazione del progetto secondo le indicazioni Mise -Unioncamere", fonte=None),
    IndicatorKind("Realizzazione del progetto “Eccellenze in Digitale”", "OPERATIVO", "011", "qual_progetto", fonte=None),
    IndicatorKind("Grado di utilizzo delle risorse stanziate per gli interventi di promozione", "EFFICIENZA", "011", "ge_pct90",
                  "(risorse utilizzate/risorse stanziate)*100"),
    IndicatorKind("Numero di imprese che usufruiscono dei servizi di supporto all'internazionalizzazione", "OPERATIVO", "016", "ge_pct70",
                  "(numero di imprese che usufruiscono dei servizi di supporto all'internazionalizzazione anno in corso/anno precedente)*100",
                  serie="imprese_internazionalizzazione"),
    IndicatorKind("Realizzazione del progetto “Sostegno all’export delle PMI” nell’ambito del fondo perequativo", "EFFICACIA", "016",
                  "qual_progetto", fonte=None),
    IndicatorKind("Percezione del livello di qualità ed adeguatezza dei servizi di internazionalizzazione", "STRATEGICO", "016", "ge_pct80",
                  "(numero di valutazioni positive/numero totale di valutazioni)*100", triennale=">= 80% nel triennio"),
    IndicatorKind("Adempimenti connessi alla riforma del sistema camerale prevista dal D.Lgs 219 del 2016", "STRATEGICO", "032", "qual_riforma",
                  "Misura l'attività degli uffici volta alla realizzazione della riforma", fonte=None),
    IndicatorKind("Attuazione adempimenti Piano per la Prevenzione Corruzione e Piano della Trasparenza", "OPERATIVO", "032", "qual_oiv",
                  fonte="Verifiche periodiche Organismo Indipendente di Valutazione"),
    IndicatorKind("Contenimento costi postali", "OPERATIVO", "032", "le_pct100", "(costi anno corrente/costi anno 2011)*100",
                  serie="costi_postali"),
    IndicatorKind("Contenimento costi delle consulenze", "OPERATIVO", "032", "le_pct100", "(costi anno corrente/costi anno 2011)*100",
                  serie="costi_consulenze"),
    IndicatorKind("Tempo medio di pagamento delle fatture passive", "EFFICIENZA", "032", "le_days30",
                  "Sommatoria giorni tra ricevimento e pagamento/numero fatture pagate"),
    IndicatorKind("Indice di tempestività dei pagamenti", "EFFICIENZA", "032", "le_days0",
                  "Indicatore annuale di tempestività dei pagamenti (DPCM 22/09/2014)"),
)
KINDS_BY_MISSIONE = {m: [k for k in KINDS if k.missione == m] for m, _, _ in MISSIONI}

QUAL = {
    "qual_progetto": ("Rispetto delle tempistiche e degli indicatori di progetto", "Il progetto si è svolto regolarmente"),
    "qual_mise": ("Si rimanda ai documenti di progetto per obiettivi e indicatori di risultato e alla relazione finale inviata al MISE e allegata.",
                  "Il progetto risulta pienamente realizzato"),
    "qual_riforma": ("Implementazione delle fasi della riforma", "Fasi della riforma attuate nei tempi previsti"),
    "qual_oiv": ("Referti OIV", "Referti regolari"),
}

def _ranges(name: str) -> tuple[tuple[str, str, float, float], ...]:
    """(titolo, unita, minimo, massimo) rows of cruscotto/synth/<name>.csv: what a synthetic figure or series is
    called, its unit and the range its values are drawn from (data, kept as data)."""
    with (Path(__file__).parent / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return tuple((r["titolo"], r["unita"], _number(r["minimo"]), _number(r["massimo"])) for r in csv.DictReader(f))


def _number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


VOCI = _ranges("voci")  # cifre chiave under an indicator
GENERIC_SERIES = _ranges("serie_generiche")  # the further series of --serie K


# ------------------------------------------------------------------ public entry points

def chamber_names(n: int) -> list[str]:
    names = [f"CCIAA sintetica di {p}" for p in PROVINCE[:n]]
    names += [f"CCIAA sintetica n. {i + 1:03d}" for i in range(len(names), n)]
    return names


def parse_years(text: str) -> tuple[int, int]:
    """'2010-2024' or '2019' -> (first, last); Italian message on anything else."""
    parts = str(text).replace("–", "-").split("-")
    try:
        first, last = (int(parts[0]), int(parts[-1])) if len(parts) in (1, 2) else (None, None)
    except ValueError:
        first = last = None
    if first is None or not (ANNO_MIN <= first <= last <= ANNO_MAX):
        raise ValueError(f"anni '{text}' non validi: scrivere per esempio 2010-2024 (anni tra {ANNO_MIN} e {ANNO_MAX}, il primo non dopo l'ultimo).")
    return first, last


def generate(enti: int, anni: tuple[int, int], seed: int = DEFAULT_SEED, serie: int = SHIPPED_SERIES) -> dict[str, pd.DataFrame]:
    """All chambers' tables as cells (python values, None for empty), in schema column order."""
    parts = [generate_chamber(i, enti, anni, seed, serie) for i in range(enti)]
    return {t.name: pd.concat([p[t.name] for p in parts], ignore_index=True) for t in TABLES}


def generate_chamber(index: int, enti: int, anni: tuple[int, int], seed: int = DEFAULT_SEED,
                     serie: int = SHIPPED_SERIES) -> dict[str, pd.DataFrame]:
    """One chamber, every year: its own tables (the unit of one upload)."""
    return _Chamber(index, chamber_names(max(enti, index + 1))[index], seed, serie).tables(anni)


def write_xlsx(tables: dict[str, pd.DataFrame], path: str | Path | None = None) -> bytes:
    """The upload format (one sheet per table), byte for byte the same for the same tables."""
    import xlsxwriter

    for name, frame in tables.items():
        if len(frame) > XLSX_MAX_ROWS:
            raise ValueError(f"il foglio {name} avrebbe {len(frame):,} righe, oltre il limite di Excel ({XLSX_MAX_ROWS:,}): "
                             "usare --store invece di --xlsx.".replace(",", "."))
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False, "nan_inf_to_errors": True})
    book.set_properties({"title": "Dati sintetici Cruscotto Performance", "created": datetime(2020, 1, 1)})
    for table in TABLES:
        frame = tables[table.name]
        sheet = book.add_worksheet(table.name)
        sheet.write_row(0, 0, table.column_names)
        columns = [frame[c].tolist() for c in table.column_names]
        for r, row in enumerate(zip(*columns), start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    book.close()
    data = buffer.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data


def as_sheets(tables: dict[str, pd.DataFrame], file_name: str) -> list[Sheet]:
    """The cells as the reader hands them to `validate` (object dtype, '' for empty)."""
    sheets = []
    for name, frame in tables.items():
        raw = frame.astype(object).where(frame.notna(), "")
        sheets.append(Sheet(file_name, name, raw, ",", list(range(2, len(raw) + 2))))
    return sheets


def provenance(seed: int, anni: tuple[int, int], serie: int, ente: str) -> tuple[str, str]:
    """(file_name, sha256) recorded in `versioni` for one chamber's synthetic upload."""
    text = f"synth seed={seed} anni={anni[0]}-{anni[1]} serie={serie} ente={ente}"
    slug = "".join(ch if ch.isalnum() else "_" for ch in ente.lower()).strip("_")
    return f"synth_{slug}.xlsx", hashlib.sha256(text.encode()).hexdigest()


def write_store(con, enti: int, anni: tuple[int, int], seed: int = DEFAULT_SEED, serie: int = SHIPPED_SERIES,
                bulk: bool = False, progress=None) -> list[int]:
    """Write every chamber into the store, one import (one version) per chamber, as each chamber would upload.

    bulk=False is the normal import path (validate, then store.write_tables). bulk=True inserts the rows that path
    would produce without the row-by-row validation; the result is the same (tests/test_synth.py).
    """
    from cruscotto import store
    from cruscotto.ingest.validate import validate

    versions = []
    for index in range(enti):
        tables = generate_chamber(index, enti, anni, seed, serie)
        ente = tables["aree"]["ente"].iloc[0]
        file_name, sha = provenance(seed, anni, serie, ente)
        if bulk:
            versions.append(_bulk_write(con, tables, file_name, sha))
        else:
            validated = validate(as_sheets(tables, file_name))
            if not validated.ok:  # a generator bug, never a user's: say which cells
                raise RuntimeError("dati sintetici non validi:\n" + "\n".join(str(p) for p in validated.errors[:20]))
            versions.append(store.write_tables(con, validated, file_name=file_name, sha256=sha, utente="synth",
                                               note=SYNTH_NOTE))
        if progress:
            progress(index + 1, enti, ente)
    return versions


SYNTH_NOTE = "dati sintetici (python -m cruscotto synth)"


# ------------------------------------------------------------------ bulk path

def typed_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """What `validate` returns for these cells: the same values plus the parsed VA/VR columns of indicatori (and the
    column numero of regole)."""
    out = dict(tables)
    ind = tables["indicatori"]
    cache: dict[tuple, object] = {}

    def parsed(text, expected):
        key = (text, expected)
        if key not in cache:
            cache[key] = parse_target(text, expected)
        return cache[key]

    va = [parsed(t, True) for t in ind["valore_atteso"]]
    vr = [parsed(t, False) for t in ind["valore_raggiunto"]]
    derived = {"va_tipo": [p.tipo for p in va], "va_operatore": [p.operatore for p in va],
               "va_operatore_implicito": [p.operatore_implicito for p in va], "va_numero": [p.numero for p in va],
               "va_unita": [p.unita for p in va], "vr_tipo": [p.tipo for p in vr], "vr_numero": [p.numero for p in vr],
               "vr_unita": [p.unita for p in vr]}
    out["indicatori"] = ind.assign(**{n: pd.Series(v, dtype=object, index=ind.index) for n, v in derived.items()})
    regole = tables["regole"]
    assert regole.empty, "the generator writes no rules (their numbers would have to be read here as validate does)"
    out["regole"] = regole.assign(numero=pd.Series(dtype=object))  # the column validate adds
    return out


def _bulk_write(con, tables: dict[str, pd.DataFrame], file_name: str, sha256: str) -> int:
    """Write rows that are typed already (no cell-by-cell validation): the same `store.write_tables` as any import,
    one transaction and one version per chamber. Replacing the partitions is one statement per table, so filling a
    big store costs no more than inserting."""
    from cruscotto import store
    from cruscotto.ingest.validate import Validated

    typed = Validated(typed_tables(tables))
    assert len({e for e, _ in typed.partitions()}) == 1, "one chamber per write"
    return store.write_tables(con, typed, file_name=file_name, sha256=sha256, utente="synth", note=SYNTH_NOTE)


# ------------------------------------------------------------------ the generator

def _it(value: float, decimals: int = 2) -> str:
    """89.14 -> '89,14'; 1234.5 -> '1.234,5' (trailing zeros dropped, as the report writes)."""
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


class _Chamber:
    def __init__(self, index: int, ente: str, seed: int, serie: int):
        self.index, self.ente, self.seed, self.serie = index, ente, seed, serie
        rng = self.rng("piano")
        self.size = rng.uniform(0.4, 2.5)  # scale of the chamber's figures (imprese, pratiche, euros)
        self.style_two_digits = rng.random() < 0.5  # '2019_01_02_04' or '2019_01_02_4'
        people = [f"{rng.choice(COGNOMI)} {rng.choice(NOMI)}" for _ in range(3)]
        self.dirigenti = people
        self.quality = rng.uniform(-1, 1)  # how well this chamber tends to do against its targets
        # The plan: which strategic objectives per area, which operational per strategic, which indicators where.
        self.plan = []
        for number, (missione, mdesc, mname) in enumerate(MISSIONI, start=1):
            choices = STRATEGICI[missione]
            strategici = rng.sample(range(len(choices)), rng.randint(1, len(choices)))
            nodes = []
            for s in sorted(strategici):
                ops = rng.sample(range(len(OPERATIVI[missione])), min(len(OPERATIVI[missione]), rng.randint(1, 5)))
                nodes.append((s, sorted(ops)))
            self.plan.append((number, missione, mdesc, mname, nodes))

    def rng(self, *what) -> random.Random:
        return random.Random("/".join(str(x) for x in (self.seed, self.index, *what)))

    # -------------------------------------------------------------- one chamber, all years
    def tables(self, anni: tuple[int, int]) -> dict[str, pd.DataFrame]:
        rows = {t.name: [] for t in TABLES}
        truth = self._truth(anni)
        for anno in range(anni[0], anni[1] + 1):
            self._report(anno, rows, truth)
        frames = {name: pd.DataFrame(r, columns=TABLES_BY_NAME[name].column_names) for name, r in rows.items()}
        frames["serie_storiche"] = pd.concat([frames["serie_storiche"], self._dense_series(anni, frames["indicatori"])],
                                             ignore_index=True)
        for table in TABLES:
            frame = frames[table.name]
            frames[table.name] = frame.astype(object).where(frame.notna(), None)
        return frames

    def _truth(self, anni) -> dict:
        """The chamber's real trajectories, from which every report copies its history."""
        rng = self.rng("storia")
        first = min(2011, anni[0] - 9)
        years = range(first, anni[1] + 1)
        t = {}
        tot = {y: int(20000 * self.size * rng.uniform(0.85, 1.15)) for y in years}
        rate = 0.6 + 0.05 * self.quality
        pe = {}
        for y in years:
            rate = min(0.995, max(0.3, rate + rng.gauss(0.03, 0.03)))
            pe[y] = (round(tot[y] * rate), tot[y])
        t["pratiche_evase_5gg"] = pe
        level = 500 * self.size
        t["imprese_internazionalizzazione"] = {y: max(20, round(level * rng.uniform(0.6, 1.5))) for y in years}
        base_post = round(40000 * self.size * rng.uniform(0.7, 1.3), 2)
        t["costi_postali"] = {y: round(base_post * max(0.15, 1 - 0.06 * (y - 2011) + rng.gauss(0, 0.05)), 2) for y in years}
        base_cons = round(6000 * self.size * rng.uniform(0.5, 1.5), 2)
        t["costi_consulenze"] = {y: (0.0 if rng.random() < 0.3 else round(base_cons * rng.uniform(0.1, 1.1), 2)) for y in years}
        t["soddisfazione_arbitrato_conciliazione"] = {y: round(min(100, max(60, 92 + 5 * self.quality + rng.gauss(0, 3))), 1) for y in years}
        t["bando_export_imprese"] = {y: rng.randint(2, 40) for y in years}
        t["bando_export_contributi"] = {y: round(rng.uniform(8000, 120000) * self.size, 2) for y in years}
        # years a report does not give for pratiche evase (the real one skips 2014-2015)
        t["gaps"] = {y for y in years if rng.random() < 0.15}
        return t

    def _code(self, anno: int, area: int, strategico: int, operativo: int) -> str:
        """An operational objective's code; chambers number them '2019_01_02_04' or '2019_01_02_4'."""
        last = f"{operativo:02d}" if self.style_two_digits else str(operativo)
        return f"{anno}_{area:02d}_{strategico:02d}_{last}"

    def _report(self, anno: int, rows: dict, truth: dict) -> None:
        rng = self.rng("relazione", anno)
        ente = self.ente
        riga = [80]

        def line(step=None):
            riga[0] += step or rng.randint(8, 60)
            return riga[0]

        indicators = []  # (codice, kind, stato) to hang cifre and series on
        for number, missione, mdesc, mname, nodes in self.plan:
            area = f"{anno}_{number:02d}"
            rows["aree"].append((ente, anno, area, missione, mdesc, mname, None if number > 1 else
                                 "Promozione ed attuazione di politiche di sviluppo, competitività e innovazione.",
                                 "ENTE" if rng.random() < 0.6 else None, "Ente" if rng.random() < 0.6 else None, line(), None))
            pool = list(KINDS_BY_MISSIONE[missione])
            rng.shuffle(pool)
            if rng.random() < 0.4 and pool:
                indicators.append(self._indicator(rows, anno, area, 1, pool.pop(), rng, line))
            for s, ops in nodes:
                # a plan changes a little from year to year: an operational objective may be dropped or appear
                ops = [o for o in ops if rng.random() > 0.05]
                strat = f"{area}_{s + 1:02d}"
                title, short = STRATEGICI[missione][s]
                resp = rng.choice(self.dirigenti)
                rows["obiettivi"].append((ente, anno, strat, strat, "strategico", area, title, short,
                                          "ENTE" if rng.random() < 0.3 else None, None, None, line(), None))
                for k in range(rng.choice((0, 1, 1, 2))):
                    if pool:
                        indicators.append(self._indicator(rows, anno, strat, k + 1, pool.pop(), rng, line))
                for o in ops:
                    code = self._code(anno, number, s + 1, o + 1)
                    rows["obiettivi"].append((ente, anno, code, code if rng.random() > 0.03 else None, "operativo", strat,
                                              OPERATIVI[missione][o] if rng.random() > 0.07 else None, None, resp, resp,
                                              None, line(), None))
                    for k in range(rng.choice((0, 1, 1, 1, 2))):
                        kind = pool.pop() if pool else _generic_kind(missione, rng)
                        indicators.append(self._indicator(rows, anno, code, k + 1, kind, rng, line))
        for codice, kind, node in indicators:
            self._cifre(rows, anno, node, codice, rng, line)
        self._series(rows, anno, truth, {kind.serie: codice for codice, kind, _ in indicators if kind.serie}, rng, line)

    def _indicator(self, rows, anno, node, k, kind: IndicatorKind, rng, line):
        codice = f"{node}-I{k}"
        va, vr, ok = self._values(kind, anno, rng)
        if vr is None:
            esito = None
        elif ok is None:
            esito = "OBIETTIVO CONSEGUITO" if rng.random() < 0.9 else "OBIETTIVO PARZIALMENTE CONSEGUITO"
        else:
            esito = "OBIETTIVO CONSEGUITO" if ok else rng.choice(("OBIETTIVO NON CONSEGUITO", "OBIETTIVO PARZIALMENTE CONSEGUITO"))
            if rng.random() < 0.03:  # the report disagrees with itself now and then, as the real one does
                esito = "OBIETTIVO CONSEGUITO"
        if rng.random() < 0.1:
            esito = None
        note = "Indicatore a livello di area strategica." if node.count("_") == 1 else None
        risultato = None if rng.random() < 0.6 else f"Nel {anno} le attività previste sono state svolte secondo il programma."
        riga_fonte = line()
        riga_va, riga_vr = (line() if va is not None else None), (line() if vr is not None else None)
        rows["indicatori"].append((self.ente, anno, codice, node, kind.descrizione, kind.tipo, va, vr, kind.modalita,
                                   kind.fonte, kind.triennale, esito, note, risultato, None, riga_fonte, riga_va, riga_vr))
        return codice, kind, node

    def _values(self, kind: IndicatorKind, anno: int, rng) -> tuple[str | None, str | None, bool | None]:
        """VA and VR written like the report, and whether the VR meets the VA (None when qualitative)."""
        q = self.quality
        missing = rng.random() < 0.06
        if kind.va.startswith("qual"):
            va, vr = QUAL[kind.va]
            return va, (None if missing else vr), None
        if kind.va.startswith("ge_pct") or kind.va == "index_ge100":
            target = 100 if kind.va == "index_ge100" else int(kind.va[6:])
            value = round(min(100 if target < 100 else 250, max(0, target + 8 + 12 * q + rng.gauss(0, 10))), 2)
            va = rng.choice((f">={target}%", f">= {target}%"))
            vr = rng.choice((f"= {_it(value)}%", f"={_it(value)}%"))
            return va, (None if missing else vr), value >= target
        if kind.va.startswith("le_days"):
            target = int(kind.va[7:])
            spread = max(3, target * 0.5)
            value = round(max(-15 if target == 0 else 1, target - spread * (0.5 + q) + rng.gauss(0, spread)), 1 if target == 0 else 0)
            va = f"<={target} giorni"
            vr = f"= {_it(value, 1)} giorni"
            return va, (None if missing else vr), value <= target
        if kind.va == "le_pct100":
            value = round(max(0, 70 - 20 * q + rng.gauss(0, 25)), 2)
            return "<=100%", (None if missing else f"= {_it(value)}%"), value <= 100
        if kind.va in ("count", "count_small"):
            target = rng.randint(1, 8) if kind.va == "count" else rng.randint(1, 3)
            value = max(0, round(target * rng.uniform(0.6, 4)))
            vr = str(value) if rng.random() < 0.9 else f"{value} (come da calendario agli atti)"
            return str(target), (None if missing else vr), value >= target
        raise ValueError(kind.va)

    def _cifre(self, rows, anno, node, codice, rng, line):
        for voce, unit, low, high in rng.sample(VOCI, rng.choice((0, 1, 2, 3, 4, 5))):
            value = round(rng.uniform(low, high) * (self.size if unit in ("numero", "€") and high > 100 else 1),
                          2 if unit in ("€", "punteggio") else 0 if unit == "numero" else 1)
            text = f"{voce}: {_it(value) if unit != '€' else '€ ' + _it(value)}"
            rows["cifre_chiave"].append((self.ente, anno, node, codice if rng.random() > 0.15 else None,
                                         f"{voce} ({codice})", value, unit, text, line(3), None))

    def _series(self, rows, anno, truth, linked, rng, line):
        """The six series of the real report, each with the history the report repeats."""
        ente = self.ente
        pe = truth["pratiche_evase_5gg"]
        title = "Pratiche del Registro imprese evase entro 5 giorni lavorativi (% sul totale)"
        for y in range(max(2013, anno - 8), anno + 1):
            if y in truth["gaps"] and y not in (2013, anno):
                continue
            ev, tot = pe[y]
            rate = round(100 * ev / tot, 2)
            rows["serie_storiche"].append((ente, anno, "pratiche_evase_5gg", title, y, rate, "%", float(ev), float(tot),
                                           linked.get("pratiche_evase_5gg"),
                                           f"Al 31/12/{y}: evase nei 5 giorni lavorativi {ev} su {tot} pratiche complessive ({_it(rate)}%)",
                                           line(2)))
        title = "Imprese che usufruiscono dei servizi di supporto all'internazionalizzazione"
        for y in range(anno - 8, anno + 1):
            value = truth["imprese_internazionalizzazione"][y]
            if y < anno and rng.random() < 0.02:  # a later report corrects an earlier figure
                value += rng.randint(-5, 5)
            rows["serie_storiche"].append((ente, anno, "imprese_internazionalizzazione", title, y, float(value), "numero",
                                           None, None, linked.get("imprese_internazionalizzazione"), None, line(2)))
        for code, title in (("costi_postali", "Costi postali"), ("costi_consulenze", "Costi per consulenze")):
            for y in sorted({min(2011, anno), anno}):
                rows["serie_storiche"].append((ente, anno, code, title, y, truth[code][y], "€", None, None, linked.get(code),
                                               None, line(2)))
        for code, title, unit in (("soddisfazione_arbitrato_conciliazione", "Soddisfazione degli utenti di arbitrato e conciliazione (%)", "%"),
                                  ("bando_export_imprese", "Bando Export: imprese con contributi liquidati, per annualità del bando", "numero"),
                                  ("bando_export_contributi", "Bando Export: contributi liquidati, per annualità del bando", "€")):
            for y in (anno - 1, anno):
                rows["serie_storiche"].append((ente, anno, code, title, y, float(truth[code][y]), unit, None, None,
                                               linked.get(code), None, line(2)))

    def _dense_series(self, anni, indicatori: pd.DataFrame) -> pd.DataFrame:
        """--serie K: K-6 more series per chamber, each report carrying the history since 2005 (vectorised)."""
        extra = self.serie - SHIPPED_SERIES
        columns = TABLES_BY_NAME["serie_storiche"].column_names
        if extra <= 0:
            return pd.DataFrame(columns=columns)
        gen = np.random.default_rng([self.seed, self.index, 7])
        start = min(DENSE_HISTORY_START, anni[0])
        years = np.arange(start, anni[1] + 1)
        templates = [GENERIC_SERIES[i % len(GENERIC_SERIES)] for i in range(extra)]
        low = np.array([t[2] for t in templates], dtype=float)
        high = np.array([t[3] for t in templates], dtype=float)
        # a random walk per series inside its range; about 8% of (series, year) values never reported (gaps)
        level = gen.uniform(0.2, 0.8, extra)
        steps = gen.normal(0, 0.06, (len(years), extra)).cumsum(axis=0)
        path = np.clip(level + steps, 0, 1)
        values = low + (high - low) * path
        decimals = np.array([2 if t[1] in ("%", "€", "‰") else 1 if t[1] == "giorni" else 0 for t in templates])
        values = np.stack([np.round(values[:, j], decimals[j]) for j in range(extra)], axis=1)
        present = gen.random((len(years), extra)) > 0.08
        first_year = start + gen.integers(0, 6, extra)  # series start at different years
        frames = []
        codes = np.array([f"serie_{j + 1:03d}" for j in range(extra)], dtype=object)
        titles = np.array([f"{t[0]} ({j + 1:03d})" for j, t in enumerate(templates)], dtype=object)
        units = np.array([t[1] for t in templates], dtype=object)
        for anno in range(anni[0], anni[1] + 1):
            upto = anno - start + 1
            yy, jj = np.nonzero(present[:upto] & (years[:upto, None] >= first_year[None, :]))
            order = np.lexsort((yy, jj))
            yy, jj = yy[order], jj[order]
            n = len(yy)
            frames.append(pd.DataFrame({
                "ente": np.full(n, self.ente, dtype=object), "anno": np.full(n, anno, dtype=object),
                "serie": codes[jj], "titolo": titles[jj], "anno_valore": (years[yy]).astype(object),
                "valore": values[yy, jj].astype(object), "unita": units[jj],
                "numeratore": np.full(n, None, dtype=object), "denominatore": np.full(n, None, dtype=object),
                "codice_indicatore": np.full(n, None, dtype=object), "testo_originale": np.full(n, None, dtype=object),
                "riga_fonte": (5000 + np.arange(n)).astype(object),
            }, columns=columns))
        out = pd.concat(frames, ignore_index=True)
        out["anno"] = [int(a) for a in out["anno"]]
        out["anno_valore"] = [int(a) for a in out["anno_valore"]]
        out["riga_fonte"] = [int(a) for a in out["riga_fonte"]]
        out["valore"] = [float(v) for v in out["valore"]]
        return out


def _generic_kind(missione: str, rng) -> IndicatorKind:
    """An operational indicator beyond the shared catalogue: a count or a project milestone of this chamber."""
    if rng.random() < 0.5:
        return IndicatorKind(f"Realizzazione delle attività del progetto {rng.choice(('PID', 'Turismo e attrattività', 'Orientamento al lavoro', 'Sostegno all’export', 'Prevenzione crisi d’impresa'))}",
                             "OPERATIVO", missione, "qual_progetto", fonte=None)
    return IndicatorKind(f"Numero di {rng.choice(('seminari informativi realizzati', 'incontri con le imprese', 'eventi promozionali', 'verifiche ispettive', 'iniziative di formazione'))}",
                         "OPERATIVO", missione, "count", "Conteggio delle iniziative realizzate")
