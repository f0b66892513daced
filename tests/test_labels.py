"""Column labels declared once (cruscotto.present.labels) and the figures the pages put in words
(cruscotto.present.scorecard, cruscotto.present.trends), on hand-made frames and the shipped data."""
from __future__ import annotations

import pandas as pd
import pytest

from cruscotto.present import labels, scorecard, trends
from cruscotto.store import queries

PERIOD = {"ente": "CCIAA di Cremona", "anno": 2019}


def test_a_scope_wins_over_the_general_label():
    assert labels.label("valore") == labels.Label("Valore", "auto")
    assert labels.label("valore", "costi") == labels.Label("Costo", "euro", 130)
    assert labels.label("titolo", "rilievi").heading == "Rilievo" and labels.label("titolo", "serie").heading == "Serie"


def test_exports_get_the_headings_and_kinds_of_the_labels():
    frame = pd.DataFrame({"anno": [2019], "valore": [18978.38], "percentuale_base": [49.33], "colonna_nuova": [3.0]})
    headed, kinds = labels.headed(frame, "costi")
    assert list(headed.columns) == ["Anno", "Costo", "% del 2011", "colonna_nuova"]  # undeclared: its own name
    assert kinds == {"Anno": "year", "Costo": "euro", "% del 2011": "percent", "colonna_nuova": "integer"}
    assert headed.iloc[0, 1] == 18978.38  # numbers stay numbers


def test_two_columns_with_one_heading_are_refused():
    with pytest.raises(ValueError, match="same heading"):
        labels.headed(pd.DataFrame({"codice_indicatore": ["a"], "codice": ["b"]}))  # both «Indicatore»


def test_an_upload_preview_keeps_the_names_of_the_file():
    frame = pd.DataFrame({"codice": ["2019_01"], "riga_fonte": [1141], "note": ["x"]})
    found = labels.of(frame, labels.AS_WRITTEN)
    assert [(l.heading, l.kind) for l in found.values()] == [("codice", "code"), ("riga_fonte", "code"), ("note", "text")]


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        labels.Label("Costo", "valuta")


def test_headline_totals_and_share_reached(con):
    summary = queries.run(con, "riepilogo_aree", PERIOD)
    totals = scorecard.headline(summary)
    # 7 strategici + 24 operativi (obiettivi.csv); 14 measurable indicators, all reached: 14 / 14 = 100%
    assert (totals.obiettivi, totals.indicatori, totals.misurabili, totals.quota_raggiunti) == (31, 26, 14, 100.0)
    assert scorecard.headline(summary.assign(misurabili=0, raggiunti=0)).quota_raggiunti is None  # n.d., not 0%


def test_indicators_of_a_name_and_of_nobody(con):
    indicators = queries.run(con, "scheda_indicatori", PERIOD)
    # 2019_01_02_05 (responsabile MAFFEZZONI NICOLA) has two indicators; «(non indicato)» gathers those whose
    # objective names no responsabile
    assert sorted(scorecard.indicators_of(indicators, "responsabile", "MAFFEZZONI NICOLA")["codice"]) == [
        "2019_01_02_05-I1", "2019_01_02_05-I2"]
    nobody = scorecard.indicators_of(indicators, "responsabile", scorecard.NOT_STATED)
    assert len(nobody) == indicators["responsabile"].isna().sum() > 0


def test_a_trend_target_is_the_indicators_else_the_usual_one(con):
    series = queries.run(con, "valori_serie", {"ente": PERIOD["ente"]})
    card = queries.run(con, "scheda_indicatori", PERIOD)
    # pratiche_evase_5gg measures 2019_02_01-I1, whose valore atteso is '>=100%'
    assert trends.target(series, card, ["pratiche_evase_5gg"], 0.0) == 100.0
    # without that indicator in the year's scorecard, the report's usual target
    other = card[card["codice"] != "2019_02_01-I1"]
    assert trends.target(series, other, ["pratiche_evase_5gg"], trends.USUAL_TARGETS["pratiche_evase"]) == 100.0
    assert trends.target(series, other, ["pratiche_evase_5gg"], 42.0) == 42.0
