"""The reader's overlap (reader._Overlap): calamine reads each sheet in a thread as soon as xlsx_guard has cleared it,
while the scan goes on. What a user gets must not depend on it: the same sheets, cells and row numbers, and for a
refused file the same message, as scanning everything first and parsing after (the reader before the overlap,
run here as `read_in_sequence`). Both run in the sandbox's child, as an upload does.
"""
from __future__ import annotations

import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from builders.workbooks import workbook_2019_corrected, workbook_2020

from cruscotto.ingest import reader, sandbox, xlsx_guard
from cruscotto.ingest.reader import ReadError

HERE = Path(__file__).parent
spec = importlib.util.spec_from_file_location("make_attack_files", HERE / "attack" / "make_attack_files.py")
attack = importlib.util.module_from_spec(spec)
spec.loader.exec_module(attack)

BAD_FILES = sorted(path.name for path in (HERE / "bad_files").glob("*.xlsx"))
ATTACKS = sorted(name for name in [*attack.FILES, *attack.HIDDEN] if name.endswith(".xlsx"))


def read_in_sequence(data: bytes, file_name: str):
    """Every part scanned, then every sheet parsed: the reader without the overlap. The sheets, or the message."""
    try:
        archive = xlsx_guard.open_archive(data, file_name)
        return reader.parse_xlsx(data, file_name, archive, xlsx_guard.scan(data, archive, file_name))
    except ReadError as exc:
        return str(exc)


def read_with_overlap(data: bytes, file_name: str):
    """The reader's own path (reader._xlsx_in_child), and how calamine's thread ended: 'done' when its sheets were
    used, 'fallback' when parse_xlsx read the file itself; nothing when the scan refused the file. Runs in a child
    of its own, so the spy on _Overlap.sheets goes with it."""
    outcomes = []
    sheets = reader._Overlap.sheets

    def spy(self, build):
        try:
            return sheets(self, build)
        finally:
            outcomes.append(self.outcome)

    reader._Overlap.sheets = spy
    try:
        return reader._xlsx_in_child(data, file_name), outcomes
    except ReadError as exc:
        return str(exc), outcomes


def both(data: bytes, file_name: str):
    return sandbox.run(read_in_sequence, data, file_name), *sandbox.run(read_with_overlap, data, file_name)


def seen(result):
    """What a user gets from a read: the message, or every sheet with its cells (value and type), row numbers,
    column letters, formulas, merged cells and whether it is hidden."""
    if isinstance(result, str):
        return result
    return [(s.name, s.hidden, list(s.frame.columns), s.frame.to_numpy().tolist(),
             [[type(v).__name__ for v in row] for row in s.frame.to_numpy().tolist()],
             s.row_numbers, s.column_letters, s.formulas, s.merged) for s in result]


