"""Reading a workbook (.xlsx, one sheet per table), one CSV (one table, named by the file) or a folder of CSVs.

The result is a list of `Sheet`s holding the raw cells; nothing is typed or checked here except what is needed to
open the file safely. Every problem raised here is a `ReadError` with an Italian message for the user.
"""
from __future__ import annotations

import csv
import datetime
import io
import logging
import math
import re
import threading
import zipfile
from sys import intern
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from cruscotto.ingest import sandbox
from cruscotto.present.formatting import integer, number
from cruscotto.store.schema import TABLES_BY_NAME

if TYPE_CHECKING:
    from cruscotto.ingest.xlsx_guard import Book, Scan

log = logging.getLogger(__name__)

# Limits of an upload. A report has hundreds of rows and a few dozen columns; these leave room for a whole country's
# chambers and years while keeping what a parser builds well under a gigabyte (bench/bench_attack.py measures it).
MAX_FILE_BYTES = 50_000_000
MAX_INFLATED_BYTES = 200_000_000  # an xlsx is a zip: refuse one that would inflate beyond this
MAX_ROWS = 100_000  # per sheet or CSV: a report has hundreds; more is something else, refused before parsing
MAX_ROW_NUMBER = MAX_ROWS + 1_000  # the last row a cell may be on (room for a title and blank rows above the data)
MAX_COLUMNS = 256  # column IV, the old Excel's last: a table has about 15
MAX_CELLS = 2_000_000  # per sheet or CSV: the grid from A1 to the last cell, which the parsers build whole
MAX_WORKBOOK_CELLS = 2_000_000  # all sheets together (the 100k-row workbook of bench/ spans 1,1 million)
MAX_SHARED_STRINGS_BYTES = 100_000_000  # xl/sharedStrings.xml
MAX_SHARED_TEXT_BYTES = 100_000_000  # the copies of shared strings the cells of all sheets point at (each its own)
MAX_CSV_RECORD_CHARS = 1_000_000  # one CSV row (quoted line breaks included)

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
    hidden: bool = False  # a workbook sheet hidden in Excel (state hidden or veryHidden): validate refuses a table in one

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
        raise ReadError(f"File {file_name}: {number(len(data) / 1e6, 1)} MB, oltre il limite di {MAX_FILE_BYTES // 1_000_000} MB.")
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
    """Scan and parse in a child process with a memory cap and a time limit (sandbox.py): the scan refuses what it
    knows with a precise message, the child's limits refuse whatever else a parser might blow up on."""
    try:
        return sandbox.run(_xlsx_in_child, data, file_name)
    except sandbox.LimitExceeded as exc:
        if exc.kind == "time":
            raise ReadError(f"File {file_name}: la lettura ha superato {sandbox.SECONDS} secondi ed è stata interrotta. "
                            "Il file non è stato letto: controllarlo in Excel (fogli molto grandi, righe o colonne "
                            "piene fino in fondo) e salvarlo di nuovo.") from None
        raise ReadError(f"File {file_name}: la lettura ha chiesto più di {sandbox.MEMORY_BYTES >> 30} GB di memoria ed è "
                        "stata interrotta. Il file non è stato letto: controllarlo in Excel (celle lontane dai dati, "
                        "fogli o testi molto grandi) e salvarlo di nuovo.") from None
    except ReadError:
        raise
    except Exception:  # noqa: BLE001 - a bug, not the user's file: logged, and said plainly
        log.exception("unexpected error while reading %s", file_name)
        raise ReadError(f"File {file_name}: errore imprevisto durante la lettura. Il file non è stato caricato; se il "
                        "problema si ripete, inviare il file a chi gestisce il cruscotto.") from None


