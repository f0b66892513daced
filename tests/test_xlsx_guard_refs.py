"""The scan of a sheet reads the last column and row its cells point at (what the parser will build) from the
references joined in one string when they are plain, as Excel writes them; anything else is checked reference by
reference, as before. Both must find the same numbers and refuse the same cells with the same words."""
from __future__ import annotations

import pytest

from cruscotto.ingest import xlsx_guard
from cruscotto.ingest.reader import ReadError
from cruscotto.ingest.xlsx_guard import SheetScan, _plain_refs, _Sheet


def test_plain_references_give_their_columns_and_rows():
    columns, rows = _plain_refs([b'"A1', b'"AB12', b"'XFD1048576", b'"Z9'])
    # AB = 1 × 26 + 2 = 28; XFD = 24 × 26² + 6 × 26 + 4 = 16.224 + 156 + 4 = 16.384; Z = 26
    assert columns.tolist() == [1, 28, 16_384, 26]
    assert rows.tolist() == [1, 12, 1_048_576, 9]


@pytest.mark.parametrize("odd", [b'"$A$1', b'"a1', b'"A01', b'"ABCD1', b'"A12345678', b'"', b'"A', b'"12',
                                 b'"A1\n\'B2', b'"A1 ', b'"&#88;FD1'])
def test_any_other_reference_is_left_to_the_checks_one_by_one(odd):
    assert _plain_refs([b'"A1', odd]) is None


def scanned(refs: list[bytes]) -> tuple[int, int] | str:
    sheet = SheetScan("foglio aree")
    try:
        _Sheet("xl/worksheets/sheet1.xml", "prova.xlsx", sheet, False)._cell_refs(refs)
    except ReadError as exc:
        return str(exc)
    return sheet.last_column, sheet.last_row


def test_both_ways_find_the_same_last_cell_and_the_same_refusal(monkeypatch):
    cases = [
        [b'"A1', b'"B1', b'"J41297', b'"C2'],  # last column J = 10, last row 41.297
        [b'"A1', b'"IV5', b'"IW3', b'"IW9'],  # IW = 9 × 26 + 23 = 257 > 256: refused at its first cell, IW3
        [b'"A2', b'"A101001', b'"B101002', b'"C101002'],  # rows beyond 101.000: refused at the first of the last row
        [b'"A1', b'"XFD1048576'],
    ]
    plain = [scanned(refs) for refs in cases]
    monkeypatch.setattr(xlsx_guard, "_plain_refs", lambda refs: None)  # the checks one by one, as before
    assert plain == [scanned(refs) for refs in cases]
    assert plain[0] == (10, 41_297)
    assert "la cella IW3 è nella colonna IW, oltre il limite di 256 colonne" in plain[1]
    assert "la cella B101002 è alla riga 101.002, oltre il limite di 101.000 righe" in plain[2]
    assert "la cella XFD1048576 è nella colonna XFD" in plain[3]


def sheet_scan(cells: str) -> tuple | str:
    """What the scan of a sheet of one row holding `cells` finds: its counts and last cell, or its refusal."""
    sheet = SheetScan("foglio aree")
    part = _Sheet("xl/worksheets/sheet1.xml", "prova.xlsx", sheet, False)
    try:
        part.feed(f'<worksheet><sheetData><row r="1">{cells}</row></sheetData></worksheet>'.encode())
        part.close()
    except ReadError as exc:
        return str(exc)
    return sheet.cells, sheet.cells_without_ref, sheet.last_column, sheet.last_row, sheet.widest_row


@pytest.mark.parametrize("cells", [
    '<c r="A1"><v>1</v></c><c r="J41297" t="s"><v>0</v></c><c r="AB12"/>',  # as Excel writes them: numpy reads them
    '<c r="A1"><v>1</v></c><c r="$B$1"><v>2</v></c>',
    '<c r="A1"/><c r="a1"/>', '<c r="A01"/>', '<c r="ABCD1"/>', '<c r="A12345678"/>', '<c r="A"/>', '<c r="12"/>',
    "<c r='B7'/>", '<c  r="B7"/>', '<c t="n" r="C3"/>', '<c r="A1"/><c><v>2</v></c><c/>', '<c r="B2 "/>',
    '<c r="IV5"/><c r="IW3"/><c r="IW9"/>', '<c r="A2"/><c r="B101002"/>', '<c r="XFD1048576"/>',
    '<cols><col min="1" max="2"/></cols><c r="D4"/>', '<c r="C3"/><!-- <c r="ZZ99"/> -->',
])
def test_cells_read_by_numpy_or_by_the_pattern_give_the_same_scan(cells, monkeypatch):
    found = sheet_scan(cells)
    monkeypatch.setattr(xlsx_guard, "_plain_cells", lambda window: None)  # every window read with _CELL, as before
    assert found == sheet_scan(cells)


def test_plain_cells_give_their_count_and_last_cell():
    # J = 10, AB = 1 × 26 + 2 = 28: the last column 28 (AB12), the last row 41.297 (J41297)
    window = b'<c r="A1"><v>1</v></c><c r="J41297" t="s"><v>0</v></c><c r="AB12"/>'
    assert xlsx_guard._plain_cells(window) == (3, 28, 41_297)
    assert xlsx_guard._plain_cells(b'<c r="A1"/><c r="$B$1"/>') is None
