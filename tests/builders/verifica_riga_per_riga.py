"""The Verifica as main computed it before the findings went by column: every check gone through row by row, a
Finding per row, placed and completed one by one, then sorted (cruscotto/verifica/runner.py `run_checks`, and the
checks that now preselect their rows by column, copied as they were). tests/test_verifica_per_colonne.py compares what
the store keeps (runner.run_rows) with this."""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import replace

import pandas as pd

from cruscotto.ingest import fonte
from cruscotto.verifica import esiti, piano, runner, tassi
from cruscotto.verifica.esiti import ESITI_SCOSTAMENTO, bands_rule, grado_steps
from cruscotto.verifica.fatti import INDICATORI, INDICATORI_SQL, NODI, NODI_SQL, REGOLE, RICALCOLI
from cruscotto.verifica.frasi import NODO, at, first_line, indicatore, line, lines, nodo, steps, titolo_nodo, with_unit
from cruscotto.verifica.gravita import AVVISO, ERRORE, GRAVITA, INFO
from cruscotto.verifica.metodi import METODI
from cruscotto.verifica.numeri import as_list, clean, meets, missing, num, pct
from cruscotto.verifica.piano import _REFERRAL
from cruscotto.store import queries
from cruscotto.verifica.registry import CHECKS, Finding, Query, fatto, finding, query, rilievo
from cruscotto.verifica.ricalcolo import disagreeing

_ORDER = {g: i for i, g in enumerate(GRAVITA)}


# cruscotto/verifica/piano.py
def indicatore_senza_target(indicatori: list = INDICATORI):
    for r in indicatori:
        if r.va_tipo == "assente":
            yield rilievo(AVVISO, f"L'indicatore «{r.descrizione}» non ha un valore atteso: non si può dire se è "
                                  "raggiunto.", **indicatore(r))
        elif r.va_tipo == "qualitativo" and _REFERRAL.search(r.valore_atteso or ""):
            yield rilievo(INFO, f"Il valore atteso di «{r.descrizione}» è «{r.valore_atteso}»: il traguardo non è "
                                "scritto nella relazione, che rinvia ai documenti di progetto. Il lettore deve cercarlo lì.",
                          variante="rinvio", valore_dichiarato=r.valore_atteso, **indicatore(r, r.riga_va))


# cruscotto/verifica/piano.py
def obiettivo_senza_indicatori(nodi: list = NODI):
    for r in nodi:
        what, title = NODO[r.livello], titolo_nodo(r)
        if r.livello == "area" and r.indicatori_sotto == 0:
            yield rilievo(AVVISO, f"{what} {r.codice}{title} non ha alcun indicatore, né propri né dei suoi obiettivi.",
                          variante="area", **nodo(r))
        elif r.livello == "operativo" and r.indicatori_propri == 0:
            yield rilievo(AVVISO, f"{what} {r.codice}{title} ({line(r.riga_fonte)}) non ha indicatori: il suo "
                                  "raggiungimento non si può misurare e non entra nel grado del suo obiettivo "
                                  "strategico.", **nodo(r))
        elif r.livello == "strategico" and r.indicatori_sotto == 0:
            yield rilievo(AVVISO, f"{what} {r.codice}{title} non ha indicatori, né propri né dei suoi obiettivi "
                                  "operativi.", **nodo(r))
        elif r.livello == "strategico" and r.indicatori_propri == 0:
            yield rilievo(INFO, f"{what} {r.codice}{title} non ha indicatori propri: il suo grado viene solo dagli "
                                f"indicatori dei suoi obiettivi operativi ({r.indicatori_sotto}).",
                          variante="senza_propri", **nodo(r))


# cruscotto/verifica/piano.py
def obiettivo_senza_titolo(nodi: list = NODI):
    for r in nodi:
        if r.livello != "area" and missing(r.titolo):
            yield rilievo(INFO, f"{NODO[r.livello]} {r.codice} ({line(r.riga_fonte)}) non ha titolo nel documento: si "
                                "sa solo il codice.", **nodo(r))


# cruscotto/verifica/piano.py
def anno_nella_descrizione(indicatori: list = INDICATORI):
    for r in indicatori:
        years = [int(y) for y in as_list(r.anni_descrizione) if int(y) != int(r.anno)]
        if years:
            yield rilievo(INFO, f"La descrizione «{r.descrizione}» nomina il {', '.join(map(str, years))} nella "
                                f"relazione del {int(r.anno)}: verificare che l'indicatore e la sua relazione parlino "
                                "della stessa edizione.", **indicatore(r))


