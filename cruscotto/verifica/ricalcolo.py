"""Checks that recompute a value the report declares, with the method written in metodi_calcolo (metodi.py), from
the report's own data: the valore raggiunto, the literal reading of the modalità di calcolo, the count told in the
narrative, a condition an item must meet, and a method that cannot be computed.

Each row of ricalcolo_dettaglio is judged by exactly one of these checks (or by tassi.tasso_incoerente for a rate
cited in the text): `kind(row)` says which.
"""
from __future__ import annotations

import math

from cruscotto.present import formatting
from cruscotto.verifica.fatti import REGOLE, RICALCOLI
from cruscotto.verifica.frasi import (
    comparison_step,
    line,
    lines,
    rounded_text,
    steps,
    target_text,
    tolerance,
    tolerance_rule,
)
from cruscotto.verifica.gravita import AVVISO, ERRORE, INFO
from cruscotto.verifica.metodi import LETTURE, METODI, formula, operand_lines
from cruscotto.verifica.numeri import (
    Agreement,
    as_list,
    clean,
    compare,
    declared_decimals,
    meets,
    missing,
    num,
    pct,
    round_half_up,
)
from cruscotto.verifica.registry import check, fatto, rilievo

# ------------------------------------------------------------------ the rows

@fatto
def PRINCIPALI(ricalcoli: list[dict] = RICALCOLI) -> dict[tuple, dict]:
    """The principal reading of each (ente, anno, indicator, object), when it could be computed."""
    return {(r["ente"], r["anno"], r["codice_indicatore"], r["oggetto"]): r for r in ricalcoli
            if r["lettura"] == "principale" and not missing(r["valore_ricalcolato"])}


def kind(row: dict) -> str | None:
    """Which check judges a recomputation: 'mancante' (data missing), 'condizione' (a condition such as '>= 80%'),
    'letterale', 'citato' (a rate cited in the text), 'racconto' (a count told in the narrative), 'vr' (the valore
    raggiunto); None when there is no declared number to compare."""
    if as_list(row["mancanti"]):
        return "mancante"
    if missing(row["dichiarato_numero"]):
        return None
    if not missing(row.get("dichiarato_operatore")):
        return "condizione"
    if row["lettura"] == "letterale":
        return "letterale"
    if not row["confronta_vr"]:
        return "citato"
    if row["metodo"] == "valore_diretto" and not clean(row.get("serie")):
        return "racconto"
    return "vr"


def compared(row: dict, rules) -> tuple[Agreement, int, dict]:
    """The declared value against the recomputed one, its decimals, and the fields every such finding carries."""
    decimals = declared_decimals(row["dichiarato_testo"])
    agreement = compare(float(row["dichiarato_numero"]), float(row["valore_ricalcolato"]), decimals,
                        tolerance(rules, row["ente"], row["anno"]))
    common = dict(ente=row["ente"], anno=int(row["anno"]), codice_indicatore=row["codice_indicatore"],
                  codice_obiettivo=clean(row["codice_obiettivo"]), valore_dichiarato=str(row["dichiarato_testo"]),
                  valore_ricalcolato=float(row["valore_ricalcolato"]),
                  regola=tolerance_rule(rules, row["ente"], row["anno"], decimals))
    return agreement, decimals, common


def disagreeing(ricalcoli: list[dict], rules, which: str):
    """The rows the check `which` judges (`kind`) whose declared value is not exactly the recomputed one, each as
    (row, agreement, decimals, the declared value as written without its '=', the fields every finding carries)."""
    for row in ricalcoli:
        if kind(row) != which:
            continue
        agreement, decimals, common = compared(row, rules)
        if agreement.verdict != "esatto":
            yield row, agreement, decimals, row["dichiarato_testo"].lstrip("= ").strip(), common


def _vr_line(row) -> int | None:
    """The line where the declared valore raggiunto is printed (the indicator's first line when not recorded)."""
    return clean(row.get("riga_vr")) or clean(row.get("riga_indicatore"))


def _va_line(row) -> int | None:
    return clean(row.get("riga_va")) or clean(row.get("riga_indicatore"))


