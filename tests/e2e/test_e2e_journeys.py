"""Journeys through the real app, in chromium, on the shipped 2019 report of the CCIAA di Cremona.

Expected values come from the report as transcribed in data/ (area codes and names in data/aree.csv, indicators in
data/indicatori.csv); the counts are the report's own (the Panoramica table lists them per area).
"""
from __future__ import annotations

import csv
import io
import re

import harness
import openpyxl

# data/aree.csv: 2019_02 is "M.012-REGOLAZIONE DEL MERCATO", the mission «Regolazione del mercato» (its readable
# name), with 3 indicators (data/indicatori.csv, report lines 1088-1313): 2019_02_01-I1 (pratiche evase entro 5
# giorni), 2019_02_01-I2 (arbitrato e conciliazione), 2019_02_01_02-I1 (registro protesti).
AREA_02 = "Regolazione del mercato (2019_02)"
INDICATORS_02 = ["2019_02_01-I1", "2019_02_01-I2", "2019_02_01_02-I1"]
# 2019_03 "M.016-COMM.INTERNAZ/INTERNAZ.": 3 indicators 2019_03_01-I1, 2019_03_01_3-I1, 2019_03_01_3-I2.
AREA_03 = "Commercio internazionale e internazionalizzazione del sistema produttivo (2019_03)"
INDICATORS_03 = ["2019_03_01-I1", "2019_03_01_3-I1", "2019_03_01_3-I2"]
# The report's indicators: 15 (area 2019_01) + 3 + 3 + 5 (2019_04) = 26.
ALL_INDICATORS = 26


def test_area_filter_changes_table_chart_and_url_and_the_link_reproduces_the_view(app_server, page, other_browser,
                                                                                  timings):
    harness.open_page(page, app_server.page_url("aree_strategiche"))
    # No area chosen: the page shows the first one (data/aree.csv, 2019_01).
    assert harness.headings(page)[0] == "Competitività e sviluppo delle imprese (2019_01)"
    harness.open_on_demand(page, "indicatori_area")  # the table of the area's indicators is drawn when asked
    table, chart = harness.table_cells(page), harness.chart_signature(page)

    timings["journeys"]["area filter → redrawn (ms)"] = harness.select_option(page, "Area strategica", AREA_02)
    harness.wait_table_changed(page, table)
    harness.wait_chart_changed(page, chart)
    assert harness.headings(page)[0] == AREA_02
    harness.wait_row_count(page, 3)
    harness.wait_column(page, "Indicatore", INDICATORS_02)
    assert harness.url_query(page)["area"] == "2019_02", "the chosen area is not in the URL: the view cannot be shared"
    shared = page.url

    # Someone else opens the link: same area, same table, same chart.
    other = other_browser()
    harness.open_page(other, shared)
    assert harness.headings(other)[0] == AREA_02
    harness.open_on_demand(other, "indicatori_area")
    assert harness.selected(other, "Area strategica") == AREA_02
    harness.wait_column(other, "Indicatore", INDICATORS_02)
    assert harness.chart_signature(other) == harness.chart_signature(page)


def test_link_to_a_filtered_indicator_list(app_server, page):
    """A link straight to a page (a new server session, no app.py run before) applies its query parameters."""
    harness.open_page(page, app_server.page_url("indicatori"))
    assert harness.table_row_count(page) == ALL_INDICATORS
    harness.select_option(page, "Area strategica", AREA_03)
    link = page.url

    harness.open_page(page, link)  # a new document: a new session on the server
    assert harness.selected(page, "Area strategica") == AREA_03
    harness.wait_row_count(page, 3)
    harness.wait_column(page, "Indicatore", INDICATORS_03)  # (the «Area» column now sits past the key columns)


def test_drill_down_from_panoramica_opens_the_area(app_server, page, timings):
    harness.open_page(page, app_server.page_url(""))
    link = page.get_by_role("link", name="Commercio internazionale e… (2019_03)")
    timings["journeys"]["Panoramica, link of 2019_03 → area drawn (ms)"] = harness.rerun_and_wait(
        page, link.click, expect_path="aree_strategiche")
    assert page.url.split("?")[0].endswith("/aree_strategiche")
    assert harness.current_menu_title(page) == "Aree strategiche"
    assert harness.headings(page)[0] == AREA_03
    assert harness.selected(page, "Area strategica") == AREA_03
    harness.open_on_demand(page, "indicatori_area")
    harness.wait_column(page, "Indicatore", INDICATORS_03)


