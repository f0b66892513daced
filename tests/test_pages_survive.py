"""Pages survive any data the store may hold: hundreds of series, infinities stored before validation refused them,
and a section that fails anyway (it says so in Italian, alone, and the rest of the page draws)."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
from builders.apptest import every_view, open_on_demand, plain_table, rendered, shown
from builders.hostile import make_infinite, many_series_frames, many_series_store

from cruscotto import store, verifica
from cruscotto.present import charts, formatting
from cruscotto.store import queries
from cruscotto.verifica import numeri
from ui import pages_spec, sections

PAGES = [p.path for p in pages_spec.PAGES]
MANY = 1000  # extra series: with the 7 of the report, 1.007


@pytest.fixture(scope="module")
def many_series(tmp_path_factory):
    return many_series_store(tmp_path_factory.mktemp("molte_serie") / "cruscotto.duckdb", MANY)


@pytest.fixture(scope="module")
def infinite(shipped_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("infiniti") / "cruscotto.duckdb"
    shutil.copy(shipped_store, path)
    con = store.connect(path)
    make_infinite(con)
    con.close()
    return path


@pytest.fixture
def db_path(request, shipped_store, tmp_path, monkeypatch):
    """The store the test asks for (`@pytest.mark.parametrize("db_path", [...], indirect=True)`), copied."""
    source = {"molte_serie": "many_series", "infiniti": "infinite"}.get(getattr(request, "param", None))
    path = tmp_path / "cruscotto.duckdb"
    shutil.copy(request.getfixturevalue(source) if source else shipped_store, path)
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    return path


# --- numbers that are not numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [float("inf"), float("-inf"), "non un numero"])
def test_formatting_writes_a_dash_for_what_is_not_a_finite_number(value):
    assert formatting.number(value) == formatting.integer(value) == "—"
    assert formatting.percent(value) == formatting.euro(value) == "—"
    assert formatting.smart(value, "giorni") == formatting.smart(value, "‰") == "—"


def test_formatting_of_missing_and_ordinary_values_is_unchanged():
    assert [formatting.number(v) for v in (None, float("nan"), pd.NA)] == ["", "", ""]
    assert formatting.percent(89.1426) == "89,14%" and formatting.euro(18978.38) == "€ 18.978,38"
    assert formatting.smart(3.0, "giorni") == "3 giorni" and formatting.smart(-1234.5, "numero") == "-1.234,50"


def test_checks_helpers_take_infinities():
    # each of these raised (IndexError, OverflowError, ValueError) on an infinity
    assert numeri.float_decimals(float("inf")) == 0
    assert numeri.num(float("inf")) == "—" and numeri.pct(float("-inf")) == "—%"
    assert numeri.compare(137.56, float("inf"), 2, 1).verdict == "diverso"
    assert numeri.compare(float("nan"), 137.56, 2, 1).verdict == "diverso"


def test_verifica_runs_on_stored_infinities(shipped_store, tmp_path):
    path = tmp_path / "s.duckdb"
    shutil.copy(shipped_store, path)
    con = store.connect(path)
    make_infinite(con)
    findings = verifica.run_checks(con, None, None)  # raised ValueError (NaN to integer) before
    con.close()
    # the 2019 value of pratiche_evase_5gg is now infinite: its printed rate no longer matches its counts
    assert any(f.controllo == "tasso_incoerente" and "—" in f.spiegazione for f in findings)


@pytest.mark.parametrize("db_path", ["infiniti"], indirect=True)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_draws_with_infinities_in_the_store(app, page):
    for at in every_view(app, page):  # the fixture asserts no exception; every tab and section on demand too
        assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("db_path", ["infiniti"], indirect=True)
def test_an_infinite_value_reads_as_a_dash(app):
    at = app("pages/andamenti.py")
    pratiche = plain_table(at, "Evase entro 5 giorni").set_index("Anno")
    assert pratiche.loc["2019", "% ricalcolata"] == "89,14%"  # from the counts (18235 / 20456), still finite
    assert pratiche.loc["2019", "% dichiarata"] == "—"  # the stored inf: no number
    at = app("pages/andamenti.py", andamento="Tutte le serie")
    serie = shown(at, "Relazione")
    assert serie["Valore"].isna().any()  # the stored inf of 2019
    assert {d.proto.placeholder for d in at.dataframe} == {"—"}


# --- many series ------------------------------------------------------------------------------------------------

def _series(n: int) -> pd.DataFrame:
    return pd.DataFrame([{"serie": f"s{i:04d}", "titolo": f"Serie {i}", "unita": "numero", "anno": year,
                          "valore": float(i + year)} for i in range(n) for year in (2017, 2018, 2019)])


@pytest.mark.parametrize("n", [1, 12, 13, 50, 1000])
def test_small_multiples_draw_at_most_the_cap_for_any_number_of_series(n):
    fig = charts.small_multiples(_series(n))  # 50 series raised ValueError (vertical spacing) before
    assert len(fig.data) == min(n, charts.MAX_SERIES)
    assert [t.name for t in fig.data] == [f"s{i:04d}" for i in range(min(n, charts.MAX_SERIES))]  # the first ones
    assert len(fig.layout.annotations) == min(n, charts.MAX_SERIES)  # one title each


@pytest.mark.parametrize("n", [50, 1000])
def test_cost_chart_draws_at_most_the_cap(n):
    costs = _series(n).assign(serie=lambda f: "costi_" + f["serie"], percentuale_base=50.0)
    assert len(charts.cost_containment(costs).data) == charts.MAX_SERIES


def test_the_note_says_how_many_series_are_left_out():
    assert charts.series_cap_note(_series(12), "altrove") == ""
    assert charts.series_cap_note(_series(1000), "sceglierne una") == (
        " Il grafico mostra le prime 12 serie su 1000: sceglierne una.")


def test_many_series_import_through_the_normal_path():
    assert many_series_frames(3)["serie_storiche"]["serie"].nunique() == 7 + 3


@pytest.mark.parametrize("db_path", ["molte_serie"], indirect=True)
def test_panoramica_and_andamenti_draw_with_a_thousand_series(app):
    at = open_on_demand(app())  # the Panoramica, «Andamenti principali» opened
    assert not at.error
    # 7 series of the report + 1.000 = 1.007
    assert any("Il grafico mostra le prime 12 serie su 1007: tutte nella pagina «Andamenti»" in rendered(c.value)
               for c in at.caption)
    at = app("pages/andamenti.py", andamento="Tutte le serie")
    assert not at.error
    assert any(rendered(c.value) == "Il grafico mostra le prime 12 serie su 1007: sceglierne una nel filtro «Serie» "
                                    "qui sopra." for c in at.caption)
    table = shown(at, "Relazione")
    assert table["Serie"].nunique() == 1007  # the table keeps them all
    at.selectbox(key="serie").set_value("serie_00999").run()
    assert not at.exception and not at.error
    assert set(shown(at, "Relazione")["Serie"]) == {"Serie di prova 999"}


# --- a section that fails ---------------------------------------------------------------------------------------

def _broken(*args, **kwargs):
    raise RuntimeError("un errore che nessuno ha previsto")


def test_a_failing_chart_takes_only_its_section(app, monkeypatch):
    monkeypatch.setattr(charts, "small_multiples", _broken)
    at = open_on_demand(app())  # Panoramica: «Andamenti principali» draws small multiples when opened
    assert [e.value for e in at.error] == [sections.SECTION_FAILED]
    assert [s.value for s in at.subheader][-1] == "Andamenti principali"  # its title stays, over the message
    # every other section is there: the headline figures, the table per area, the indicators to look at
    assert {m.label for m in at.metric} >= {"Obiettivi", "Indicatori", "Misurabili raggiunti"}
    assert "Denominazione" in plain_table(at, "Denominazione").columns  # (plain tables: ui/tables.plain)
    assert "Perché" in plain_table(at, "Perché").columns


def test_a_page_that_fails_outside_its_sections_says_so_in_italian(app, monkeypatch):
    from ui import banner

    monkeypatch.setattr(banner, "show", _broken)
    at = app("pages/indicatori.py")  # the fixture asserts that no exception (Streamlit's English box) is shown
    assert [e.value for e in at.error] == [sections.PAGE_FAILED]


def test_a_section_lets_stop_and_rerun_through(monkeypatch):
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    with pytest.raises(StopException):
        with sections.section():
            raise StopException()


def test_series_from_the_store_keep_their_order(con):
    values = queries.run(con, "valori_serie", {"ente": "CCIAA di Cremona"})
    fig = charts.small_multiples(values)
    assert [t.name for t in fig.data] == list(dict.fromkeys(values["serie"]))  # 7 series: none left out


def test_export_files_are_written_when_their_button_is_clicked_not_on_every_run(monkeypatch, db_path):
    """Building every table's CSV and XLSX on every run was a quarter of the server's CPU per page with 10 people at
    once (bench/bench_load.py), and a 300.000-row workbook took half a minute (bench/bench_many_series.py)."""
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    from builders.apptest import RecordingManager, RecordingStorage, built_on_click, download
    from cruscotto.present import export
    written = []
    monkeypatch.setattr(export, "to_xlsx", lambda *a, **k: written.append(len(a[0])) or b"xlsx")
    monkeypatch.setattr(export, "to_csv", lambda frame: written.append("csv") or b"csv")
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)

    def script():
        import pandas as pd

        from ui.export_buttons import View

        view = View("Prova", {})
        view.table(pd.DataFrame({"n": range(10)}), "piccola")
        view.table(pd.DataFrame({"n": range(300_000)}), "grande")
        view.workbook_button()

    at = AppTest.from_function(script, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["CSV · 10 righe", "Excel · 10 righe", "CSV · 300.000 righe", "Excel · 300.000 righe",
                      "Scarica la vista · 2 tabelle, 300.010 righe"]
    assert written == []  # nothing was written during the run, not even the small table's files
    assert all(built_on_click(at, label) for label in labels)
    assert download(at, "CSV · 10") == b"csv" and download(at, "Excel · 300.000") == b"xlsx"
    assert download(at, "Scarica la vista") == b"xlsx"
    assert written == ["csv", 1, 2]  # one file per click: the big table's workbook, then the view's two sheets
