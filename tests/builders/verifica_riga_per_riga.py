"""The Verifica as main computed it before the findings went by column: every check gone through row by row, a
Finding per row, placed and completed one by one, then sorted (cruscotto/verifica/runner.py `run_checks` and the two
checks that now preselect their rows, piano.target_poco_ambizioso and riscontri.vr_senza_riscontro, copied as they
were). tests/test_verifica_per_colonne.py compares what the store keeps (runner.run_rows) with this."""
from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from cruscotto.ingest import fonte
from cruscotto.verifica import piano, runner
from cruscotto.verifica.fatti import NODI_SQL
from cruscotto.verifica.frasi import at, first_line, line, lines, steps, with_unit
from cruscotto.verifica.gravita import AVVISO, ERRORE, GRAVITA, INFO
from cruscotto.verifica.metodi import METODI
from cruscotto.verifica.numeri import as_list, clean, meets, missing, num
from cruscotto.verifica.registry import CHECKS, Finding, finding, query, rilievo

_ORDER = {g: i for i, g in enumerate(GRAVITA)}


def target_poco_ambizioso(ambizione: pd.DataFrame = piano.AMBIZIONE):
    for r in ambizione.itertuples():
        va, vr, op = float(r.va_numero), float(r.vr_numero), r.va_operatore
        soglia = float(r.soglia_ambizione) if not missing(r.soglia_ambizione) else 3.0
        reasons, parts, ratio = [], [], None
        if op in (">=", ">", "<=", "<") and va > 0 and vr > 0:
            more = op in (">=", ">")
            ratio = vr / va if more else va / vr
            reached = f"{with_unit(vr, r.va_unita)}{at(r.riga_vr)}"
            if more:
                parts.append(f"Valore raggiunto / valore atteso = {num(vr)} / {num(va)} = {num(ratio, 2)} volte "
                             f"(soglia {num(soglia)})")
                reason = f"il valore raggiunto, {reached}, è {num(ratio, 2)} volte il valore atteso"
            else:
                parts.append(f"Valore atteso / valore raggiunto = {num(va)} / {num(vr)} = {num(ratio, 2)} volte "
                             f"(soglia {num(soglia)}; il valore atteso è un tetto da non superare)")
                reason = f"il tetto è {num(ratio, 2)} volte il valore raggiunto, {reached}"
            if ratio >= soglia:
                reasons.append(reason)
        if not missing(r.valore_precedente):
            previous = float(r.valore_precedente)
            already = meets(previous, op, va)
            parts.append(f"Valore del {int(r.anno_precedente)}, calcolato come l'indicatore ({METODI[r.metodo]}"
                         f"{', dati ' + line(r.riga_precedente) if line(r.riga_precedente) else ''}): "
                         f"{with_unit(previous, r.va_unita)}; valore atteso "
                         f"«{r.valore_atteso}»: {'già raggiunto' if already else 'non ancora raggiunto'}")
            if already:
                below = " (il valore atteso è sotto quel valore)" if op in (">=", ">") and previous > va else ""
                reasons.append(f"nel {int(r.anno_precedente)}, l'anno prima del piano, l'indicatore era già a "
                               f"{with_unit(previous, r.va_unita)}{below}")
        if not reasons:
            continue
        text = (f"Il valore atteso «{r.valore_atteso}»{at(clean(r.riga_va) or r.riga_fonte)} di «{r.descrizione}» chiede poco: "
                + "; ".join(reasons) + ". Un target raggiunto senza sforzo non misura un miglioramento: l'OIV chiederà "
                "perché non è stato fissato più in alto.")
        yield rilievo(AVVISO, text, ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice,
                      codice_obiettivo=r.codice_obiettivo, valore_dichiarato=r.valore_atteso, valore_ricalcolato=ratio,
                      righe_fonte=lines(r.riga_va, r.riga_vr, r.riga_precedente), calcolo=steps(*parts),
                      regola=(f"Soglia di ambizione (regola «soglia_ambizione»): {num(soglia)} volte. Il valore "
                              "atteso non deve essere già raggiunto dal valore dell'anno precedente, calcolato con "
                              "lo stesso metodo dai dati della relazione (metodi_calcolo, lettura principale)."))


