"""A chamber's codes and series are its own: the same text in another letter case is a look-alike slip within one
chamber, and no slip between two chambers. validate first compares the distinct texts of the whole file (if no two
fold the same, there is nothing to look for); when two do, it must still look chamber by chamber."""
from __future__ import annotations

from cruscotto import synth
from cruscotto.ingest.validate import validate


def tables_with_a_series(rename) -> dict:
    tables = synth.generate(2, (2019, 2019))
    serie = tables["serie_storiche"]
    second = serie["ente"] == serie["ente"].iloc[-1]  # the second chamber's rows
    name = serie.loc[second, "serie"].iloc[0]
    rename(serie, second & (serie["serie"] == name), name)
    return tables


def test_the_same_series_in_another_case_in_another_chamber_is_accepted():
    def rename(serie, rows, name):
        serie.loc[rows, "serie"] = name.upper()  # every row of it in the second chamber: still one series there

    tables = tables_with_a_series(rename)
    names = set(tables["serie_storiche"]["serie"])
    assert any(n.upper() in names and n in names and n != n.upper() for n in names)  # both forms are in the file
    assert validate(synth.as_sheets(tables, "prova.xlsx")).ok


def test_the_same_series_in_another_case_in_one_chamber_is_refused():
    def rename(serie, rows, name):
        serie.loc[rows[rows].index[0], "serie"] = name.upper()  # one row of it only: two forms in one chamber

    found = [str(p) for p in validate(synth.as_sheets(tables_with_a_series(rename), "prova.xlsx")).errors]
    assert any("è quasi uguale a" in m and "cambia solo per maiuscole/minuscole" in m for m in found), found