# cruscotto/verifica/piano.py
def target_poco_ambizioso(ambizione: pd.DataFrame = piano.AMBIZIONE):
    """A valore atteso already met the year before the plan, or exceeded many times over (rule soglia_ambizione)."""
    for r in ambizione.itertuples():
        va, vr, op = float(r.va_numero), float(r.vr_numero), r.va_operatore
        soglia = float(r.soglia_ambizione) if not missing(r.soglia_ambizione) else 3.0
        reasons, parts, ratio = [], [], None
        if op in (">=", ">", "<=", "<") and va > 0 and vr > 0:
            more = op in (">=", ">")  # more is better: VR over VA; else the VA is a ceiling: VA over VR
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


# cruscotto/verifica/esiti.py
def esito_contraddice_regola(indicatori: list = INDICATORI):
    for r in indicatori:
        if not missing(r.esito_dichiarato) and not missing(r.esito_regola) and r.esito_dichiarato != r.esito_regola:
            yield rilievo(ERRORE, f"L'esito dichiarato di «{r.descrizione}» è «{r.esito_dichiarato}», ma con valore "
                                  f"atteso «{r.valore_atteso}» e valore raggiunto «{r.valore_raggiunto}» la regola in "
                                  f"vigore dà un grado di {pct(r.grado, 2)} (fascia «{r.fascia}»): l'esito sarebbe "
                                  f"«{r.esito_regola}».",
                          valore_dichiarato=r.esito_dichiarato, calcolo=grado_steps(r), regola=bands_rule(r),
                          **indicatore(r, r.riga_va, r.riga_vr))


# cruscotto/verifica/esiti.py
def esito_mancante(indicatori: list = INDICATORI):
    for r in indicatori:
        if r.vr_tipo != "assente" and missing(r.esito_dichiarato) and not missing(r.grado):
            yield rilievo(AVVISO, f"L'indicatore «{r.descrizione}» ha valore atteso «{r.valore_atteso}» e valore "
                                  f"raggiunto «{r.valore_raggiunto}», ma la relazione non dichiara l'esito. Con la "
                                  f"regola in vigore il grado è {pct(r.grado, 2)} e l'esito sarebbe «{r.esito_regola}».",
                          calcolo=grado_steps(r), regola=bands_rule(r), **indicatore(r, r.riga_va, r.riga_vr))


# cruscotto/verifica/esiti.py
def scostamento_senza_motivo(indicatori: list = INDICATORI, regole=REGOLE, motivati=esiti.MOTIVATI):
    for r in indicatori:
        short = r.stato_regola == "non raggiunto" or r.fascia in ("non raggiunto", "parzialmente raggiunto") \
            or r.esito_dichiarato in ESITI_SCOSTAMENTO
        if not short or r.ha_motivazione or (r.ente, int(r.anno), r.codice) in motivati:
            continue
        words = regole.get((r.ente, int(r.anno)), {}).get("parole_motivazione", "")
        how = ("raggiunge solo in parte" if r.fascia == "parzialmente raggiunto"
               or r.esito_dichiarato == "OBIETTIVO PARZIALMENTE CONSEGUITO" else "non raggiunge")
        yield rilievo(AVVISO, (f"Per «{r.descrizione}» il valore raggiunto «{r.valore_raggiunto}» {how} il valore "
                               f"atteso «{r.valore_atteso}»"
                               + (f" (esito dichiarato «{r.esito_dichiarato}»)" if not missing(r.esito_dichiarato) else "")
                               + ", e né la relazione né le note spiegano lo scostamento (nessuna delle parole: "
                               f"{words}), né c'è una motivazione registrata. L'OIV deve trovare il motivo scritto: "
                               "l'ufficio lo registra dal dettaglio della pagina «Indicatori» o nel foglio annotazioni."),
                      valore_dichiarato=r.valore_raggiunto, calcolo=grado_steps(r) if not missing(r.grado) else None,
                      regola=f"Parole che indicano un motivo (regola «parole_motivazione»): {words}.",
                      **indicatore(r, r.riga_va, r.riga_vr))


# cruscotto/verifica/esiti.py
def valore_raggiunto_mancante(indicatori: list = INDICATORI):
    for r in indicatori:
        if r.vr_tipo != "assente":
            continue
        esito = "né l'esito" if missing(r.esito_dichiarato) else f"ma l'esito dichiarato è «{r.esito_dichiarato}»"
        extra = f" La relazione dice: «{first_line(r.risultato)}»." if not missing(r.risultato) else ""
        yield rilievo(AVVISO, f"L'indicatore «{r.descrizione}» (valore atteso «{r.valore_atteso}») non ha valore "
                              f"raggiunto, {esito}: non si può valutare e non entra nel grado di raggiungimento.{extra}",
                      **indicatore(r, r.riga_va, r.riga_vr))


