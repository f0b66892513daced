"""Verifica: what the report gets wrong, found by recomputing it from its own data.

Every check reads facts through the SQL files in queries/ (the recomputation `stg_ricalcolo`, the judgement by rule
`stg_valutazione`, the plan's nodes) and returns `Finding`s: a severity and a plain Italian explanation with the
numbers and the source lines, so that a reader can redo the check by hand with the PDF beside them.

Severities
- errore: a number or an esito of the report contradicts its own data or the rule (or the verification itself
  cannot run: a method without its data, an unusable rule). `python -m cruscotto check` exits 1.
- avviso: an inconsistency or a gap an OIV would ask about, that does not change whether a target is met.
- info: worth knowing, not wrong (a value right only within rounding, a gap in the numbering, ...).

The rules (tolerance, words for reasons, bands) come from the store (`stg_regole`): configuration, not code.
No streamlit here: the page, the CLI and the tests call `run_checks`.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from cruscotto.ingest import fonte
from cruscotto.present import formatting
from cruscotto.store import queries

ERRORE, AVVISO, INFO = "errore", "avviso", "info"
GRAVITA = (ERRORE, AVVISO, INFO)


@dataclass(frozen=True)
class Check:
    id: str
    titolo: str
    verifica: str  # what the check looks at, in Italian
    gravita: str  # how severe its findings are, in Italian


CHECKS: dict[str, Check] = {c.id: c for c in (
    Check("vr_ricalcolato", "Valore raggiunto diverso dal ricalcolo",
          "Ricalcola il valore raggiunto con il metodo dichiarato in metodi_calcolo, dai dati della stessa relazione, "
          "e lo confronta con quello dichiarato.",
          "errore oltre la tolleranza di arrotondamento; info se torna solo entro la tolleranza (troncato o calcolato "
          "su valori già arrotondati)."),
    Check("tasso_incoerente", "Percentuale nel testo diversa dai suoi dati",
          "Confronta ogni percentuale stampata con il suo numeratore e denominatore (serie storiche) o con le parti "
          "da cui è composta (metodi_calcolo con 'dichiarato').",
          "errore oltre la tolleranza di arrotondamento; info se torna solo entro la tolleranza."),
    Check("modalita_letterale", "La modalità di calcolo, presa alla lettera, dà un altro valore",
          "Applica la modalità di calcolo come è scritta (lettura 'letterale') e la confronta con il valore "
          "dichiarato, dicendo quale lettura il valore dichiarato segue.",
          "errore se con la lettura letterale il valore atteso non sarebbe più raggiunto (o lo sarebbe); altrimenti avviso."),
    Check("conteggio_narrativa", "Conteggio nella relazione diverso dal valore raggiunto",
          "Confronta il valore raggiunto con il numero che la relazione dell'indicatore racconta (metodo valore_diretto).",
          "errore se con il numero del racconto l'esito cambierebbe; altrimenti avviso."),
    Check("esito_contraddice_regola", "Esito dichiarato in contrasto con la regola",
          "Confronta l'esito dichiarato con quello che dà la regola in vigore (grado di raggiungimento e fasce).",
          "errore."),
    Check("esito_mancante", "Esito non dichiarato",
          "Indicatori con un valore raggiunto ma senza esito dichiarato.", "avviso."),
    Check("scostamento_senza_motivo", "Valore atteso mancato senza motivo dello scostamento",
          "Indicatori non raggiunti o raggiunti solo in parte (per la regola o per l'esito dichiarato) la cui relazione "
          "o nota non spiega lo scostamento (parole della regola parole_motivazione): è la prima domanda dell'OIV.",
          "avviso: è una lacuna della relazione, non una contraddizione."),
    Check("valore_raggiunto_mancante", "Valore raggiunto mancante",
          "Indicatori senza valore raggiunto: non si possono valutare.", "avviso."),
    Check("indicatore_senza_target", "Indicatore senza valore atteso",
          "Indicatori senza valore atteso, o il cui valore atteso rinvia ad altri documenti.",
          "avviso se manca; info se rinvia ad altri documenti."),
    Check("obiettivo_senza_indicatori", "Obiettivo senza indicatori",
          "Obiettivi operativi senza indicatori, obiettivi strategici e aree senza alcun indicatore sotto di sé; "
          "obiettivi strategici senza indicatori propri.",
          "avviso; info per uno strategico che ha indicatori solo nei suoi operativi."),
    Check("obiettivo_senza_titolo", "Obiettivo senza titolo", "Obiettivi senza titolo nel documento.", "info."),
    Check("codice_duplicato", "Codice usato più volte", "Lo stesso codice per due aree, obiettivi o indicatori.", "errore."),
    Check("codici_ambigui", "Codici che differiscono solo per uno zero",
          "Codici che diventano uguali togliendo gli zeri iniziali (es. 2019_01_02_4 e 2019_01_02_04).", "avviso."),
    Check("codice_mancante", "Obiettivo senza codice nel documento",
          "Obiettivi il cui codice non è stampato nel documento (il codice nel cruscotto è assegnato in trascrizione).",
          "avviso."),
    Check("codice_fuori_ramo", "Codice che non discende dal padre",
          "Obiettivi il cui codice non comincia con quello del padre.", "avviso."),
    Check("numerazione_saltata", "Numerazione degli obiettivi con un salto",
          "Numeri mancanti nella sequenza degli obiettivi figli dello stesso padre.", "info."),
    Check("anno_nella_descrizione", "Anno diverso da quello della relazione",
          "Descrizioni che nominano un'edizione, una fase o un anno diverso da quello della relazione.", "info."),
    Check("voce_sotto_soglia", "Voce dichiarata raggiunta con un dato sotto la soglia",
          "Per le righe di metodi_calcolo il cui 'dichiarato' è una condizione (es. '>= 80%'): ricalcola il dato della "
          "voce e controlla che la rispetti (es. la quota di giudizi positivi di una voce che vale 100%).", "errore."),
    Check("codice_stampato_piu_volte", "Codice stampato per due blocchi",
          "Codici che il documento stampa per più blocchi diversi (tabella codici_ripetuti): la trascrizione li "
          "riunisce, ma chi cita il codice non sa di quale blocco parla.", "avviso."),
    Check("target_poco_ambizioso", "Valore atteso poco ambizioso",
          "Valori attesi già raggiunti l'anno prima (il valore dell'anno precedente, calcolato con il metodo "
          "dell'indicatore, noto quando il piano è stato adottato) o superati di molte volte (regola soglia_ambizione).",
          "avviso: il target non misura un miglioramento, ma l'esito non è contraddetto."),
    Check("direzione_tempo_costo", "Tempo o costo letto come «di più è meglio»",
          "Indicatori di tempo o di costo (unità giorni, oppure «tempo», «costo», «durata», «spesa» nella descrizione) "
          "il cui valore atteso ha, scritto o sottinteso, l'operatore >= (di più è meglio).",
          "errore se con il tetto (<=) l'esito cambierebbe; altrimenti avviso."),
    Check("vr_senza_riscontro", "Valore raggiunto senza un dato dietro",
          "Valori raggiunti numerici senza calcolo (metodi_calcolo), serie storica, cifra chiave uguale o numero nella "
          "relazione dell'indicatore che li documenti.",
          "avviso se non c'è neppure una relazione sul risultato; info se c'è ma non cita il numero."),
    Check("metodo_non_applicabile", "Metodo di calcolo senza i suoi dati",
          "Righe di metodi_calcolo che non si possono calcolare (serie, voce, anno o indicatore mancante).", "errore."),
    Check("regola_non_valida", "Regola non valida",
          "Righe del foglio regole con un valore non utilizzabile (vale il predefinito) o soglie incoerenti.", "errore."),
)}

LETTURE = {"principale": "principale", "letterale": "letterale", "riscontro": "di riscontro"}
METODI = {
    "rapporto_anno_base": "rapporto con l'anno base", "rapporto_anno_precedente": "rapporto con l'anno precedente",
    "quota": "quota numeratore / denominatore", "media_scala": "punteggio medio sulla scala in %",
    "valore_diretto": "valore diretto", "somma": "somma",
}
_REFERRAL = re.compile(r"\b(si rimanda|si veda|vedi|rinvio)\b", re.IGNORECASE)
_NUMBER_IN_TEXT = re.compile(r"-?\d[\d.]*(?:,(\d+))?")


@dataclass(frozen=True)
class Finding:
    controllo: str
    gravita: str
    ente: str
    anno: int
    titolo: str
    spiegazione: str
    codice_indicatore: str | None = None
    codice_obiettivo: str | None = None
    codice_area: str | None = None
    valore_dichiarato: str | None = None
    valore_ricalcolato: float | None = None
    righe_fonte: str | None = None
    # added by issue 13 (at the end, so that readers of the fields above are unaffected)
    calcolo: str | None = None  # the recomputation step by step, one numbered step a line
    regola: str | None = None  # the rule applied (with its values in force), in Italian
    citazione: str | None = None  # the text of the cited lines: «r. 1155: Al 31/12/2016: …», one a line

    @property
    def oggetto(self) -> str:
        return self.codice_indicatore or self.codice_obiettivo or "regole"


COLUMNS = [f.name for f in fields(Finding)]
_ORDER = {g: i for i, g in enumerate(GRAVITA)}


# ------------------------------------------------------------------ numbers, Italian and by hand

def num(value, max_decimals: int = 4) -> str:
    """137.568495 -> '137,5685'; 44.0 -> '44'; 18978.38 -> '18.978,38' (trailing zeros dropped)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    if not math.isfinite(float(value)):
        return formatting.number(value)  # «—»: no rounding of an infinity
    rounded = round(float(value), max_decimals)
    if rounded == int(rounded):
        return formatting.number(rounded, 0)
    text = formatting.number(rounded, max_decimals)
    return text.rstrip("0").rstrip(",")


