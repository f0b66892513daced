"""Every query against the report's own figures or a hand calculation."""
import pytest

from cruscotto import store
from cruscotto.store import queries


def by_year(frame, column):
    return dict(zip(frame["anno"], frame[column]))


def test_pratiche_evase_rates_and_index_to_2013(con):
    t = queries.run(con, "andamento_pratiche_evase", {"ente": "CCIAA di Cremona"})
    # r. 1152-1156: the years the report gives; 2014 and 2015 are absent, not invented
    assert list(t["anno"]) == [2013, 2016, 2017, 2018, 2019]
    assert by_year(t, "evase")[2019] == 18235 and by_year(t, "totali")[2019] == 20456
    # 18235 / 20456 * 100 = 89.1426 -> 89,14% as printed
    assert round(by_year(t, "tasso_calcolato")[2019], 2) == 89.14 == by_year(t, "tasso_dichiarato")[2019]
    # index to 2013 from the counts: (18235/20456) / (20212/31192) * 100 = 137.5685; the report says 137,56
    assert by_year(t, "indice_base")[2019] == pytest.approx(137.5685, abs=1e-4)
    assert abs(by_year(t, "indice_base")[2019] - by_year(t, "indice_dichiarato")[2019]) < 0.02
    # from the printed rates: 89,14 / 64,80 * 100 = 137.5617 -> the declared 137,56
    assert by_year(t, "indice_base_dichiarato")[2019] == pytest.approx(137.5617, abs=1e-3)
    # the literal modalità di calcolo, evase 2019 / evase 2013: 18235 / 20212 * 100 = 90.2187
    assert by_year(t, "evase_su_base")[2019] == pytest.approx(90.2187, abs=1e-3)
    # 2016 as printed (84,43) differs from its own counts: 16344 / 19537 * 100 = 83.6566
    assert by_year(t, "tasso_dichiarato")[2016] == 84.43
    assert by_year(t, "tasso_calcolato")[2016] == pytest.approx(83.6566, abs=1e-3)


def test_pratiche_evase_other_base_year(con):
    t = queries.run(con, "andamento_pratiche_evase", {"anno_base": 2016})
    # 2016 rate from counts is the base: 100
    assert by_year(t, "indice_base")[2016] == pytest.approx(100.0)


def test_imprese_internazionalizzazione_percent_of_previous_year(con):
    t = queries.run(con, "andamento_imprese_internazionalizzazione", {})
    assert list(t["anno"]) == list(range(2011, 2020))  # r. 1537-1553, complete 2011-2019
    assert by_year(t, "imprese")[2019] == 865 and by_year(t, "imprese_anno_precedente")[2019] == 621
    # 865 / 621 * 100 = 139.2915 -> 139,29% as declared (r. 1527)
    assert round(by_year(t, "percentuale_anno_precedente")[2019], 2) == 139.29 == by_year(t, "percentuale_dichiarata")[2019]
    # 2015: 495 / 660 * 100 = 75.00
    assert by_year(t, "percentuale_anno_precedente")[2015] == pytest.approx(75.0)
    # the first year has no previous year: no percentage
    assert t["percentuale_anno_precedente"].isna().iloc[0]


def test_cost_containment_against_2011(con):
    t = queries.run(con, "contenimento_costi", {})
    postali = t[(t["serie"] == "costi_postali") & (t["anno"] == 2019)].iloc[0]
    # 18.978,38 / 38.475,85 * 100 = 49.3254; the report prints 49,32 (truncated, r. 1840)
    assert postali["percentuale_base"] == pytest.approx(49.3254, abs=1e-3)
    assert postali["percentuale_dichiarata"] == 49.32
    consulenze = t[(t["serie"] == "costi_consulenze") & (t["anno"] == 2019)].iloc[0]
    assert consulenze["percentuale_base"] == 0.0  # € 0 in 2019 against € 5.242,72 in 2011 (r. 1871-1873)


