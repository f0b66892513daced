"""The dashboard's pages, driven with AppTest on a private copy of the shipped store.

Expected values are counted by hand from data/indicatori.csv and data/obiettivi.csv (the transcription of the 2019
report); each test says which rows it counts.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders.apptest import (config, download, every_view, grids, labels, markdown_tables, open_on_demand, plain_table,
                              rendered, shown)
from builders.workbooks import read_csv, read_xlsx
from streamlit.testing.v1 import AppTest

from ui.pages_spec import PAGES

ROOT = Path(__file__).resolve().parent.parent
DATA_PAGES = [p.path for p in PAGES if p.url_path != "carica_dati"]  # every page that shows the data line
AREA_LABELS = {
    "2019_01": "2019_01 · M.011 COMPETITIVITA' SVIL.IMP.",
    "2019_02": "2019_02 · M.012-REGOLAZIONE DEL MERCATO",
    "2019_03": "2019_03 · M.016-COMM.INTERNAZ/INTERNAZ.",
    "2019_04": "2019_04 · M.032-SERV.IST/GENERALI P.A.",
}


def _code(label: str) -> str:
    """'Indirizzo politico (2019_04_01)' -> '2019_04_01': the code a readable label ends with."""
    return rendered(label).rsplit("(", 1)[-1].rstrip(")")


def codes(at: AppTest) -> list[str]:
    return sorted(shown(at)["Indicatore"])


# --- every page ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page", DATA_PAGES)
def test_every_page_renders_and_says_which_data(app, page):
    at = app(page)
    assert not at.error
    line = rendered(at.caption[0].value)  # the Markdown source escapes the data (cruscotto.text.md)
    # ente and anno of the shipped data; version 1 = the store built from data/ by the fixture.
    assert line.startswith("Ente: CCIAA di Cremona · anno: 2019 · versione dei dati: 1 · ultimo caricamento: ")
    assert "(data/*.csv)" in line
    assert at.sidebar.selectbox(key="ente").value == "CCIAA di Cremona"
    assert at.sidebar.selectbox(key="anno").value == 2019


def test_empty_store_says_how_to_load_data(app, monkeypatch, tmp_path):
    from cruscotto import pipeline
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "vuoto.duckdb"))
    monkeypatch.setattr(pipeline, "ensure_built", lambda con: None)  # the app would otherwise fill it from data/
    at = app()
    # (another info says where the new store was created: tests/test_store_faults.py)
    assert any("Nessun dato nel database" in i.value and "Carica dati" in i.value for i in at.info)
    assert not at.dataframe and not markdown_tables(at)


# --- Panoramica ---------------------------------------------------------------------------------------------------

def test_panoramica_headline_and_summary_per_area_match_the_report(app):
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    # 7 obiettivi strategici + 24 operativi = 31 rows of obiettivi.csv; 26 rows of indicatori.csv.
    assert metrics["Obiettivi"] == "31"
    assert metrics["Indicatori"] == "26"
    # Measurable (numeric VA and VR) = 14, all 14 reach their target -> 14 / 14 = 100,00%.
    assert metrics["Misurabili raggiunti"] == "100,00%"
    # To look at: 2019_04_01-I1 and -I2 (no valore raggiunto) and 2019_03_01-I1 (no esito declared) = 3.
    assert metrics["Indicatori da guardare"] == "3"
    summary = plain_table(at, "Denominazione").set_index("Area")
    # Per area, counted in indicatori.csv / obiettivi.csv:
    #   2019_01: strategici 01_01, 01_02, 01_03 = 3; operativi 6 + 6 + 2 = 14; 15 indicators of which 7 numeric
    #            and reached (01-I1, 01_02_04-I1/I2, 01_02_05-I1, 01_02_2-I1/I2, 01_03-I2), 8 qualitative.
    #   2019_02: 1 strategico, 3 operativi, 3 indicators, all numeric and reached (02_01-I1 137,56% >= 100%, ...).
    #   2019_03: 1 strategico, 3 operativi, 3 indicators: 2 reached (03_01-I1, 03_01_3-I1 139,29% >= 70%), 1 qualitative.
    #   2019_04: 2 strategici, 4 operativi, 5 indicators: 2 reached (costs 49,32% and 0% <= 100%), 1 qualitative
    #            (referti OIV), 2 without valore raggiunto (04_01-I1, -I2).
    expected = {  # as written on the page (a plain table: Italian numbers)
        "2019_01": ("3", "14", "15", "7", "7", "0", "8", "0", "100,00%"),
        "2019_02": ("1", "3", "3", "3", "3", "0", "0", "0", "100,00%"),
        "2019_03": ("1", "3", "3", "2", "2", "0", "1", "0", "100,00%"),
        "2019_04": ("2", "4", "5", "2", "2", "0", "1", "2", "100,00%"),
    }
    columns = ["Ob. strategici", "Ob. operativi", "Indicatori", "Misurabili", "Raggiunti", "Non raggiunti",
               "Qualitativi", "Senza valore", "% raggiunti"]
    for area, values in expected.items():
        assert tuple(summary.loc[area, columns]) == values, area
    assert "14 indicatori misurabili su 14" in at.markdown[0].value


def test_panoramica_mounts_no_grid_and_its_tables_read_as_written(app):
    """The home page's two summaries are plain tables (ui/tables.plain): no grid, so the first page of a session does
    not load the grid's code, and its screen-reader copy is not 200+ ms behind (bench/bench_browser.py). Numbers
    Italian whatever the browser, a missing value «—», every table still exported."""
    at = app()
    assert not at.dataframe
    weak = plain_table(at, "Perché").set_index("Indicatore")
    # punti_deboli: 2019_04_01-I1 has no valore raggiunto (indicatori.csv), 2019_03_01-I1 reached «= 100%» of «≥ 80%»
    assert weak.loc["2019_04_01-I1", "Valore raggiunto"] == "—"
    assert weak.loc["2019_03_01-I1", ["Stato", "Valore raggiunto"]].tolist() == ["raggiunto", "= 100%"]
    # the status as the legend's badge, in its colour (charts.STATUS_BADGE_COLOURS, themed in .streamlit/config.toml)
    written = next(t for t in markdown_tables(at) if "Stato" in t.columns).set_index("Indicatore")
    assert written.loc["2019\\_03\\_01\\-I1", "Stato"] == ":blue-badge[raggiunto]"
    assert plain_table(at, "Denominazione").loc[0, "% raggiunti"] == "100,00%"  # 7 of 7 measurable in 2019_01
    assert [b for b in labels(at) if b.startswith("CSV")] == ["CSV · 4 righe", "CSV · 3 righe"]


def test_panoramica_lists_a_link_to_each_area_by_name_with_ente_and_anno(app):
    """What a click on a bar does, reachable by keyboard: one link per area, by its readable name (aree.csv,
    missione_descrizione, shortened to fit a phone; the whole name in its help), to Aree strategiche with ente,
    anno and the area in the URL."""
    at = app()
    links = {rendered(p.label): p.proto for p in at.get("page_link") if p.proto.page == "aree_strategiche"}
    assert list(links) == ["Competitività e sviluppo delle… (2019_01)", "Regolazione del mercato (2019_02)",
                           "Commercio internazionale e… (2019_03)", "Servizi istituzionali e generali… (2019_04)"]
    assert rendered(links["Commercio internazionale e… (2019_03)"].help) == (
        "Commercio internazionale e internazionalizzazione del sistema produttivo (2019_03)")
    query = links["Regolazione del mercato (2019_02)"].query_string
    assert query == "ente=CCIAA+di+Cremona&anno=2019&area=2019_02"


def test_a_click_on_an_area_opens_that_area(app):
    """The callback of a click on a bar (the browser test clicks a real bar)."""
    at = app()
    at.session_state["_cruscotto_vai_a"] = "pages/aree_strategiche.py"
    at.session_state["_cruscotto_scelta"] = at.session_state["_cruscotto_scelta"] | {"area": "2019_03"}
    at.run()
    assert at.title[0].value == "Aree strategiche"
    assert rendered(at.header[0].value) == "Commercio internazionale e internazionalizzazione del sistema produttivo (2019_03)"
    assert at.sidebar.selectbox(key="area").value == "2019_03"
    at.session_state["su_richiesta_indicatori_area"] = True  # «Mostra la tabella degli indicatori dell'area»
    at.run()
    assert codes(at) == ["2019_03_01-I1", "2019_03_01_3-I1", "2019_03_01_3-I2"]


# --- Aree strategiche ---------------------------------------------------------------------------------------------

def test_aree_strategiche_without_area_shows_the_first_and_says_so(app):
    at = app("pages/aree_strategiche.py")
    assert rendered(at.header[0].value) == "Competitività e sviluppo delle imprese (2019_01)"
    assert "Nessuna area scelta" in at.info[0].value
    # The tree: one expander per obiettivo strategico of 2019_01 (01_01, 01_02, 01_03); the other expanders on the
    # page hold the table of the area's indicators and its key figures, on request.
    tree = [_code(e.label) for e in at.expander if not rendered(e.label).startswith(("Mostra le cifre", "Mostra la tabella", "Dati del"))]
    assert tree == ["2019_01_01", "2019_01_02", "2019_01_03"]


def test_area_filter_cascades_to_objectives_and_narrows_the_view(app):
    at = app("pages/aree_strategiche.py")
    at.session_state["su_richiesta_indicatori_area"] = True  # «Mostra la tabella degli indicatori dell'area»
    at.run()
    assert len(at.sidebar.selectbox(key="obiettivo").options) == 7  # every obiettivo strategico of 2019
    at.sidebar.selectbox(key="area").set_value("2019_04").run()
    # obiettivi.csv: their titles (the readable names), shortened to 80 characters, with the code after them
    assert at.sidebar.selectbox(key="obiettivo").options == [
        "Indirizzo politico (2019_04_01)",
        "Valorizzare le competenze delle risorse interne e razionalizzare l'utilizzo… (2019_04_02)"]
    assert codes(at) == ["2019_04_01-I1", "2019_04_01-I2", "2019_04_01_NC-I1", "2019_04_02_2-I1", "2019_04_02_2-I2"]
    at.sidebar.selectbox(key="obiettivo").set_value("2019_04_02").run()
    assert codes(at) == ["2019_04_02_2-I1", "2019_04_02_2-I2"]
    assert [_code(e.label) for e in at.expander if not rendered(e.label).startswith(("Mostra le cifre", "Mostra la tabella", "Dati del"))] == ["2019_04_02"]
    # An objective of another area no longer fits: choosing area 2019_02 resets it to «all».
    at.sidebar.selectbox(key="area").set_value("2019_02").run()
    assert at.sidebar.selectbox(key="obiettivo").value is None
    assert codes(at) == ["2019_02_01-I1", "2019_02_01-I2", "2019_02_01_02-I1"]


def test_aree_strategiche_shows_indicator_detail_and_key_figures(app):
    at = open_on_demand(app("pages/aree_strategiche.py", area=AREA_LABELS["2019_02"]))  # key figures on request
    texts = [t.value for t in at.text]
    assert "Valore atteso: >=100%" in texts and "Valore raggiunto: = 137,56%" in texts
    assert any(t.startswith("Modalità di calcolo: ") for t in texts)
    figures = shown(at, "Voce")
    # cifre_chiave.csv, area 2019_02: one figure, «Tempo medio di evasione ...» = 3 giorni (2019_02_01_02).
    assert list(figures["Valore"]) == [3] and list(figures["Unità"]) == ["giorni"]


# --- Indicatori ---------------------------------------------------------------------------------------------------

# Rows of indicatori.csv matching each filter, counted by hand (codes listed in test_queries / the CSV).
FILTERS = [
    # tipo = EFFICACIA: 01_02_05-I2, 01_02_3-I1, 01_03_03-I1, 03_01_3-I2
    ({"tipo": "EFFICACIA"}, ["2019_01_02_05-I2", "2019_01_02_3-I1", "2019_01_03_03-I1", "2019_03_01_3-I2"]),
    # responsabile = MAFFEZZONI NICOLA: the two indicators of 2019_01_02_05
    ({"responsabile": "MAFFEZZONI NICOLA"}, ["2019_01_02_05-I1", "2019_01_02_05-I2"]),
    # centro = ENTE: the area 2019_01 indicator, 2019_01_02-I1 and the two of 2019_04_01
    ({"centro": "ENTE"}, ["2019_01-I1", "2019_01_02-I1", "2019_04_01-I1", "2019_04_01-I2"]),
    # esito (by rule) = non rilevato: the two indicators of 2019_04_01 without valore raggiunto
    ({"esito": "non rilevato"}, ["2019_04_01-I1", "2019_04_01-I2"]),
    # free text «masterclass» (any case): 2019_01-I1 (risultato) and 2019_01_02_2-I1 (descrizione)
    ({"testo": "masterclass"}, ["2019_01-I1", "2019_01_02_2-I1"]),
    # area 2019_03: its three indicators
    ({"area": AREA_LABELS["2019_03"]}, ["2019_03_01-I1", "2019_03_01_3-I1", "2019_03_01_3-I2"]),
    # obiettivo strategico 2019_02_01: its two indicators and the one of operativo 2019_02_01_02
    ({"obiettivo": "2019_02_01 · ASSICURARE TEMPI RAPIDI/TRASP."}, ["2019_02_01-I1", "2019_02_01-I2", "2019_02_01_02-I1"]),
]


def test_indicatori_default_shows_every_indicator(app):
    at = app("pages/indicatori.py")
    assert len(shown(at)) == 26
    assert "26 indicatori su 26" in at.caption[1].value
    assert labels(at)[:2] == ["CSV · 26 righe", "Excel · 26 righe"]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[next(iter(q)) for q, _ in FILTERS])
def test_each_indicatori_filter_from_the_url_changes_the_rows(app, query, expected):
    at = app("pages/indicatori.py", **query)
    assert codes(at) == expected
    assert labels(at)[0] == f"CSV · {len(expected)} {'riga' if len(expected) == 1 else 'righe'}"


def test_indicatori_filter_widgets_change_rows_and_combine(app):
    at = app("pages/indicatori.py")
    at.sidebar.selectbox(key="tipo").set_value("OPERATIVO").run()
    assert len(shown(at)) == 12  # tipo OPERATIVO: 12 rows of indicatori.csv
    at.sidebar.selectbox(key="area").set_value("2019_01").run()
    # ... of which in area 2019_01: 01_01_1-I1, 01_01_2-I1, 01_02_04-I1/I2, 01_02_05-I1, 01_02_2-I1/I2 = 7
    assert codes(at) == ["2019_01_01_1-I1", "2019_01_01_2-I1", "2019_01_02_04-I1", "2019_01_02_04-I2",
                         "2019_01_02_05-I1", "2019_01_02_2-I1", "2019_01_02_2-I2"]
    at.sidebar.text_input(key="testo").input("zzz nessun testo").run()
    assert not at.dataframe
    assert "Nessun indicatore con i filtri scelti" in at.info[0].value


def test_url_restores_the_same_view_as_the_widgets(app):
    by_widgets = app("pages/indicatori.py")
    by_widgets.sidebar.selectbox(key="area").set_value("2019_01").run()
    by_widgets.sidebar.selectbox(key="tipo").set_value("OPERATIVO").run()
    by_widgets.sidebar.selectbox(key="esito").set_value("raggiunto").run()
    by_url = app("pages/indicatori.py", area=AREA_LABELS["2019_01"], tipo="OPERATIVO", esito="raggiunto")
    pd.testing.assert_frame_equal(shown(by_widgets), shown(by_url))
    # area 2019_01, OPERATIVO, raggiunto: the 7 above minus the qualitative 01_01_1-I1 and 01_01_2-I1 = 5
    assert len(shown(by_url)) == 5
    assert by_url.sidebar.selectbox(key="area").value == "2019_01"
    assert by_url.sidebar.selectbox(key="tipo").value == "OPERATIVO"


def test_shared_filters_survive_a_change_of_page(app):
    at = app("pages/indicatori.py")
    at.sidebar.selectbox(key="area").set_value("2019_02").run()
    at.switch_page("pages/responsabili.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="area").value == "2019_02"
    # Responsabili for area 2019_02: CAPPELLI (02_01_02), MAFFEZZONI (02_01_01, 02_01_03), Ente (the area itself)
    # and «(non indicato)» (obiettivo strategico 02_01 has no responsabile in the report).
    assert sorted(plain_table(at, "Ob. operativi")["Responsabile"]) == ["(non indicato)", "CAPPELLI MARIA GRAZIA", "Ente",
                                                                        "MAFFEZZONI NICOLA"]
    at.switch_page("pages/aree_strategiche.py").run()
    assert rendered(at.header[0].value) == "Regolazione del mercato (2019_02)"


def test_indicatori_detail_follows_the_url_and_shows_the_series(app):
    at = app("pages/indicatori.py", dettaglio="2019_02_01-I1")
    assert at.selectbox(key="dettaglio").value == "2019_02_01-I1"
    assert "Valore raggiunto: = 137,56%" in [t.value for t in at.text]
    series = shown(at, "Serie")
    # serie_storiche.csv, pratiche_evase_5gg: 2013, 2016, 2017, 2018, 2019 (2014-2015 are not in the report).
    assert list(series["Anno"]) == [2013, 2016, 2017, 2018, 2019]
    assert list(series["Valore"]) == [64.8, 84.43, 86.22, 90.88, 89.14]


# --- exports ------------------------------------------------------------------------------------------------------

def _unneutralise(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.map(lambda v: v[1:] if isinstance(v, str) and v[:2] in {"'=", "'+", "'-", "'@"} else v)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    # an empty cell is empty whether the screen shows '' or the file reads back None
    norm = lambda f: f.reset_index(drop=True).astype(object).where(f.notna(), None).replace("", None).map(str)
    pd.testing.assert_frame_equal(norm(a), norm(b), check_dtype=False)


def test_indicatori_exports_equal_the_filtered_table(app):
    at = app("pages/indicatori.py", area=AREA_LABELS["2019_02"])
    table = shown(at)
    assert len(table) == 3
    csv = download(at, "CSV")
    assert csv.startswith("\ufeff".encode())
    back = read_csv(csv)
    # Every valore raggiunto of area 2019_02 starts with '=' ('= 137,56%', ...): neutralised in the CSV.
    assert all(v.startswith("'=") for v in back["Valore raggiunto"])
    _same(_unneutralise(back), table)
    sheets = read_xlsx(download(at, "Excel"))
    assert list(sheets) == ["Indicatori", "Filtri"]
    _same(sheets["Indicatori"], table)  # in the XLSX the text stays as is, in a string cell
    info = dict(zip(sheets["Filtri"]["Voce"], sheets["Filtri"]["Valore"]))
    assert info["Filtro: Area strategica"] == "Regolazione del mercato (2019_02)"  # aree.csv: missione_descrizione
    assert info["Filtro: Ente"] == "CCIAA di Cremona" and str(info["Filtro: Anno"]) == "2019"
    assert str(info["Versione dei dati"]) == "1" and str(info["Righe: Indicatori"]) == "3"
    assert "Esportato il" in info


def test_numeric_exports_read_back_as_shown(app):
    at = app("pages/andamenti.py", andamento="Costi")
    table = shown(at, "Voce di costo")
    back = read_csv(download(at, "CSV", 0))
    pd.testing.assert_frame_equal(back, table, check_dtype=False)
    sheet = read_xlsx(download(at, "Excel", 0))["Costi"]
    pd.testing.assert_frame_equal(sheet, table, check_dtype=False)
    # numbers stay numbers in the workbook: costi postali 2019, € 18.978,38 (serie_storiche.csv)
    assert 18978.38 in list(sheet["Costo"])


def test_whole_view_workbook_has_a_sheet_per_table(app):
    at = app()
    assert labels(at)[-1] == "Scarica la vista · 2 tabelle, 7 righe"  # 4 areas + 3 indicators to look at
    sheets = read_xlsx(download(at, "Scarica la vista"))
    assert list(sheets) == ["Aree strategiche", "Da guardare", "Filtri"]
    # the page's two plain tables write each value as its column's kind says: the sheets' values, so written
    _same(_written(sheets["Aree strategiche"]), plain_table(at, "Denominazione"))
    _same(_written(sheets["Da guardare"]), plain_table(at, "Perché"))


def test_tables_on_request_are_in_the_view_workbook_while_folded(app):
    """A table behind «Mostra …» (ui/sections.on_demand) is drawn only once opened, but «Scarica la vista» holds it
    folded as well: the sheet is the table the section shows when opened."""
    at = app("pages/aree_strategiche.py", area=AREA_LABELS["2019_02"])
    assert not any("Indicatore" in g.columns for g in grids(at))  # folded: no grid of the area's indicators
    folded = read_xlsx(download(at, "Scarica la vista"))
    assert "Indicatori" in folded and "Cifre chiave" in folded
    at = open_on_demand(at)
    _same(folded["Indicatori"], shown(at))
    assert len(folded["Indicatori"]) == 3  # the three indicators of area 2019_02 (indicatori.csv), as on Indicatori


def _written(sheet: pd.DataFrame) -> pd.DataFrame:
    """A sheet's values as a plain table writes them (formatting.of_kind of the kind of the column's heading)."""
    from cruscotto.present import formatting
    from cruscotto.present.labels import LABELS

    kinds = {label.heading: label.kind for label in LABELS.values()}
    return sheet.apply(lambda column: column.map(lambda v: formatting.of_kind(v, kinds.get(column.name, "text"))))


# --- Andamenti and Responsabili -----------------------------------------------------------------------------------

def test_andamenti_trend_values_match_the_report(app):
    at = app("pages/andamenti.py")
    # a year table of one series is a plain table, as the report writes it (ui/tables.plain)
    pratiche = plain_table(at, "Evase entro 5 giorni").set_index("Anno")
    # Report: «al 31/12/2019 evase nei 5 giorni 18235 su 20456 (89,14%)»; 18235 / 20456 = 89,1425...%.
    assert list(pratiche.index) == ["2013", "2016", "2017", "2018", "2019"]  # 2014-2015 absent, not interpolated
    assert tuple(pratiche.loc["2019", ["Evase entro 5 giorni", "Pratiche totali", "% dichiarata", "% ricalcolata"]]) == (
        "18.235", "20.456", "89,14%", "89,14%")
    # Index: 89,14 / 64,80 * 100 = 137,56 as declared (2019_02_01-I1, VR '= 137,56%'); the other years declare none.
    assert list(pratiche["Indice dichiarato"]) == ["—", "—", "—", "—", "137,56"]
    sheet = read_xlsx(download(at, "Excel", 0))["Pratiche evase"]
    assert sheet.set_index("Anno").loc[2019, "% ricalcolata"] == pytest.approx(89.1425, abs=1e-4)  # unrounded
    _same(_written(sheet), plain_table(at, "Evase entro 5 giorni"))  # the file holds the table shown
    imprese = plain_table(app("pages/andamenti.py", andamento="Imprese servite"), "Imprese anno precedente")
    # 865 imprese in 2019, 621 in 2018: 865 / 621 * 100 = 139,29% (2019_03_01_3-I1, VR '= 139,29%').
    assert tuple(imprese.set_index("Anno").loc["2019", ["Imprese", "Imprese anno precedente", "% sull'anno precedente"]]) == (
        "865", "621", "139,29%")
    costi = shown(app("pages/andamenti.py", andamento="Costi"), "Voce di costo")
    postali = costi[costi["Voce di costo"].str.startswith("Costi postali")].set_index("Anno")
    # 18.978,38 / 38.475,85 * 100 = 49,3254...% -> 49,33% recomputed; the report declares 49,32%.
    assert tuple(postali.loc[2019, ["Costo", "Costo 2011", "% dichiarata"]]) == (18978.38, 38475.85, 49.32)
    assert postali.loc[2019, "% del 2011"] == pytest.approx(49.3254, abs=1e-4)


def test_andamenti_year_range_narrows_every_table(app):
    def view(andamento: str, heading: str) -> list:
        at = app("pages/andamenti.py", andamento=andamento, anni=["2016", "2019"])
        years = (plain_table(at, heading) if andamento in ("Pratiche evase", "Imprese servite") else shown(at, heading))["Anno"]
        return [int(y) for y in years]

    assert view("Pratiche evase", "Evase entro 5 giorni") == [2016, 2017, 2018, 2019]
    assert view("Imprese servite", "Imprese anno precedente") == [2016, 2017, 2018, 2019]
    assert view("Costi", "Voce di costo") == [2019, 2019]  # costs: only 2019 of 2011 and 2019
    # Every series: 24 values in serie_storiche.csv, of which 2011-2015 are 2 costs + 5 imprese + 1 pratiche = 8.
    assert len(view("Tutte le serie", "Relazione")) == 16


def test_andamenti_year_range_from_the_slider(app):
    at = app("pages/andamenti.py")
    at.sidebar.slider(key="anni").set_value((2016, 2019)).run()
    assert list(plain_table(at, "Evase entro 5 giorni")["Anno"]) == ["2016", "2017", "2018", "2019"]


def test_andamenti_series_filter_is_in_its_view(app):
    assert not [s for s in app("pages/andamenti.py").selectbox if s.key == "serie"]  # other views: not there
    at = app("pages/andamenti.py", andamento="Tutte le serie")
    assert not [s for s in at.sidebar.selectbox if s.key == "serie"]  # above the series it filters
    at.selectbox(key="serie").set_value("costi_postali").run()
    assert list(shown(at, "Relazione")["Anno"]) == [2011, 2019]


def test_responsabili_scorecard_per_responsabile_and_per_centro(app):
    at = app("pages/responsabili.py")
    # a summary of a few names, read as written: a plain table (ui/tables.plain), like the Panoramica's areas
    card = plain_table(at, "Ob. operativi").set_index("Responsabile")
    # CAPPELLI MARIA GRAZIA: 20 obiettivi operativi, 13 indicators of which 8 numeric and reached, 5 qualitative.
    assert tuple(card.loc["CAPPELLI MARIA GRAZIA", ["Ob. operativi", "Indicatori", "Misurabili", "Raggiunti",
                                                     "Qualitativi", "% raggiunti"]]) == ("20", "13", "8", "8", "5", "100,00%")
    # Ente: the areas 2019_01 and 2019_04 ... its 4 indicators: 01-I1 reached, 01_02-I1 qualitative, 04_01-I1/I2 no value.
    assert tuple(card.loc["Ente", ["Indicatori", "Raggiunti", "Qualitativi", "Senza valore"]]) == ("4", "1", "1", "2")
    sheet = read_xlsx(download(at, "Excel", 0))["Scheda"]
    _same(_written(sheet), plain_table(at, "Ob. operativi"))  # the file holds the table shown, as numbers
    assert sheet.set_index("Responsabile").loc["Ente", "Indicatori"] == 4
    at.radio(key="per").set_value("centro").run()
    assert sorted(plain_table(at, "Ob. operativi")["Centro di responsabilità"]) == [
        "(non indicato)", "CAPPELLI M.G/MAFFEZZONI N.", "CAPPELLI MARIA GRAZIA",
        "CAPPELLI MARIA GRAZIA/SEGRETARIO GENERALE", "ENTE"]
    at.selectbox(key="nome").set_value("CAPPELLI M.G/MAFFEZZONI N.")
    at.session_state["su_richiesta_indicatori_nome"] = True  # «Mostra gli indicatori del nome scelto»
    at.run()
    assert codes_of(shown(at, "Esito dichiarato")) == ["2019_01_02_05-I1", "2019_01_02_05-I2"]


def codes_of(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["Indicatore"])


def test_link_straight_to_a_page_on_a_fresh_server_goes_through_app_py(db_path, monkeypatch):
    """A fresh server starts in Streamlit's old pages/ mode, where /indicatori?... would run pages/indicatori.py alone,
    without app.py's navigation and shared filters. AppTest starts every run in that mode (no patch here): the page
    must rerun through app.py and show the view the link describes."""
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params.update(tipo="EFFICACIA", area=AREA_LABELS["2019_03"])
    at.switch_page("pages/indicatori.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="ente").value == "CCIAA di Cremona"  # the shared filters are there
    assert at.sidebar.selectbox(key="area").value == "2019_03"
    assert codes(at) == ["2019_03_01_3-I2"]  # area 2019_03 and tipo EFFICACIA: one indicator


def test_a_hand_written_link_with_the_bare_code_opens_the_area(app):
    # the widget writes '2019_02 · M.012-REGOLAZIONE DEL MERCATO' in the URL; a link with just the code must work too
    at = app("pages/indicatori.py", area="2019_02")
    assert at.sidebar.selectbox(key="area").value == "2019_02"
    assert len(shown(at)) == 3  # area 2019_02 has 3 indicators (2 strategic, 1 operational)


# --- tables that sort, never say «None», fit a laptop (issue 14, item 1) ------------------------------------------

def _grid(at, heading: str):
    """The first grid element with a column headed `heading`, and that column's name in the data it receives."""
    for element in at.dataframe:
        for column, spec in config(element).items():
            if spec.get("label") == heading:
                return element, column
    raise AssertionError(f"no grid with a column «{heading}»")


