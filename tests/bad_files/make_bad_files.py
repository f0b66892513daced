"""Generate the corpus of bad upload files in this folder: `python tests/bad_files/make_bad_files.py`.

Every file starts from the shipped 2019 data (data/*.csv) and breaks one thing; tests/test_upload_bad_files.py says
which messages each must get. The output is deterministic (fixed workbook dates, fixed zip timestamps), so running
the script again on the same data/ rewrites the same bytes. The files are committed: the tests read them, they do not
regenerate them. Files too big to commit (a million rows) are made by the tests themselves.
"""
from __future__ import annotations

import csv
import datetime
import io
import sys
import zipfile
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DATA = ROOT / "data"
BASE_TABLES = ("aree", "obiettivi", "indicatori", "serie_storiche", "cifre_chiave")
FIXED_DATE = datetime.datetime(2020, 3, 31, 12, 0, 0)


def shipped() -> dict[str, list[list[str]]]:
    """The shipped tables as lists of rows (header first), every cell the CSV text."""
    out = {}
    for name in BASE_TABLES:
        with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            out[name] = [row for row in csv.reader(handle)]
    return out


def xlsx(tables: dict[str, list[list[str]]], *, merge: tuple[str, str] | None = None,
         formula: tuple[str, int, str, str] | None = None) -> bytes:
    """Cells written as text (like a user typing them); `merge` = (sheet, 'B5:D5'); `formula` = (sheet, row index,
    column name, formula) with row index as in `tables` (0 = header)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties({"created": FIXED_DATE, "author": "tests/bad_files"})
    for name, rows in tables.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value != "":
                    sheet.write_string(r, c, value)
        if merge and merge[0] == name:
            first = merge[1].split(":")[0]
            sheet.merge_range(merge[1], rows[int(first[1:]) - 1][0] if int(first[1:]) - 1 < len(rows) else "")
        if formula and formula[0] == name:
            _, row_index, column, text = formula
            sheet.write_formula(row_index, rows[0].index(column), text)  # no cached value, as openpyxl-made files
    book.close()
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 3, 31, 12, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def set_cell(tables, sheet: str, row_index: int, column: str, value: str) -> None:
    tables[sheet][row_index][tables[sheet][0].index(column)] = value


def first_row(tables, sheet: str, column: str, predicate) -> int:
    col = tables[sheet][0].index(column)
    return next(i for i, row in enumerate(tables[sheet]) if i and predicate(row[col]))


def build() -> dict[str, bytes]:
    files: dict[str, bytes] = {}

    files["tipo_sbagliato.pdf"] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    files["vuoto.xlsx"] = b""
    files["estensione_rinominata.xlsx"] = "ente;anno;codice\nCCIAA di Cremona;2019;2019_01\n".encode("utf-8")

    # a new year (2021, not in the store) must bring aree, obiettivi and indicatori: obiettivi is left out
    t = shipped()
    del t["obiettivi"]
    for sheet in t.values():
        col = sheet[0].index("anno")
        for row in sheet[1:]:
            row[col] = "2021"
    files["foglio_mancante.xlsx"] = xlsx(t)

    t = shipped()
    col = t["aree"][0].index("missione")
    t["aree"] = [row[:col] + row[col + 1:] for row in t["aree"]]
    files["colonna_mancante.xlsx"] = xlsx(t)

    # Italian Excel's "CSV (separato da ;)": Windows-1252, ';', decimal comma, thousands dot, € sign
    rows = shipped()["serie_storiche"]
    header = rows[0][:9]
    lines = [";".join(header)]
    for row in rows[1:]:
        values = row[:9]
        for name in ("valore", "numeratore", "denominatore"):
            i = header.index(name)
            if values[i]:
                number = float(values[i])
                text = f"{number:,.2f}" if not number.is_integer() else f"{int(number):,}"
                values[i] = text.replace(",", "X").replace(".", ",").replace("X", ".")
        lines.append(";".join(f'"{v}"' if ";" in v else v for v in values))
    files["serie_storiche.csv"] = ("\r\n".join(lines) + "\r\n").encode("cp1252")

    t = shipped()
    files["celle_unite.xlsx"] = xlsx(t, merge=("indicatori", "B5:D5"))

    t = shipped()
    files["formule.xlsx"] = xlsx(t, formula=("cifre_chiave", 3, "valore", "=F2*2"))

    t = shipped()
    t["indicatori"] = [row + (["commento"] if i == 0 else ["da rivedere"]) for i, row in enumerate(t["indicatori"])]
    files["colonne_in_piu.xlsx"] = xlsx(t)

    t = shipped()
    set_cell(t, "indicatori", 2, "codice", t["indicatori"][1][t["indicatori"][0].index("codice")])
    files["codici_duplicati.xlsx"] = xlsx(t)

    t = shipped()
    row = first_row(t, "obiettivi", "livello", lambda v: v == "operativo")
    set_cell(t, "obiettivi", row, "codice_padre", "2019_09_09")
    files["obiettivo_orfano.xlsx"] = xlsx(t)

    t = shipped()
    set_cell(t, "indicatori", 11, "valore_atteso", ">= ottanta per cento")
    files["va_illeggibile.xlsx"] = xlsx(t)

    t = shipped()
    set_cell(t, "serie_storiche", 1, "valore", "circa sessantacinque")
    set_cell(t, "serie_storiche", 2, "anno_valore", "1890")
    row = first_row(t, "serie_storiche", "serie", lambda v: v == "pratiche_evase_5gg") + 2
    set_cell(t, "serie_storiche", row, "unita", "numero")
    files["valori_anni_unita.xlsx"] = xlsx(t)

    files["protetto_password.xlsx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512 - 8)
    whole = xlsx(shipped())
    files["troncato.xlsx"] = whole[: len(whole) // 2]

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(zipfile.ZipInfo("xl/workbook.xml", (2020, 3, 31, 12, 0, 0)), "<workbook/>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", (2020, 3, 31, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=False) as member:  # 210 MB of zeros, written in chunks
            for _ in range(210):
                member.write(b"0" * 1_000_000)
    files["zip_bomb.xlsx"] = bomb.getvalue()
    return files


def main() -> int:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name:32} {len(data):>9} byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