def _xlsx_in_child(data: bytes, file_name: str) -> list[Sheet]:
    """Runs in the child: the limits first, from the bytes, then the parser. calamine reads each sheet in a thread
    of its own as soon as the scan has cleared that sheet, while the scan goes on to the next one; once the scan has
    passed, each sheet read is made into a Sheet while calamine reads the next (_Overlap)."""
    from cruscotto.ingest import xlsx_guard  # here, not at the top: it takes the limits from this module

    archive = xlsx_guard.open_archive(data, file_name)
    overlap = _Overlap(data)
    try:
        scan = xlsx_guard.scan(data, archive, file_name, overlap)
    finally:
        overlap.stop()  # a refused file: the thread reads nothing more (it is a daemon: the child ends without it)
    sheets = overlap.sheets(lambda name, cells: _sheet(file_name, name, cells, archive, scan)
                            or _sheet_by_calamine(data, file_name, name, archive, scan))
    return parse_xlsx(data, file_name, archive, scan) if sheets is None else sheets


def _sheet_by_calamine(data: bytes, file_name: str, name: str, archive: zipfile.ZipFile, scan: Scan) -> Sheet | None:
    """A sheet whose fastexcel columns could not be used (an error cell, a header on another row, ...): python-
    calamine's cells, as the thread reads them otherwise; None if calamine fails (parse_xlsx reads the file)."""
    try:
        return _sheet(file_name, name, _calamine_grid(_calamine_book(data), name), archive, scan)
    except (MemoryError, ReadError):
        raise
    except Exception:  # noqa: BLE001 - as in the thread: parse_xlsx reads the file and gives its message
        log.debug("calamine failed on a sheet after fastexcel", exc_info=True)
        return None


def parse_xlsx(data: bytes, file_name: str, archive: zipfile.ZipFile, scan: Scan) -> list[Sheet]:
    """The parser itself (python-calamine, or openpyxl through pandas for the files calamine refuses) on a scanned
    file."""
    return [_sheet(file_name, name, rows, archive, scan) for name, rows in _grids(data, file_name).items()]


def _sheet(file_name: str, name: str, rows, archive: zipfile.ZipFile, scan: Scan) -> Sheet | None:
    """One worksheet from the cells a parser read (calamine's rows, or fastexcel's columns), with the formulas,
    merged cells and error codes it does not give. None when fastexcel's columns cannot be shown to hold what
    calamine's rows would (_sheet_from_columns)."""
    member = scan.book.parts.get(name)
    found = scan.sheets.get(member) if member else None
    formulas, merged, errors = [], [], []
    if found and (found.formula or found.merge or found.error):
        formulas, merged, errors = _formulas_and_merges(archive, member)
    if isinstance(rows, list):
        _put_error_codes(rows, errors)
        sheet = _sheet_from_rows(file_name, name, rows, ",")
    else:
        sheet = _sheet_from_columns(file_name, name, rows, found)
        if sheet is None:
            return None
    sheet.hidden = scan.book.hidden.get(name, False)
    sheet.formulas, sheet.merged = formulas, merged
    return sheet


def _grids(data: bytes, file_name: str) -> dict[str, list[list]]:
    """Every worksheet's cells from A1, by one engine or the other."""
    for engine in (_calamine_rows, _openpyxl_rows):  # calamine is fast; openpyxl reads some files calamine refuses
        try:
            return engine(data)
        except MemoryError:
            raise
        except Exception as exc:  # each engine raises its own types; the user needs one message
            problem = exc
    raise ReadError(f"File {file_name}: il foglio Excel non si può leggere ({problem}).")


def _calamine_rows(data: bytes) -> dict[str, list[list]]:
    """Every worksheet's cells from A1, row by row, as python-calamine reads them ('' for an empty cell)."""
    book = _calamine_book(data)
    return {name: _calamine_grid(book, name) for name in _worksheet_names(book)}


def _calamine_book(data: bytes):
    from python_calamine import load_workbook

    return load_workbook(io.BytesIO(data))


def _worksheet_names(book) -> list[str]:
    from python_calamine import SheetTypeEnum

    return [sheet.name for sheet in book.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]


