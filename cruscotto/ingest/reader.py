"""Reading a workbook (.xlsx, one sheet per table), one CSV (one table, named by the file) or a folder of CSVs.

The result is a list of `Sheet`s holding the raw cells; nothing is typed or checked here except what is needed to
open the file safely. Every problem raised here is a `ReadError` with an Italian message for the user.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pandas as pd

from cruscotto.store.schema import TABLES_BY_NAME

MAX_FILE_BYTES = 50_000_000
MAX_INFLATED_BYTES = 200_000_000  # an xlsx is a zip: refuse one that would inflate beyond this
MAX_ROWS = 100_000  # per sheet or CSV: a report has hundreds; more is something else, refused before parsing

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
    column_letters: dict[str, str] = field(default_factory=dict)  # header -> spreadsheet column letter (xlsx)
    formulas: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column letter, formula) of formula cells
    merged: list[str] = field(default_factory=list)  # merged ranges, e.g. 'B5:D5'

    def row_number(self, position: int) -> int:
        return self.row_numbers[position]

    def column_at(self, letter: str) -> str | None:
        """The header of the column at `letter` (None if the column has no header)."""
        return next((h for h, l in self.column_letters.items() if l == letter and h), None)


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
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReadError(f"File {file_name}: il file è danneggiato o troncato e non si può aprire.") from None
    declared = sum(info.file_size for info in members)
    if declared > MAX_INFLATED_BYTES:
        raise _too_big(file_name, declared)
    if "xl/workbook.xml" not in archive.namelist():
        raise ReadError(f"File {file_name}: è un archivio compresso ma non una cartella di lavoro Excel (.xlsx).")
    # Inflate every member once, capped, before any parser sees it: the sizes in a zip's directory can lie.
    parts = _sheet_parts(archive, file_name)
    scans = {info.filename: _scan_member(data, info, file_name) for info in members}
    for sheet_name, member in parts.items():
        rows = scans.get(member, _Scan()).rows
        if rows > MAX_ROWS:
            count, limit = f"{rows:,}".replace(",", "."), f"{MAX_ROWS:,}".replace(",", ".")
            raise ReadError(f"File {file_name}, foglio {sheet_name}: {count} righe, oltre il limite di {limit}: "
                            "non sembra una relazione sulla performance. Non è stato letto.")
    frames = None
    for engine in ("calamine", "openpyxl"):  # calamine is fast; openpyxl reads some files calamine refuses
        try:
            frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine=engine,
                                   keep_default_na=False, na_values=[""])  # as a CSV: 'nan', 'N/A', '#N/A' stay text
            break
        except Exception as exc:  # each engine raises its own types; the user needs one message
            problem = exc
    if frames is None:
        raise ReadError(f"File {file_name}: il foglio Excel non si può leggere ({problem}).")
    sheets = []
    for name, grid in frames.items():
        member = parts.get(name)
        scan = scans.get(member) if member else None
        formulas, merged, errors = [], [], []
        if scan and (scan.formula or scan.merge or scan.error):
            formulas, merged, errors = _formulas_and_merges(archive, member)
        sheet = _sheet_from_grid(file_name, name, _with_error_codes(grid, errors), ",")
        sheet.formulas, sheet.merged = formulas, merged
        sheets.append(sheet)
    return sheets


def _too_big(file_name: str, size: int) -> ReadError:
    return ReadError(
        f"File {file_name}: una volta decompresso occuperebbe {size / 1e6:.0f} MB o più, "
        f"oltre il limite di {MAX_INFLATED_BYTES // 1_000_000} MB (possibile «zip bomb»). Non è stato aperto.")


@dataclass
class _Scan:
    rows: int = 0
    formula: bool = False
    merge: bool = False
    error: bool = False  # a cell holds an Excel error value (t="e")


_CHUNK = 1 << 20


def _scan_member(data: bytes, info: zipfile.ZipInfo, file_name: str) -> _Scan:
    """Inflate one member in chunks with our own cap (not trusting its declared size) and note what the sheet
    parsers will meet: how many rows, whether there are formulas or merged cells."""
    scan = _Scan()
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReadError(f"File {file_name}: compressione non supportata ({info.filename}); salvarlo di nuovo da Excel come .xlsx.")
    if info.flag_bits & 0x1:
        raise ReadError(f"File {file_name}: il contenuto è cifrato (protetto da password). Togliere la password e salvarlo di nuovo.")
    start = _data_offset(data, info, file_name)
    compressed = memoryview(data)[start:start + info.compress_size]
    if len(compressed) != info.compress_size:
        raise _damaged(file_name, "fine inattesa")
    is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    total, tail = 0, b""
    try:
        for offset in range(0, len(compressed), _CHUNK):
            chunk = bytes(compressed[offset:offset + _CHUNK])
            pieces = [chunk] if inflater is None else _inflate(inflater, chunk, MAX_INFLATED_BYTES - total + 1)
            for piece in pieces:
                total += len(piece)
                if total > MAX_INFLATED_BYTES:
                    raise _too_big(file_name, total)
                if is_sheet:
                    window = tail + piece
                    scan.rows += window.count(b"<row ") + window.count(b"<row>")
                    scan.formula = scan.formula or b"<f>" in window or b"<f " in window
                    scan.merge = scan.merge or b"<mergeCell " in window
                    scan.error = scan.error or b't="e"' in window or b"t='e'" in window
                    tail = piece[-4:]
    except zlib.error as exc:
        raise _damaged(file_name, exc) from None
    if total != info.file_size:
        raise _damaged(file_name, f"{info.filename}: dimensione diversa da quella dichiarata")
    return scan


def _inflate(inflater, chunk: bytes, budget: int) -> list[bytes]:
    out = []
    data = inflater.decompress(chunk, _CHUNK)
    while True:
        out.append(data)
        budget -= len(data)
        if budget <= 0 or not inflater.unconsumed_tail:
            return out
        data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)


def _data_offset(data: bytes, info: zipfile.ZipInfo, file_name: str) -> int:
    """Where the compressed bytes of `info` start (after its local header)."""
    header = data[info.header_offset:info.header_offset + zipfile.sizeFileHeader]
    if len(header) != zipfile.sizeFileHeader or header[:4] != ZIP_MAGIC:
        raise _damaged(file_name, f"{info.filename}: intestazione locale mancante")
    name_len, extra_len = int.from_bytes(header[26:28], "little"), int.from_bytes(header[28:30], "little")
    return info.header_offset + zipfile.sizeFileHeader + name_len + extra_len


def _damaged(file_name: str, detail) -> ReadError:
    return ReadError(f"File {file_name}: il file è danneggiato o troncato e non si può aprire ({detail}).")


_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _sheet_parts(archive: zipfile.ZipFile, file_name: str) -> dict[str, str]:
    """Sheet name -> zip member of its XML (from xl/workbook.xml and its relationships)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, OSError) as exc:
        raise _damaged(file_name, exc) from None
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_NS_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[sheet.get("name", "")] = re.sub(r"[^/]+/\.\./", "", path)
    return out