# cruscotto/verifica/codici.py
def codice_mancante(nodi: list = NODI):
    for r in nodi:
        if r.livello != "area" and missing(r.codice_documento):
            yield rilievo(AVVISO, f"{NODO[r.livello]}{titolo_nodo(r)} ({line(r.riga_fonte)}) non ha codice nel "
                                  f"documento: nel cruscotto ha il codice {r.codice}, assegnato in trascrizione. Un "
                                  "lettore della relazione non può citarlo.", **nodo(r))


# cruscotto/verifica/codici.py
def codice_fuori_ramo(nodi: list = NODI):
    for r in nodi:
        if r.livello == "area" or missing(r.codice_documento) or missing(r.codice_padre):
            continue
        if not str(r.codice).startswith(f"{r.codice_padre}_"):
            yield rilievo(AVVISO, f"{NODO[r.livello]} {r.codice}{titolo_nodo(r)} è figlio di {r.codice_padre}, ma il "
                                  f"suo codice non comincia con «{r.codice_padre}_».", **nodo(r))


# cruscotto/verifica/codici.py
def numerazione_saltata(nodi: list = NODI):
    children = defaultdict(list)
    for r in nodi:
        if missing(r.codice_padre) or missing(r.codice_documento):
            continue
        last = str(r.codice_documento).rsplit("_", 1)[-1]
        if str(r.codice_documento).startswith(f"{r.codice_padre}_") and last.isdigit():
            children[(r.ente, r.anno, r.codice_padre)].append((int(last), r))
    for (ente, anno, parent), items in children.items():
        numbers = {n for n, _ in items}
        width = max(len(str(r.codice_documento).rsplit("_", 1)[-1]) for _, r in items)
        for gap in sorted(set(range(1, max(numbers) + 1)) - numbers):
            before = max((n for n in numbers if n < gap), default=None)
            after = min(n for n in numbers if n > gap)
            prev = next((r for n, r in items if n == before), None)
            nxt = next(r for n, r in items if n == after)
            passage = f"passa da {prev.codice} a {nxt.codice}" if prev is not None else f"comincia da {nxt.codice}"
            yield rilievo(INFO, f"Tra gli obiettivi figli di {parent} la numerazione {passage}: manca "
                                f"{parent}_{str(gap).zfill(width)}, che il documento non riporta (nessun obiettivo è "
                                "stato inventato).",
                          ente=ente, anno=int(anno), codice_obiettivo=parent,
                          righe_fonte=lines(prev.riga_fonte if prev is not None else None, nxt.riga_fonte))


# cruscotto/verifica/riscontri.py
def vr_senza_riscontro(riscontri: pd.DataFrame = query("verifica_riscontri")):
    for r in riscontri.itertuples():
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



# cruscotto/verifica/regole.py
def regola_non_valida(regole_in_vigore: pd.DataFrame = query("regole_in_vigore")):
    for r in regole_in_vigore.itertuples():
        if not r.valido:
            yield rilievo(ERRORE, f"Nel foglio regole, «{r.regola}» vale «{r.valore_foglio}», che non si può usare: si "
                                  f"applica il valore predefinito «{r.predefinito}». Valori ammessi: vedere la colonna "
                                  "regola del modello.",
                          ente=r.ente, anno=int(r.anno), valore_dichiarato=str(r.valore_foglio))
    for (ente, anno), group in regole_in_vigore.groupby(["ente", "anno"]):
        values = dict(zip(group["regola"], group["numero"]))
        sr, sp = values.get("soglia_raggiunto"), values.get("soglia_parziale")
        if not missing(sr) and not missing(sp) and sp > sr:
            yield rilievo(ERRORE, f"La soglia di 'parzialmente raggiunto' ({pct(sp)}) è più alta di quella di "
                                  f"'raggiunto' ({pct(sr)}): la fascia intermedia non può esistere. Correggere il "
                                  "foglio regole.",
                          ente=ente, anno=int(anno))


# cruscotto/verifica/tassi.py
def tasso_incoerente(ricalcoli: list[dict] = RICALCOLI, tassi_: pd.DataFrame = query("verifica_tassi"), regole=REGOLE):
    for row, agreement, decimals, _, common in disagreeing(ricalcoli, regole, "citato"):
        yield from tassi._cited_rate(row, agreement, decimals, common)
    for r in tassi_.itertuples():
        yield from tassi._series_rate(r, regole)


