"""Checks against the report's own evidence: a numeric valore raggiunto with nothing behind it (no calculation,
series, key figure or number in the narrative of the indicator)."""
from __future__ import annotations

import math

import pandas as pd

from cruscotto.ingest import fonte
from cruscotto.verifica.fatti import candidates
from cruscotto.verifica.frasi import at, first_line, lines
from cruscotto.verifica.gravita import AVVISO, INFO
from cruscotto.verifica.numeri import as_list, clean, missing, num
from cruscotto.verifica.registry import check, query, rilievo


@check(id="vr_senza_riscontro", titolo="Valore raggiunto senza un dato dietro",
       verifica="Valori raggiunti numerici senza calcolo (metodi_calcolo), serie storica, cifra chiave uguale o numero "
                "nella relazione dell'indicatore che li documenti.",
       gravita=(AVVISO, INFO), quando="avviso se non c'è neppure una relazione sul risultato; info se c'è ma non cita "
                                      "il numero.")
def vr_senza_riscontro(riscontri: pd.DataFrame = query("verifica_riscontri")):
    # preselected by column (fatti.candidates): no calculation and no series; the rest is checked row by row
    for r in candidates(riscontri, ~riscontri["ha_metodo"].eq(True) & ~(pd.to_numeric(riscontri["serie"]) > 0)):
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
