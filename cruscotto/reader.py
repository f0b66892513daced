"""Reading a workbook (.xlsx, one sheet per table), one CSV (one table, named by the file) or a folder of CSVs.

The result is a list of `Sheet`s holding the raw cells; nothing is typed or checked here except what is needed to
open the file safely. Every problem raised here is a `ReadError` with an Italian message for the user.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .schema import TABLES_BY_NAME

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_INFLATED_BYTES = 200 * 1024 * 1024  # an xlsx is a zip: refuse one that would inflate beyond this
MAX_ROWS = 2_000_000

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or any password-protected Office file


class ReadError(Exception):
    """A file that cannot be read at all. The message is Italian and names the file."""


@dataclass
class Sheet:
    file: str  # file name as the user knows it
    name: str  # sheet name (xlsx) or file stem (csv); the table it should fill
    frame: pd.DataFrame  # raw cells, object dtype, '' for empty
    decimal: str  # decimal separator to assume for text numbers: ',' or '.'
    row_numbers: list[int]  # the spreadsheet row number of each row of frame, for messages

    def row_number(self, position: int) -> int:
        return self.row_numbers[position]


def read_file(path: str | Path, display_name: str | None = None) -> list[Sheet]:
    path = Path(path)
    return read_bytes(path.read_bytes(), display_name or path.name)


def read_bytes(data: bytes, file_name: str) -> list[Sheet]:
    if len(data) == 0:
        raise ReadError(f"File {file_name}: il file è vuoto.")
    if len(data) > MAX_FILE_BYTES:
        raise ReadError(f"File {file_name}: {len(data) / 1e6:.1f} MB, oltre il limite di {MAX_FILE_BYTES // 1_000_000} MB.")
    suffix = Path(file_name).suffix.lower()
    if data.startswith(OLE_MAGIC):
        raise ReadError(
            f"File {file_name}: è un file Office protetto da password o nel vecchio formato .xls. "
            "Togliere la password e salvarlo come cartella di lavoro Excel (.xlsx)."
        )
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, file_name)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise ReadError(f"File {file_name}: l'estensione dice foglio Excel ma il contenuto non lo è (file danneggiato o rinominato).")
    if suffix not in (".csv", ".txt"):
        raise ReadError(f"File {file_name}: tipo di file non riconosciuto. Caricare un file .xlsx oppure .csv.")
    return [_read_csv(data, file_name)]


def read_directory(folder: str | Path) -> list[Sheet]:
    """Every CSV in `folder` named after a table (aree.csv, indicatori.csv, ...): the shipped data."""
    folder = Path(folder)
    sheets = [read_file(folder / f"{name}.csv")[0] for name in TABLES_BY_NAME if (folder / f"{name}.csv").exists()]
    if not sheets:
        raise ReadError(f"Cartella {folder}: nessun file CSV con il nome di una tabella ({', '.join(TABLES_BY_NAME)}).")
    return sheets


# ------------------------------------------------------------------ xlsx

def _read_xlsx(data: bytes, file_name: str) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise ReadError(f"File {file_name}: il file è danneggiato o troncato e non si può aprire.") from None
    if inflated > MAX_INFLATED_BYTES:
        raise ReadError(
            f"File {file_name}: una volta decompresso occuperebbe {inflated / 1e6:.0f} MB, "
            f"oltre il limite di {MAX_INFLATED_BYTES // 1_000_000} MB. Non è stato aperto."
        )
    if "xl/workbook.xml" not in archive.namelist():
        raise ReadError(f"File {file_name}: è un archivio compresso ma non una cartella di lavoro Excel (.xlsx).")
    frames = None
    for engine in ("calamine", "openpyxl"):  # calamine is fast; openpyxl reads some files calamine refuses
        try:
            frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine=engine)
            break
        except Exception as exc:  # each engine raises its own types; the user needs one message
            problem = exc
    if frames is None:
        raise ReadError(f"File {file_name}: il foglio Excel non si può leggere ({problem}).")
    return [_sheet_from_grid(file_name, name, grid, ",") for name, grid in frames.items()]


def _sheet_from_grid(file_name: str, name: str, grid: pd.DataFrame, decimal: str) -> Sheet:
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    if len(grid) > MAX_ROWS:
        raise ReadError(f"File {file_name}, foglio {name}: {len(grid):,} righe, oltre il limite di {MAX_ROWS:,}.".replace(",", "."))
    if grid.empty:
        return Sheet(file_name, name.strip(), pd.DataFrame(), decimal, [])
    header_row = grid.index[0]
    header = [_header_text(v) for v in grid.loc[header_row]]
    body = grid.loc[grid.index > header_row]
    frame = pd.DataFrame(body.to_numpy(), columns=header).astype(object)
    frame = frame.where(frame.notna(), "")
    return Sheet(file_name, name.strip(), frame, decimal, [int(i) + 1 for i in body.index])


def _header_text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip().lower().replace(" ", "_")


# ------------------------------------------------------------------ csv

def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # what Italian Excel writes for "CSV (delimitato dal separatore di elenco)"


def _read_csv(data: bytes, file_name: str) -> Sheet:
    text = _decode(data)
    if "\x00" in text[:4096]:
        raise ReadError(f"File {file_name}: non è un file di testo CSV (contiene dati binari).")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise ReadError(f"File {file_name}: troppe righe ({len(rows):,}), il limite è {MAX_ROWS:,}.".replace(",", "."))
    stem = Path(file_name).stem.strip().lower()
    decimal = "," if delimiter == ";" else "."
    if not rows:
        return Sheet(file_name, stem, pd.DataFrame(), decimal, [])
    header = [_header_text(h) for h in rows[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] if len(r) <= width else r for r in rows[1:]]
    too_long = [i for i, r in enumerate(body) if len(r) > width]
    if too_long:
        raise ReadError(
            f"File {file_name}, riga {too_long[0] + 2}: {len(body[too_long[0]])} celle ma l'intestazione ne ha {width}. "
            "Controllare il separatore (';' oppure ',') e le virgolette."
        )
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Sheet(file_name, stem, frame, decimal, list(range(2, len(body) + 2)))