def _target_step(row, value: float, what: str) -> str | None:
    ok = meets(value, row["va_operatore"], row["va_numero"])
    if ok is None:
        return None
    return f"Valore atteso {target_text(row)} ({line(_va_line(row))}): con {what} " + ("raggiunto" if ok else "NON raggiunto")


# ------------------------------------------------------------------ the checks

@check(id="vr_ricalcolato", titolo="Valore raggiunto diverso dal ricalcolo",
       titoli={"arrotondamento": "Valore raggiunto coerente solo entro l'arrotondamento"},
       verifica="Ricalcola il valore raggiunto con il metodo dichiarato in metodi_calcolo, dai dati della stessa "
                "relazione, e lo confronta con quello dichiarato.",
       gravita=(ERRORE, INFO),
       quando="errore oltre la tolleranza di arrotondamento; info se torna solo entro la tolleranza (troncato o "
              "calcolato su valori già arrotondati).")
def vr_ricalcolato(ricalcoli: list[dict] = RICALCOLI, regole=REGOLE):
    for row, agreement, decimals, declared, common in disagreeing(ricalcoli, regole, "vr"):
        which = "" if row["lettura"] == "principale" else " (calcolo di riscontro)"
        text = (f"La relazione dichiara {declared} ({line(_vr_line(row))}). "
                f"Ricalcolato{which} con il metodo «{METODI[row['metodo']]}» dai dati della relazione: {formula(row)}.")
        cited = lines(_vr_line(row), row["riga_metodo"], row["riga_anno"], row["riga_base"],
                      _va_line(row) if agreement.verdict == "diverso" else None)
        calcolo = steps(f"Metodo «{METODI[row['metodo']]}» (lettura {LETTURE[row['lettura']]}): {formula(row)}",
                        f"Arrotondato a {decimals} decimali come il valore dichiarato: "
                        f"{rounded_text(row['valore_ricalcolato'], decimals, declared)}",
                        comparison_step(declared, _vr_line(row), agreement),
                        _target_step(row, row["valore_ricalcolato"], "il valore ricalcolato"))
        if agreement.verdict == "arrotondamento":
            text += (f" Arrotondato a {decimals} decimali fa {num(agreement.rounded, decimals)}: la differenza "
                     f"({num(abs(agreement.difference))}) sta entro la tolleranza ammessa ({num(agreement.tolerance)}); "
                     f"{_why_rounding(row, agreement, decimals)}.")
            yield rilievo(INFO, text, variante="arrotondamento", righe_fonte=cited, calcolo=calcolo, **common)
            continue
        text += f" Differenza: {num(abs(agreement.difference))}, oltre la tolleranza di arrotondamento ({num(agreement.tolerance)})."
        target_ok = meets(row["valore_ricalcolato"], row["va_operatore"], row["va_numero"])
        if target_ok is not None:
            text += (f" Con il valore ricalcolato il valore atteso {target_text(row)} "
                     + ("sarebbe comunque raggiunto." if target_ok else "NON sarebbe raggiunto."))
        yield rilievo(ERRORE, text, righe_fonte=cited, calcolo=calcolo, **common)


def _why_rounding(row: dict, agreement: Agreement, decimals: int) -> str:
    if row["metodo"] in ("rapporto_anno_base", "rapporto_anno_precedente") and row["grandezza"] == "tasso" \
            and not missing(row.get("valore_anno")) and not missing(row.get("valore_base")) and row["valore_base"]:
        printed = 100.0 * row["valore_anno"] / row["valore_base"]
        if math.isclose(round_half_up(printed, decimals), float(row["dichiarato_numero"]), abs_tol=1e-9):
            return (f"la relazione ha diviso le percentuali già arrotondate che stampa "
                    f"({formatting.percent(row['valore_anno'], decimals)} / {formatting.percent(row['valore_base'], decimals)} "
                    f"× 100 = {pct(printed)}), non i tassi calcolati dai conteggi")
    if agreement.truncated:
        return f"il valore dichiarato è troncato, non arrotondato (arrotondato sarebbe {num(agreement.rounded, decimals)})"
    return "il valore dichiarato sembra calcolato su valori intermedi già arrotondati"


