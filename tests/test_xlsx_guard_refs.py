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
