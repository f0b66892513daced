"""Facts several families of checks read: query results named once, and facts derived from them once per run
(see registry.fatto). A fact only one family needs lives in that family's module (e.g. piano.AMBIZIONE).
"""
from __future__ import annotations

import functools
from collections import defaultdict, namedtuple

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
    flagged in excess costs time, never a finding); NA in the mask counts as flagged.

    The same tuples as `itertuples`, made from each column's Python values at once (`tolist`: `itertuples` asks numpy
    for them one value at a time) and with the named tuple class of the frame's columns made once per process, not at
    every call (all 16.570 indicators of the 100k store: 61 ms by itertuples, 19 ms so)."""
    rows = frame[mask.fillna(True).astype(bool).to_numpy()]
    columns = [_values(rows.iloc[:, k]) for k in range(rows.shape[1])]  # by position: a name may be repeated
    return map(_row_class(tuple(frame.columns))._make, zip(rows.index.tolist(), *columns))


def _values(column: pd.Series) -> list:
    """A column's values as iterating it gives them: a numpy column's as Python values (`tolist` is numpy's `item`
    for each), any other's (pandas' integers with NULL, dates…) as its array holds them (np.int64, pd.NA…)."""
    values = column.array
    return values.to_numpy().tolist() if isinstance(values, pd.arrays.NumpyExtensionArray) else list(values)


@functools.lru_cache(maxsize=64)
def _row_class(columns: tuple) -> type:
    """The named tuple class `itertuples` makes for a frame with these columns (the index first; a column whose
    name is not an identifier renamed by position, as `itertuples` does)."""
    return namedtuple("Pandas", ["Index", *columns], rename=True)