@check(id="modalita_letterale", titolo="La modalità di calcolo, presa alla lettera, dà un altro valore",
       verifica="Applica la modalità di calcolo come è scritta (lettura 'letterale') e la confronta con il valore "
                "dichiarato, dicendo quale lettura il valore dichiarato segue.",
       gravita=(ERRORE, AVVISO),
       quando="errore se con la lettura letterale il valore atteso non sarebbe più raggiunto (o lo sarebbe); "
              "altrimenti avviso.")
def modalita_letterale(ricalcoli: list[dict] = RICALCOLI, principali: dict = PRINCIPALI, regole=REGOLE):
    for row, agreement, decimals, declared, common in disagreeing(ricalcoli, regole, "letterale"):
        principal = principali.get((row["ente"], row["anno"], row["codice_indicatore"], row["oggetto"]))
        text = (f"La modalità di calcolo ({line(row['riga_metodo'])}: «{row['modalita_calcolo']}»), presa alla lettera, dà "
                f"{formula(row)}, non il {declared} dichiarato ({line(_vr_line(row))}).")
        parts = [f"Modalità di calcolo alla lettera ({line(row['riga_metodo'])}): {formula(row)}",
                 f"Arrotondato a {decimals} decimali come il valore dichiarato: "
                 f"{rounded_text(row['valore_ricalcolato'], decimals, declared)}",
                 comparison_step(declared, _vr_line(row), agreement)]
        if principal is not None:
            follows = compare(float(row["dichiarato_numero"]), float(principal["valore_ricalcolato"]), decimals,
                              tolerance(regole, row["ente"], row["anno"])).verdict != "diverso"
            text += (f" Il valore dichiarato {'segue invece' if follows else 'non segue neppure'} la lettura principale: "
                     f"{formula(principal)}.")
            parts.append(f"Lettura principale ({METODI[principal['metodo']]}): {formula(principal)}, arrotondato "
                         f"{rounded_text(principal['valore_ricalcolato'], decimals, declared)}: il dichiarato "
                         f"{'la segue' if follows else 'non la segue'}")
        declared_ok = meets(row["vr_numero"], row["va_operatore"], row["va_numero"])
        literal_ok = meets(row["valore_ricalcolato"], row["va_operatore"], row["va_numero"])
        parts += [_target_step(row, row["vr_numero"], "il valore dichiarato"),
                  _target_step(row, row["valore_ricalcolato"], "la lettura letterale")]
        severity = AVVISO
        if literal_ok is not None:
            if declared_ok is not None and literal_ok != declared_ok:
                severity = ERRORE
                text += (f" Con la lettura letterale il valore atteso {target_text(row)} "
                         + ("sarebbe raggiunto." if literal_ok else "NON sarebbe raggiunto: l'esito dipende da come si legge la formula.")
                         + " La modalità di calcolo va riscritta perché dica il calcolo fatto davvero.")
            else:
                text += f" Con entrambe le letture il valore atteso {target_text(row)} {'è raggiunto' if literal_ok else 'è mancato'}."
        yield rilievo(severity, text, calcolo=steps(*parts),
                      righe_fonte=lines(_va_line(row), _vr_line(row), row["riga_metodo"], row["riga_anno"], row["riga_base"]),
                      **common)


@check(id="conteggio_narrativa", titolo="Conteggio nella relazione diverso dal valore raggiunto",
       verifica="Confronta il valore raggiunto con il numero che la relazione dell'indicatore racconta (metodo "
                "valore_diretto).",
       gravita=(ERRORE, AVVISO), quando="errore se con il numero del racconto l'esito cambierebbe; altrimenti avviso.")