def test_costs_sort_as_numbers(app):
    element, column = _grid(app("pages/andamenti.py", andamento="Costi"), "Costo")
    # contenimento_costi, both years of both costs: consulenze 5.242,72 (2011) and 0 (2019), postali 38.475,85 (2011)
    # and 18.978,38 (2019). As text they sorted «€ 0,00 · € 18.978,38 · € 38.475,85 · € 5.242,72».
    assert pd.api.types.is_float_dtype(element.value[column])
    assert sorted(element.value[column]) == [0, 5242.72, 18978.38, 38475.85]
    assert config(element)[column]["type_config"] == {"type": "number", "format": "euro"}  # € and Italian separators


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_no_grid_draws_none(app, page, db_path):
    """Every grid on every page draws a missing value as «—» (the data it receives hold numbers and texts, never the
    word None), and every column has an Italian heading (no column shown under its query name)."""
    if page.endswith("confronto_enti.py"):  # a comparison needs other chambers: two synthetic ones
        from cruscotto import store, synth

        con = store.connect(db_path)
        synth.write_store(con, 2, (2019, 2019), seed=1, bulk=True)
        con.close()
    views = every_view(app, page)  # every tab and on-demand section of the page too
    # (no table before an upload / in a document; the Panoramica's are plain tables)
    assert views[0].dataframe or page.endswith(("carica_dati.py", "relazione.py", "panoramica.py"))
    for element in (element for at in views for element in at.dataframe):
        assert element.proto.placeholder == "—"
        frame = element.value
        words = {str(v) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c]) for v in frame[c].dropna()}
        assert not words & {"None", "nan", "NaN", "<NA>"}
        unlabelled = [c for c, spec in config(element).items() if "_" in (spec.get("label") or c)]
        assert not unlabelled, f"columns without a heading: {unlabelled}"
    # plain tables (ui/tables.plain) and the charts' «Dati del grafico», Markdown tables: text as written, «—»
    for frame in (frame for at in views for frame in markdown_tables(at)):
        assert not {rendered(str(v)) for c in frame.columns for v in frame[c]} & {"None", "nan", "NaN", "<NA>", ""}
        unlabelled = [c for c in map(rendered, frame.columns) if "_" in c]
        assert not unlabelled, f"columns without a heading: {unlabelled}"


