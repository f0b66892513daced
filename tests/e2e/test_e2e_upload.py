"""The upload journey in chromium: a bad file shows the error list and changes nothing; a good file shows a preview,
is loaded on confirmation, and the other pages show the new data.

Uploads write to the store, so this module runs its own server on its own copy of the store.
"""
from __future__ import annotations

import csv
import io
import re

import harness
import openpyxl
import pytest
from builders.workbooks import EVASE_2020, TOTALI_2020, workbook_2020

from cruscotto.present.formatting import integer

BAD_FILES = harness.ROOT / "tests" / "bad_files"


@pytest.fixture(scope="module")
def upload_server(chromium, shipped_store, tmp_path_factory):
    with harness.editor_server(shipped_store, tmp_path_factory, "upload") as server:
        yield server


def upload(page, path) -> None:
    """Choose `path` in the page's file uploader, as a person picking it in the file dialog, and wait for the check."""
    chooser = page.locator('[data-testid="stFileUploader"] input[type="file"]').first
    harness.rerun_and_wait(page, lambda: chooser.set_input_files(str(path)), check=False)


def test_template_download_is_a_workbook_with_instructions(upload_server, page):
    harness.open_page(page, upload_server.page_url("carica_dati"))
    name, data = harness.download(page, "Scarica il modello (.xlsx)")
    assert name == "modello_cruscotto.xlsx"
    sheets = openpyxl.load_workbook(io.BytesIO(data), read_only=True).sheetnames
    assert "istruzioni" in sheets
    assert {"aree", "obiettivi", "indicatori", "serie_storiche", "cifre_chiave"} <= set(sheets)


def test_bad_file_shows_the_error_list_and_changes_nothing(upload_server, page):
    """tests/bad_files/valori_anni_unita.xlsx (made by make_bad_files.py) has three bad cells in serie_storiche:
    row 2 valore 'circa sessantacinque', row 3 anno_valore 1890, row 4 unita 'numero' instead of '%'."""
    harness.open_page(page, upload_server.page_url("carica_dati"))
    versions_before = harness.table_cells(page, index=0)
    upload(page, BAD_FILES / "valori_anni_unita.xlsx")

    alert = page.locator('[data-testid="stAlertContentError"]')
    alert.first.wait_for()
    assert "Il file non può essere caricato: 3 errori" in alert.first.inner_text()
    assert "Il database non è stato modificato" in alert.first.inner_text()
    harness.wait_drawn(page)  # the summary and the list of problems are tables with rows
    listed = " ".join(" ".join(row) for i in range(harness.counts(page)["dataframes"])
                      for row in (harness.table_cells(page, i) or []))
    assert "circa sessantacinque" in listed
    assert page.get_by_role("button", name="Conferma il caricamento").count() == 0

    name, data = harness.download(page, re.compile(r"Scarica l'elenco dei problemi"))
    assert name == "problemi_valori_anni_unita.csv"
    text = data.decode("utf-8-sig")
    assert "circa sessantacinque" in text and "1890" in text and "serie_storiche" in text
    assert len([r for r in csv.reader(io.StringIO(text), delimiter=";") if r]) == 1 + 3

    # Nothing was written: the list of versions is as it was.
    harness.open_page(page, upload_server.page_url("carica_dati"))
    assert harness.table_cells(page, index=0) == versions_before
    assert page.console.errors == []


def test_good_file_preview_confirm_and_new_data_everywhere(upload_server, page, tmp_path, timings):
    """The 2019 data moved to 2020 (tests/builders/workbooks.workbook_2020): 2020 becomes a year of the report, and the
    series of pratiche evase entro 5 giorni gains 2020: 17.000 evase su 18.500."""
    path = tmp_path / "relazione_2020.xlsx"
    path.write_bytes(workbook_2020())
    harness.open_page(page, upload_server.page_url("carica_dati"))
    upload(page, path)
    harness.assert_no_problems(page, "preview of relazione_2020.xlsx")
    page.get_by_text("Anteprima delle modifiche").wait_for()
    assert "Anni aggiunti: 2020 (CCIAA di Cremona)" in page.locator('[data-testid="stMain"]').inner_text()

    timings["journeys"]["upload confirmed → page redrawn (ms)"] = harness.click_button(page, "Conferma il caricamento")
    success = page.locator('[data-testid="stAlertContentSuccess"]')
    success.first.wait_for()
    assert re.search(r"Caricato relazione_2020\.xlsx: ora i dati sono alla versione \d+", success.first.inner_text())

    # The other pages: 2020 is the latest year, chosen by default, and its figures are there.
    harness.open_page(page, upload_server.page_url("andamenti"))
    assert harness.selected(page, "Anno della relazione") == "2020"
    rows = harness.plain_table_cells(page, 0)  # the year table of the pratiche evase, written as Italians write
    years = [row[0] for row in rows]
    assert "2020" in years
    assert [integer(EVASE_2020), integer(TOTALI_2020)] == rows[years.index("2020")][1:3]  # «17.000», «18.500»
