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


ERROR_FORMULAS = {"#DIV/0!": "=1/0", "#N/A": "=NA()", "#VALUE!": '="a"+1', "#REF!": "=#REF!", "#NAME?": "=NONESISTE()",
                  "#NUM!": "=SQRT(-1)", "#NULL!": "=A1 B1"}  # a formula that gives each error


def xlsx(tables: dict[str, list[list[str]]], *, merge: tuple[str, str] | None = None,
         formula: tuple[str, int, str, str] | None = None, errors: tuple[tuple[str, int, str, str], ...] = ()) -> bytes:
    """Cells written as text (like a user typing them); `merge` = (sheet, 'B5:D5'); `formula` = (sheet, row index,
    column name, formula) with row index as in `tables` (0 = header); `errors` = (sheet, row index, column name,
    Excel error) cells holding a formula whose saved result is that error, as Excel saves them."""
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
        for error_sheet, row_index, column, code in errors:
            if error_sheet == name:
                sheet.write_formula(row_index, rows[0].index(column), ERROR_FORMULAS[code], None, code)
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

    files.update(impossible_values())

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


def impossible_values() -> dict[str, bytes]:
    """Values that cannot be true (issue 10): each must be refused with a message naming its cell."""
    files = {}
    t = shipped()
    for row, value in enumerate(("inf", "-inf", "1e309", "nan"), start=1):
        set_cell(t, "serie_storiche", row, "valore", value)
    set_cell(t, "indicatori", 1, "peso", "inf")
    files["numeri_non_finiti.xlsx"] = xlsx(t)

    t = shipped()
    set_cell(t, "serie_storiche", 1, "anno_valore", "2e3")  # was stored as the year 2000
    set_cell(t, "aree", 1, "riga_fonte", "1e3")
    files["anno_con_esponente.xlsx"] = xlsx(t)

    t = shipped()
    row = first_row(t, "serie_storiche", "numeratore", lambda v: v != "")
    set_cell(t, "serie_storiche", row, "numeratore", "-18235")
    set_cell(t, "serie_storiche", row + 1, "denominatore", "0")
    set_cell(t, "indicatori", 1, "peso", "-1")
    set_cell(t, "indicatori", 2, "peso", "0")
    files["negativi_e_zeri.xlsx"] = xlsx(t)

    t = shipped()
    t["regole"] = [["ente", "anno", "regola", "valore"],
                   ["CCIAA di Cremona", "2019", "soglia_parziale", "95"],  # above the default 90 of 'raggiunto'
                   ["CCIAA di Cremona", "2019", "tetto_grado", "80"],
                   ["CCIAA di Cremona", "2019", "grado_traguardo_raggiunto", "150"]]
    files["regole_rovesciate.xlsx"] = xlsx(t)

    t = shipped()
    files["errori_excel.xlsx"] = xlsx(t, errors=(
        ("serie_storiche", 1, "valore", "#DIV/0!"), ("indicatori", 1, "descrizione", "#N/A"),
        ("cifre_chiave", 1, "valore", "#VALUE!"), ("aree", 1, "missione", "#REF!"), ("obiettivi", 1, "titolo", "#NAME?"),
        ("serie_storiche", 2, "numeratore", "#NUM!"), ("serie_storiche", 3, "denominatore", "#NULL!")))

    t = shipped()
    set_cell(t, "indicatori", 1, "descrizione", "Tasso di evasione\x00 delle pratiche")
    set_cell(t, "aree", 1, "ente", "CCIAA di\u200b Cremona")
    set_cell(t, "obiettivi", 1, "titolo", "Titolo \u202erovesciato")
    set_cell(t, "serie_storiche", 1, "titolo", "\ufeffPratiche evase")
    files["caratteri_invisibili.xlsx"] = xlsx(t)

    t = shipped()
    set_cell(t, "aree", 1, "ente", "CCIAA di Crem\u043ena")  # a Cyrillic «о»
    set_cell(t, "indicatori", 3, "codice", t["indicatori"][3][t["indicatori"][0].index("codice")].replace("I", "\u0406"))
    col = t["serie_storiche"][0].index("ente")
    for row in t["serie_storiche"][1:]:
        row[col] = "CCIAA DI CREMONA"  # the stored chamber in capitals: a second chamber by mistake
    files["sosia.xlsx"] = xlsx(t)

    t = shipped()
    t["cifre_chiave"] = t["cifre_chiave"][:1]  # the header only: would delete the stored rows
    files["foglio_solo_intestazione.xlsx"] = xlsx(t)
    return files


def main() -> int:
    for name, data in build().items():
        (HERE / name).write_bytes(data)
        print(f"{name:32} {len(data):>9} byte")
    return 0


if __name__ == "__main__":
    sys.exit(main())