def _calamine_grid(book, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


class _Overlap:
    """calamine (through fastexcel, else python-calamine) reading the sheets in a thread while xlsx_guard scans (it is told how far: xlsx_guard.Progress):
    the workbook once every part but the sheets has passed, each sheet once its part has passed. calamine parses
    without Python's lock, so on two cores the scan of the next sheet goes on meanwhile, and once the scan is over
    the sheets already read are made into Sheets while calamine reads the last ones (the 100k-row workbook's
    largest sheet is its last).

    Whatever is unusual ends in parse_xlsx's own reading after the scan, the same as without the thread: a
    workbook whose sheets xlsx_guard cannot map to their parts the usual way (Book.plain_parts), a sheet calamine
    names that workbook.xml does not, or any error of calamine's (parse_xlsx then tries calamine again, then
    openpyxl, with the message it always gave). Nothing read here is used unless the whole scan passed."""

    def __init__(self, data: bytes):
        self.data = data
        self.condition = threading.Condition()  # guards everything below, shared by the two threads
        self.book: Book | None = None  # once every part but the sheets has passed
        self.passed: dict[str, int] = {}  # the sheets' parts cleared so far, each with its place in that order
        self.stopped = False  # the scan is over (passed or refused)
        self.abandoned = False  # a sheet read by fastexcel could not be used: the thread reads nothing more
        self.read: list[tuple | None] = []  # (position in the workbook, name, cells) of each sheet, in the order read
        self.finished = False  # the thread has ended
        self.outcome: str | None = None  # 'done', 'fallback' or 'memory'; None: stopped before the end
        self.thread = threading.Thread(target=self._run, name="calamine", daemon=True)
        self.thread.start()

    # xlsx_guard.Progress
    def opened(self, book: Book) -> None:
        with self.condition:
            self.book = book
            self.condition.notify_all()

    def cleared(self, member: str) -> None:
        with self.condition:
            self.passed.setdefault(member, len(self.passed))
            self.condition.notify_all()

    def stop(self) -> None:
        with self.condition:
            self.stopped = True
            self.condition.notify_all()

    def sheets(self, build) -> list[Sheet] | None:
        """`build(name, cells)` for each sheet as soon as calamine has read it (in the order the scan cleared them),
        the Sheets in the workbook's order; None when the thread did not read them all (then parse_xlsx reads the
        file itself). Called once the scan has passed. A ReadError of `build` (a sheet with too many rows), the
        first in the workbook's order, stands only if calamine read every sheet: otherwise parse_xlsx's reading
        gives its own message, as without the thread."""
        built, refused = {}, {}  # by position in the workbook
        for position, name, rows in self._arrivals():
            try:
                built[position] = build(name, rows)
            except ReadError as exc:
                refused[position] = exc
                continue
            if built[position] is None:  # neither fastexcel's columns nor calamine's cells: parse_xlsx reads the file
                with self.condition:
                    self.abandoned = True
                break
        self.thread.join()
        if self.outcome == "memory":
            raise MemoryError  # as parse_xlsx raises it: the sandbox says the memory ran out
        if self.outcome != "done" or self.abandoned:
            return None
        if refused:
            raise refused[min(refused)]
        return [built[position] for position in sorted(built)]

    def _arrivals(self):
        """(position in the workbook, name, cells) of each sheet as the thread reads it, until it ends."""
        position = 0
        while True:
            with self.condition:
                self.condition.wait_for(lambda: len(self.read) > position or self.finished)
                if len(self.read) <= position:
                    return
                item, self.read[position] = self.read[position], None  # the cells are the Sheet's from here on
            position += 1
            yield item

    def _wait(self, ready) -> bool:
        """Until `ready()`; False if the scan stopped first (a refused file, or a scan without this)."""
        with self.condition:
            self.condition.wait_for(lambda: ready() or self.stopped)
            return ready()

    def _run(self) -> None:
        try:
            self.outcome = self._read()
        except MemoryError:
            self.outcome = "memory"
        except Exception:  # noqa: BLE001 - calamine refuses the file: parse_xlsx reads it as it always did
            log.debug("calamine in the thread failed; the file is read again after the scan", exc_info=True)
            self.outcome = "fallback"
        finally:
            with self.condition:
                self.finished = True
                self.condition.notify_all()

    def _read(self) -> str | None:
        if not self._wait(lambda: self.book is not None):
            return None
        if not self.book.plain_parts:
            return "fallback"
        workbook = _calamine_book(self.data)
        names = _worksheet_names(workbook)
        if not set(names) <= set(self.book.parts):
            return "fallback"
        columnar = _fastexcel_book(self.data)
        waiting = dict(enumerate(names))  # position in the workbook -> name, of the sheets not read yet
        while waiting:
            if not self._wait(lambda: any(self.book.parts[n] in self.passed for n in waiting.values())):
                return None
            if self.abandoned:
                return None
            # the first cleared of those waiting: the scan goes largest first, so the largest is read while the
            # rest is scanned (xlsx_guard._scan_sheets)
            position = min((p for p, n in waiting.items() if self.book.parts[n] in self.passed),
                           key=lambda p: self.passed[self.book.parts[waiting[p]]])
            name = waiting.pop(position)
            rows = _fastexcel_columns(columnar, name)
            if rows is None:  # a column of texts and numbers, of dates, ...: calamine's cells, one by one
                rows = _calamine_grid(workbook, name)
            with self.condition:
                self.read.append((position, name, rows))
                self.condition.notify_all()
        return "done"


def _openpyxl_rows(data: bytes) -> dict[str, list[list]]:
    frames = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="openpyxl",
                           keep_default_na=False, na_values=[""])  # as a CSV: 'nan', 'N/A', '#N/A' stay text
    return {name: grid.astype(object).where(grid.notna(), None).to_numpy().tolist() for name, grid in frames.items()}


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


