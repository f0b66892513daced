"""Exports for Italian Excel: CSV (BOM, ';', decimal comma), XLSX (formatted header, number formats, frozen header,
«Filtri» sheet), formulas neutralised, nothing cut."""
from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from builders.workbooks import read_csv, read_xlsx

from cruscotto.present import export


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Indicatore": ["2019_02_01-I1", "2019_04_02_2-I1", "2019_01-I1"],
        "Valore raggiunto": ["= 137,56%", "= 49,32%", "@SOMMA(A1)"],
        "Nota": ["+39 0372 490", "-5 rispetto al 2018", "testo normale"],
        "Pratiche": [18235, 20456, 1234567],
        "% raggiunti": [89.1425, 100.0, None],
        "Città": ["Cremona è più à nord", "Crema", None],
    })


def test_csv_is_for_italian_excel(frame):
    data = export.to_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "Indicatore;Valore raggiunto;Nota;Pratiche;% raggiunti;Città"
    # 89.1425 is written with a decimal comma; integers keep no thousands separator (Excel reads them as numbers).
    assert lines[1] == "2019_02_01-I1;'= 137,56%;'+39 0372 490;18235;89,1425;Cremona è più à nord"
    assert lines[3].endswith(";1234567;;")  # missing values are empty cells


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@A1", "=HYPERLINK(\"http://x\")", "\t=1"])
def test_formula_cells_are_neutralised(dangerous):
    assert export.neutralise(dangerous) == "'" + dangerous
    assert export.neutralise("1-1") == "1-1" and export.neutralise(-5) == -5  # numbers are numbers, not formulas
    frame = pd.DataFrame({"x": [dangerous]})
    assert read_csv(export.to_csv(frame))["x"].iloc[0].startswith("'")
    workbook = openpyxl.load_workbook(io.BytesIO(export.to_xlsx({"t": frame})))
    cell = workbook["t"]["A2"]
    # In the workbook the text stays exactly as it is, in a string cell with Excel's quote prefix: never a formula.
    assert cell.value == dangerous and cell.data_type == "s" and cell.quotePrefix


def test_csv_reads_back_equal(frame):
    back = read_csv(export.to_csv(frame))
    assert list(back.columns) == list(frame.columns)
    assert list(back["Pratiche"]) == [18235, 20456, 1234567]
    assert back["% raggiunti"].iloc[0] == pytest.approx(89.1425)
    assert list(back["Valore raggiunto"]) == ["'= 137,56%", "'= 49,32%", "'@SOMMA(A1)"]
    assert list(back["Nota"]) == ["'+39 0372 490", "'-5 rispetto al 2018", "testo normale"]


def test_xlsx_has_formatted_header_number_formats_frozen_row_and_filters_sheet(frame):
    info = export.info_rows({"Ente": "CCIAA di Cremona", "Anno": 2019, "Area strategica": None},
                            versione=3, exported_at=datetime(2026, 11, 26, 10, 30), righe={"Indicatori": 3})
    data = export.to_xlsx({"Indicatori": frame}, info, {"Indicatori": {"% raggiunti": "percent"}})
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Indicatori", "Filtri"]
    sheet = workbook["Indicatori"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["A1"].value == "Indicatore"
    assert sheet["D2"].value == 18235 and sheet["D2"].number_format == "#,##0"
    assert sheet["E2"].value == pytest.approx(89.1425) and sheet["E2"].number_format == '#,##0.00"%"'
    assert sheet["E4"].value is None
    assert sheet.max_row == 4  # header + 3 rows
    filters = {r[0]: r[1] for r in workbook["Filtri"].iter_rows(min_row=2, values_only=True)}
    assert filters == {"Filtro: Ente": "CCIAA di Cremona", "Filtro: Anno": 2019, "Filtro: Area strategica": "tutti",
                       "Esportato il": datetime(2026, 11, 26, 10, 30), "Versione dei dati": 3,
                       "Righe: Indicatori": 3}
    back = read_xlsx(data)["Indicatori"]
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_nothing_is_cut():
    big = pd.DataFrame({"n": range(25_000), "t": [f"riga {i}" for i in range(25_000)]})
    assert len(read_csv(export.to_csv(big))) == 25_000
    assert len(read_xlsx(export.to_xlsx({"grande": big}))["grande"]) == 25_000


def test_whole_view_workbook_one_sheet_per_table_with_valid_unique_names():
    tables = {"Aree strategiche": pd.DataFrame({"a": [1]}), "Indicatori CAPPELLI M.G/MAFFEZZONI N.": pd.DataFrame({"b": [2]}),
              "Indicatori CAPPELLI M.G/MAFFEZZONI N. (bis)": pd.DataFrame({"c": [3]}), "Filtri": pd.DataFrame({"d": [4]})}
    sheets = read_xlsx(export.to_xlsx(tables, {"Versione dei dati": 1}))
    names = list(sheets)
    assert len(names) == 5 and names[-1] == "Filtri"
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert len({n.lower() for n in names}) == 5
    assert [int(s.iloc[0, 0]) for s in list(sheets.values())[:4]] == [1, 2, 3, 4]


def test_column_kinds_guess_from_dtype():
    frame = pd.DataFrame({"i": [1, 2], "f": [1.5, 2.0], "big": [20212.0, 31192.0], "t": ["a", "b"]})
    assert [export.column_kind(frame, c) for c in frame] == ["integer", "number", "integer", "text"]
    assert export.column_kind(frame, "f", {"f": "percent"}) == "percent"


# --- one neutraliser for every CSV (OWASP «CSV injection») ----------------------------------------------------------

@pytest.mark.parametrize("dangerous", ["\t=1+1", "\r=1+1", "\n=1+1", "  =1+1", "＝1+1", "＋1", "－1", "＠SOMMA(A1)"])
def test_tabs_line_breaks_spaces_and_full_width_signs_are_neutralised_too(dangerous):
    assert export.neutralise(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", ["1-1", "testo = altro", "Cremona", "", " a-b", "89,14%", "'=già neutralizzato"])
def test_ordinary_text_is_left_alone(harmless):
    assert export.neutralise(harmless) == harmless


def test_numbers_stay_numbers_in_every_csv():
    frame = pd.DataFrame({"n": [-5, 3], "x": [-1.5, None], "t": ["-5 rispetto al 2018", "=1+1"]})
    out = export.neutralised(frame)
    assert list(out["n"]) == [-5, 3] and out["x"].iloc[0] == -1.5  # a negative number is not a formula
    assert list(out["t"]) == ["'-5 rispetto al 2018", "'=1+1"]
    lines = export.to_csv(frame).decode("utf-8-sig").split("\r\n")
    assert lines[1] == "-5;-1,5;'-5 rispetto al 2018"


def test_the_problems_csv_uses_the_same_neutraliser():
    from cruscotto.ingest.validate import Problem, problems_csv

    problems = [Problem("\t=cmd|' /C calc'!A0.xlsx", "indicatori", 2, "descrizione", "=1+1 non è un testo ammesso"),
                Problem("f.xlsx", "aree", 3, "codice", "@SOMMA(A1): codice mancante")]
    back = read_csv(problems_csv(problems)).set_index("Foglio")
    # the leading tab slipped through before (only = + - @ were checked)
    assert back.loc["indicatori", "File"] == "'\t=cmd|' /C calc'!A0.xlsx"
    assert back.loc["indicatori", "Problema"] == "'=1+1 non è un testo ammesso"
    assert back.loc["aree", "Problema"] == "'@SOMMA(A1): codice mancante"
    assert back.loc["aree", "Riga"] == 3  # row numbers stay numbers
