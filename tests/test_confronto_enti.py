"""«Confronto enti»: one indicator across chambers. Shipped Cremona plus two hand-made chambers, so that every
rank and median below is a hand calculation; and the page itself, driven with AppTest."""
from __future__ import annotations


import pandas as pd
import pytest
from builders.apptest import config, read, rendered

from cruscotto import store, synth
from cruscotto.ingest.validate import validate
from cruscotto.present import confronto, labels
from cruscotto.store import queries
from cruscotto.store.schema import TABLES
from ui.pages_spec import path

CREMONA = "CCIAA di Cremona"
SODDISFAZIONE = "Livello di soddisfazione degli utenti del servizio"
PROTESTI = "Tempi di evasione delle pratiche inerenti il registro protesti"


def _two_chambers() -> dict[str, pd.DataFrame]:
    """Prova A and Prova B, 2019: the two indicators Cremona's report also has (2019_03_01-I1 = 100%,
    2019_02_01_02-I1 = 3 giorni)."""
    tables = {t.name: pd.DataFrame(columns=t.column_names) for t in TABLES}
    rows_a, rows_i = [], []
    for ente, soddisfazione, giorni in (("CCIAA di Prova A", "= 95%", "= 2 giorni"), ("CCIAA di Prova B", "= 99,5%", "= 10 giorni")):
        rows_a.append({"ente": ente, "anno": 2019, "codice": "2019_02", "missione": "012"})
        rows_i.append({"ente": ente, "anno": 2019, "codice": "2019_02-I1", "codice_obiettivo": "2019_02",
                       "descrizione": SODDISFAZIONE, "tipo": "STRATEGICO", "valore_atteso": ">=80%", "valore_raggiunto": soddisfazione})
        rows_i.append({"ente": ente, "anno": 2019, "codice": "2019_02-I2", "codice_obiettivo": "2019_02",
                       "descrizione": PROTESTI, "tipo": "OPERATIVO", "valore_atteso": "<=20 giorni", "valore_raggiunto": giorni})
    tables["aree"] = pd.DataFrame(rows_a, columns=tables["aree"].columns)
    tables["indicatori"] = pd.DataFrame(rows_i, columns=tables["indicatori"].columns)
    return tables


@pytest.fixture
def three_chambers(db_path):
    con = store.connect(db_path)
    try:
        validated = validate(synth.as_sheets(_two_chambers(), "prova.xlsx"))
        assert validated.ok, [str(p) for p in validated.errors]
        store.write_tables(con, validated, file_name="prova.xlsx", sha256="0" * 64, utente="test")
        yield con
    finally:
        con.close()


def test_rank_median_and_percentile_by_hand(three_chambers):
    frame = queries.run(three_chambers, "confronto_indicatore", {"descrizione": SODDISFAZIONE, "anno": 2019, "ente": CREMONA})
    # higher is better (target >=80%): Cremona 100% first, B 99,5% second, A 95% third
    assert list(frame["ente"]) == [CREMONA, "CCIAA di Prova B", "CCIAA di Prova A"]
    assert list(frame["posizione"]) == [1, 2, 3]
    row = frame[frame["e_ente"]].iloc[0]
    assert row["valore"] == pytest.approx(100.0)
    assert row["mediana"] == pytest.approx(99.5)  # middle of 95, 99.5, 100
    assert row["q1"] == pytest.approx(97.25)  # 95 + (99.5 - 95) / 2
    assert row["percentile"] == pytest.approx(100.0)  # both others do worse
    assert frame.loc[frame["ente"] == "CCIAA di Prova B", "percentile"].item() == pytest.approx(50.0)
    assert row["verso"] == "alto" and row["raggiunti"] == 1

    frame = queries.run(three_chambers, "confronto_indicatore", {"descrizione": PROTESTI, "anno": 2019, "ente": CREMONA})
    # lower is better (target <=20 giorni): A 2 first, Cremona 3 second, B 10 third
    assert list(frame["ente"]) == ["CCIAA di Prova A", CREMONA, "CCIAA di Prova B"]
    assert frame.loc[frame["e_ente"], "verso"].item() == "basso"
    assert confronto.position_text(2, 3) == "2° su 3"


def test_indicator_list_puts_the_chambers_own_first(three_chambers):
    frame = queries.run(three_chambers, "indicatori_confrontabili", {"anno": 2019, "ente": CREMONA})
    # only the two descriptions shared by at least two chambers; Cremona reports both
    assert sorted(frame["descrizione"]) == sorted([SODDISFAZIONE, PROTESTI])
    assert frame["ha_ente"].all() and (frame["enti"] == 3).all()
    assert frame.set_index("descrizione").loc[PROTESTI, "unita"] == "giorni"
    assert frame.set_index("descrizione").loc[SODDISFAZIONE, "valore_ente"] == pytest.approx(100.0)


def test_table_keeps_numbers_formatted_in_their_unit(three_chambers):
    frame = queries.run(three_chambers, "confronto_indicatore", {"descrizione": SODDISFAZIONE, "anno": 2019, "ente": CREMONA})
    table, scope = confronto.table(frame)
    assert list(table["valore"]) == [100.0, 99.5, 95.0] and list(table["percentile"]) == [100, 50, 0]
    assert labels.label("valore", scope) == labels.Label("Valore raggiunto", "percent")  # 99,50% on screen
    days = queries.run(three_chambers, "confronto_indicatore", {"descrizione": PROTESTI, "anno": 2019, "ente": CREMONA})
    table, scope = confronto.table(days)
    assert labels.label("valore", scope).kind == "number" and list(table["unita"]) == ["giorni"] * 3
    fig = confronto.ranking(frame)
    assert list(fig.data[0].marker.color) == [confronto.HIGHLIGHT, confronto.OTHERS, confronto.OTHERS]
    # the page's one figure: distribution (box + this chamber's marker) above, ranking below
    fig = confronto.overview(frame, CREMONA)
    assert [t.type for t in fig.data] == ["box", "scatter", "bar"]
    assert fig.data[1].name == CREMONA and list(fig.data[1].x) == [100.0]
    assert fig.layout.separators == ",."