def pct(value, max_decimals: int = 4) -> str:
    return f"{num(value, max_decimals)}%"


def declared_decimals(text) -> int:
    """Decimals of the first number of a declared value as written: '= 137,56%' -> 2, '= 99,2%' -> 1, '33' -> 0."""
    match = _NUMBER_IN_TEXT.search(str(text or ""))
    return len(match.group(1)) if match and match.group(1) else 0


def float_decimals(value: float) -> int:
    """Decimals of a number read from a CSV (84.43 -> 2, 64.8 -> 1)."""
    text = repr(float(value))
    return 0 if not math.isfinite(float(value)) or "e" in text or text.endswith(".0") else len(text.split(".")[1])


def round_half_up(value: float, decimals: int) -> float:
    if not math.isfinite(float(value)):
        return float(value)  # an infinity or NaN stays what it is (stored before validation refused it)
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def truncate(value: float, decimals: int) -> float:
    if not math.isfinite(float(value)):
        return float(value)
    factor = 10 ** decimals
    return math.trunc(float(value) * factor + (1e-9 if value >= 0 else -1e-9)) / factor


@dataclass(frozen=True)
class Agreement:
    """How a declared value compares with a recomputed one: 'esatto' (equal once rounded as declared),
    'arrotondamento' (within the tolerance only) or 'diverso'."""
    verdict: str
    rounded: float
    difference: float
    tolerance: float
    truncated: bool


def compare(declared: float, recomputed: float, decimals: int, tolleranza_unita: float) -> Agreement:
    rounded = round_half_up(recomputed, decimals)
    difference = declared - recomputed
    tolerance = tolleranza_unita * 10 ** (-decimals)
    if math.isclose(rounded, declared, abs_tol=1e-9):
        verdict = "esatto"
    elif abs(difference) <= tolerance + 1e-9:
        verdict = "arrotondamento"
    else:
        verdict = "diverso"
    return Agreement(verdict, rounded, difference, tolerance,
                     math.isclose(truncate(recomputed, decimals), declared, abs_tol=1e-9))


def meets(value: float, operator: str | None, target: float | None) -> bool | None:
    """Whether `value` meets the valore atteso `operator target` (None when there is no numeric target)."""
    if value is None or target is None or operator is None or _missing(value) or _missing(target):
        return None
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}.get(
        operator, math.isclose(value, target, abs_tol=1e-9))


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _clean(value):
    return None if _missing(value) else value


def _line(value) -> str:
    return "" if _missing(value) else f"r. {int(value)}"


def _at(value) -> str:
    """' (r. 854)' after a value, or nothing when its line is not known."""
    return f" ({_line(value)})" if _line(value) else ""


# ------------------------------------------------------------------ the formula of a recomputation, in words

def formula(row: dict) -> str:
    """The calculation of a stg_ricalcolo row written out, with the numbers used and where they come from."""
    metodo, g, result = row["metodo"], row["grandezza"], row["valore_ricalcolato"]
    if metodo in ("rapporto_anno_base", "rapporto_anno_precedente"):
        a, b = row["anno_valore"], row["anno_base"]
        if g == "tasso":
            return (f"tasso {a} = {num(row['num_anno'])} / {num(row['den_anno'])} × 100 = {pct(row['x_anno'])} "
                    f"({_line(row['riga_anno'])}); tasso {b} = {num(row['num_base'])} / {num(row['den_base'])} × 100 = "
                    f"{pct(row['x_base'])} ({_line(row['riga_base'])}); {pct(row['x_anno'])} / {pct(row['x_base'])} × 100 "
                    f"= {pct(result)}")
        label = {"numeratore": "numeratore", "denominatore": "denominatore"}.get(g, "valore")
        return (f"{label} {a} / {label} {b} × 100 = {num(row['x_anno'])} ({_line(row['riga_anno'])}) / "
                f"{num(row['x_base'])} ({_line(row['riga_base'])}) × 100 = {pct(result)}")
    items_n = _items(row.get("operandi_numeratore"))
    items_d = _items(row.get("operandi_denominatore"))
    where = _sources(items_n + items_d, row.get("riga_metodo"))
    if metodo == "quota" and _clean(row.get("serie")):
        return (f"{num(row['num_anno'])} / {num(row['den_anno'])} × 100 = {pct(result)} "
                f"(serie {row['serie']}, {row['anno_valore']}, {_line(row['riga_anno'])})")
    if metodo == "quota":
        n_sum, d_sum = sum(v for _, v, _ in items_n), sum(v for _, v, _ in items_d)
        return (f"{_sum_text(items_n)} / {_sum_text(items_d)} × 100"
                + (f" = {num(n_sum)} / {num(d_sum)} × 100" if len(items_n) > 1 or len(items_d) > 1 else "")
                + f" = {pct(result)} ({where})")
    if metodo == "media_scala":
        mean = (f"({_sum_text(items_n)}) / {len(items_n)}" if len(items_n) > 1 else num(items_n[0][1])) if items_n else num(row["x_anno"])
        return f"{mean} / {num(row['scala'])} × 100 = {pct(result)} ({where})"
    if metodo == "valore_diretto" and _clean(row.get("serie")):
        return f"{num(result)} (serie {row['serie']}, {row['anno_valore']}, {_line(row['riga_anno'])})"
    if metodo == "valore_diretto" and len(items_n) == 1:
        name, value, line = items_n[0]
        return f"{num(value)} («{name}», {_line(line) or _line(row.get('riga_metodo'))})"
    return f"{_sum_text(items_n)} = {num(result)} ({where})"


