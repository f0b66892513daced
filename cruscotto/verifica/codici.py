"""Checks of the codes and their numbering: a code used twice or printed for two blocks, codes that differ only by
a zero, an objective without a printed code or whose code does not descend from its parent, a gap in a sequence."""
from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

import pandas as pd

from cruscotto.present import formatting
from cruscotto.verifica.fatti import NODI_SQL, candidates
from cruscotto.verifica.frasi import NODO, line, lines, nodo, titolo_nodo
from cruscotto.verifica.gravita import AVVISO, ERRORE, INFO
from cruscotto.verifica.numeri import as_list, missing
from cruscotto.verifica.registry import check, query, rilievo


@check(id="codice_duplicato", titolo="Codice usato più volte",
       verifica="Lo stesso codice per due aree, obiettivi o indicatori.", gravita=(ERRORE,), quando="errore.")
def codice_duplicato(nodi: pd.DataFrame = NODI_SQL,
                     codici_indicatori: pd.DataFrame = query("verifica_codici_indicatori")):
    # preselected (fatti.candidates): the nodes whose code is used more than once; the lines cited are those of
    # every node with the code
    repeated = list(candidates(nodi, nodi["occorrenze"] > 1))
    cited_by_key = defaultdict(list)
    if repeated:
        for ente, anno, codice, riga in zip(*(nodi[c].tolist() for c in ("ente", "anno", "codice", "riga_fonte"))):
            cited_by_key[(ente, anno, codice)].append(riga)
    seen = set()
    for r in repeated:
        key = (r.ente, r.anno, r.codice)
        if r.occorrenze > 1 and key not in seen:
            seen.add(key)
            cited = lines(*cited_by_key[key])
            yield rilievo(ERRORE, f"Il codice {r.codice} è usato {r.occorrenze} volte (righe {cited}).",
                          **{**nodo(r), "righe_fonte": cited})
    for r in codici_indicatori.itertuples():
        cited = lines(*as_list(r.righe_fonte))
        yield rilievo(ERRORE, f"Il codice di indicatore {r.codice} è usato {r.occorrenze} volte (righe {cited}).",
                      ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice, righe_fonte=cited)


@check(id="codici_ambigui", titolo="Codici che differiscono solo per uno zero",
       verifica="Codici che diventano uguali togliendo gli zeri iniziali (es. 2019_01_02_4 e 2019_01_02_04).",
       gravita=(AVVISO,), quando="avviso.")
def codici_ambigui(nodi: pd.DataFrame = NODI_SQL):
    groups = defaultdict(list)
    for r in candidates(nodi, _may_collide(nodi)):
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


def _may_collide(nodi: pd.DataFrame) -> pd.Series:
    """The nodes codici_ambigui may group with another code (a superset, see fatti.candidates): those whose
    (ente, anno, normalised code) is shared by another node."""
    keys = list(zip(nodi["ente"].tolist(), nodi["anno"].tolist(), map(_normalised, nodi["codice"].tolist())))
    counts = Counter(keys)
    return pd.Series([counts[k] > 1 for k in keys], index=nodi.index, dtype=bool)


def _descends(nodi: pd.DataFrame, column: str, unknown: bool) -> pd.Series:
    """Whether each node's `column` begins with its parent's code and «_»; `unknown` where either is not text (the
    check's own str() decides those rows)."""
    return pd.Series([c.startswith(f"{p}_") if isinstance(c, str) and isinstance(p, str) else unknown
                      for c, p in zip(nodi[column], nodi["codice_padre"])], index=nodi.index, dtype=bool)


def _normalised(code: str) -> str:
    """The code without the leading zeros of its numbers: '2019_01_02_04' -> '2019_1_2_4' ('00' -> '0')."""
    if code.isascii():  # a number is then [0-9]+: one pass of a regular expression (18.910 codes of a 100k import)
        return _LEADING_ZEROS.sub("", code)
    return "_".join(part.lstrip("0") or "0" if part.isdigit() else part for part in code.split("_"))


# the zeros that begin a part made only of digits, all but its last digit
_LEADING_ZEROS = re.compile(r"(?<![^_])0+(?=[0-9]+(?:_|\Z))")


@check(id="codice_mancante", titolo="Obiettivo senza codice nel documento",
       verifica="Obiettivi il cui codice non è stampato nel documento (il codice nel cruscotto è assegnato in "
                "trascrizione).",
       gravita=(AVVISO,), quando="avviso.")
def codice_mancante(nodi: pd.DataFrame = NODI_SQL):
    for r in candidates(nodi, (nodi["livello"] != "area") & nodi["codice_documento"].isna()):
        if r.livello != "area" and missing(r.codice_documento):
            yield rilievo(AVVISO, f"{NODO[r.livello]}{titolo_nodo(r)} ({line(r.riga_fonte)}) non ha codice nel "
                                  f"documento: nel cruscotto ha il codice {r.codice}, assegnato in trascrizione. Un "
                                  "lettore della relazione non può citarlo.", **nodo(r))