def vr_senza_riscontro(riscontri_: pd.DataFrame = query("verifica_riscontri")):
    for r in riscontri_.itertuples():
        if r.ha_metodo or int(r.serie) > 0:
            continue
        vr = float(r.vr_numero)
        figures = as_list(r.cifre)
        if any(math.isclose(float(c["valore"]), vr) for c in figures) or \
                any(math.isclose(n, vr) for n in fonte.numbers_in(r.risultato)):
            continue
        outside = (f" Il valore stesso rinvia a un documento che la relazione non riporta: «{r.valore_raggiunto}»."
                   if "(" in str(r.valore_raggiunto) else "")
        told = ("; le sue cifre chiave sono " + ", ".join(f"{c['voce']} {num(c['valore'])}" for c in figures)
                if figures else "")
        if missing(r.risultato) or not str(r.risultato).strip():
            severity = AVVISO
            text = (f"Il valore raggiunto «{r.valore_raggiunto}»{at(r.riga_vr)} di «{r.descrizione}» non ha dietro "
                    "di sé alcun dato: nessun calcolo, nessuna serie storica, nessuna cifra chiave e nessuna relazione "
                    f"sul risultato{told}.{outside} L'OIV non ha modo di verificarlo.")
        else:
            severity = INFO
            text = (f"Il valore raggiunto «{r.valore_raggiunto}»{at(r.riga_vr)} di «{r.descrizione}» non compare "
                    f"nella relazione dell'indicatore, che racconta «{first_line(r.risultato)}», né tra i suoi dati"
                    f"{told}.{outside} Il numero va documentato.")
        yield rilievo(severity, text, ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice,
                      codice_obiettivo=r.codice_obiettivo, valore_dichiarato=r.valore_raggiunto,
                      righe_fonte=lines(clean(r.riga_vr) or r.riga_fonte, *[c["riga_fonte"] for c in figures]),
                      regola=("Un valore raggiunto numerico deve avere dietro di sé un dato della relazione: un "
                              "calcolo (metodi_calcolo), una serie storica, una cifra chiave con lo stesso valore o "
                              "il numero scritto nella relazione sul risultato."))


OLD = {"target_poco_ambizioso": target_poco_ambizioso, "vr_senza_riscontro": vr_senza_riscontro}


def run_checks(con, ente: str | None = None, anno: int | None = None) -> list[Finding]:
    """Every check on the store, row by row, sorted errors first (main's runner.run_checks)."""
    facts = runner.Facts(con, ente, anno)
    checks = [replace(c, fn=OLD.get(c.id, c.fn)) for c in CHECKS.values()]
    findings = [f for c in checks for f in _found(c, facts)]
    where, text = facts.get(runner._COLLOCAZIONE), facts.get(runner._TESTO)
    findings = [_with(f, _placed(f, *where) | _completed(f, text)) for f in findings]
    return sorted(findings, key=lambda f: (_ORDER[f.gravita], f.ente, f.anno, f.codice_area or "", f.oggetto, f.controllo))


def _found(check, facts) -> list[Finding]:
    try:
        return [finding(check, found) for found in check.fn(**facts.arguments(check.fn))]
    except Exception as exc:  # noqa: BLE001
        reports = facts.get(NODI_SQL)[["ente", "anno"]].drop_duplicates()
        why = (f"Questo controllo non è stato eseguito: il programma si è fermato su questi dati ({type(exc).__name__}: "
               f"{str(exc)[:200]}). Gli altri controlli sono stati eseguiti; va segnalato a chi mantiene il cruscotto.")
        return [Finding(controllo=check.id, gravita=ERRORE, ente=e, anno=int(a), titolo=check.titolo, spiegazione=why)
                for e, a in reports.itertuples(index=False)]


def _with(f: Finding, changes: dict) -> Finding:
    return replace(f, **changes) if changes else f


def _placed(f: Finding, areas, owners) -> dict:
    changes = {}
    obiettivo = f.codice_obiettivo or owners.get((f.ente, int(f.anno), f.codice_indicatore))
    if obiettivo and not f.codice_obiettivo:
        changes["codice_obiettivo"] = obiettivo
    if obiettivo and not f.codice_area and areas.get((f.ente, int(f.anno), obiettivo)):
        changes["codice_area"] = areas[(f.ente, int(f.anno), obiettivo)]
    return changes


def _completed(f: Finding, text) -> dict:
    changes = {}
    if f.regola is None:
        changes["regola"] = CHECKS[f.controllo].regola
    quoted = fonte.citation(text.get((f.ente, int(f.anno)), {}), f.righe_fonte)
    if quoted and f.citazione is None:
        changes["citazione"] = quoted
    return changes