def test_indicator_detail_draws_its_series(app_server, page):
    """Indicatori: choosing an indicator in «Dettaglio» shows its history. 2019_02_01-I1 (pratiche evase entro 5
    giorni) has the series pratiche_evase_5gg, years 2013 and 2016-2019 (data/serie_storiche.csv, report lines
    1150-1156)."""
    harness.open_page(page, app_server.page_url("indicatori"))
    assert harness.counts(page)["charts"] == 0  # the first indicator, 2019_01-I1, has no series
    harness.select_option(page, "Indicatore", "2019_02_01-I1")
    shown = harness.counts(page)
    assert shown["charts"] == 1
    texts = harness.chart_texts(page)
    assert {"2013", "2019"} <= set(texts)
    harness.wait_column(page, "Anno", ["2013", "2016", "2017", "2018", "2019"], index=1)


def test_exports_of_a_filtered_view_hold_what_the_page_shows(app_server, page):
    harness.open_page(page, app_server.page_url("indicatori"))
    harness.select_option(page, "Area strategica", AREA_02)
    # The grid renders only the columns in view: compare those, and the number of columns it declares.
    shown_headers, shown_columns = page.evaluate("""() => {
        const grid = document.querySelectorAll('[data-testid="stDataFrame"]')[0];
        return [Array.from(grid.querySelectorAll('thead [role="columnheader"]')).map(h => h.innerText.trim()),
                Number(grid.querySelector('table[role="grid"]').getAttribute('aria-colcount'))];
    }""")

    # CSV for Italian Excel: UTF-8 with BOM, ';' between fields, the rows and columns of the table on screen.
    name, data = harness.download(page, re.compile(r"CSV · 3 righe$"))  # built when clicked (ui/export_buttons.py)
    assert name == "indicatori_indicatori.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:len(shown_headers)] == shown_headers and len(rows[0]) == shown_columns
    assert [r[rows[0].index("Indicatore")] for r in rows[1:]] == INDICATORS_02
    assert {r[rows[0].index("Area")] for r in rows[1:]} == {"2019_02"}

    # Excel: the same rows, and a «Filtri» sheet that says which area was chosen.
    name, data = harness.download(page, re.compile(r"Excel · 3 righe$"))
    assert name == "indicatori_indicatori.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert "Filtri" in workbook.sheetnames
    sheet = workbook[[n for n in workbook.sheetnames if n != "Filtri"][0]]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [str(v) for v in values[0]] == rows[0]
    assert [r[values[0].index("Indicatore")] for r in values[1:] if any(c is not None for c in r)] == INDICATORS_02
    filtri = [str(c) for r in workbook["Filtri"].iter_rows(values_only=True) for c in r if c is not None]
    assert any("2019_02" in c for c in filtri), filtri

    # The whole view: one workbook, a sheet per table of the page plus «Filtri».
    name, data = harness.download(page, re.compile(r"Scarica la vista"))
    assert name == "indicatori_vista.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert "Filtri" in workbook.sheetnames and len(workbook.sheetnames) >= 2


def test_verifica_severity_filter_matches_the_count_and_exports_the_errors(app_server, page, other_browser):
    """The report's two errors (data/README.md, «Rilievi della verifica»), each checkable by hand:
    - 2019_02_01-I1: the modalità di calcolo read literally gives 18.235 / 20.212 × 100 = 90,22%, not 137,56%;
    - 2019_02_01-I1: 2016 printed 84,43% but 16.344 / 19.537 × 100 = 83,66% (report line 1155).
    («Festival della Mostarda 100%», r. 144, is the item's score, not 69 + 28: no longer an error.)"""
    harness.open_page(page, app_server.page_url("verifica"))
    metrics = [t.split() for t in page.locator('[data-testid="stMetric"]').all_inner_texts()]
    assert ["⛔", "Errori", "2"] in metrics
    everything = harness.table_row_count(page)

    harness.select_option(page, "Gravità", "errore")
    assert everything > 2
    harness.wait_row_count(page, 2)
    harness.wait_column(page, "Oggetto", ["2019_02_01-I1", "2019_02_01-I1"])
    harness.wait_column(page, "Gravità", ["⛔ errore"] * 2)
    assert "gravita=errore" in page.url

    name, data = harness.download(page, re.compile(r"CSV · 2 righe$"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Oggetto"] for r in rows] == ["2019_02_01-I1", "2019_02_01-I1"]
    assert "16.344 / 19.537" in rows[1]["Spiegazione"]
    # the export carries what the detail panel shows: the quoted line of the report
    assert rows[1]["Testo citato"].startswith("r. 1155: Al 31/12/2016")

    other = other_browser()
    harness.open_page(other, page.url)
    harness.wait_row_count(other, 2)
