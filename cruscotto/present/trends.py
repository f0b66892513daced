"""The target line of a trend chart: the valore atteso of the indicator the series measures, as this year's report
gives it; the report's usual target when no indicator carries one. No streamlit here."""
from __future__ import annotations

import pandas as pd

# The targets the 2019 report sets for its three trends (pratiche ≥ 100 as an index on 2013, imprese ≥ 70% of the
# previous year, costs ≤ 100% of 2011), used when the year's indicators give none.
USUAL_TARGETS = {"pratiche_evase": 100.0, "imprese_internazionalizzazione": 70.0, "costi": 100.0}


def target(series: pd.DataFrame, scorecard: pd.DataFrame, serie_codes, default: float) -> float:
    """The target for the series `serie_codes` (rows of queries/valori_serie.sql) from the numeric valore atteso
    (va_numero) of the indicators they measure (rows of queries/valori_indicatori.sql or scheda_indicatori.sql); else
    `default`."""
    codes = series.loc[series["serie"].isin(list(serie_codes)), "codice_indicatore"].dropna().unique()
    known = {c: v for c, v in zip(scorecard["codice"], scorecard["va_numero"]) if pd.notna(v)}
    found = [known[c] for c in codes if c in known]
    return float(found[0]) if found else default