def _as_list(value) -> list:
    """A list column as Python list (DuckDB lists arrive as lists or numpy arrays; NULL as None or NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return list(value)


def _items(value) -> list[tuple[str, float, int | None]]:
    return [(i["nome"], i["valore"], _clean(i["riga_fonte"])) for i in _as_list(value) if not _missing(i["valore"])]


def _sum_text(items) -> str:
    return " + ".join(num(v) for _, v, _ in items) if items else "?"


def _sources(items, riga_metodo) -> str:
    lines = sorted({int(line) for _, _, line in items if line is not None})
    if lines:
        return "voci di cifre_chiave, " + ("r. " if len(lines) == 1 else "righe ") + ", ".join(map(str, lines))
    return f"numeri citati nel testo, {_line(riga_metodo)}" if not _missing(riga_metodo) else "numeri citati nel testo"


def _target_text(row: dict) -> str:
    return str(row.get("valore_atteso") or "").strip() or "?"


# ------------------------------------------------------------------ running

def run_checks(con, ente: str | None = None, anno: int | None = None) -> list[Finding]:
    """Every check on the store (optionally one chamber and year), sorted errors first."""
    params = {"ente": ente, "anno": anno}
    rules_in_force = queries.run(con, "regole_in_vigore", params)
    rules = _rules(rules_in_force)
    nodes = queries.run(con, "verifica_nodi", params)
    areas = _area_of(queries.run(con, "grado_obiettivi", params))
    indicators = queries.run(con, "verifica_indicatori", params)
    recomputations = queries.run(con, "ricalcolo_dettaglio", params)
    findings: list[Finding] = []
    findings += check_rules(rules_in_force)
    findings += check_recomputations(recomputations, rules, indicators)
    findings += check_series_rates(queries.run(con, "verifica_tassi", params), rules)
    findings += check_indicators(indicators, rules)
    findings += check_nodes(nodes)
    findings += check_duplicate_indicators(queries.run(con, "verifica_codici_indicatori", params))
    findings += check_printed_twice(queries.run(con, "verifica_codici_ripetuti", params))
    findings += check_ambition(ambition_facts(indicators, recomputations, rules))
    findings += check_direction(queries.run(con, "verifica_direzione", params))
    findings += check_evidence(queries.run(con, "verifica_riscontri", params))
    owners = {(r.ente, int(r.anno), r.codice): r.codice_obiettivo for r in indicators.itertuples()}
    text = _source_text(queries.run(con, "fonte_testo", params))
    findings = [_completed(_with_area(f, areas, owners), text) for f in findings]
    return sorted(findings, key=lambda f: (_ORDER[f.gravita], f.ente, f.anno, f.codice_area or "", f.oggetto, f.controllo))


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(f) for f in findings], columns=COLUMNS)
    frame.insert(frame.columns.get_loc("titolo"), "oggetto", [f.oggetto for f in findings])
    return frame


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {g: 0 for g in GRAVITA}
    for f in findings:
        out[f.gravita] += 1
    return out


def has_errors(findings: list[Finding]) -> bool:
    return any(f.gravita == ERRORE for f in findings)


def _rules(frame: pd.DataFrame) -> dict[tuple[str, int], dict[str, object]]:
    out: dict[tuple[str, int], dict[str, object]] = defaultdict(dict)
    for r in frame.itertuples():
        out[(r.ente, int(r.anno))][r.regola] = r.numero if not _missing(r.numero) else r.valore
    return out


def _tolerance(rules, ente, anno) -> float:
    value = rules.get((ente, int(anno)), {}).get("tolleranza_arrotondamento", 1.0)
    return float(value) if not _missing(value) else 1.0


def _source_text(frame: pd.DataFrame) -> dict[tuple[str, int], dict[int, str]]:
    out: dict[tuple[str, int], dict[int, str]] = defaultdict(dict)
    for ente, anno, riga, testo in zip(frame["ente"], frame["anno"], frame["riga"], frame["testo"]):
        out[(ente, int(anno))][int(riga)] = testo
    return out


def _completed(f: Finding, text) -> Finding:
    """The rule applied (the check's own description when the finding names no configurable rule) and the text of
    the cited lines, from the stored source (fonte_righe), when the report's text is loaded."""
    changes = {}
    if f.regola is None:
        check = CHECKS[f.controllo]
        changes["regola"] = f"{check.verifica} Gravità: {check.gravita}"
    quoted = fonte.citation(text.get((f.ente, int(f.anno)), {}), f.righe_fonte)
    if quoted and f.citazione is None:
        changes["citazione"] = quoted
    return Finding(**{**asdict(f), **changes}) if changes else f


def _area_of(frame: pd.DataFrame) -> dict[tuple[str, int, str], str]:
    return {(r.ente, int(r.anno), r.codice): r.codice_area for r in frame.itertuples()}


def _with_area(f: Finding, areas, owners) -> Finding:
    """Fill in the objective (from the indicator) and the area (from the objective) a finding belongs to."""
    changes = {}
    obiettivo = f.codice_obiettivo or owners.get((f.ente, int(f.anno), f.codice_indicatore))
    if obiettivo and not f.codice_obiettivo:
        changes["codice_obiettivo"] = obiettivo
    if obiettivo and not f.codice_area and areas.get((f.ente, int(f.anno), obiettivo)):
        changes["codice_area"] = areas[(f.ente, int(f.anno), obiettivo)]
    return Finding(**{**asdict(f), **changes}) if changes else f


# ------------------------------------------------------------------ rules

def check_rules(frame: pd.DataFrame) -> list[Finding]:
    out = []
    for r in frame.itertuples():
        if not r.valido:
            out.append(Finding("regola_non_valida", ERRORE, r.ente, int(r.anno), CHECKS["regola_non_valida"].titolo,
                               f"Nel foglio regole, «{r.regola}» vale «{r.valore_foglio}», che non si può usare: si applica "
                               f"il valore predefinito «{r.predefinito}». Valori ammessi: vedere la colonna regola del modello.",
                               valore_dichiarato=str(r.valore_foglio)))
    for (ente, anno), group in frame.groupby(["ente", "anno"]):
        values = dict(zip(group["regola"], group["numero"]))
        sr, sp = values.get("soglia_raggiunto"), values.get("soglia_parziale")
        if not _missing(sr) and not _missing(sp) and sp > sr:
            out.append(Finding("regola_non_valida", ERRORE, ente, int(anno), CHECKS["regola_non_valida"].titolo,
                               f"La soglia di 'parzialmente raggiunto' ({pct(sp)}) è più alta di quella di 'raggiunto' "
                               f"({pct(sr)}): la fascia intermedia non può esistere. Correggere il foglio regole."))
    return out


# ------------------------------------------------------------------ recomputations (metodi_calcolo)

def check_recomputations(frame: pd.DataFrame, rules, indicators: pd.DataFrame | None = None) -> list[Finding]:
    out: list[Finding] = []
    rows = [dict(zip(frame.columns, values)) for values in frame.itertuples(index=False)]
    principal = {}
    for row in rows:
        if row["lettura"] == "principale" and not _missing(row["valore_ricalcolato"]):
            principal[(row["ente"], row["anno"], row["codice_indicatore"], row["oggetto"])] = row
    for row in rows:
        ente, anno = row["ente"], int(row["anno"])
        base = dict(ente=ente, anno=anno, codice_indicatore=row["codice_indicatore"],
                    codice_obiettivo=_clean(row["codice_obiettivo"]))
        missing = _as_list(row["mancanti"])
        if missing:
            out.append(Finding("metodo_non_applicabile", ERRORE, titolo=CHECKS["metodo_non_applicabile"].titolo,
                               spiegazione=(f"Il calcolo {LETTURE[row['lettura']]} «{METODI[row['metodo']]}» di "
                                            f"«{row['oggetto']}» ({row['codice_indicatore']}) non si può fare: manca "
                                            + "; ".join(missing) + "."),
                               righe_fonte=_line(row["riga_metodo"]) or None, **base))
            continue
        if _missing(row["dichiarato_numero"]):
            continue
        declared, result = float(row["dichiarato_numero"]), float(row["valore_ricalcolato"])
        common = dict(valore_dichiarato=str(row["dichiarato_testo"]), valore_ricalcolato=result, **base)
        if not _missing(row.get("dichiarato_operatore")):
            finding = _condition(row, common)
            if finding:
                out.append(finding)
            continue
        decimals = declared_decimals(row["dichiarato_testo"])
        agreement = compare(declared, result, decimals, _tolerance(rules, ente, anno))
        common["regola"] = _tolerance_rule(rules, ente, anno, decimals)
        if row["lettura"] == "letterale":
            finding = _literal(row, agreement, principal.get((ente, row["anno"], row["codice_indicatore"], row["oggetto"])), rules, common)
        elif not row["confronta_vr"]:
            finding = _cited_rate(row, agreement, common)
        elif row["metodo"] == "valore_diretto" and not _clean(row.get("serie")):
            finding = _narrative_count(row, agreement, common)
        else:
            finding = _recomputed_vr(row, agreement, common)
        if finding:
            out.append(finding)
    return out


def _lines(*values) -> str | None:
    lines = sorted({int(v) for v in values if not _missing(v)})
    return ", ".join(map(str, lines)) or None


def _steps(*steps) -> str:
    """Numbered steps of a calculation, one a line (the «Calcolo passo per passo» of a finding)."""
    return "\n".join(f"{n}. {s}" for n, s in enumerate([s for s in steps if s], start=1))


def _tolerance_rule(rules, ente, anno, decimals: int) -> str:
    unita = _tolerance(rules, ente, anno)
    return (f"Tolleranza di arrotondamento (regola «tolleranza_arrotondamento»): {num(unita)} unità dell'ultima cifra "
            f"dichiarata, cioè {num(unita * 10 ** -decimals)} per un valore con {decimals} decimali. Una differenza "
            "oltre la tolleranza è un errore; entro la tolleranza un'informazione.")


def _rounded_text(value: float, decimals: int, declared_text) -> str:
    """A recomputed value rounded like the declared one, with its % when the declared value has one."""
    return num(round_half_up(value, decimals), decimals) + ("%" if "%" in str(declared_text or "") else "")


def _vr_line(row) -> int | None:
    """The line where the declared valore raggiunto is printed (the indicator's first line when not recorded)."""
    return _clean(row.get("riga_vr")) or _clean(row.get("riga_indicatore"))


def _va_line(row) -> int | None:
    return _clean(row.get("riga_va")) or _clean(row.get("riga_indicatore"))


def _comparison_step(declared_text: str, line, agreement: Agreement, decimals: int) -> str:
    verdict = {"esatto": "coincide", "arrotondamento": "entro la tolleranza",
               "diverso": "oltre la tolleranza"}[agreement.verdict]
    return (f"Dichiarato {declared_text}{f' ({_line(line)})' if _line(line) else ''}: differenza "
            f"{num(abs(agreement.difference))}, tolleranza {num(agreement.tolerance)}, {verdict}")


def _target_step(row, value: float, what: str) -> str | None:
    ok = meets(value, row["va_operatore"], row["va_numero"])
    if ok is None:
        return None
    return (f"Valore atteso {_target_text(row)} ({_line(_va_line(row))}): con {what} "
            + ("raggiunto" if ok else "NON raggiunto"))


def _why_rounding(row: dict, agreement: Agreement, decimals: int) -> str:
    if row["metodo"] in ("rapporto_anno_base", "rapporto_anno_precedente") and row["grandezza"] == "tasso" \
            and not _missing(row.get("valore_anno")) and not _missing(row.get("valore_base")) and row["valore_base"]:
        printed = 100.0 * row["valore_anno"] / row["valore_base"]
        if math.isclose(round_half_up(printed, decimals), float(row["dichiarato_numero"]), abs_tol=1e-9):
            return (f"la relazione ha diviso le percentuali già arrotondate che stampa "
                    f"({formatting.percent(row['valore_anno'], decimals)} / {formatting.percent(row['valore_base'], decimals)} "
                    f"× 100 = {pct(printed)}), non i tassi calcolati dai conteggi")
    if agreement.truncated:
        return f"il valore dichiarato è troncato, non arrotondato (arrotondato sarebbe {num(agreement.rounded, decimals)})"
    return "il valore dichiarato sembra calcolato su valori intermedi già arrotondati"


def _recomputed_vr(row, agreement: Agreement, common) -> Finding | None:
    if agreement.verdict == "esatto":
        return None
    decimals = declared_decimals(row["dichiarato_testo"])
    declared = row["dichiarato_testo"].lstrip("= ").strip()
    which = "" if row["lettura"] == "principale" else " (calcolo di riscontro)"
    text = (f"La relazione dichiara {declared} ({_line(_vr_line(row))}). "
            f"Ricalcolato{which} con il metodo «{METODI[row['metodo']]}» dai dati della relazione: {formula(row)}.")
    lines = _lines(_vr_line(row), row["riga_metodo"], row["riga_anno"], row["riga_base"],
                   _va_line(row) if agreement.verdict == "diverso" else None)
    steps = _steps(f"Metodo «{METODI[row['metodo']]}» (lettura {LETTURE[row['lettura']]}): {formula(row)}",
                   f"Arrotondato a {decimals} decimali come il valore dichiarato: "
                   f"{_rounded_text(row['valore_ricalcolato'], decimals, declared)}",
                   _comparison_step(declared, _vr_line(row), agreement, decimals),
                   _target_step(row, row["valore_ricalcolato"], "il valore ricalcolato"))
    if agreement.verdict == "arrotondamento":
        text += (f" Arrotondato a {decimals} decimali fa {num(agreement.rounded, decimals)}: la differenza "
                 f"({num(abs(agreement.difference))}) sta entro la tolleranza ammessa ({num(agreement.tolerance)}); "
                 f"{_why_rounding(row, agreement, decimals)}.")
        return Finding("vr_ricalcolato", INFO, titolo="Valore raggiunto coerente solo entro l'arrotondamento",
                       spiegazione=text, righe_fonte=lines, calcolo=steps, **common)
    text += f" Differenza: {num(abs(agreement.difference))}, oltre la tolleranza di arrotondamento ({num(agreement.tolerance)})."
    target_ok = meets(row["valore_ricalcolato"], row["va_operatore"], row["va_numero"])
    if target_ok is not None:
        text += (f" Con il valore ricalcolato il valore atteso {_target_text(row)} "
                 + ("sarebbe comunque raggiunto." if target_ok else "NON sarebbe raggiunto."))
    return Finding("vr_ricalcolato", ERRORE, titolo=CHECKS["vr_ricalcolato"].titolo, spiegazione=text,
                   righe_fonte=lines, calcolo=steps, **common)


def _cited_rate(row, agreement: Agreement, common) -> Finding | None:
    if agreement.verdict == "esatto":
        return None
    decimals = declared_decimals(row["dichiarato_testo"])
    note = f" Dettaglio: {row['note_metodo']}" if not _missing(row.get("note_metodo")) else ""
    text = (f"La relazione indica {row['dichiarato_testo']} per «{row['oggetto']}» ({_line(row['riga_metodo'])}), "
            f"ma le sue parti danno {formula(row)}.")
    lines = _lines(row["riga_metodo"], *[line for _, _, line in _items(row.get("operandi_numeratore")) + _items(row.get("operandi_denominatore"))])
    steps = _steps(f"Metodo «{METODI[row['metodo']]}»: {formula(row)}",
                   f"Arrotondato a {decimals} decimali come il valore citato: "
                   f"{_rounded_text(row['valore_ricalcolato'], decimals, row['dichiarato_testo'])}",
                   _comparison_step(row["dichiarato_testo"], row["riga_metodo"], agreement, decimals))
    if agreement.verdict == "arrotondamento":
        return Finding("tasso_incoerente", INFO, titolo="Percentuale nel testo coerente solo entro l'arrotondamento",
                       spiegazione=text + f" La differenza ({num(abs(agreement.difference))}) sta entro la tolleranza.",
                       righe_fonte=lines, calcolo=steps, **common)
    text += f" Differenza: {num(abs(agreement.difference))} punti.{note}"
    return Finding("tasso_incoerente", ERRORE, titolo=CHECKS["tasso_incoerente"].titolo, spiegazione=text,
                   righe_fonte=lines, calcolo=steps, **common)


def _condition(row, common) -> Finding | None:
    """A figure the report declares met (an item scored 100%) whose own data must reach a threshold (`dichiarato`
    written as a condition, e.g. '>= 80%'): a finding only when they do not."""
    operator, threshold, result = row["dichiarato_operatore"], float(row["dichiarato_numero"]), float(row["valore_ricalcolato"])
    if meets(result, operator, threshold):
        return None
    note = f" Dettaglio: {row['note_metodo']}" if not _missing(row.get("note_metodo")) else ""
    text = (f"«{row['oggetto']}» ({_line(row['riga_metodo'])}) è dichiarata raggiunta, ma i suoi dati danno "
            f"{formula(row)}, che non rispetta la condizione {row['dichiarato_testo']}.{note}")
    operand_lines = [line for _, _, line in _items(row.get("operandi_numeratore")) + _items(row.get("operandi_denominatore"))]
    return Finding("voce_sotto_soglia", ERRORE, titolo=CHECKS["voce_sotto_soglia"].titolo, spiegazione=text,
                   righe_fonte=_lines(row["riga_metodo"], *operand_lines),
                   calcolo=_steps(f"Metodo «{METODI[row['metodo']]}»: {formula(row)}",
                                  f"Condizione {row['dichiarato_testo']}: {num(result)} NON la rispetta"),
                   regola=("La condizione scritta in metodi_calcolo (colonna dichiarato): il dato di una voce "
                           "dichiarata raggiunta deve rispettarla."), **common)


def _narrative_count(row, agreement: Agreement, common) -> Finding | None:
    if agreement.verdict == "esatto":
        return None
    declared = row["dichiarato_testo"].lstrip("= ").strip()
    declared_ok = meets(row["vr_numero"], row["va_operatore"], row["va_numero"])
    told_ok = meets(row["valore_ricalcolato"], row["va_operatore"], row["va_numero"])
    text = (f"Il valore raggiunto dichiarato è {declared} ({_line(_vr_line(row))}), ma la relazione dell'indicatore "
            f"racconta {formula(row)}.")
    if declared_ok is not None and declared_ok == told_ok:
        text += (f" Entrambi i numeri {'raggiungono' if told_ok else 'mancano'} il valore atteso {_target_text(row)}: "
                 "l'esito non cambia, ma uno dei due numeri è sbagliato.")
        severity = AVVISO
    else:
        text += (f" Con il numero del racconto il valore atteso {_target_text(row)} "
                 + ("sarebbe raggiunto." if told_ok else "NON sarebbe raggiunto."))
        severity = ERRORE
    operand_lines = [line for _, _, line in _items(row.get("operandi_numeratore"))]
    steps = _steps(f"Valore raggiunto dichiarato: {declared} ({_line(_vr_line(row))})",
                   f"Numero raccontato nella relazione dell'indicatore: {formula(row)}",
                   f"Differenza: {num(abs(agreement.difference))}",
                   _target_step(row, row["vr_numero"], "il valore dichiarato"),
                   _target_step(row, row["valore_ricalcolato"], "il numero del racconto"))
    return Finding("conteggio_narrativa", severity, titolo=CHECKS["conteggio_narrativa"].titolo, spiegazione=text,
                   righe_fonte=_lines(_vr_line(row), row["riga_metodo"], *operand_lines), calcolo=steps, **common)


def _literal(row, agreement: Agreement, principal: dict | None, rules, common) -> Finding | None:
    if agreement.verdict == "esatto":
        return None
    decimals = declared_decimals(row["dichiarato_testo"])
    declared = row["dichiarato_testo"].lstrip("= ").strip()
    text = (f"La modalità di calcolo ({_line(row['riga_metodo'])}: «{row['modalita_calcolo']}»), presa alla lettera, dà "
            f"{formula(row)}, non il {declared} dichiarato ({_line(_vr_line(row))}).")
    steps = [f"Modalità di calcolo alla lettera ({_line(row['riga_metodo'])}): {formula(row)}",
             f"Arrotondato a {decimals} decimali come il valore dichiarato: "
             f"{_rounded_text(row['valore_ricalcolato'], decimals, declared)}",
             _comparison_step(declared, _vr_line(row), agreement, decimals)]
    if principal is not None:
        follows = compare(float(row["dichiarato_numero"]), float(principal["valore_ricalcolato"]), decimals,
                          _tolerance(rules, row["ente"], row["anno"])).verdict != "diverso"
        text += (f" Il valore dichiarato {'segue invece' if follows else 'non segue neppure'} la lettura principale: "
                 f"{formula(principal)}.")
        steps.append(f"Lettura principale ({METODI[principal['metodo']]}): {formula(principal)}, arrotondato "
                     f"{_rounded_text(principal['valore_ricalcolato'], decimals, declared)}: il dichiarato "
                     f"{'la segue' if follows else 'non la segue'}")
    declared_ok = meets(row["vr_numero"], row["va_operatore"], row["va_numero"])
    literal_ok = meets(row["valore_ricalcolato"], row["va_operatore"], row["va_numero"])
    steps += [_target_step(row, row["vr_numero"], "il valore dichiarato"),
              _target_step(row, row["valore_ricalcolato"], "la lettura letterale")]
    severity = AVVISO
    if literal_ok is not None:
        if declared_ok is not None and literal_ok != declared_ok:
            severity = ERRORE
            text += (f" Con la lettura letterale il valore atteso {_target_text(row)} "
                     + ("sarebbe raggiunto." if literal_ok else "NON sarebbe raggiunto: l'esito dipende da come si legge la formula.")
                     + " La modalità di calcolo va riscritta perché dica il calcolo fatto davvero.")
        else:
            text += f" Con entrambe le letture il valore atteso {_target_text(row)} {'è raggiunto' if literal_ok else 'è mancato'}."
    return Finding("modalita_letterale", severity, titolo=CHECKS["modalita_letterale"].titolo, spiegazione=text,
                   righe_fonte=_lines(_va_line(row), _vr_line(row), row["riga_metodo"], row["riga_anno"], row["riga_base"]),
                   calcolo=_steps(*steps), **common)


# ------------------------------------------------------------------ printed rates of the historical series

def check_series_rates(frame: pd.DataFrame, rules) -> list[Finding]:
    out = []
    for r in frame.itertuples():
        decimals = float_decimals(r.valore)
        agreement = compare(float(r.valore), float(r.tasso_calcolato), decimals, _tolerance(rules, r.ente, r.anno))
        if agreement.verdict == "esatto":
            continue
        text = (f"Per il {r.anno_valore} la relazione stampa {pct(r.valore)} ({_line(r.riga_fonte)}: «{r.testo_originale}»), "
                f"ma {num(r.numeratore)} / {num(r.denominatore)} × 100 = {pct(r.tasso_calcolato)}.")
        swap = _digit_swap(r.numeratore, r.denominatore, float(r.valore), decimals)
        steps = _steps(f"Dati del {r.anno_valore} ({_line(r.riga_fonte)}): numeratore {num(r.numeratore)}, denominatore "
                       f"{num(r.denominatore)}",
                       f"{num(r.numeratore)} / {num(r.denominatore)} × 100 = {pct(r.tasso_calcolato)}",
                       f"Arrotondato a {decimals} decimali come la percentuale stampata: "
                       f"{formatting.percent(agreement.rounded, decimals)}",
                       _comparison_step(formatting.percent(r.valore, decimals), r.riga_fonte, agreement, decimals),
                       f"Prova: {swap}" if swap and agreement.verdict == "diverso" else None)
        common = dict(ente=r.ente, anno=int(r.anno), codice_indicatore=_clean(r.codice_indicatore),
                      valore_dichiarato=pct(r.valore), valore_ricalcolato=float(r.tasso_calcolato),
                      righe_fonte=_lines(r.riga_fonte), calcolo=steps,
                      regola=_tolerance_rule(rules, r.ente, r.anno, decimals))
        if agreement.verdict == "arrotondamento":
            out.append(Finding("tasso_incoerente", INFO, titolo="Percentuale nel testo coerente solo entro l'arrotondamento",
                               spiegazione=text + f" La differenza ({num(abs(agreement.difference))}) sta entro la tolleranza.",
                               **common))
            continue
        text += f" Differenza: {num(abs(agreement.difference))} punti."
        if swap:
            text += f" Il valore stampato torna invece con {swap}: probabile inversione di due cifre nel testo."
        out.append(Finding("tasso_incoerente", ERRORE, titolo=CHECKS["tasso_incoerente"].titolo, spiegazione=text, **common))
    return out


def _digit_swap(numerator: float, denominator: float, printed: float, decimals: int) -> str | None:
    """The first swap of two adjacent digits of the numeratore or the denominatore that gives the printed rate."""
    for which in ("denominatore", "numeratore"):
        value = denominator if which == "denominatore" else numerator
        if not float(value).is_integer():
            continue
        digits = str(int(value))
        for i in range(len(digits) - 1):
            if digits[i] == digits[i + 1]:
                continue
            other = int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:])
            n, d = (numerator, other) if which == "denominatore" else (other, denominator)
            if d and math.isclose(round_half_up(100.0 * n / d, decimals), printed, abs_tol=1e-9):
                return (f"{which} {num(other)} al posto di {num(value)} ({num(n)} / {num(d)} × 100 = "
                        f"{pct(100.0 * n / d)})")
    return None