def _put_error_codes(rows: list[list], errors: list[tuple[int, str, str]]) -> None:
    """Both Excel engines read an error cell (#DIV/0!, #N/A, ...) as empty; put its code back in the cell, so that the
    validation names the error instead of reporting a missing value or storing nothing."""
    for row, letter, code in errors:
        column = _column_index(letter)
        if row - 1 < len(rows) and column < len(rows[row - 1]):
            rows[row - 1][column] = code


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_from_rows(file_name: str, name: str, rows: list[list], decimal: str) -> Sheet:
    """A sheet from its cells from A1 (a rectangle; '' or None for an empty cell): the rows and columns with a value,
    the first of them the header. Column by column (numpy), not cell by cell: a sheet may have 100.000 rows."""
    columns, dated = [], set()  # dated: the positions of the columns that may hold a date or a duration
    for position, column in enumerate(_columns_of(rows)):
        values, usual = _cell_values(column)
        columns.append(values)
        if not usual:
            dated.add(position)
    return _sheet_of(file_name, name, columns, list(range(len(columns))), dated, len(rows), decimal)


def _sheet_of(file_name: str, name: str, columns: list[np.ndarray], positions: list[int], dated: set[int],
              height: int, decimal: str) -> Sheet:
    """A sheet from its columns of cells from row 1 (None for an empty cell; `positions`: each one's place from
    column A), as _cell_values makes them: the rows and columns with a value, the first of them the header."""
    rows = range(height)
    filled = np.zeros(len(rows), dtype=bool)
    kept_columns = []
    for position, column in enumerate(columns):
        present = np.not_equal(column, None)
        if present.any():
            filled |= present
            kept_columns.append(position)
    kept_rows = np.flatnonzero(filled)
    if len(kept_rows) > MAX_ROWS:
        count, limit = f"{len(kept_rows):,}".replace(",", "."), f"{MAX_ROWS:,}".replace(",", ".")
        raise ReadError(f"File {file_name}, foglio {name}: {count} righe, oltre il limite di {limit}.")
    if not len(kept_rows):
        return Sheet(file_name, name.strip(), pd.DataFrame(), decimal, [])
    header = [_header_text(columns[c][kept_rows[0]]) for c in kept_columns]
    body = kept_rows[1:]
    matrix = np.empty((len(body), len(kept_columns)), dtype=object)
    for j, c in enumerate(kept_columns):
        matrix[:, j] = _body_column(columns[c][body]) if c in dated else columns[c][body]
    matrix[np.equal(matrix, None)] = ""
    frame = pd.DataFrame(matrix, columns=header, dtype=object)
    letters = {h: column_letter(positions[c]) for h, c in zip(header, kept_columns) if h}
    return Sheet(file_name, name.strip(), frame, decimal, (body + 1).tolist(), letters)


