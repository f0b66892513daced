"""An import writes a version only when the file changes something (`diff.changes`, which import_bytes asks instead
of building the whole preview): it must say what the preview says, whether a row is added or removed (the keys
differ) or only a cell changes (the keys are the same)."""
from __future__ import annotations

import io

import openpyxl

from cruscotto import pipeline
from cruscotto.ingest import diff, template
from cruscotto.ingest.reader import read_bytes
from cruscotto.ingest.validate import validate
from cruscotto import store

ENTE = "CCIAA di Cremona"


def edited(con, edit) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template.current_workbook(con, ENTE, 2019)))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def both(con, data: bytes) -> tuple[bool, diff.Preview]:
    validated = validate(read_bytes(data, "cremona_2019.xlsx"), store.stored_rows(con))
    assert validated.ok, validated.errors
    return diff.changes(con, validated), diff.preview(con, validated)


def column(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def test_the_same_data_changes_nothing(con):
    changed, preview = both(con, edited(con, lambda book: None))
    assert (changed, preview.empty) == (False, True)


def test_one_cell_changed_with_the_same_keys_is_a_change(con):
    def edit(book):
        sheet = book["cifre_chiave"]
        sheet.cell(2, column(sheet, "note")).value = "nota nuova"  # not a key column: every key stays the same

    changed, preview = both(con, edited(con, edit))
    cifre = next(t for t in preview.tables if t.table == "cifre_chiave")
    # one row changed, none added or removed (the keys are the same): changes() had to compare the cells
    assert (changed, cifre.changed_rows, cifre.added_rows, cifre.removed_rows) == (True, 1, 0, 0)


def test_a_row_removed_is_a_change(con):
    def edit(book):
        book["cifre_chiave"].delete_rows(2)

    changed, preview = both(con, edited(con, edit))
    cifre = next(t for t in preview.tables if t.table == "cifre_chiave")
    assert (changed, cifre.removed_rows, cifre.changed_rows) == (True, 1, 0)


def test_import_bytes_writes_a_version_only_for_a_change(con):
    same = pipeline.import_bytes(con, edited(con, lambda book: None), "cremona_2019.xlsx", utente="ufficio")
    assert same.ok and same.unchanged and same.version is None

    def edit(book):
        sheet = book["cifre_chiave"]
        sheet.cell(2, column(sheet, "note")).value = "nota nuova"

    other = pipeline.import_bytes(con, edited(con, edit), "cremona_2019.xlsx", utente="ufficio")
    assert other.ok and not other.unchanged and other.version == 2  # the shipped data is version 1


def test_numbers_are_compared_as_a_user_reads_them():
    from cruscotto.ingest.diff import _normalized

    # 2.0 is the whole number 2; 0.1 + 0.2 = 0.30000000000000004 and 1/3 are compared to 9 decimals (0.3 and
    # 0.333333333), so that a value read back from the store does not show as changed; NaN and None are empty
    values = _normalized([2.0, 2.5, None, float("nan"), 0.1 + 0.2, 1 / 3, -0.0], "float")
    assert [(type(v).__name__, v) for v in values] == [("int", 2), ("float", 2.5), ("NoneType", None),
                                                       ("NoneType", None), ("float", 0.3), ("float", 0.333333333),
                                                       ("int", 0)]
    # a whole-number column stored with empty cells comes back as floats: whole numbers again
    assert [(type(v).__name__, v) for v in _normalized([2019.0, None, float("nan")], "year")] == [
        ("int", 2019), ("NoneType", None), ("NoneType", None)]