# ------------------------------------------------------------------ single indicators

def check_indicators(frame: pd.DataFrame, rules) -> list[Finding]:
    out = []
    for r in frame.itertuples():
        base = dict(ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice, codice_obiettivo=r.codice_obiettivo,
                    codice_area=_clean(r.codice_area), righe_fonte=_lines(r.riga_fonte))
        values = {**base, "righe_fonte": _lines(r.riga_fonte, r.riga_va, r.riga_vr)}
        label = f"«{r.descrizione}»"
        has_vr = r.vr_tipo != "assente"
        if r.va_tipo == "assente":
            out.append(Finding("indicatore_senza_target", AVVISO, titolo=CHECKS["indicatore_senza_target"].titolo,
                               spiegazione=f"L'indicatore {label} non ha un valore atteso: non si può dire se è raggiunto.", **base))
        elif r.va_tipo == "qualitativo" and _REFERRAL.search(r.valore_atteso or ""):
            out.append(Finding("indicatore_senza_target", INFO, titolo="Valore atteso che rinvia ad altri documenti",
                               spiegazione=(f"Il valore atteso di {label} è «{r.valore_atteso}»: il traguardo non è scritto "
                                            "nella relazione, che rinvia ai documenti di progetto. Il lettore deve cercarlo lì."),
                               valore_dichiarato=r.valore_atteso, **{**base, "righe_fonte": _lines(r.riga_fonte, r.riga_va)}))
        if not has_vr:
            esito = "né l'esito" if _missing(r.esito_dichiarato) else f"ma l'esito dichiarato è «{r.esito_dichiarato}»"
            extra = f" La relazione dice: «{_first_line(r.risultato)}»." if not _missing(r.risultato) else ""
            out.append(Finding("valore_raggiunto_mancante", AVVISO, titolo=CHECKS["valore_raggiunto_mancante"].titolo,
                               spiegazione=(f"L'indicatore {label} (valore atteso «{r.valore_atteso}») non ha valore raggiunto, "
                                            f"{esito}: non si può valutare e non entra nel grado di raggiungimento.{extra}"),
                               **values))
        elif _missing(r.esito_dichiarato) and not _missing(r.grado):
            out.append(Finding("esito_mancante", AVVISO, titolo=CHECKS["esito_mancante"].titolo,
                               spiegazione=(f"L'indicatore {label} ha valore atteso «{r.valore_atteso}» e valore raggiunto "
                                            f"«{r.valore_raggiunto}», ma la relazione non dichiara l'esito. Con la regola in vigore "
                                            f"il grado è {pct(r.grado, 2)} e l'esito sarebbe «{r.esito_regola}»."),
                               calcolo=_grado_steps(r), regola=_bands_rule(r), **values))
        if not _missing(r.esito_dichiarato) and not _missing(r.esito_regola) and r.esito_dichiarato != r.esito_regola:
            out.append(Finding("esito_contraddice_regola", ERRORE, titolo=CHECKS["esito_contraddice_regola"].titolo,
                               spiegazione=(f"L'esito dichiarato di {label} è «{r.esito_dichiarato}», ma con valore atteso "
                                            f"«{r.valore_atteso}» e valore raggiunto «{r.valore_raggiunto}» la regola in vigore dà "
                                            f"un grado di {pct(r.grado, 2)} (fascia «{r.fascia}»): l'esito sarebbe «{r.esito_regola}»."),
                               valore_dichiarato=r.esito_dichiarato, calcolo=_grado_steps(r), regola=_bands_rule(r), **values))
        short = r.stato_regola == "non raggiunto" or r.fascia in ("non raggiunto", "parzialmente raggiunto") \
            or r.esito_dichiarato in ESITI_SCOSTAMENTO
        if short and not r.ha_motivazione:
            words = rules.get((r.ente, int(r.anno)), {}).get("parole_motivazione", "")
            how = ("raggiunge solo in parte" if r.fascia == "parzialmente raggiunto"
                   or r.esito_dichiarato == "OBIETTIVO PARZIALMENTE CONSEGUITO" else "non raggiunge")
            out.append(Finding("scostamento_senza_motivo", AVVISO, titolo=CHECKS["scostamento_senza_motivo"].titolo,
                               spiegazione=(f"Per {label} il valore raggiunto «{r.valore_raggiunto}» {how} il valore atteso "
                                            f"«{r.valore_atteso}»"
                                            + (f" (esito dichiarato «{r.esito_dichiarato}»)" if not _missing(r.esito_dichiarato) else "")
                                            + f", e né la relazione né le note spiegano lo scostamento (nessuna delle parole: "
                                            f"{words}). L'OIV deve trovare il motivo scritto."),
                               valore_dichiarato=r.valore_raggiunto,
                               calcolo=_grado_steps(r) if not _missing(r.grado) else None,
                               regola=f"Parole che indicano un motivo (regola «parole_motivazione»): {words}.", **values))
        years = [int(y) for y in _as_list(r.anni_descrizione) if int(y) != int(r.anno)]
        if years:
            out.append(Finding("anno_nella_descrizione", INFO, titolo=CHECKS["anno_nella_descrizione"].titolo,
                               spiegazione=(f"La descrizione {label} nomina il {', '.join(map(str, years))} nella relazione del "
                                            f"{int(r.anno)}: verificare che l'indicatore e la sua relazione parlino della stessa "
                                            "edizione."), **base))
    return out