# fastexcel reads a sheet into typed columns (calamine too, in Rust, without Python's lock and without a Python
# object per cell): 0,5 s for the 100k-row workbook where python-calamine's rows took 0,8 s and making them into
# columns 0,3 s more, all but calamine's parsing under Python's lock, which the scan holds too. Its columns are used
# only when they say exactly what calamine's rows would: texts and numbers each in columns of their own (a column
# mixing them, or holding dates, booleans or errors, is read by python-calamine as before), the header on row 1.

def _fastexcel_book(data: bytes):
    """fastexcel's reader of a workbook, or None (then python-calamine reads every sheet)."""
    try:
        import fastexcel

        return fastexcel.read_excel(data)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - not installed, or a workbook it refuses: python-calamine reads it
        log.debug("fastexcel does not read this workbook", exc_info=True)
        return None


def _fastexcel_columns(book, name: str):
    """One sheet as typed columns, the first row its header; None when a column mixes texts
    and numbers (strict: a column's type from all its cells) or fastexcel refuses the sheet."""
    if book is None:
        return None
    try:
        sheet = book.load_sheet(name, header_row=0, schema_sample_rows=None, dtype_coercion="strict")
        return _Columns(sheet.to_arrow(), sheet.selected_columns)
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - a mixed column is the usual reason: python-calamine reads the sheet
        return None


@dataclass
class _Columns:
    batch: object  # pyarrow.RecordBatch: one column per column of the sheet, named by its header
    infos: list  # fastexcel.ColumnInfo of each: where its name comes from, its place from column A


_PLAIN_TYPES = {"null", "string", "large_string", "double"}
_FASTEXCEL_NAME = re.compile(r"__UNNAMED__\d+")  # fastexcel's name for a column whose header is empty


def _sheet_from_columns(file_name: str, name: str, columns: _Columns, found) -> Sheet | None:
    """A sheet from fastexcel's columns, the same as _sheet_from_rows makes from calamine's rows; None when that
    cannot be shown: the sheet's cells must start on row 1 (fastexcel starts at the first row with a value and
    does not say which: xlsx_guard's count of the rows, all with a reference, must match), every column a header
    that is text as written (fastexcel renames an empty or repeated one, and turns a number into text) and a type
    of texts, numbers or nothing; no error cell."""
    batch, infos = columns.batch, columns.infos
    if (found is None or found.error or found.rows_without_ref or found.cells_without_ref
            or batch.num_rows + 1 != found.last_row):
        return None
    names = batch.schema.names
    if ([info.name for info in infos] != names or any(info.column_name_from != "looked_up" for info in infos)
            or any(str(field.type) not in _PLAIN_TYPES for field in batch.schema)
            or not all(map(_written_header, names))):
        return None
    texts = {n.lower() for n in names}
    if any((m := _NUMBERED.fullmatch(n)) and m[1].lower() in texts for n in names):
        return None  # 'x_1' beside 'x': maybe fastexcel's name for a second 'x'
    positions = [info.absolute_index for info in infos]
    if len(set(positions)) != len(positions):
        return None
    cells = [np.concatenate((np.array([intern(n)], dtype=object), _column_values(batch.column(i))))
             for i, n in enumerate(names)]
    return _sheet_of(file_name, name, cells, positions, set(), batch.num_rows + 1, ",")


_NUMBERED = re.compile(r"(.+)_\d+")


