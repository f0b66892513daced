"""Checks of the esito of each indicator against the rule in force (int_valutazione, read through
verifica_indicatori): a declared esito the rule contradicts, an esito or a valore raggiunto not declared, a missed
target without the reason of the gap (in the report, its notes, or a motivazione recorded in annotazioni)."""
from __future__ import annotations

import pandas as pd

from cruscotto.store.schema import MOTIVAZIONE
from cruscotto.verifica.fatti import INDICATORI_SQL, REGOLE, candidates
from cruscotto.verifica.frasi import first_line, indicatore, steps
from cruscotto.verifica.gravita import AVVISO, ERRORE
from cruscotto.verifica.numeri import missing, num, pct
from cruscotto.verifica.registry import check, fatto, query, rilievo

ESITI_SCOSTAMENTO = ("OBIETTIVO PARZIALMENTE CONSEGUITO", "OBIETTIVO NON CONSEGUITO")


@check(id="esito_contraddice_regola", titolo="Esito dichiarato in contrasto con la regola",
       verifica="Confronta l'esito dichiarato con quello che dà la regola in vigore (grado di raggiungimento e fasce).",
       gravita=(ERRORE,), quando="errore.")
def esito_contraddice_regola(indicatori: pd.DataFrame = INDICATORI_SQL):
    declared, rule = indicatori["esito_dichiarato"], indicatori["esito_regola"]
    for r in candidates(indicatori, declared.notna() & rule.notna() & (declared != rule)):
        if not missing(r.esito_dichiarato) and not missing(r.esito_regola) and r.esito_dichiarato != r.esito_regola:
            yield rilievo(ERRORE, f"L'esito dichiarato di «{r.descrizione}» è «{r.esito_dichiarato}», ma con valore "
                                  f"atteso «{r.valore_atteso}» e valore raggiunto «{r.valore_raggiunto}» la regola in "
                                  f"vigore dà un grado di {pct(r.grado, 2)} (fascia «{r.fascia}»): l'esito sarebbe "
                                  f"«{r.esito_regola}».",
                          valore_dichiarato=r.esito_dichiarato, calcolo=grado_steps(r), regola=bands_rule(r),
                          **indicatore(r, r.riga_va, r.riga_vr))


@check(id="esito_mancante", titolo="Esito non dichiarato",
       verifica="Indicatori con un valore raggiunto ma senza esito dichiarato.", gravita=(AVVISO,), quando="avviso.")
def esito_mancante(indicatori: pd.DataFrame = INDICATORI_SQL):
    for r in candidates(indicatori, (indicatori["vr_tipo"] != "assente") & indicatori["esito_dichiarato"].isna()
                        & indicatori["grado"].notna()):
        if r.vr_tipo != "assente" and missing(r.esito_dichiarato) and not missing(r.grado):
            yield rilievo(AVVISO, f"L'indicatore «{r.descrizione}» ha valore atteso «{r.valore_atteso}» e valore "
                                  f"raggiunto «{r.valore_raggiunto}», ma la relazione non dichiara l'esito. Con la "
                                  f"regola in vigore il grado è {pct(r.grado, 2)} e l'esito sarebbe «{r.esito_regola}».",
                          calcolo=grado_steps(r), regola=bands_rule(r), **indicatore(r, r.riga_va, r.riga_vr))


@fatto
def MOTIVATI(annotazioni: pd.DataFrame = query("annotazioni")) -> set[tuple[str, int, str]]:
    """(ente, anno, codice) of the indicators with a motivazione dello scostamento recorded (table annotazioni)."""
    return {(e, int(a), c) for e, a, c, t in zip(annotazioni["ente"], annotazioni["anno"],
                                                 annotazioni["codice_indicatore"], annotazioni["tipo"]) if t == MOTIVAZIONE}


@check(id="scostamento_senza_motivo", titolo="Valore atteso mancato senza motivo dello scostamento",
       verifica="Indicatori non raggiunti o raggiunti solo in parte (per la regola o per l'esito dichiarato) la cui "
                "relazione o nota non spiega lo scostamento (parole della regola parole_motivazione) e senza una "
                "motivazione registrata (foglio annotazioni o pagina Indicatori): è la prima domanda dell'OIV.",
       gravita=(AVVISO,), quando="avviso: è una lacuna della relazione, non una contraddizione.")