def test_empty_values_reach_the_grid_as_missing(app):
    # Costi: the report declares the % only for 2019 (one indicator per cost), 2011 has none: 2 of the 4 rows.
    element, column = _grid(app("pages/andamenti.py", andamento="Costi"), "% dichiarata")
    assert element.value[column].isna().sum() == 2 and element.proto.placeholder == "—"


def test_key_columns_fit_a_1366_pixel_screen(app):
    """At 1366 × 768 with the sidebar open the grid is 906 px wide (measured in chromium: tests/e2e/test_e2e_pages.py
    checks it); the row selector takes 33. The key columns come first and fit in what is left."""
    element, _ = _grid(app("pages/indicatori.py"), "Indicatore")
    columns = list(config(element).values())
    key = ["Indicatore", "Stato", "Descrizione", "Valore atteso", "Valore raggiunto", "Esito dichiarato", "Responsabile"]
    assert [c["label"] for c in columns[:len(key)]] == key
    assert sum(c["width"] for c in columns[:len(key)]) + 33 <= 906
    assert columns[0].get("pinned") is True  # the code stays in view when the table scrolls sideways


def test_csv_exports_write_counts_as_integers(app):
    at = app("pages/andamenti.py")
    lines = download(at, "CSV", 0).decode("utf-8-sig").splitlines()  # pratiche evase
    # 2013: 20212 evase entro 5 giorni su 31192 (serie_storiche.csv); 20212 / 31192 × 100 = 64,7987%
    assert lines[1].startswith("2013;20212;31192;64,8;64,798")
    assert not any(",0;" in line for line in lines)