def _column_values(column) -> np.ndarray:
    """One of fastexcel's columns as _cell_values makes calamine's cells: a whole number an int, another a float, a
    text interned ('' as empty), None for an empty cell. Texts by their distinct values (dictionary_encode): a
    Python object per distinct text, each cell a pointer that numpy copies."""
    kind = str(column.type)
    out = np.empty(len(column), dtype=object)  # None
    if kind == "double":
        numbers = column.to_numpy(zero_copy_only=False)  # NaN where empty
        present = ~np.isnan(numbers)
        whole = present & (np.trunc(numbers) == numbers)  # not inf: trunc(inf) == inf, but inf is no whole number
        whole &= np.isfinite(numbers)
        small = whole & (np.abs(numbers) < 2.0 ** 62)
        out[small] = numbers[small].astype(np.int64).tolist()
        out[whole & ~small] = [int(v) for v in numbers[whole & ~small]]
        out[present & ~whole] = numbers[present & ~whole].tolist()
    elif kind in ("string", "large_string"):
        encoded = column.dictionary_encode()
        texts = [intern(text) if text else None for text in encoded.dictionary.to_pylist()]
        lookup = np.empty(len(texts) + 1, dtype=object)
        lookup[:len(texts)] = texts  # the last stays None: the empty cells point at it
        out[:] = lookup[encoded.indices.fill_null(len(texts)).to_numpy(zero_copy_only=False)]
    return out


def _written_header(text: str) -> bool:
    """A header fastexcel keeps as written: text with a letter, not a number (a numeric header cell is made text,
    maybe otherwise than calamine's value), not fastexcel's name for an empty header."""
    if _FASTEXCEL_NAME.fullmatch(text) or not any(c.isalpha() for c in text):
        return False
    try:
        float(text)
        return False
    except ValueError:
        return True


def _columns_of(rows: list[list]):
    """The columns of a rectangle of cells: views of one object array (numpy copies the cell pointers in C), or, for
    rows of different lengths, zip's tuples (as many columns as the shortest row has)."""
    if not rows:
        return []
    if len(set(map(len, rows))) == 1:
        grid = np.empty((len(rows), len(rows[0])), dtype=object)
        grid[:] = rows
        return list(grid.T)
    return list(zip(*rows))


def _cell_values(column) -> tuple[np.ndarray, bool]:
    """One column of cells as read, as pandas' read_excel gave them (dtype=object): a whole float as an int, a date as
    a datetime; None for an empty cell ('' or NaN). Equal texts become one object (sys.intern): a column repeats its
    chambers, years and codes, and the sheets travel back from the child pickled, where an object already sent costs
    a reference (half the bytes and time for 100k rows), and arrive holding each text once. With the values, whether
    the column is the usual one (texts, numbers, empty cells: no date or duration for _body_column to convert)."""
    types = set(map(type, column))
    usual = types <= {str, float}
    if usual:
        values = [(int(v) if v.is_integer() else v if v == v else None) if v.__class__ is float else
                  (intern(v) if v else None) for v in column]
    else:
        values = [intern(v) if v.__class__ is str else v for v in map(_cell_value, column)]
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out, usual


def _cell_value(value):
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _body_column(values: np.ndarray) -> np.ndarray:
    """A column of the table as pandas' DataFrame made it: a column of dates alone (or of durations alone), empty
    cells aside, becomes pandas' Timestamps (Timedeltas)."""
    kinds = set(map(type, values)) - {type(None)}
    for kind, convert in ((datetime.datetime, pd.Timestamp), (datetime.timedelta, pd.Timedelta)):
        if kinds == {kind}:
            out = np.empty(len(values), dtype=object)
            out[:] = [None if v is None else convert(v) for v in values]
            return out
    return values


