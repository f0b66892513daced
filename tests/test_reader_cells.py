"""The cells of a workbook reach the table with the values and the spreadsheet positions a user sees in Excel: the
reader's conversion from rows to columns (done on one numpy grid) must not move, retype or drop any of them."""
from __future__ import annotations

import datetime
import io

import xlsxwriter

from cruscotto.ingest.reader import _sheet_from_rows, read_bytes


def cells(sheet) -> list[list]:
    return [[(type(v).__name__, v) for v in row] for row in sheet.frame.itertuples(index=False, name=None)]


def test_rows_become_columns_with_their_spreadsheet_rows_and_letters():
    rows = [["", "", "", ""],  # spreadsheet row 1: empty, dropped
            ["", "ente", "anno", "valore"],  # row 2: the header (column A empty, dropped)
            ["", "Cremona", 2019.0, 1.5],  # row 3
            ["", "", "", ""],  # row 4: empty, dropped
            ["", "Cremona", 2020.0, ""]]  # row 5: an empty cell stays ''
    sheet = _sheet_from_rows("f.xlsx", "aree", rows, ",")
    assert list(sheet.frame.columns) == ["ente", "anno", "valore"]
    # 2019.0 is whole: an int, as read_excel(dtype=object) gave it; 1.5 stays a float
    assert cells(sheet) == [[("str", "Cremona"), ("int", 2019), ("float", 1.5)],
                            [("str", "Cremona"), ("int", 2020), ("str", "")]]
    assert sheet.row_numbers == [3, 5]
    assert sheet.column_letters == {"ente": "B", "anno": "C", "valore": "D"}


def test_rows_of_different_lengths_keep_the_columns_of_the_shortest():
    # the openpyxl path may hand rows of different lengths: as zip(*rows) did, the columns the shortest row has
    sheet = _sheet_from_rows("f.xlsx", "aree", [["ente", "anno"], ["Cremona", 2019.0, "oltre"]], ",")
    assert list(sheet.frame.columns) == ["ente", "anno"]
    assert cells(sheet) == [[("str", "Cremona"), ("int", 2019)]]
    assert sheet.row_numbers == [2]


def test_workbook_cells_read_as_excel_shows_them():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet("aree")
    sheet.write_row(0, 0, ["ente", "anno", "valore", "data"])
    sheet.write_row(1, 0, ["Cremona", 2019, 2.5])
    sheet.write_number(2, 1, 1e20)  # whole: int(1e20) = 100000000000000000000, beyond int64
    sheet.write_boolean(2, 2, True)  # a boolean in a number column stays a boolean
    date = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_datetime(3, 3, datetime.datetime(2020, 3, 31), date)
    book.close()
    (read,) = read_bytes(buffer.getvalue(), "prova.xlsx")
    assert cells(read)[:2] == [[("str", "Cremona"), ("int", 2019), ("float", 2.5), ("str", "")],
                               [("str", ""), ("int", 10 ** 20), ("bool", True), ("str", "")]]
    assert cells(read)[2][:3] == [("str", ""), ("str", ""), ("str", "")]
    assert cells(read)[2][3][1] == datetime.datetime(2020, 3, 31)  # a column of dates alone: a pandas Timestamp
    assert read.row_numbers == [2, 3, 4]