def test_area_summary(con):
    s = queries.run(con, "riepilogo_aree", {"ente": "CCIAA di Cremona", "anno": 2019}).set_index("codice_area")
    assert list(s.index) == ["2019_01", "2019_02", "2019_03", "2019_04"]
    # counted in the source: area 01 has 3 strategic and 14 operational objectives, 15 indicators
    assert tuple(s.loc["2019_01", ["obiettivi_strategici", "obiettivi_operativi", "indicatori"]]) == (3, 14, 15)
    assert tuple(s.loc["2019_04", ["obiettivi_strategici", "obiettivi_operativi", "indicatori"]]) == (2, 4, 5)
    # every measurable indicator of 2019 reaches its target by the declared values: share 100%
    assert list(s["quota_raggiunti"]) == [100.0] * 4
    # area 04: 2 measurable (costi postali, consulenze), 1 qualitative (OIV referti), 2 without VR (2019_04_01)
    assert tuple(s.loc["2019_04", ["misurabili", "qualitativi", "senza_valore"]]) == (2, 1, 2)


def test_scorecard_status_follows_the_operator(con):
    t = queries.run(con, "scheda_indicatori", {}).set_index("codice")
    # VA <= 20 giorni, VR 3 giorni (r. 1267-1268): less is better, reached
    assert t.loc["2019_02_01_02-I1", "stato"] == "raggiunto"
    # VA <= 100%, VR 49,32%
    assert t.loc["2019_04_02_2-I1", "stato"] == "raggiunto"
    assert t.loc["2019_01_01_1-I1", "stato"] == "qualitativo"
    assert t.loc["2019_04_01-I1", "stato"] == "non rilevato"


def test_scorecard_status_not_reached(con):
    con.execute("UPDATE indicatori SET vr_numero = 60 WHERE codice = '2019_03_01_3-I1'")  # 60% < 70%
    store.recompute(con)  # a row changed outside an import: the derived tables follow it only when recomputed
    t = queries.run(con, "scheda_indicatori", {}).set_index("codice")
    assert t.loc["2019_03_01_3-I1", "stato"] == "non raggiunto"


def test_scorecard_filters(con):
    assert len(queries.run(con, "scheda_indicatori", {"area": "2019_02"})) == 3
    # objective filter takes the objective and what is below it: 2019_01_02 has 1 own + 7 below
    assert len(queries.run(con, "scheda_indicatori", {"obiettivo": "2019_01_02"})) == 8
    assert len(queries.run(con, "scheda_indicatori", {"tipo": "EFFICACIA"})) == 4
    assert len(queries.run(con, "scheda_indicatori", {"testo": "masterclass"})) >= 1
    assert len(queries.run(con, "scheda_indicatori", {"responsabile": "MAFFEZZONI NICOLA"})) == 2


def test_text_filter_is_bound_not_formatted(con):
    # a quote in the search text must not break (or inject into) the SQL
    assert len(queries.run(con, "scheda_indicatori", {"testo": "l'Azienda Speciale' OR 1=1 --"})) == 0
    assert len(queries.run(con, "scheda_indicatori", {"testo": "l'Azienda Speciale"})) >= 1


def test_series_values_year_range(con):
    t = queries.run(con, "valori_serie", {"serie": "imprese_internazionalizzazione", "anno_da": 2015, "anno_a": 2017})
    assert list(t["anno"]) == [2015, 2016, 2017] and list(t["valore"]) == [495, 627, 447]


def test_unknown_parameter_and_query_are_refused(con):
    with pytest.raises(queries.QueryError):
        queries.run(con, "riepilogo_aree", {"colore": "blu"})
    with pytest.raises(queries.QueryError):
        queries.run(con, "../etc/passwd", {})


def test_every_query_has_a_header_and_runs_without_parameters(con):
    for name in queries.available():
        query = queries.load(name)
        assert query.purpose, name
        assert "-- columns:" in query.sql, name
        queries.run(con, name, {})