ESITI_SCOSTAMENTO = ("OBIETTIVO PARZIALMENTE CONSEGUITO", "OBIETTIVO NON CONSEGUITO")


def _grado_steps(r) -> str | None:
    """How the rule in force turns VA and VR into a grado, a band and an esito, with the numbers."""
    if _missing(r.grado):
        return None
    if r.valutazione == "traguardo":
        first = (f"Traguardo qualitativo: il valore raggiunto «{r.valore_raggiunto}» è giudicato «{r.stato_regola}» "
                 f"(regola parole_non_raggiunto): grado {pct(r.grado, 2)}")
    elif r.va_operatore in (">=", ">"):
        first = (f"Grado = valore raggiunto / valore atteso × 100 = {num(r.vr_numero)} / {num(r.va_numero)} × 100 = "
                 f"{pct(r.grado_grezzo, 2)}")
    elif r.va_operatore in ("<=", "<"):
        first = (f"Grado = valore atteso / valore raggiunto × 100 = {num(r.va_numero)} / {num(r.vr_numero)} × 100 = "
                 f"{pct(r.grado_grezzo, 2)}" if not _missing(r.grado_grezzo)
                 else f"Valore raggiunto {num(r.vr_numero)} sotto un tetto: il massimo, {pct(r.grado, 2)}")
    else:
        first = f"Grado = il minore fra VR / VA e VA / VR, × 100 = {pct(r.grado_grezzo, 2)}"
    capped = (f"Tetto del grado {pct(r.tetto, 2)}: grado {pct(r.grado, 2)}"
              if not _missing(r.tetto) and not _missing(r.grado_grezzo) and r.grado_grezzo > r.tetto else None)
    band = (f"Fascia «{r.fascia}» (raggiunto da {pct(r.soglia_raggiunto, 2)}, parzialmente da {pct(r.soglia_parziale, 2)}): "
            f"esito «{r.esito_regola}»")
    return _steps(first, capped, band)


