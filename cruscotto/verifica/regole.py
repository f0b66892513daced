"""Checks of the rules sheet itself: a value the Verifica cannot use, thresholds that contradict each other."""
from __future__ import annotations

import pandas as pd

from cruscotto.verifica.fatti import candidates
from cruscotto.verifica.gravita import ERRORE
from cruscotto.verifica.numeri import missing, pct
from cruscotto.verifica.registry import check, query, rilievo


@check(id="regola_non_valida", titolo="Regola non valida",
       verifica="Righe del foglio regole con un valore non utilizzabile (vale il predefinito) o soglie incoerenti.",
       gravita=(ERRORE,), quando="errore.")
def regola_non_valida(regole_in_vigore: pd.DataFrame = query("regole_in_vigore")):
    for r in candidates(regole_in_vigore, regole_in_vigore["valido"].ne(True)):
        if not r.valido:
            yield rilievo(ERRORE, f"Nel foglio regole, «{r.regola}» vale «{r.valore_foglio}», che non si può usare: si "
                                  f"applica il valore predefinito «{r.predefinito}». Valori ammessi: vedere la colonna "
                                  "regola del modello.",
                          ente=r.ente, anno=int(r.anno), valore_dichiarato=str(r.valore_foglio))
    for (ente, anno), group in regole_in_vigore[_thresholds_may_cross(regole_in_vigore)].groupby(["ente", "anno"]):
        values = dict(zip(group["regola"], group["numero"]))
        sr, sp = values.get("soglia_raggiunto"), values.get("soglia_parziale")
        if not missing(sr) and not missing(sp) and sp > sr:
            yield rilievo(ERRORE, f"La soglia di 'parzialmente raggiunto' ({pct(sp)}) è più alta di quella di "
                                  f"'raggiunto' ({pct(sr)}): la fascia intermedia non può esistere. Correggere il "
                                  "foglio regole.",
                          ente=ente, anno=int(anno))


def _thresholds_may_cross(regole_in_vigore: pd.DataFrame) -> pd.Series:
    """The rows of the reports (ente, anno) whose soglia_parziale may be above their soglia_raggiunto (a superset,
    see fatti.candidates: the last value of each, as the check reads them; a value that is not a number is kept for
    the check to judge)."""
    keys = ["ente", "anno"]
    last = regole_in_vigore.drop_duplicates([*keys, "regola"], keep="last")
    sr = last[last["regola"] == "soglia_raggiunto"].set_index(keys)["numero"]
    sp = last[last["regola"] == "soglia_parziale"].set_index(keys)["numero"]
    both = pd.concat([sr.rename("sr"), sp.rename("sp")], axis=1, join="inner").dropna()
    sr_n, sp_n = pd.to_numeric(both["sr"], errors="coerce"), pd.to_numeric(both["sp"], errors="coerce")
    crossing = both.index[(sp_n > sr_n) | sr_n.isna() | sp_n.isna()]
    return pd.MultiIndex.from_frame(regole_in_vigore[keys]).isin(crossing)


def describe_rules(rules: dict[str, tuple[str, str]]) -> str:
    """The rule in force in one sentence, e.g. «tetto 100% · raggiunto ≥ 90%, parzialmente raggiunto 70–90%, non
    raggiunto < 70% · media semplice · aggregazione gerarchica (valori predefiniti)». `rules` is {regola: (valore,
    fonte)} as queries/regole_in_vigore.sql gives it (the page, the Relazione)."""
    if not rules:
        return "nessuna regola: nessun dato"
    tetto = rules["tetto_grado"][0]
    sr, sp = rules["soglia_raggiunto"][0], rules["soglia_parziale"][0]
    fonti = {f for _, f in rules.values()}
    origin = ("valori predefiniti" if fonti == {"predefinita"} else "dal foglio «regole»" if fonti == {"foglio regole"}
              else "in parte dal foglio «regole», il resto predefinito")
    cap = "senza tetto" if tetto == "nessuno" else f"tetto {tetto}%"
    return (f"{cap} · raggiunto ≥ {sr}%, parzialmente raggiunto {sp}–{sr}%, non raggiunto < {sp}% · "
            f"media {rules['media'][0]} · aggregazione {rules['aggregazione'][0]} ({origin})")
