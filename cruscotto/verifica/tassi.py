"""The check of printed percentages against their own parts: the rates of the historical series (numeratore and
denominatore of the same year) and the rates a narrative cites (metodi_calcolo rows with a 'dichiarato')."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cruscotto.present import formatting
from cruscotto.verifica.fatti import REGOLE, RICALCOLI, candidates
from cruscotto.verifica.frasi import comparison_step, line, lines, rounded_text, steps, tolerance, tolerance_rule
from cruscotto.verifica.gravita import ERRORE, INFO
from cruscotto.verifica.metodi import METODI, formula, operand_lines
from cruscotto.verifica.numeri import Agreement, clean, compare, float_decimals, missing, num, pct, round_half_up
from cruscotto.verifica.registry import check, query, rilievo
from cruscotto.verifica.ricalcolo import disagreeing


@check(id="tasso_incoerente", titolo="Percentuale nel testo diversa dai suoi dati",
       titoli={"arrotondamento": "Percentuale nel testo coerente solo entro l'arrotondamento"},
       verifica="Confronta ogni percentuale stampata con il suo numeratore e denominatore (serie storiche) o con le "
                "parti da cui è composta (metodi_calcolo con 'dichiarato').",
       gravita=(ERRORE, INFO), quando="errore oltre la tolleranza di arrotondamento; info se torna solo entro la tolleranza.")
def tasso_incoerente(ricalcoli: list[dict] = RICALCOLI, tassi: pd.DataFrame = query("verifica_tassi"), regole=REGOLE):
    for row, agreement, decimals, _, common in disagreeing(ricalcoli, regole, "citato"):
        yield from _cited_rate(row, agreement, decimals, common)
    for r in candidates(tassi, _maybe_inexact(tassi)):
        yield from _series_rate(r, regole)


def _maybe_inexact(tassi: pd.DataFrame) -> pd.Series:
    """The printed rates that may not be exactly their recomputed rate once rounded as printed (a superset, see
    fatti.candidates). A rate is left out only when it is surely exact: the printed value is a number of its own
    decimals (at most 4; 1e-05 has 0 and is not), both values are below a million (float error far below the
    margins), and the recomputed value lies within 0,9 of half a unit of the last printed decimal, so that rounded
    half up it gives the printed value."""
    valore = pd.to_numeric(tassi["valore"]).astype(float).to_numpy()
    tasso = pd.to_numeric(tassi["tasso_calcolato"]).astype(float).to_numpy()
    decimals = np.array([float_decimals(v) if not missing(v) else 99 for v in valore.tolist()], dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        scale = 10.0 ** np.minimum(decimals, 4)
        grid = np.round(valore * scale) / scale
        exact = (decimals <= 4) & (np.abs(valore) < 1e6) & (np.abs(tasso) < 1e6) & (np.abs(grid - valore) < 1e-10) \
            & (np.abs(tasso - valore) < 0.9 * 0.5 / scale)
    return pd.Series(~exact, index=tassi.index)


def _cited_rate(row: dict, agreement: Agreement, decimals: int, common: dict):
    note = f" Dettaglio: {row['note_metodo']}" if not missing(row.get("note_metodo")) else ""
    text = (f"La relazione indica {row['dichiarato_testo']} per «{row['oggetto']}» ({line(row['riga_metodo'])}), "
            f"ma le sue parti danno {formula(row)}.")
    common.update(righe_fonte=lines(row["riga_metodo"], *operand_lines(row)),
                  calcolo=steps(f"Metodo «{METODI[row['metodo']]}»: {formula(row)}",
                                f"Arrotondato a {decimals} decimali come il valore citato: "
                                f"{rounded_text(row['valore_ricalcolato'], decimals, row['dichiarato_testo'])}",
                                comparison_step(row["dichiarato_testo"], row["riga_metodo"], agreement)))
    if agreement.verdict == "arrotondamento":
        yield rilievo(INFO, text + f" La differenza ({num(abs(agreement.difference))}) sta entro la tolleranza.",
                      variante="arrotondamento", **common)
        return
    yield rilievo(ERRORE, text + f" Differenza: {num(abs(agreement.difference))} punti.{note}", **common)


def _series_rate(r, regole):
    decimals = float_decimals(r.valore)
    agreement = compare(float(r.valore), float(r.tasso_calcolato), decimals, tolerance(regole, r.ente, r.anno))
    if agreement.verdict == "esatto":
        return
    text = (f"Per il {r.anno_valore} la relazione stampa {pct(r.valore)} ({line(r.riga_fonte)}: «{r.testo_originale}»), "
            f"ma {num(r.numeratore)} / {num(r.denominatore)} × 100 = {pct(r.tasso_calcolato)}.")
    swap = _digit_swap(r.numeratore, r.denominatore, float(r.valore), decimals)
    calcolo = steps(f"Dati del {r.anno_valore} ({line(r.riga_fonte)}): numeratore {num(r.numeratore)}, denominatore "
                    f"{num(r.denominatore)}",
                    f"{num(r.numeratore)} / {num(r.denominatore)} × 100 = {pct(r.tasso_calcolato)}",
                    f"Arrotondato a {decimals} decimali come la percentuale stampata: "
                    f"{formatting.percent(agreement.rounded, decimals)}",
                    comparison_step(formatting.percent(r.valore, decimals), r.riga_fonte, agreement),
                    f"Prova: {swap}" if swap and agreement.verdict == "diverso" else None)
    common = dict(ente=r.ente, anno=int(r.anno), codice_indicatore=clean(r.codice_indicatore),
                  valore_dichiarato=pct(r.valore), valore_ricalcolato=float(r.tasso_calcolato),
                  righe_fonte=lines(r.riga_fonte), calcolo=calcolo, regola=tolerance_rule(regole, r.ente, r.anno, decimals))
    if agreement.verdict == "arrotondamento":
        yield rilievo(INFO, text + f" La differenza ({num(abs(agreement.difference))}) sta entro la tolleranza.",
                      variante="arrotondamento", **common)
        return
    text += f" Differenza: {num(abs(agreement.difference))} punti."
    if swap:
        text += f" Il valore stampato torna invece con {swap}: probabile inversione di due cifre nel testo."
    yield rilievo(ERRORE, text, **common)


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