def _formulas_and_merges(archive: zipfile.ZipFile, member: str):
    """Formula cells (row, column letter, formula), merged ranges, and error cells (row, column letter, error code)."""
    formulas, merged, errors, cell, is_error = [], [], [], None, False
    with archive.open(member) as handle:
        for event, element in ElementTree.iterparse(handle, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "c":
                cell, is_error = element.get("r"), element.get("t") == "e"
            elif event == "end" and tag == "f" and cell:
                match = re.fullmatch(r"([A-Z]+)(\d+)", cell)
                if match:
                    formulas.append((int(match[2]), match[1], "=" + (element.text or "…")))
            elif event == "end" and tag == "v" and cell and is_error:
                match = re.fullmatch(r"([A-Z]+)(\d+)", cell)
                if match:
                    errors.append((int(match[2]), match[1], (element.text or "#N/A").strip()))
            elif event == "end" and tag == "mergeCell" and element.get("ref"):
                merged.append(element.get("ref"))
            if event == "end" and tag in ("row", "mergeCell"):
                element.clear()
    return formulas, merged, errors


def _with_error_codes(grid: pd.DataFrame, errors: list[tuple[int, str, str]]) -> pd.DataFrame:
    """Both Excel engines read an error cell (#DIV/0!, #N/A, ...) as empty; put its code back in the cell, so that the
    validation names the error instead of reporting a missing value or storing nothing."""
    if not errors:
        return grid
    grid = grid.copy()
    for row, letter, code in errors:
        column = _column_index(letter)
        if row - 1 < len(grid) and column < grid.shape[1]:
            grid.iat[row - 1, column] = code
    return grid


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_from_grid(file_name: str, name: str, grid: pd.DataFrame, decimal: str) -> Sheet:
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    if len(grid) > MAX_ROWS:
        count, limit = f"{len(grid):,}".replace(",", "."), f"{MAX_ROWS:,}".replace(",", ".")
        raise ReadError(f"File {file_name}, foglio {name}: {count} righe, oltre il limite di {limit}.")
    if grid.empty:
        return Sheet(file_name, name.strip(), pd.DataFrame(), decimal, [])
    header_row = grid.index[0]
    header = [_header_text(v) for v in grid.loc[header_row]]
    body = grid.loc[grid.index > header_row]
    frame = pd.DataFrame(body.to_numpy(), columns=header).astype(object)
    frame = frame.where(frame.notna(), "")
    letters = {h: _column_letter(int(c)) for h, c in zip(header, grid.columns) if h}
    return Sheet(file_name, name.strip(), frame, decimal, [int(i) + 1 for i in body.index], letters)


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
            if len(rows) > MAX_ROWS + 1 and any(cell.strip() for cell in row):  # stop reading: never parse a million rows
                limit = f"{MAX_ROWS:,}".replace(",", ".")
                raise ReadError(f"File {file_name}: più di {limit} righe, oltre il limite: non sembra una relazione "
                                "sulla performance. Non è stato letto.")
    except csv.Error as exc:
        raise ReadError(f"File {file_name}, riga {len(rows) + 1}: il CSV non si legge ({exc}). Controllare le virgolette.") from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
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