def _bands_rule(r) -> str:
    cap = "senza tetto" if _missing(r.tetto) else f"tetto {pct(r.tetto, 2)}"
    return (f"Regole in vigore: grado = VR / VA × 100 (VA / VR per i valori da non superare), {cap}; fasce: raggiunto da "
            f"{pct(r.soglia_raggiunto, 2)}, parzialmente raggiunto da {pct(r.soglia_parziale, 2)}, sotto non raggiunto "
            "(regole tetto_grado, soglia_raggiunto, soglia_parziale).")


def _first_line(text) -> str:
    line = str(text).strip().split("\n")[0]
    return line if len(line) <= 160 else line[:157] + "…"


# ------------------------------------------------------------------ the plan's structure

def _normalised(code: str) -> str:
    return "_".join(part.lstrip("0") or "0" if part.isdigit() else part for part in code.split("_"))


def check_nodes(frame: pd.DataFrame) -> list[Finding]:
    out = []
    rows = list(frame.itertuples())
    seen_dup = set()
    for r in rows:
        base = dict(ente=r.ente, anno=int(r.anno), codice_obiettivo=r.codice, righe_fonte=_lines(r.riga_fonte))
        what = {"area": "L'area strategica", "strategico": "L'obiettivo strategico", "operativo": "L'obiettivo operativo"}[r.livello]
        title = f" «{r.titolo}»" if not _missing(r.titolo) else ""
        if r.occorrenze > 1 and (r.ente, r.anno, r.codice) not in seen_dup:
            seen_dup.add((r.ente, r.anno, r.codice))
            lines = _lines(*[x.riga_fonte for x in rows if (x.ente, x.anno, x.codice) == (r.ente, r.anno, r.codice)])
            out.append(Finding("codice_duplicato", ERRORE, titolo=CHECKS["codice_duplicato"].titolo,
                               spiegazione=f"Il codice {r.codice} è usato {r.occorrenze} volte (righe {lines}).",
                               **{**base, "righe_fonte": lines}))
        if r.livello == "area":
            if r.indicatori_sotto == 0:
                out.append(Finding("obiettivo_senza_indicatori", AVVISO, titolo="Area senza indicatori",
                                   spiegazione=f"{what} {r.codice}{title} non ha alcun indicatore, né propri né dei suoi obiettivi.", **base))
            continue
        if r.livello == "operativo" and r.indicatori_propri == 0:
            out.append(Finding("obiettivo_senza_indicatori", AVVISO, titolo=CHECKS["obiettivo_senza_indicatori"].titolo,
                               spiegazione=(f"{what} {r.codice}{title} ({_line(r.riga_fonte)}) non ha indicatori: il suo "
                                            "raggiungimento non si può misurare e non entra nel grado del suo obiettivo strategico."),
                               **base))
        elif r.livello == "strategico" and r.indicatori_sotto == 0:
            out.append(Finding("obiettivo_senza_indicatori", AVVISO, titolo=CHECKS["obiettivo_senza_indicatori"].titolo,
                               spiegazione=f"{what} {r.codice}{title} non ha indicatori, né propri né dei suoi obiettivi operativi.",
                               **base))
        elif r.livello == "strategico" and r.indicatori_propri == 0:
            out.append(Finding("obiettivo_senza_indicatori", INFO, titolo="Obiettivo strategico senza indicatori propri",
                               spiegazione=(f"{what} {r.codice}{title} non ha indicatori propri: il suo grado viene solo dagli "
                                            f"indicatori dei suoi obiettivi operativi ({r.indicatori_sotto})."), **base))
        if _missing(r.titolo):
            out.append(Finding("obiettivo_senza_titolo", INFO, titolo=CHECKS["obiettivo_senza_titolo"].titolo,
                               spiegazione=f"{what} {r.codice} ({_line(r.riga_fonte)}) non ha titolo nel documento: si sa solo il codice.",
                               **base))
        if _missing(r.codice_documento):
            out.append(Finding("codice_mancante", AVVISO, titolo=CHECKS["codice_mancante"].titolo,
                               spiegazione=(f"{what}{title} ({_line(r.riga_fonte)}) non ha codice nel documento: nel cruscotto "
                                            f"ha il codice {r.codice}, assegnato in trascrizione. Un lettore della relazione non "
                                            "può citarlo."), **base))
        elif not _missing(r.codice_padre) and not str(r.codice).startswith(f"{r.codice_padre}_"):
            out.append(Finding("codice_fuori_ramo", AVVISO, titolo=CHECKS["codice_fuori_ramo"].titolo,
                               spiegazione=(f"{what} {r.codice}{title} è figlio di {r.codice_padre}, ma il suo codice non comincia "
                                            f"con «{r.codice_padre}_»."), **base))
    out += _ambiguous_codes(rows)
    out += _numbering_gaps(rows)
    return out