def conteggio_narrativa(ricalcoli: list[dict] = RICALCOLI, regole=REGOLE):
    for row, agreement, _, declared, common in disagreeing(ricalcoli, regole, "racconto"):
        declared_ok = meets(row["vr_numero"], row["va_operatore"], row["va_numero"])
        told_ok = meets(row["valore_ricalcolato"], row["va_operatore"], row["va_numero"])
        text = (f"Il valore raggiunto dichiarato è {declared} ({line(_vr_line(row))}), ma la relazione dell'indicatore "
                f"racconta {formula(row)}.")
        if declared_ok is not None and declared_ok == told_ok:
            text += (f" Entrambi i numeri {'raggiungono' if told_ok else 'mancano'} il valore atteso {target_text(row)}: "
                     "l'esito non cambia, ma uno dei due numeri è sbagliato.")
            severity = AVVISO
        else:
            text += (f" Con il numero del racconto il valore atteso {target_text(row)} "
                     + ("sarebbe raggiunto." if told_ok else "NON sarebbe raggiunto."))
            severity = ERRORE
        calcolo = steps(f"Valore raggiunto dichiarato: {declared} ({line(_vr_line(row))})",
                        f"Numero raccontato nella relazione dell'indicatore: {formula(row)}",
                        f"Differenza: {num(abs(agreement.difference))}",
                        _target_step(row, row["vr_numero"], "il valore dichiarato"),
                        _target_step(row, row["valore_ricalcolato"], "il numero del racconto"))
        yield rilievo(severity, text, calcolo=calcolo,
                      righe_fonte=lines(_vr_line(row), row["riga_metodo"], *operand_lines(row, denominator=False)),
                      **common)


@check(id="voce_sotto_soglia", titolo="Voce dichiarata raggiunta con un dato sotto la soglia",
       verifica="Per le righe di metodi_calcolo il cui 'dichiarato' è una condizione (es. '>= 80%'): ricalcola il dato "
                "della voce e controlla che la rispetti (es. la quota di giudizi positivi di una voce che vale 100%).",
       gravita=(ERRORE,), quando="errore.")
def voce_sotto_soglia(ricalcoli: list[dict] = RICALCOLI):
    """A figure the report declares met (an item scored 100%) whose own data must reach a threshold (`dichiarato`
    written as a condition, e.g. '>= 80%'): a finding only when they do not."""
    for row in ricalcoli:
        if kind(row) != "condizione":
            continue
        operator, threshold, result = row["dichiarato_operatore"], float(row["dichiarato_numero"]), float(row["valore_ricalcolato"])
        if meets(result, operator, threshold):
            continue
        note = f" Dettaglio: {row['note_metodo']}" if not missing(row.get("note_metodo")) else ""
        text = (f"«{row['oggetto']}» ({line(row['riga_metodo'])}) è dichiarata raggiunta, ma i suoi dati danno "
                f"{formula(row)}, che non rispetta la condizione {row['dichiarato_testo']}.{note}")
        yield rilievo(ERRORE, text, ente=row["ente"], anno=int(row["anno"]), codice_indicatore=row["codice_indicatore"],
                      codice_obiettivo=clean(row["codice_obiettivo"]), valore_dichiarato=str(row["dichiarato_testo"]),
                      valore_ricalcolato=result, righe_fonte=lines(row["riga_metodo"], *operand_lines(row)),
                      calcolo=steps(f"Metodo «{METODI[row['metodo']]}»: {formula(row)}",
                                    f"Condizione {row['dichiarato_testo']}: {num(result)} NON la rispetta"),
                      regola=("La condizione scritta in metodi_calcolo (colonna dichiarato): il dato di una voce "
                              "dichiarata raggiunta deve rispettarla."))


@check(id="metodo_non_applicabile", titolo="Metodo di calcolo senza i suoi dati",
       verifica="Righe di metodi_calcolo che non si possono calcolare (serie, voce, anno o indicatore mancante).",
       gravita=(ERRORE,), quando="errore.")
def metodo_non_applicabile(ricalcoli: list[dict] = RICALCOLI):
    for row in ricalcoli:
        if kind(row) != "mancante":
            continue
        yield rilievo(ERRORE, (f"Il calcolo {LETTURE[row['lettura']]} «{METODI[row['metodo']]}» di "
                               f"«{row['oggetto']}» ({row['codice_indicatore']}) non si può fare: manca "
                               + "; ".join(as_list(row["mancanti"])) + "."),
                      ente=row["ente"], anno=int(row["anno"]), codice_indicatore=row["codice_indicatore"],
                      codice_obiettivo=clean(row["codice_obiettivo"]), righe_fonte=line(row["riga_metodo"]) or None)