def column_letter(position: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA' (openpyxl's get_column_letter(position + 1), without importing openpyxl, half a
    second, in the process that scans every upload)."""
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

UTF8_BOM = b"\xef\xbb\xbf"
# In a file that is not valid UTF-8, bytes that still read as UTF-8 Italian text: à è é ì ò ù and the like (Ã, Â or Å
# then a continuation byte), typographic quotes and dashes, the euro sign. Windows-1252 Italian text never has them
# (they would read «Ã©», «â€™»): where they appear the file mixes two encodings and no single decoding is right.
_UTF8_TEXT = re.compile(rb"[\xc2\xc3\xc5][\x80-\xbf]|\xe2\x80[\x90-\xbf]|\xe2\x82\xac")
_CSV_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # line endings kept, as csv.reader wants them
_SAVE_AS_UTF8 = "Salvarlo di nuovo da Excel come «CSV UTF-8 (delimitato da virgole)»."


def _decode(data: bytes, file_name: str) -> str:
    """UTF-8 (with or without BOM); else Windows-1252, what Italian Excel writes for «CSV (delimitato dal separatore
    di elenco)», but only when nothing in the file is UTF-8: a mixed file is refused, never stored as «CompetitivitÃ»."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"File {file_name}: è un testo UTF-16 («Testo Unicode»), non un CSV. {_SAVE_AS_UTF8}")
    bom = data.startswith(UTF8_BOM)
    if bom:
        data = data[len(UTF8_BOM):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    if bom or _UTF8_TEXT.search(data):
        raise ReadError(f"File {file_name}, riga {_line_of(data, position)}: codifica dei caratteri mista: "
                        f"il file è in parte UTF-8 e in parte no (byte 0x{data[position]:02X}), così le lettere "
                        f"accentate si leggerebbero sbagliate (per esempio «CompetitivitÃ»). {_SAVE_AS_UTF8}")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ReadError(f"File {file_name}, riga {_line_of(data, exc.start)}: il byte 0x{data[exc.start]:02X} "
                        f"non è un carattere né in UTF-8 né in Windows-1252. {_SAVE_AS_UTF8}") from None


def _line_of(text: bytes | str, position: int) -> int:
    return text.count(b"\n" if isinstance(text, bytes) else "\n", 0, position) + 1


def _read_csv(data: bytes, file_name: str) -> Sheet:
    text = _decode(data, file_name)
    if "\x00" in text[:4096]:
        raise ReadError(f"File {file_name}: non è un file di testo CSV (contiene dati binari).")
    if "\x00" in text:
        raise ReadError(f"File {file_name}, riga {_line_of(text, text.index(chr(0)))}: contiene il "
                        "carattere nullo (NUL), che un CSV salvato da Excel non ha. Non è stato letto.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = _csv_rows(text, delimiter, file_name)
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


def _csv_rows(text: str, delimiter: str, file_name: str) -> list[list[str]]:
    """The rows of a CSV, without the blank ones at the end; the limits are checked while reading, so an oversized
    file stops at its first row beyond them."""
    record_chars = 0

    def lines():
        nonlocal record_chars
        for match in _CSV_LINE.finditer(text):  # (io.StringIO would hold the text again, 4 bytes a character)
            line = match.group()
            record_chars += len(line)
            if record_chars > MAX_CSV_RECORD_CHARS:  # one row, or a quoted cell that never closes
                raise ReadError(f"File {file_name}, riga {len(rows) + 1}: la riga supera {integer(MAX_CSV_RECORD_CHARS)} "
                                "caratteri, il limite. Controllare le virgolette. Non è stato letto.")
            yield line

    rows, width = [], 0
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            record_chars = 0
            rows.append(row)
            width = width or len(row)
            if len(row) > MAX_COLUMNS:
                raise ReadError(f"File {file_name}, riga {len(rows)}: {integer(len(row))} colonne, oltre il limite di "
                                f"{MAX_COLUMNS}. Controllare il separatore (';' oppure ','). Non è stato letto.")
            if len(rows) > MAX_ROWS + 1 and any(cell.strip() for cell in row):  # stop reading: never parse a million rows
                raise ReadError(f"File {file_name}: più di {integer(MAX_ROWS)} righe, oltre il limite: non sembra una "
                                "relazione sulla performance. Non è stato letto.")
            if len(rows) * width > MAX_CELLS:
                raise ReadError(f"File {file_name}: più di {integer(MAX_CELLS)} celle ({integer(len(rows))} righe × "
                                f"{width} colonne), oltre il limite. Non è stato letto.")
    except csv.Error as exc:
        detail = (f"una cella supera {integer(csv.field_size_limit())} caratteri" if "field larger" in str(exc)
                  else f"il CSV non si legge ({exc})")
        raise ReadError(f"File {file_name}, riga {len(rows) + 1}: {detail}. Controllare le virgolette.") from None
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows
