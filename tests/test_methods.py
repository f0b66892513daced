"""Calculation methods, grado di raggiungimento and roll-up, on small hand-made data.

Each test builds a tiny report (one area, one strategic objective, two operational objectives) through the normal
import path and reads the SQL views; the expected values are computed by hand in the comments.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from builders.reports import O1, O2, A, S, cifra, ind, make_store, metodo, recomputed, serie

from cruscotto import pipeline, store
from cruscotto.ingest.reader import read_directory
from cruscotto.ingest.validate import validate
from cruscotto.store import migrations, queries, schema, versions

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ methods

def test_ratio_to_a_base_year_on_values_rates_and_numerators(tmp_path):
    con = make_store(tmp_path, [ind("C-I1", O1, "<=100%", "=25%"), ind("T-I1", O1, ">=100%", "=120%")],
                     serie=[serie("costi", 2011, 200, unita="€"), serie("costi", 2020, 50, unita="€"),
                            serie("tasso", 2013, 25, 50, 200), serie("tasso", 2020, 30, 90, 300)],
                     metodi=[metodo("C-I1", "rapporto_anno_base", serie="costi", anno_base=2011),
                             metodo("T-I1", "rapporto_anno_base", serie="tasso", grandezza="tasso", anno_base=2013),
                             metodo("T-I1", "rapporto_anno_base", "letterale", serie="tasso", grandezza="numeratore", anno_base=2013)])
    r = recomputed(con)
    # costi: 50 / 200 * 100 = 25
    assert r[("C-I1", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(25)
    # tassi: (90/300 = 30%) / (50/200 = 25%) * 100 = 120
    assert r[("T-I1", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(120)
    # numeratori: 90 / 50 * 100 = 180
    assert r[("T-I1", "valore raggiunto", "letterale")].valore_ricalcolato == pytest.approx(180)


def test_ratio_to_the_previous_year(tmp_path):
    con = make_store(tmp_path, [ind("P-I1", O1, ">=70%", "=125%")],
                     serie=[serie("imprese", 2019, 80, unita="numero"), serie("imprese", 2020, 100, unita="numero")],
                     metodi=[metodo("P-I1", "rapporto_anno_precedente", serie="imprese")])
    # 100 / 80 * 100 = 125
    assert recomputed(con)[("P-I1", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(125)


def test_share_from_items_and_from_a_series(tmp_path):
    con = make_store(tmp_path, [ind("Q-I1", O1, ">=80%", "=80%"), ind("Q-I2", O1, ">=80%", "=75%")],
                     cifre=[cifra("positivi A", 3, indicatore="Q-I1"), cifra("positivi B", 5, indicatore="Q-I1")],
                     serie=[serie("giudizi", 2020, 75, 45, 60)],
                     metodi=[metodo("Q-I1", "quota", numeratore="positivi A; positivi B", denominatore="10"),
                             metodo("Q-I2", "quota", serie="giudizi")])
    r = recomputed(con)
    # (3 + 5) / 10 * 100 = 80
    assert r[("Q-I1", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(80)
    # 45 / 60 * 100 = 75
    assert r[("Q-I2", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(75)


def test_mean_score_on_a_scale_turned_into_a_percentage(tmp_path):
    con = make_store(tmp_path, [ind("M-I1", O1, ">=80%", "=82%"), ind("M-I2", O1, ">=60%", "=70%")],
                     cifre=[cifra("media PID", 4.1, indicatore="M-I1", unita="punteggio")],
                     metodi=[metodo("M-I1", "media_scala", numeratore="media PID", scala=5),
                             metodo("M-I2", "media_scala", numeratore="4; 3", scala=5)])
    r = recomputed(con)
    assert r[("M-I1", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(82)  # 4,1 / 5 * 100
    assert r[("M-I2", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(70)  # (4 + 3) / 2 / 5 * 100


def test_direct_value_and_sum_and_italian_numbers(tmp_path):
    con = make_store(tmp_path, [ind("D-I1", O1, "4", "33"), ind("D-I2", O1, ">=80%", "=99,2%"), ind("D-I3", O1, ">=1", "2")],
                     cifre=[cifra("masterclass", 30, indicatore="D-I1")],
                     serie=[serie("soddisfazione", 2020, 99.2)],
                     metodi=[metodo("D-I1", "valore_diretto", numeratore="masterclass"),
                             metodo("D-I2", "valore_diretto", serie="soddisfazione"),
                             metodo("D-I3", "somma", oggetto="quote", dichiarato="100%", numeratore="69; 28"),
                             metodo("D-I3", "somma", oggetto="importi", dichiarato="1.300", numeratore="1.234,5; 65,5")])
    r = recomputed(con)
    assert r[("D-I1", "valore raggiunto", "principale")].valore_ricalcolato == 30
    assert r[("D-I2", "valore raggiunto", "principale")].valore_ricalcolato == pytest.approx(99.2)
    assert r[("D-I3", "quote", "principale")].valore_ricalcolato == 97  # 69 + 28
    assert r[("D-I3", "quote", "principale")].dichiarato_numero == 100
    assert r[("D-I3", "importi", "principale")].valore_ricalcolato == pytest.approx(1300)  # 1.234,5 + 65,5
    assert r[("D-I3", "importi", "principale")].dichiarato_numero == 1300


def test_a_method_without_its_data_says_what_is_missing(tmp_path):
    con = make_store(tmp_path, [ind("X-I1", O1, "<=100%", "=25%")],
                     cifre=[cifra("doppia", 1, obiettivo=O1), cifra("doppia", 2, obiettivo=O2)],
                     serie=[serie("costi", 2020, 50, unita="€")],
                     metodi=[metodo("X-I1", "rapporto_anno_base", serie="costi", anno_base=2011),
                             metodo("X-I1", "somma", oggetto="voci", dichiarato="3", numeratore="assente; doppia")],
                     unchecked=[("metodi_calcolo", metodo("NON-ESISTE", "somma", oggetto="x", dichiarato="1", numeratore="1"))])
    r = recomputed(con)
    base = r[("X-I1", "valore raggiunto", "principale")]
    assert math.isnan(base.valore_ricalcolato) and "anno 2011" in base.mancanti
    voci = r[("X-I1", "voci", "principale")]
    assert "voce «assente» non trovata" in voci.mancanti and "voce «doppia» ambigua" in voci.mancanti
    assert "inesistente" in r[("NON-ESISTE", "x", "principale")].mancanti


# ------------------------------------------------------------------ grado of one indicator

def grades(con) -> dict:
    frame = queries.run(con, "grado_indicatori", {})
    return {r.codice: r for r in frame.itertuples()}


def test_grado_by_operator_capped_and_banded(tmp_path):
    con = make_store(tmp_path, [
        ind("G1", O1, ">=80%", "=100%"),     # 100 / 80 = 125% -> capped at 100 -> raggiunto
        ind("G2", O1, "<=20 giorni", "=3 giorni"),  # less is better: 20 / 3 = 666,67% -> 100
        ind("G3", O1, "<=100%", "=0%"),      # VR 0 under a ceiling: as good as it gets -> the cap, 100
        ind("G4", O1, "=10", "8"),           # '=': min(8/10, 10/8) = 80% -> parzialmente
        ind("G5", O1, ">=100%", "=90%"),     # 90% -> raggiunto (the band starts at 90 included)
        ind("G6", O1, ">=100%", "=70%"),     # 70% -> parzialmente (70 included)
        ind("G7", O1, ">=100%", "=69,9%"),   # 69,9% -> non raggiunto
        ind("G8", O1, "Rispetto delle tempistiche", "Il progetto si è svolto regolarmente"),  # milestone met -> 100
        ind("G9", O1, "Rispetto delle tempistiche", "Il progetto non è stato completato"),    # 'non' -> 0
        ind("G10", O1, "Rispetto delle tempistiche", ""),                                      # no VR -> no grado
    ])
    g = grades(con)
    assert (g["G1"].grado_grezzo, g["G1"].grado, g["G1"].fascia) == (pytest.approx(125), 100, "raggiunto")
    assert g["G2"].grado_grezzo == pytest.approx(2000 / 3) and g["G2"].grado == 100
    assert g["G3"].grado == 100 and g["G3"].stato_regola == "raggiunto"
    assert g["G4"].grado == pytest.approx(80) and g["G4"].fascia == "parzialmente raggiunto"
    assert g["G5"].fascia == "raggiunto" and g["G5"].esito_regola == "OBIETTIVO CONSEGUITO"
    assert g["G6"].fascia == "parzialmente raggiunto" and g["G6"].esito_regola == "OBIETTIVO PARZIALMENTE CONSEGUITO"
    assert g["G7"].fascia == "non raggiunto" and g["G7"].esito_regola == "OBIETTIVO NON CONSEGUITO"
    assert (g["G8"].valutazione, g["G8"].stato_regola, g["G8"].grado) == ("traguardo", "raggiunto", 100)
    assert "svolto regolarmente" in g["G8"].evidenza
    assert (g["G9"].stato_regola, g["G9"].grado, g["G9"].fascia) == ("non raggiunto", 0, "non raggiunto")
    assert g["G10"].stato_regola == "non rilevato" and math.isnan(g["G10"].grado)


def test_the_rules_are_configuration(tmp_path):
    con = make_store(tmp_path, [ind("G1", O1, ">=80%", "=100%"), ind("G2", O1, ">=100%", "=80%"),
                                ind("G3", O1, "Rispetto delle tempistiche", "Il progetto è in ritardo")],
                     regole=[{"regola": "tetto_grado", "valore": "nessuno"},
                             {"regola": "soglia_raggiunto", "valore": "80"},
                             {"regola": "soglia_parziale", "valore": "50"},
                             {"regola": "grado_traguardo_non_raggiunto", "valore": "40"}])
    g = grades(con)
    assert g["G1"].grado == pytest.approx(125)  # no cap: 100 / 80 = 125%
    assert g["G2"].fascia == "raggiunto"  # 80% with the band 'raggiunto' from 80%
    assert g["G3"].grado == 40 and g["G3"].fascia == "non raggiunto"  # 'ritardo' -> not met -> 40 < 50
    rules = queries.run(con, "regole_in_vigore", {})
    sources = dict(zip(rules["regola"], rules["fonte"]))
    assert sources["tetto_grado"] == "foglio regole" and sources["media"] == "predefinita"


def test_a_rule_written_1_000_is_one_thousand_for_validation_and_for_sql(tmp_path):
    # '1.000' written the Italian way is one thousand (the dot groups thousands): a cap of 1000%, not of 1%
    con = make_store(tmp_path, [ind("G1", O1, ">=10%", "=50%")], regole=[{"regola": "tetto_grado", "valore": "1.000"}])
    validated = validate(read_directory(tmp_path / "dati"))
    checked = validated.tables["regole"].set_index("regola").loc["tetto_grado", "numero"]
    in_force = queries.run(con, "regole_in_vigore", {}).set_index("regola").loc["tetto_grado", "numero"]
    assert checked == in_force == 1000
    assert grades(con)["G1"].grado == pytest.approx(500)  # 50 / 10 = 500%, under the cap of 1000%


def test_an_unusable_rule_falls_back_to_its_default(tmp_path):
    con = make_store(tmp_path, [ind("G1", O1, ">=80%", "=100%")],
                     unchecked=[("regole", {"regola": "tetto_grado", "valore": "tanto"}),
                                ("regole", {"regola": "media", "valore": "mediana"})])
    rules = queries.run(con, "regole_in_vigore", {}).set_index("regola")
    assert rules.loc["tetto_grado", "valore"] == "100" and not rules.loc["tetto_grado", "valido"]
    assert rules.loc["media", "valore"] == "semplice" and not rules.loc["media", "valido"]
    assert grades(con)["G1"].grado == 100


def test_the_defaults_are_defined_once_in_the_schema(tmp_path, monkeypatch):
    # no SQL file copies a default (the store seeds them from the schema): changing one changes the rule in force
    sql = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "queries").rglob("*.sql"))
    assert not re.search(r"'soglia_raggiunto',\s*'90'", sql) and schema.REGOLE_PREDEFINITE["parole_motivazione"][0] not in sql
    monkeypatch.setitem(schema.REGOLE_PREDEFINITE, "soglia_raggiunto", ("80", schema.REGOLE_PREDEFINITE["soglia_raggiunto"][1]))
    con = make_store(tmp_path, [ind("G1", O1, ">=100%", "=85%")])  # 85 / 100 = 85%: >= 80, under the usual 90
    rules = queries.run(con, "regole_in_vigore", {}).set_index("regola")
    assert rules.loc["soglia_raggiunto", "valore"] == "80" and rules.loc["soglia_raggiunto", "numero"] == 80
    assert grades(con)["G1"].fascia == "raggiunto"


def test_every_rule_has_its_import_check():
    # a rule with no admitted words, list or range made a rules sheet naming it fail with a KeyError (soglia_ambizione)
    from cruscotto.ingest.validate import RULE_LISTS, RULE_WORDS
    unchecked = [r for r in schema.REGOLE_PREDEFINITE
                 if r not in RULE_WORDS and r not in RULE_LISTS and r not in schema.REGOLE_INTERVALLI]
    assert unchecked == []


# ------------------------------------------------------------------ roll-up

ROLLUP = [
    ind("S-I1", S, ">=80%", "=80%"),     # 100
    ind("O1-I1", O1, ">=100%", "=50%"),  # 50
    ind("O1-I2", O1, ">=100%", "=80%"),  # 80
    ind("O2-I1", O2, ">=100%", "=90%"),  # 90
]


def nodes(con) -> dict:
    frame = queries.run(con, "grado_obiettivi", {})
    return {r.codice: r for r in frame.itertuples()}


def test_hierarchical_plain_mean(tmp_path):
    con = make_store(tmp_path, ROLLUP)
    n = nodes(con)
    assert n[O1].grado == pytest.approx(65)  # (50 + 80) / 2
    assert n[O2].grado == pytest.approx(90)
    assert n[S].grado == pytest.approx(85)  # own 100 and children 65, 90: (100 + 65 + 90) / 3
    assert n[A].grado == pytest.approx(85)  # its only child
    assert n[S].fascia == "parzialmente raggiunto"  # 85 < 90
    assert (n[S].indicatori_propri, n[S].figli_valutati, n[S].indicatori_valutati) == (1, 2, 4)
    assert queries.run(con, "grado_aree", {})["grado"].iloc[0] == pytest.approx(85)


def _reopen(tmp_path):
    return store.connect(tmp_path / "prova.duckdb")


def test_mean_over_all_indicators_below(tmp_path):
    n = nodes(make_store(tmp_path, ROLLUP, regole=[{"regola": "aggregazione", "valore": "indicatori"}]))
    assert n[O1].grado == pytest.approx(65)  # (50 + 80) / 2
    assert n[S].grado == pytest.approx(80)  # (100 + 50 + 80 + 90) / 4
    assert n[A].grado == pytest.approx(80)


def test_weighted_mean_with_pesi(tmp_path):
    weighted = [dict(r) for r in ROLLUP]
    weighted[1]["peso"], weighted[2]["peso"] = 3, 1  # O1-I1 weighs 3, O1-I2 weighs 1
    n = nodes(make_store(tmp_path, weighted, regole=[{"regola": "media", "valore": "ponderata"}]))
    # within O1 the weights become 3/4 * 2 = 1,5 and 1/4 * 2 = 0,5: (1,5 * 50 + 0,5 * 80) / 2 = 57,5
    assert n[O1].grado == pytest.approx(57.5)
    assert n[S].grado == pytest.approx((100 + 57.5 + 90) / 3)  # 82,5
    g = grades(_reopen(tmp_path))
    assert g["O1-I1"].peso_nodo == pytest.approx(1.5) and g["S-I1"].peso_nodo == pytest.approx(1)


def test_weighted_mean_over_all_indicators(tmp_path):
    weighted = [dict(r) for r in ROLLUP]
    weighted[1]["peso"], weighted[2]["peso"] = 3, 1
    n = nodes(make_store(tmp_path, weighted, regole=[{"regola": "media", "valore": "ponderata"},
                                                     {"regola": "aggregazione", "valore": "indicatori"}]))
    # (1 * 100 + 1,5 * 50 + 0,5 * 80 + 1 * 90) / 4 = 305 / 4 = 76,25
    assert n[S].grado == pytest.approx(76.25)


def test_a_node_with_nothing_to_judge_has_no_grado_and_does_not_count(tmp_path):
    n = nodes(make_store(tmp_path, [ind("O1-I1", O1, ">=100%", "=50%"), ind("O1-I2", O1, ">=100%", "")]))
    assert math.isnan(n[O2].grado) and pd.isna(n[O2].fascia)  # no indicators at all
    assert n[O1].grado == pytest.approx(50)  # the indicator without VR is left out, not counted as 0
    assert n[S].grado == pytest.approx(50)  # O2 does not pull it down
    assert (n[O1].indicatori_valutati, n[O1].indicatori_totali) == (1, 2)


def test_shipped_grades_per_area(shipped_store):
    con = store.connect(shipped_store, read_only=True)
    try:
        areas = queries.run(con, "grado_aree", {})
    finally:
        con.close()
    # With the default rule (tetto 100%) every judged indicator of 2019 is at 100% (all meet their VA; the 10
    # milestones say the project ran regularly): every area is at 100%. Indicators judged / total per area:
    # 2019_01 15/15, 2019_02 3/3, 2019_03 3/3, 2019_04 3/5 (2019_04_01-I1 and -I2 have no valore raggiunto).
    assert list(areas["grado"]) == [100, 100, 100, 100]
    assert list(zip(areas["indicatori_valutati"], areas["indicatori_totali"])) == [(15, 15), (3, 3), (3, 3), (3, 5)]