def rezip(data: bytes, rename: dict[str, str] | None = None, edit: dict[str, tuple[str, str]] | None = None,
          add: dict[str, str] | None = None) -> bytes:
    """A copy of a workbook with members renamed, text replaced in members (member -> (old, new)), members added
    at the end."""
    rename, edit, entries = rename or {}, edit or {}, {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            content = archive.read(name).decode("utf-8")
            if name in edit:
                old, new = edit[name]
                assert old in content
                content = content.replace(old, new)
            entries[rename.get(name, name)] = content
    return attack.zip_of({**entries, **(add or {})})


@pytest.mark.parametrize("make", [workbook_2020, workbook_2019_corrected])
def test_a_usual_workbook_is_read_by_the_thread_with_the_same_cells(make):
    data = make()
    sequence, overlap, outcomes = both(data, "relazione.xlsx")
    assert outcomes == ["done"]  # the thread's sheets were used: what is compared is the overlap
    assert len(sequence) >= 5  # every table of the shipped data, each its own sheet
    assert seen(overlap) == seen(sequence)


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_gives_the_same_sheets_or_message(name):
    sequence, overlap, _ = both((HERE / "bad_files" / name).read_bytes(), name)
    assert seen(overlap) == seen(sequence)


def test_the_bad_files_with_formulas_errors_and_merges_are_read_by_the_thread():
    # the cells parse_xlsx puts back after calamine (error codes) and what it reads beside it (formulas, merges)
    for name in ("errori_excel.xlsx", "formule.xlsx", "celle_unite.xlsx"):
        sequence, overlap, outcomes = both((HERE / "bad_files" / name).read_bytes(), name)
        assert outcomes == ["done"], name
        assert seen(overlap) == seen(sequence), name


@pytest.mark.parametrize("name", ATTACKS)
def test_an_attack_file_gives_the_same_message(name):
    builder = attack.FILES[name][0] if name in attack.FILES else attack.HIDDEN[name]
    sequence, overlap, _ = both(builder(), name)
    assert seen(overlap) == seen(sequence)


def test_a_sheet_refused_after_one_the_thread_has_read_gives_the_same_message():
    # three sheets of 1.500.000 cells each from A1: the first passes and is read while the second is scanned, which
    # brings the workbook to 3.000.000, over the limit of 2.000.000
    sequence, overlap, _ = both(attack.three_large_sheets(), "tre_fogli.xlsx")
    assert overlap == sequence
    assert "i fogli coprono già 3.000.000 celle da A1 all'ultima" in overlap


def test_a_refused_sheet_before_a_refused_part_gives_the_first_problem_in_the_zip():
    # the overlap scans the parts that are not sheets first; a sheet with a cell at XFD1048576 then a styles part
    # with a DTD: the message is still the sheet's, the first problem in the zip's order
    data = rezip(attack.cell_far_away("XFD1048576"),
                 add={"xl/styles.xml": '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "a">]><styleSheet/>'})
    sequence, overlap, _ = both(data, "due_problemi.xlsx")
    assert overlap == sequence
    assert "foglio aree: la cella XFD1048576 è nella colonna XFD" in overlap


def test_a_sheet_part_outside_xl_worksheets_is_read_after_the_scan():
    # workbook.xml points the sheet at xl/fogli/aree.xml: xlsx_guard scans it, but a parser may map such a target
    # otherwise; the thread reads nothing and parse_xlsx reads the file after the whole scan, as before the overlap
    data = rezip(attack.one_sheet(attack.inline("A2", "CCIAA di Roma").join(['<row r="2">', "</row>"])),
                 rename={"xl/worksheets/sheet1.xml": "xl/fogli/aree.xml"},
                 edit={"xl/_rels/workbook.xml.rels": ('Target="worksheets/sheet1.xml"', 'Target="fogli/aree.xml"')})
    sequence, overlap, outcomes = both(data, "parte_altrove.xlsx")
    assert outcomes == ["fallback"]
    assert seen(overlap) == seen(sequence)
    assert overlap[0].frame.loc[0, "ente"] == "CCIAA di Roma"


def test_sheets_fastexcel_cannot_type_as_calamine_give_the_same_cells():
    # the thread reads with fastexcel, typed columns, and uses them only when they are what calamine's cells would
    # be: each of these sheets has something that is not (a title above the header, a repeated header and one
    # renamed as fastexcel renames the second, a column of numbers and texts, a date, a numeric header, an empty
    # header above values); the last is plain and taken from fastexcel
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheets = {
        "titolo": [["Relazione 2020"], [], ["ente", "anno"], ["CCIAA di Roma", 2020]],
        "ripetuta": [["ente", "ente", "ente_1"], ["a", "b", "c"]],
        "mista": [["ente", "valore"], ["a", 1.5], ["b", "n.d."], ["c", 3]],
        "data": [["ente", "giorno"], ["a", datetime.datetime(2020, 3, 1)]],
        "numero": [["ente", 2020], ["a", 1]],
        "senza": [["ente", None, "anno"], ["a", 7, 2020]],
        "piana": [["ente", "anno", "valore", "note"], ["a", 2020, 1.25, None], [None, None, None, None],
                  ["b", 2021.0, -3, "x"]],
    }
    for position, (name, rows) in enumerate(sheets.items()):
        sheet = book.active if position == 0 else book.create_sheet()
        sheet.title = name
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    sequence, overlap, outcomes = both(buffer.getvalue(), "tipi.xlsx")
    assert outcomes == ["done"]
    assert seen(overlap) == seen(sequence)
    piana = overlap[-1]
    assert piana.frame["anno"].tolist() == [2020, 2021] and type(piana.frame.at[1, "anno"]) is int
    assert piana.row_numbers == [2, 4]  # the empty row 3 left out, as calamine's rows give it


def test_two_refused_sheets_give_the_first_problem_in_the_zip_though_the_largest_is_scanned_first():
    # the overlap scans the sheets largest first (sheet8, 130 KB, before sheet1, 2 KB): with a cell beyond column IV
    # in sheet1 (aree) and a row beyond 101.000 in sheet8, the message is still sheet1's, the first in the zip
    data = rezip(workbook_2020(), edit={
        "xl/worksheets/sheet1.xml": ("</sheetData>", '<row r="50"><c r="IW50"><v>1</v></c></row></sheetData>'),
        "xl/worksheets/sheet8.xml": ("</sheetData>", '<row r="101500"><c r="A101500"><v>1</v></c></row></sheetData>'),
    })
    sequence, overlap, _ = both(data, "due_fogli.xlsx")
    assert overlap == sequence
    assert "foglio aree: la cella IW50 è nella colonna IW, oltre il limite di 256 colonne" in overlap
