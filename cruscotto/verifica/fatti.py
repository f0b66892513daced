"""Facts several families of checks read: query results named once, and facts derived from them once per run
(see registry.fatto). A fact only one family needs lives in that family's module (e.g. piano.AMBIZIONE).
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from cruscotto.verifica.numeri import missing
from cruscotto.verifica.registry import fatto, query

INDICATORI_SQL = query("verifica_indicatori")  # every indicator with its valuation by the rule in force
NODI_SQL = query("verifica_nodi")  # every area and objective of the plan
RICALCOLO = query("ricalcolo_dettaglio")  # every calculation of metodi_calcolo, done (metodi.py)


@fatto
def INDICATORI(verifica_indicatori: pd.DataFrame = INDICATORI_SQL) -> list:
    """The indicators as rows (named tuples), made once: several checks go through them."""
    return list(verifica_indicatori.itertuples())


@fatto
def NODI(verifica_nodi: pd.DataFrame = NODI_SQL) -> list:
    """The areas and objectives as rows (named tuples), made once: several checks go through them."""
    return list(verifica_nodi.itertuples())


@fatto
def REGOLE(regole_in_vigore: pd.DataFrame = query("regole_in_vigore")) -> dict[tuple[str, int], dict[str, object]]:
    """The rules in force (tolerance, words for reasons, bands…) by (ente, anno): {regola: number, else text}."""
    out: dict[tuple[str, int], dict[str, object]] = defaultdict(dict)
    columns = (regole_in_vigore[c].tolist() for c in ("ente", "anno", "regola", "numero", "valore"))
    for ente, anno, regola, numero, valore in zip(*columns):  # Python values by column: no named tuple per rule
        out[(ente, int(anno))][regola] = numero if not missing(numero) else valore
    return out


@fatto
def RICALCOLI(ricalcolo_dettaglio: pd.DataFrame = RICALCOLO) -> list[dict]:
    """Every recomputation as a dict (several checks read the rows)."""
    return [dict(zip(ricalcolo_dettaglio.columns, values)) for values in ricalcolo_dettaglio.itertuples(index=False)]


def candidates(frame: pd.DataFrame, mask: pd.Series):
    """The rows of `frame` (named tuples, as `itertuples` gives them) that `mask` flags: a check's preselection by
    column, so that its Python, which words the findings, goes only through the rows that may have one. The mask
    must flag every row the check's own conditions could keep (a superset: the check still applies them, so a row
    flagged in excess costs time, never a finding); NA in the mask counts as flagged."""
    return frame[mask.fillna(True).astype(bool).to_numpy()].itertuples()
