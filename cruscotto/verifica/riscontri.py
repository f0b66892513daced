"""Checks against the report's own evidence: a numeric valore raggiunto with nothing behind it (no calculation,
series, key figure or number in the narrative of the indicator)."""
from __future__ import annotations

import math

import pandas as pd

from cruscotto.ingest import fonte
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
    # preselected by column (fatti.candidates): no calculation and no series; the rest is checked row by row, on the
    # candidate rows' Python values (`tolist`: no named tuple for each of the 8.000 findings of a 100k-row import)
    rows = riscontri[(~riscontri["ha_metodo"].eq(True) & ~(pd.to_numeric(riscontri["serie"]) > 0)).fillna(True)
                     .astype(bool).to_numpy()]
    for (ente, anno, codice, obiettivo, descrizione, valore_raggiunto, vr_numero, ha_metodo, serie, cifre, risultato,
         riga_fonte, riga_vr) in zip(*(rows[c].tolist() for c in (
            "ente", "anno", "codice", "codice_obiettivo", "descrizione", "valore_raggiunto", "vr_numero", "ha_metodo",
            "serie", "cifre", "risultato", "riga_fonte", "riga_vr"))):
        if ha_metodo or int(serie) > 0:
            continue
        vr = float(vr_numero)
        figures = as_list(cifre)
        if any(math.isclose(float(c["valore"]), vr) for c in figures) or \
                any(math.isclose(n, vr) for n in fonte.numbers_in(risultato)):
            continue
        outside = (f" Il valore stesso rinvia a un documento che la relazione non riporta: «{valore_raggiunto}»."
                   if "(" in str(valore_raggiunto) else "")
        told = ("; le sue cifre chiave sono " + ", ".join(f"{c['voce']} {num(c['valore'])}" for c in figures)
                if figures else "")
        if missing(risultato) or not str(risultato).strip():
            severity = AVVISO
            text = (f"Il valore raggiunto «{valore_raggiunto}»{at(riga_vr)} di «{descrizione}» non ha dietro "
                    "di sé alcun dato: nessun calcolo, nessuna serie storica, nessuna cifra chiave e nessuna relazione "
                    f"sul risultato{told}.{outside} L'OIV non ha modo di verificarlo.")
        else:
            severity = INFO
            text = (f"Il valore raggiunto «{valore_raggiunto}»{at(riga_vr)} di «{descrizione}» non compare "
                    f"nella relazione dell'indicatore, che racconta «{first_line(risultato)}», né tra i suoi dati"
                    f"{told}.{outside} Il numero va documentato.")
        yield rilievo(severity, text, ente=ente, anno=int(anno), codice_indicatore=codice,
                      codice_obiettivo=obiettivo, valore_dichiarato=valore_raggiunto,
                      righe_fonte=lines(clean(riga_vr) or riga_fonte, *[c["riga_fonte"] for c in figures]),
                      regola=_REGOLA)


_REGOLA = ("Un valore raggiunto numerico deve avere dietro di sé un dato della relazione: un calcolo (metodi_calcolo), "
           "una serie storica, una cifra chiave con lo stesso valore o il numero scritto nella relazione sul risultato.")