PAGE = path("confronto_enti")


def shown_headings(grid) -> list[str]:
    return [spec.get("label") for spec in config(grid).values()]


def test_page_ranks_the_chosen_chamber(app, three_chambers):
    at = app(PAGE, ente=CREMONA)
    assert at.title[0].value == "Confronto enti"
    assert rendered(at.caption[0].value).startswith(f"Ente: {CREMONA} · anno: 2019")
    indicator = at.selectbox(key="indicatore")
    assert sorted(indicator.options) == sorted([f"{PROTESTI} · 3 enti", f"{SODDISFAZIONE} · 3 enti"])
    indicator.set_value(SODDISFAZIONE).run()
    metrics = {m.label: rendered(m.value) for m in at.metric}
    assert metrics["Posizione"] == "1° su 3"
    assert metrics["Valore raggiunto"] == "100,00%"
    assert metrics["Mediana degli enti"] == "99,50%"
    assert metrics["Percentile"] == "100"
    at.selectbox(key="indicatore").set_value(PROTESTI).run()
    # lower is better: A 2 giorni, Cremona 3 giorni, B 10 giorni
    metrics = {m.label: rendered(m.value) for m in at.metric}
    assert metrics["Posizione"] == "2° su 3" and metrics["Valore raggiunto"] == "3 giorni"


def test_page_for_a_chamber_without_the_indicator(app, three_chambers):
    at = app(PAGE, ente="CCIAA di Prova A")
    at.selectbox(key="indicatore").set_value(SODDISFAZIONE).run()
    assert {m.label: m.value for m in at.metric}["Posizione"] == "3° su 3"


def test_page_is_registered_in_the_app(app, three_chambers):
    at = app(PAGE)
    assert at.title[0].value == "Confronto enti"
    # the comparison between chambers, then Cremona against its public references (data/riferimenti.csv)
    assert [c.key for c in at.get("plotly_chart")] == ["confronto", "riferimenti_pratiche_evase_5gg"]


def test_page_with_one_chamber_explains_what_is_missing_and_compares_with_public_references(app):
    at = app(PAGE)
    assert any("almeno due enti" in i.value for i in at.info)
    # issue 16: one chamber still has something to compare with, each reference with its source
    assert [c.key for c in at.get("plotly_chart")] == ["riferimenti_pratiche_evase_5gg"]
    sources = next(rendered(c.value) for c in at.caption if rendered(c.value).startswith("Fonti: "))
    assert "Italia 2019: 75,4% (fonte: pubblicazioni delle camere di commercio e stampa)" in sources
    grid = next(d for d in at.dataframe if "Territorio" in shown_headings(d))
    table = read(grid)
    # numbers as numbers, with the decimals their source gives (the «auto» format) and their unit beside them
    assert list(zip(table["Territorio"], table["Valore"], table["Unità"])) == [
        ("CCIAA di Pisa", 99.3, "%"), ("Toscana", 80.8, "%"), ("Italia", 75.4, "%"), ("CCIAA di Cosenza", 99, "%"),
        ("CCIAA di Salerno", 42.32, "%")]
    # none recorded: a missing value, drawn «—», never «None» nor a made-up address
    assert table["Indirizzo"].isna().all() and grid.proto.placeholder == "—"


def test_the_chamber_stands_beside_its_references_in_their_years():
    own = pd.DataFrame({"anno": [2013, 2016, 2018, 2019], "valore": [64.80, 84.43, 90.88, 89.14]})
    refs = pd.DataFrame({"territorio": ["Italia", "CCIAA di Salerno"], "anno_valore": [2019, 2013], "valore": [75.4, 42.32],
                         "unita": ["%", "%"], "fonte": ["pubblicazioni", "stampa"], "url": [None, "https://example.org/s"],
                         "consultato_il": [None, "15/03/2020"]})
    bars = confronto.with_references(own, refs, CREMONA)
    # 2016 has no reference: left out; each year the chamber first, then the references by value
    assert list(zip(bars["territorio"], bars["anno"])) == [(CREMONA, 2019), ("Italia", 2019), (CREMONA, 2013),
                                                           ("CCIAA di Salerno", 2013)]
    assert list(bars["fonte"])[3] == "fonte: stampa (https://example.org/s, consultata il 15/03/2020)"
    figure = confronto.references(bars)
    assert list(figure.data[0].text) == ["89,14%", "75,4%", "64,8%", "42,32%"]
    assert "fonte: pubblicazioni" in figure.data[0].y[1]


def test_page_on_synthetic_chambers(app, db_path):
    con = store.connect(db_path)
    try:
        synth.write_store(con, 4, (2019, 2019), seed=1, bulk=True)
    finally:
        con.close()
    at = app(PAGE, ente="CCIAA sintetica di Brescia")
    # Brescia's first indicator: compared with the chambers that report it (Cremona and 4 synthetic at most)
    position = {m.label: m.value for m in at.metric}["Posizione"]
    n = int(position.split(" su ")[1])
    assert 2 <= n <= 5 and 1 <= int(position.split("°")[0]) <= n
    assert len(at.get("plotly_chart")) == 1