def _ambiguous_codes(rows) -> list[Finding]:
    groups = defaultdict(list)
    for r in rows:
        groups[(r.ente, r.anno, _normalised(r.codice))].append(r)
    out = []
    for (ente, anno, _), members in groups.items():
        codes = sorted({m.codice for m in members})
        if len(codes) < 2:
            continue
        members = sorted(members, key=lambda m: m.riga_fonte or 0)
        described = " e ".join(f"{m.codice} ({_line(m.riga_fonte)}" + (f", «{m.titolo}»)" if not _missing(m.titolo) else ")")
                               for m in members)
        for m in members[-1:]:  # one finding, on the code printed last
            out.append(Finding("codici_ambigui", AVVISO, ente, int(anno), CHECKS["codici_ambigui"].titolo,
                               f"I codici {described} differiscono solo per uno zero iniziale: sono obiettivi diversi, ma "
                               "chi legge (o un foglio di calcolo che toglie gli zeri) li confonde facilmente.",
                               codice_obiettivo=m.codice, righe_fonte=_lines(*[x.riga_fonte for x in members])))
    return out


def _numbering_gaps(rows) -> list[Finding]:
    children = defaultdict(list)
    for r in rows:
        if _missing(r.codice_padre) or _missing(r.codice_documento):
            continue
        last = str(r.codice_documento).rsplit("_", 1)[-1]
        if str(r.codice_documento).startswith(f"{r.codice_padre}_") and last.isdigit():
            children[(r.ente, r.anno, r.codice_padre)].append((int(last), r))
    out = []
    for (ente, anno, parent), items in children.items():
        numbers = {n for n, _ in items}
        width = max(len(str(r.codice_documento).rsplit("_", 1)[-1]) for _, r in items)
        for missing in sorted(set(range(1, max(numbers) + 1)) - numbers):
            before = max((n for n in numbers if n < missing), default=None)
            after = min(n for n in numbers if n > missing)
            code = f"{parent}_{str(missing).zfill(width)}"
            prev = next((r for n, r in items if n == before), None)
            nxt = next(r for n, r in items if n == after)
            passage = f"passa da {prev.codice} a {nxt.codice}" if prev is not None else f"comincia da {nxt.codice}"
            out.append(Finding("numerazione_saltata", INFO, ente, int(anno), CHECKS["numerazione_saltata"].titolo,
                               f"Tra gli obiettivi figli di {parent} la numerazione {passage}: manca {code}, che il "
                               "documento non riporta (nessun obiettivo è stato inventato).",
                               codice_obiettivo=parent, righe_fonte=_lines(prev.riga_fonte if prev is not None else None, nxt.riga_fonte)))
    return out


def check_duplicate_indicators(frame: pd.DataFrame) -> list[Finding]:
    return [Finding("codice_duplicato", ERRORE, r.ente, int(r.anno), CHECKS["codice_duplicato"].titolo,
                    f"Il codice di indicatore {r.codice} è usato {r.occorrenze} volte (righe {_lines(*_as_list(r.righe_fonte))}).",
                    codice_indicatore=r.codice, righe_fonte=_lines(*_as_list(r.righe_fonte)))
            for r in frame.itertuples()]


# ------------------------------------------------------------------ codes printed twice (issue 13)

def check_printed_twice(frame: pd.DataFrame) -> list[Finding]:
    """Codes the document prints for two blocks: the transcription merges them, codici_ripetuti keeps the fact."""
    out = []
    for r in frame.itertuples():
        righe = [int(x) for x in _as_list(r.righe)]
        printed = ", ".join(f"r. {x}" for x in righe)
        if _missing(r.livello):
            made = "Nessun obiettivo del cruscotto ha questo codice: controllare la tabella codici_ripetuti."
        else:
            what = {"area": "area", "strategico": "obiettivo strategico", "operativo": "obiettivo operativo"}[r.livello]
            made = (f"La trascrizione ne fa un solo {what} con "
                    f"{formatting.plural(r.indicatori, 'indicatore', 'indicatori')}.")
        text = (f"Il codice {r.codice} è stampato {int(r.stampe)} volte, per blocchi diversi ({printed}). {made} Chi cita "
                "il codice, o lo cerca nel documento, non sa a quale blocco si riferisce: la relazione dovrebbe dare a "
                "ogni blocco il suo codice."
                + (f" Nota di trascrizione: {r.note}" if not _missing(r.note) else ""))
        out.append(Finding("codice_stampato_piu_volte", AVVISO, r.ente, int(r.anno),
                           CHECKS["codice_stampato_piu_volte"].titolo, text, codice_obiettivo=r.codice,
                           righe_fonte=_lines(*righe)))
    return out


# ------------------------------------------------------------------ targets: ambition, direction, evidence (issue 13)

def _with_unit(value, unit) -> str:
    unit = _clean(unit)
    if unit == "%":
        return pct(value, 2)
    if unit == "€":
        return formatting.euro(value)
    return f"{num(value, 2)} {unit}" if unit and unit != "numero" else num(value, 2)


def ambition_facts(indicators: pd.DataFrame, recomputations: pd.DataFrame, rules) -> pd.DataFrame:
    """What check_ambition needs, from two results run_checks has already read (verifica_indicatori and
    ricalcolo_dettaglio; reading stg_ricalcolo a second time would double the cost of the Verifica): every indicator
    with a numeric VA and VR, the same indicator one year earlier by its principal method (NULL when its series does
    not have that year) and the rule soglia_ambizione."""
    numeric = indicators[(indicators["va_tipo"] == "numerico") & (indicators["vr_tipo"] == "numerico")]
    previous = recomputations[(recomputations["lettura"] == "principale") & (recomputations["oggetto"] == "valore raggiunto")
                              & recomputations["valore_precedente"].notna()]
    previous = previous[["ente", "anno", "codice_indicatore", "anno_precedente", "valore_precedente", "riga_precedente",
                         "metodo"]].rename(columns={"codice_indicatore": "codice"})
    frame = numeric.merge(previous, on=["ente", "anno", "codice"], how="left")
    frame["soglia_ambizione"] = [rules.get((e, int(a)), {}).get("soglia_ambizione") for e, a in zip(frame["ente"], frame["anno"])]
    return frame