# cruscotto/verifica/fatti.py
def _regole(regole_in_vigore: pd.DataFrame = query("regole_in_vigore")) -> dict[tuple[str, int], dict[str, object]]:
    out: dict[tuple[str, int], dict[str, object]] = defaultdict(dict)
    for r in regole_in_vigore.itertuples():
        out[(r.ente, int(r.anno))][r.regola] = r.numero if not missing(r.numero) else r.valore
    return out


# cruscotto/verifica/runner.py
def _collocazione(nodi: pd.DataFrame = NODI_SQL, indicatori: pd.DataFrame = INDICATORI_SQL):
    areas = {(e, int(a), c): area for e, a, c, area in zip(nodi["ente"], nodi["anno"], nodi["codice"], nodi["codice_area"])
             if not missing(area)}
    owners = {(e, int(a), c): o for e, a, c, o in zip(indicatori["ente"], indicatori["anno"], indicatori["codice"],
                                                      indicatori["codice_obiettivo"])}
    return areas, owners


# main's facts that changed, in place of the registry's (every check of the reference reads these)
OLD_FACTS = {REGOLE: fatto(_regole), runner._COLLOCAZIONE: fatto(_collocazione)}


class _Facts(runner.Facts):
    """main's Facts: the queries read by DuckDB's .df() (runner._read reads them through Arrow), main's facts."""

    def get(self, source):
        if isinstance(source, Query) and source not in self._cache:
            self._cache[source] = runner._text_as_objects(queries.run(self._con, source.name, self._params))
        return super().get(OLD_FACTS.get(source, source))


# cruscotto/verifica/codici.py
def codice_duplicato(nodi: list = NODI, codici_indicatori: pd.DataFrame = query("verifica_codici_indicatori")):
    seen = set()
    for r in nodi:
        key = (r.ente, r.anno, r.codice)
        if r.occorrenze > 1 and key not in seen:
            seen.add(key)
            cited = lines(*[x.riga_fonte for x in nodi if (x.ente, x.anno, x.codice) == key])
            yield rilievo(ERRORE, f"Il codice {r.codice} è usato {r.occorrenze} volte (righe {cited}).",
                          **{**nodo(r), "righe_fonte": cited})
    for r in codici_indicatori.itertuples():
        cited = lines(*as_list(r.righe_fonte))
        yield rilievo(ERRORE, f"Il codice di indicatore {r.codice} è usato {r.occorrenze} volte (righe {cited}).",
                      ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice, righe_fonte=cited)


def _normalised(code: str) -> str:
    return "_".join(part.lstrip("0") or "0" if part.isdigit() else part for part in code.split("_"))


# cruscotto/verifica/codici.py
def codici_ambigui(nodi: list = NODI):
    groups = defaultdict(list)
    for r in nodi:
        groups[(r.ente, r.anno, _normalised(r.codice))].append(r)
    for (ente, anno, _), members in groups.items():
        if len({m.codice for m in members}) < 2:
            continue
        members = sorted(members, key=lambda m: 0 if missing(m.riga_fonte) else m.riga_fonte)
        described = " e ".join(f"{m.codice} ({line(m.riga_fonte)}" + (f", «{m.titolo}»)" if not missing(m.titolo) else ")")
                               for m in members)
        last = members[-1]  # one finding, on the code printed last
        yield rilievo(AVVISO, f"I codici {described} differiscono solo per uno zero iniziale: sono obiettivi diversi, "
                              "ma chi legge (o un foglio di calcolo che toglie gli zeri) li confonde facilmente.",
                      ente=ente, anno=int(anno), codice_obiettivo=last.codice,
                      righe_fonte=lines(*[x.riga_fonte for x in members]))


# main's code of the checks that changed, by id (the others are the same in both)
OLD = {f.__name__: f for f in (
    codice_duplicato, codici_ambigui,
    tasso_incoerente,
    indicatore_senza_target, obiettivo_senza_indicatori, obiettivo_senza_titolo, anno_nella_descrizione,
    target_poco_ambizioso, esito_contraddice_regola, esito_mancante, scostamento_senza_motivo,
    valore_raggiunto_mancante, codice_mancante, codice_fuori_ramo, numerazione_saltata,
    vr_senza_riscontro, regola_non_valida,
)}


def run_checks(con, ente: str | None = None, anno: int | None = None) -> list[Finding]:
    """Every check on the store, row by row, sorted errors first (main's runner.run_checks)."""
    facts = _Facts(con, ente, anno)
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