@check(id="codice_fuori_ramo", titolo="Codice che non discende dal padre",
       verifica="Obiettivi il cui codice non comincia con quello del padre.", gravita=(AVVISO,), quando="avviso.")
def codice_fuori_ramo(nodi: pd.DataFrame = NODI_SQL):
    for r in candidates(nodi, (nodi["livello"] != "area") & nodi["codice_documento"].notna() & nodi["codice_padre"].notna()
                        & ~_descends(nodi, "codice", unknown=False)):
        if r.livello == "area" or missing(r.codice_documento) or missing(r.codice_padre):
            continue
        if not str(r.codice).startswith(f"{r.codice_padre}_"):
            yield rilievo(AVVISO, f"{NODO[r.livello]} {r.codice}{titolo_nodo(r)} è figlio di {r.codice_padre}, ma il "
                                  f"suo codice non comincia con «{r.codice_padre}_».", **nodo(r))


@check(id="numerazione_saltata", titolo="Numerazione degli obiettivi con un salto",
       verifica="Numeri mancanti nella sequenza degli obiettivi figli dello stesso padre.", gravita=(INFO,),
       quando="info.")
def numerazione_saltata(nodi: pd.DataFrame = NODI_SQL):
    # the children whose code descends from their parent, by parent: (number, code, line, digits of the number), from
    # the candidate rows' Python values (`tolist`: no named tuple for each of the 15.000 objectives of a 100k import)
    children = defaultdict(list)
    rows = nodi[_numbered(nodi).to_numpy()]
    for ente, anno, codice, documento, padre, riga in zip(*(rows[c].tolist() for c in (
            "ente", "anno", "codice", "codice_documento", "codice_padre", "riga_fonte"))):
        if missing(padre) or missing(documento):
            continue
        last = str(documento).rsplit("_", 1)[-1]
        if str(documento).startswith(f"{padre}_") and last.isdigit():
            children[(ente, anno, padre)].append((int(last), codice, riga, len(last)))
    for (ente, anno, parent), items in children.items():
        numbers = {n for n, *_ in items}
        ordered = sorted(numbers)
        first = {}  # each number's first objective (code, line), in the order of the plan
        for n, codice, riga, _ in items:
            first.setdefault(n, (codice, riga))
        width = max(digits for *_, digits in items)
        anno = int(anno)
        for gap in sorted(set(range(1, max(numbers) + 1)) - numbers):
            at_gap = bisect.bisect_left(ordered, gap)  # the numbers around the gap: the last below, the first above
            prev = first[ordered[at_gap - 1]] if at_gap else None
            nxt = first[ordered[at_gap]]
            passage = f"passa da {prev[0]} a {nxt[0]}" if prev is not None else f"comincia da {nxt[0]}"
            yield rilievo(INFO, f"Tra gli obiettivi figli di {parent} la numerazione {passage}: manca "
                                f"{parent}_{str(gap).zfill(width)}, che il documento non riporta (nessun obiettivo è "
                                "stato inventato).",
                          ente=ente, anno=anno, codice_obiettivo=parent,
                          righe_fonte=lines(prev[1] if prev is not None else None, nxt[1]))


def _numbered(nodi: pd.DataFrame) -> pd.Series:
    """The objectives numerazione_saltata may number (a superset, see fatti.candidates): a parent and a printed code
    that descends from it."""
    return (nodi["codice_padre"].notna() & nodi["codice_documento"].notna()
            & _descends(nodi, "codice_documento", unknown=True)).fillna(True).astype(bool)


@check(id="codice_stampato_piu_volte", titolo="Codice stampato per due blocchi",
       verifica="Codici che il documento stampa per più blocchi diversi (tabella codici_ripetuti): la trascrizione li "
                "riunisce, ma chi cita il codice non sa di quale blocco parla.",
       gravita=(AVVISO,), quando="avviso.")
def codice_stampato_piu_volte(ripetuti: pd.DataFrame = query("verifica_codici_ripetuti")):
    """Codes the document prints for two blocks: the transcription merges them, codici_ripetuti keeps the fact."""
    for r in ripetuti.itertuples():
        righe = [int(x) for x in as_list(r.righe)]
        printed = ", ".join(f"r. {x}" for x in righe)
        if missing(r.livello):
            made = "Nessun obiettivo del cruscotto ha questo codice: controllare la tabella codici_ripetuti."
        else:
            what = {"area": "area", "strategico": "obiettivo strategico", "operativo": "obiettivo operativo"}[r.livello]
            made = (f"La trascrizione ne fa un solo {what} con "
                    f"{formatting.plural(r.indicatori, 'indicatore', 'indicatori')}.")
        text = (f"Il codice {r.codice} è stampato {int(r.stampe)} volte, per blocchi diversi ({printed}). {made} Chi "
                "cita il codice, o lo cerca nel documento, non sa a quale blocco si riferisce: la relazione dovrebbe "
                "dare a ogni blocco il suo codice."
                + (f" Nota di trascrizione: {r.note}" if not missing(r.note) else ""))
        yield rilievo(AVVISO, text, ente=r.ente, anno=int(r.anno), codice_obiettivo=r.codice, righe_fonte=lines(*righe))