def check_ambition(frame: pd.DataFrame) -> list[Finding]:
    """A valore atteso already met the year before the plan, or exceeded many times over (rule soglia_ambizione)."""
    out = []
    for r in frame.itertuples():
        va, vr, op = float(r.va_numero), float(r.vr_numero), r.va_operatore
        soglia = float(r.soglia_ambizione) if not _missing(r.soglia_ambizione) else 3.0
        reasons, steps, ratio = [], [], None
        if op in (">=", ">") and va > 0 and vr > 0:
            ratio = vr / va
            steps.append(f"Valore raggiunto / valore atteso = {num(vr)} / {num(va)} = {num(ratio, 2)} volte "
                         f"(soglia {num(soglia)})")
            if ratio >= soglia:
                reasons.append(f"il valore raggiunto, {_with_unit(vr, r.va_unita)}{_at(r.riga_vr)}, è "
                               f"{num(ratio, 2)} volte il valore atteso")
        elif op in ("<=", "<") and va > 0 and vr > 0:
            ratio = va / vr
            steps.append(f"Valore atteso / valore raggiunto = {num(va)} / {num(vr)} = {num(ratio, 2)} volte "
                         f"(soglia {num(soglia)}; il valore atteso è un tetto da non superare)")
            if ratio >= soglia:
                reasons.append(f"il tetto è {num(ratio, 2)} volte il valore raggiunto, {_with_unit(vr, r.va_unita)}"
                               f"{_at(r.riga_vr)}")
        if not _missing(r.valore_precedente):
            previous = float(r.valore_precedente)
            already = meets(previous, op, va)
            steps.append(f"Valore del {int(r.anno_precedente)}, calcolato come l'indicatore ({METODI[r.metodo]}"
                         f"{', dati ' + _line(r.riga_precedente) if _line(r.riga_precedente) else ''}): "
                         f"{_with_unit(previous, r.va_unita)}; valore atteso "
                         f"«{r.valore_atteso}»: {'già raggiunto' if already else 'non ancora raggiunto'}")
            if already:
                below = " (il valore atteso è sotto quel valore)" if op in (">=", ">") and previous > va else ""
                reasons.append(f"nel {int(r.anno_precedente)}, l'anno prima del piano, l'indicatore era già a "
                               f"{_with_unit(previous, r.va_unita)}{below}")
        if not reasons:
            continue
        text = (f"Il valore atteso «{r.valore_atteso}»{_at(_clean(r.riga_va) or r.riga_fonte)} di «{r.descrizione}» chiede poco: "
                + "; ".join(reasons) + ". Un target raggiunto senza sforzo non misura un miglioramento: l'OIV chiederà "
                "perché non è stato fissato più in alto.")
        out.append(Finding("target_poco_ambizioso", AVVISO, r.ente, int(r.anno), CHECKS["target_poco_ambizioso"].titolo,
                           text, codice_indicatore=r.codice, codice_obiettivo=r.codice_obiettivo,
                           valore_dichiarato=r.valore_atteso, valore_ricalcolato=ratio,
                           righe_fonte=_lines(r.riga_va, r.riga_vr, r.riga_precedente), calcolo=_steps(*steps),
                           regola=(f"Soglia di ambizione (regola «soglia_ambizione»): {num(soglia)} volte. Il valore "
                                   "atteso non deve essere già raggiunto dal valore dell'anno precedente, calcolato con "
                                   "lo stesso metodo dai dati della relazione (metodi_calcolo, lettura principale).")))
    return out


def check_direction(frame: pd.DataFrame) -> list[Finding]:
    """A time or a cost whose valore atteso says that more is better."""
    out = []
    for r in frame.itertuples():
        why = f"la descrizione dice «{r.parola}»" if not _missing(r.parola) else "l'unità è giorni"
        ceiling = "<=" if r.va_operatore == ">=" else "<"
        written = (f"non ha operatore ed è letto come «{r.va_operatore}» (di più è meglio)" if r.va_operatore_implicito
                   else f"ha l'operatore «{r.va_operatore}» (di più è meglio)")
        text = (f"«{r.descrizione}» misura un tempo o un costo ({why}): il suo valore atteso è di norma un tetto da non "
                f"superare («{ceiling} {num(r.va_numero)}»). Il valore atteso «{r.valore_atteso}»"
                f"{_at(_clean(r.riga_va) or r.riga_fonte)} {written}.")
        steps = [f"Valore atteso «{r.valore_atteso}»{_at(r.riga_va)}: letto come «{r.va_operatore} {num(r.va_numero)}»"]
        severity = AVVISO
        if not _missing(r.vr_numero):
            as_read, as_ceiling = meets(r.vr_numero, r.va_operatore, r.va_numero), meets(r.vr_numero, ceiling, r.va_numero)
            steps += [f"Valore raggiunto {num(r.vr_numero)}{_at(r.riga_vr)} con «{r.va_operatore}»: "
                      f"{'raggiunto' if as_read else 'non raggiunto'}",
                      f"Con il tetto «{ceiling} {num(r.va_numero)}»: {'raggiunto' if as_ceiling else 'non raggiunto'}"]
            if as_read == as_ceiling:
                text += (f" Con il valore raggiunto {num(r.vr_numero)} l'esito è lo stesso nelle due letture, ma il "
                         f"valore atteso va scritto «{ceiling} {num(r.va_numero)}»: letto com'è, un peggioramento "
                         "risulterebbe un successo.")
            else:
                severity = ERRORE
                text += (f" Con il valore raggiunto {num(r.vr_numero)} l'esito cambia: "
                         + ("raggiunto con «" + r.va_operatore + "», NON raggiunto con il tetto." if as_read
                            else "NON raggiunto con «" + r.va_operatore + "», raggiunto con il tetto.")
                         + (f" L'esito dichiarato «{r.esito_dichiarato}» dipende da una lettura sbagliata."
                            if not _missing(r.esito_dichiarato) else ""))
        out.append(Finding("direzione_tempo_costo", severity, r.ente, int(r.anno), CHECKS["direzione_tempo_costo"].titolo,
                           text, codice_indicatore=r.codice, codice_obiettivo=r.codice_obiettivo,
                           valore_dichiarato=r.valore_atteso, righe_fonte=_lines(r.riga_va, r.riga_vr),
                           calcolo=_steps(*steps),
                           regola=("Un tempo (unità giorni, «tempo», «tempi», «durata» nella descrizione) o un costo "
                                   "(«costo», «costi», «spesa», «spese») migliora scendendo: il suo valore atteso è un "
                                   "tetto («<=»). Un importo in € da solo non basta: i contributi da erogare sono "
                                   "giustamente un minimo.")))
    return out


def check_evidence(frame: pd.DataFrame) -> list[Finding]:
    """A numeric valore raggiunto with nothing behind it: no calculation, series, matching key figure or number in
    the narrative of the indicator."""
    out = []
    for r in frame.itertuples():
        if r.ha_metodo or int(r.serie) > 0:
            continue
        vr = float(r.vr_numero)
        figures = _as_list(r.cifre)
        if any(math.isclose(float(c["valore"]), vr) for c in figures) or \
                any(math.isclose(n, vr) for n in fonte.numbers_in(r.risultato)):
            continue
        outside = (f" Il valore stesso rinvia a un documento che la relazione non riporta: «{r.valore_raggiunto}»."
                   if "(" in str(r.valore_raggiunto) else "")
        told = ("; le sue cifre chiave sono " + ", ".join(f"{c['voce']} {num(c['valore'])}" for c in figures)
                if figures else "")
        if _missing(r.risultato) or not str(r.risultato).strip():
            severity = AVVISO
            text = (f"Il valore raggiunto «{r.valore_raggiunto}»{_at(r.riga_vr)} di «{r.descrizione}» non ha dietro "
                    "di sé alcun dato: nessun calcolo, nessuna serie storica, nessuna cifra chiave e nessuna relazione "
                    f"sul risultato{told}.{outside} L'OIV non ha modo di verificarlo.")
        else:
            severity = INFO
            text = (f"Il valore raggiunto «{r.valore_raggiunto}»{_at(r.riga_vr)} di «{r.descrizione}» non compare "
                    f"nella relazione dell'indicatore, che racconta «{_first_line(r.risultato)}», né tra i suoi dati"
                    f"{told}.{outside} Il numero va documentato.")
        out.append(Finding("vr_senza_riscontro", severity, r.ente, int(r.anno), CHECKS["vr_senza_riscontro"].titolo,
                           text, codice_indicatore=r.codice, codice_obiettivo=r.codice_obiettivo,
                           valore_dichiarato=r.valore_raggiunto,
                           righe_fonte=_lines(_clean(r.riga_vr) or r.riga_fonte, *[c["riga_fonte"] for c in figures]),
                           regola=("Un valore raggiunto numerico deve avere dietro di sé un dato della relazione: un "
                                   "calcolo (metodi_calcolo), una serie storica, una cifra chiave con lo stesso valore o "
                                   "il numero scritto nella relazione sul risultato.")))
    return out
