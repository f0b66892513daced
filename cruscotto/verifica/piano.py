"""Checks of the plan's content: objectives without indicators or title, indicators without a target, a year that
is not the report's, targets that ask little, a time or a cost read as «more is better»."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from cruscotto.verifica.fatti import INDICATORI_SQL, NODI_SQL, REGOLE, RICALCOLO, candidates
from cruscotto.verifica.frasi import NODO, at, indicatore, line, lines, nodo, steps, titolo_nodo, with_unit
from cruscotto.verifica.gravita import AVVISO, ERRORE, INFO
from cruscotto.verifica.metodi import METODI
from cruscotto.verifica.numeri import as_list, clean, meets, missing, num
from cruscotto.verifica.registry import check, fatto, query, rilievo

_REFERRAL = re.compile(r"\b(si rimanda|si veda|vedi|rinvio)\b", re.IGNORECASE)


@check(id="indicatore_senza_target", titolo="Indicatore senza valore atteso",
       titoli={"rinvio": "Valore atteso che rinvia ad altri documenti"},
       verifica="Indicatori senza valore atteso, o il cui valore atteso rinvia ad altri documenti.",
       gravita=(AVVISO, INFO), quando="avviso se manca; info se rinvia ad altri documenti.")
def indicatore_senza_target(indicatori: pd.DataFrame = INDICATORI_SQL):
    va_tipo = indicatori["va_tipo"]
    # preselected (fatti.candidates): no target, or a milestone whose words refer elsewhere (NaN: kept for the check)
    milestone = (va_tipo == "qualitativo").to_numpy(dtype=bool, na_value=False)
    referral = np.zeros(len(indicatori), dtype=bool)
    referral[milestone] = [bool(_REFERRAL.search(v)) if isinstance(v, str) else True
                           for v in indicatori["valore_atteso"].to_numpy(dtype=object)[milestone]]
    for r in candidates(indicatori, (va_tipo == "assente") | pd.Series(referral, index=indicatori.index)):
        if r.va_tipo == "assente":
            yield rilievo(AVVISO, f"L'indicatore «{r.descrizione}» non ha un valore atteso: non si può dire se è "
                                  "raggiunto.", **indicatore(r))
        elif r.va_tipo == "qualitativo" and _REFERRAL.search(r.valore_atteso or ""):
            yield rilievo(INFO, f"Il valore atteso di «{r.descrizione}» è «{r.valore_atteso}»: il traguardo non è "
                                "scritto nella relazione, che rinvia ai documenti di progetto. Il lettore deve cercarlo lì.",
                          variante="rinvio", valore_dichiarato=r.valore_atteso, **indicatore(r, r.riga_va))


@check(id="obiettivo_senza_indicatori", titolo="Obiettivo senza indicatori",
       titoli={"area": "Area senza indicatori", "senza_propri": "Obiettivo strategico senza indicatori propri"},
       verifica="Obiettivi operativi senza indicatori, obiettivi strategici e aree senza alcun indicatore sotto di sé; "
                "obiettivi strategici senza indicatori propri.",
       gravita=(AVVISO, INFO), quando="avviso; info per uno strategico che ha indicatori solo nei suoi operativi.")
def obiettivo_senza_indicatori(nodi: pd.DataFrame = NODI_SQL):
    livello, sotto, propri = nodi["livello"], nodi["indicatori_sotto"], nodi["indicatori_propri"]
    for r in candidates(nodi, ((livello == "area") & (sotto == 0)) | ((livello == "operativo") & (propri == 0))
                        | ((livello == "strategico") & ((sotto == 0) | (propri == 0)))):
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


@check(id="obiettivo_senza_titolo", titolo="Obiettivo senza titolo", verifica="Obiettivi senza titolo nel documento.",
       gravita=(INFO,), quando="info.")
def obiettivo_senza_titolo(nodi: pd.DataFrame = NODI_SQL):
    for r in candidates(nodi, (nodi["livello"] != "area") & nodi["titolo"].isna()):
        if r.livello != "area" and missing(r.titolo):
            yield rilievo(INFO, f"{NODO[r.livello]} {r.codice} ({line(r.riga_fonte)}) non ha titolo nel documento: si "
                                "sa solo il codice.", **nodo(r))


@check(id="anno_nella_descrizione", titolo="Anno diverso da quello della relazione",
       verifica="Descrizioni che nominano un'edizione, una fase o un anno diverso da quello della relazione.",
       gravita=(INFO,), quando="info.")
def anno_nella_descrizione(indicatori: pd.DataFrame = INDICATORI_SQL):
    # preselected (fatti.candidates): the descriptions that name some year at all (a few of a 100k-row import)
    named = pd.Series([not missing(y) and len(y) > 0 for y in indicatori["anni_descrizione"].tolist()],
                      index=indicatori.index, dtype=bool)
    for r in candidates(indicatori, named):
        years = [int(y) for y in as_list(r.anni_descrizione) if int(y) != int(r.anno)]
        if years:
            yield rilievo(INFO, f"La descrizione «{r.descrizione}» nomina il {', '.join(map(str, years))} nella "
                                f"relazione del {int(r.anno)}: verificare che l'indicatore e la sua relazione parlino "
                                "della stessa edizione.", **indicatore(r))


# ------------------------------------------------------------------ targets: ambition and direction

@fatto
def AMBIZIONE(indicators: pd.DataFrame = INDICATORI_SQL, recomputations: pd.DataFrame = RICALCOLO,
              rules=REGOLE) -> pd.DataFrame:
    """Every indicator with a numeric VA and VR, the same indicator one year earlier by its principal method (NULL
    when its series does not have that year) and the rule soglia_ambizione. Built from two results the run has
    already read: reading int_ricalcolo a second time would double the cost of the Verifica."""
    numeric = indicators[(indicators["va_tipo"] == "numerico") & (indicators["vr_tipo"] == "numerico")]
    previous = recomputations[(recomputations["lettura"] == "principale") & (recomputations["oggetto"] == "valore raggiunto")
                              & recomputations["valore_precedente"].notna()]
    previous = previous[["ente", "anno", "codice_indicatore", "anno_precedente", "valore_precedente", "riga_precedente",
                         "metodo"]].rename(columns={"codice_indicatore": "codice"})
    frame = numeric.merge(previous, on=["ente", "anno", "codice"], how="left")
    frame["soglia_ambizione"] = [rules.get((e, int(a)), {}).get("soglia_ambizione") for e, a in zip(frame["ente"], frame["anno"])]
    return frame


@check(id="target_poco_ambizioso", titolo="Valore atteso poco ambizioso",
       verifica="Valori attesi già raggiunti l'anno prima (il valore dell'anno precedente, calcolato con il metodo "
                "dell'indicatore, noto quando il piano è stato adottato) o superati di molte volte (regola "
                "soglia_ambizione).",
       gravita=(AVVISO,), quando="avviso: il target non misura un miglioramento, ma l'esito non è contraddetto.")
def target_poco_ambizioso(ambizione: pd.DataFrame = AMBIZIONE):
    """A valore atteso already met the year before the plan, or exceeded many times over (rule soglia_ambizione)."""
    for r in candidates(ambizione, _ambitious_enough(ambizione)):
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


def _ambitious_enough(frame: pd.DataFrame) -> pd.Series:
    """The rows target_poco_ambizioso may speak of (a superset, see fatti.candidates): VR at least (nearly) the
    threshold times VA (VA times VR for a ceiling), or a value the year before that meets the target (any operator
    other than the four compared here: numeri.meets compares them by closeness)."""
    va, vr = pd.to_numeric(frame["va_numero"]).astype(float), pd.to_numeric(frame["vr_numero"]).astype(float)
    op, soglia = frame["va_operatore"], pd.to_numeric(frame["soglia_ambizione"]).astype(float).fillna(3.0)
    more, less = op.isin([">=", ">"]), op.isin(["<=", "<"])
    ratio = (vr / va).where(more, va / vr)
    many = (more | less) & (va > 0) & (vr > 0) & (ratio >= soglia * (1 - 1e-9))
    previous = pd.to_numeric(frame["valore_precedente"]).astype(float)
    met = ((op == ">=") & (previous >= va)) | ((op == ">") & (previous > va)) | ((op == "<=") & (previous <= va)) \
        | ((op == "<") & (previous < va)) | ~(more | less)
    return many | (previous.notna() & met)


@check(id="direzione_tempo_costo", titolo="Tempo o costo letto come «di più è meglio»",
       verifica="Indicatori di tempo o di costo (unità giorni, oppure «tempo», «costo», «durata», «spesa» nella "
                "descrizione) il cui valore atteso ha, scritto o sottinteso, l'operatore >= (di più è meglio).",
       gravita=(ERRORE, AVVISO), quando="errore se con il tetto (<=) l'esito cambierebbe; altrimenti avviso.")
def direzione_tempo_costo(direzione: pd.DataFrame = query("verifica_direzione")):
    """A time or a cost whose valore atteso says that more is better."""
    for r in direzione.itertuples():
        why = f"la descrizione dice «{r.parola}»" if not missing(r.parola) else "l'unità è giorni"
        ceiling = "<=" if r.va_operatore == ">=" else "<"
        written = (f"non ha operatore ed è letto come «{r.va_operatore}» (di più è meglio)" if r.va_operatore_implicito
                   else f"ha l'operatore «{r.va_operatore}» (di più è meglio)")
        text = (f"«{r.descrizione}» misura un tempo o un costo ({why}): il suo valore atteso è di norma un tetto da non "
                f"superare («{ceiling} {num(r.va_numero)}»). Il valore atteso «{r.valore_atteso}»"
                f"{at(clean(r.riga_va) or r.riga_fonte)} {written}.")
        parts = [f"Valore atteso «{r.valore_atteso}»{at(r.riga_va)}: letto come «{r.va_operatore} {num(r.va_numero)}»"]
        severity = AVVISO
        if not missing(r.vr_numero):
            as_read, as_ceiling = meets(r.vr_numero, r.va_operatore, r.va_numero), meets(r.vr_numero, ceiling, r.va_numero)
            parts += [f"Valore raggiunto {num(r.vr_numero)}{at(r.riga_vr)} con «{r.va_operatore}»: "
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
                            if not missing(r.esito_dichiarato) else ""))
        yield rilievo(severity, text, ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice,
                      codice_obiettivo=r.codice_obiettivo, valore_dichiarato=r.valore_atteso,
                      righe_fonte=lines(r.riga_va, r.riga_vr), calcolo=steps(*parts),
                      regola=("Un tempo (unità giorni, «tempo», «tempi», «durata» nella descrizione) o un costo "
                              "(«costo», «costi», «spesa», «spese») migliora scendendo: il suo valore atteso è un "
                              "tetto («<=»). Un importo in € da solo non basta: i contributi da erogare sono "
                              "giustamente un minimo."))
