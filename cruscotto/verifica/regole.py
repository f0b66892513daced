"""Checks of the rules sheet itself: a value the Verifica cannot use, thresholds that contradict each other."""
from __future__ import annotations

import pandas as pd

from cruscotto.verifica.gravita import ERRORE
from cruscotto.verifica.numeri import missing, pct
from cruscotto.verifica.registry import check, query, rilievo


@check(id="regola_non_valida", titolo="Regola non valida",
       verifica="Righe del foglio regole con un valore non utilizzabile (vale il predefinito) o soglie incoerenti.",
       gravita=(ERRORE,), quando="errore.")
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