def scostamento_senza_motivo(indicatori: pd.DataFrame = INDICATORI_SQL, regole=REGOLE, motivati=MOTIVATI):
    short = (indicatori["stato_regola"] == "non raggiunto") \
        | indicatori["fascia"].isin(["non raggiunto", "parzialmente raggiunto"]) \
        | indicatori["esito_dichiarato"].isin(ESITI_SCOSTAMENTO)
    for r in candidates(indicatori, short & ~indicatori["ha_motivazione"].eq(True)):
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


@check(id="valore_raggiunto_mancante", titolo="Valore raggiunto mancante",
       verifica="Indicatori senza valore raggiunto: non si possono valutare.", gravita=(AVVISO,), quando="avviso.")
def valore_raggiunto_mancante(indicatori: pd.DataFrame = INDICATORI_SQL):
    for r in candidates(indicatori, indicatori["vr_tipo"] == "assente"):
        if r.vr_tipo != "assente":
            continue
        esito = "né l'esito" if missing(r.esito_dichiarato) else f"ma l'esito dichiarato è «{r.esito_dichiarato}»"
        extra = f" La relazione dice: «{first_line(r.risultato)}»." if not missing(r.risultato) else ""
        yield rilievo(AVVISO, f"L'indicatore «{r.descrizione}» (valore atteso «{r.valore_atteso}») non ha valore "
                              f"raggiunto, {esito}: non si può valutare e non entra nel grado di raggiungimento.{extra}",
                      **indicatore(r, r.riga_va, r.riga_vr))


# ------------------------------------------------------------------ the rule in force, in words

def grado_steps(r) -> str | None:
    """How the rule in force turns VA and VR into a grado, a band and an esito, with the numbers."""
    if missing(r.grado):
        return None
    if r.valutazione == "traguardo":
        first = (f"Traguardo qualitativo: il valore raggiunto «{r.valore_raggiunto}» è giudicato «{r.stato_regola}» "
                 f"(regola parole_non_raggiunto): grado {pct(r.grado, 2)}")
    elif r.va_operatore in (">=", ">"):
        first = (f"Grado = valore raggiunto / valore atteso × 100 = {num(r.vr_numero)} / {num(r.va_numero)} × 100 = "
                 f"{pct(r.grado_grezzo, 2)}")
    elif r.va_operatore in ("<=", "<"):
        first = (f"Grado = valore atteso / valore raggiunto × 100 = {num(r.va_numero)} / {num(r.vr_numero)} × 100 = "
                 f"{pct(r.grado_grezzo, 2)}" if not missing(r.grado_grezzo)
                 else f"Valore raggiunto {num(r.vr_numero)} sotto un tetto: il massimo, {pct(r.grado, 2)}")
    else:
        first = f"Grado = il minore fra VR / VA e VA / VR, × 100 = {pct(r.grado_grezzo, 2)}"
    capped = (f"Tetto del grado {pct(r.tetto, 2)}: grado {pct(r.grado, 2)}"
              if not missing(r.tetto) and not missing(r.grado_grezzo) and r.grado_grezzo > r.tetto else None)
    band = (f"Fascia «{r.fascia}» (raggiunto da {pct(r.soglia_raggiunto, 2)}, parzialmente da {pct(r.soglia_parziale, 2)}): "
            f"esito «{r.esito_regola}»")
    return steps(first, capped, band)


def bands_rule(r) -> str:
    cap = "senza tetto" if missing(r.tetto) else f"tetto {pct(r.tetto, 2)}"
    return (f"Regole in vigore: grado = VR / VA × 100 (VA / VR per i valori da non superare), {cap}; fasce: raggiunto da "
            f"{pct(r.soglia_raggiunto, 2)}, parzialmente raggiunto da {pct(r.soglia_parziale, 2)}, sotto non raggiunto "
            "(regole tetto_grado, soglia_raggiunto, soglia_parziale).")
