"""Checking raw sheets against the schema and turning them into typed tables ready for the store.

All problems are collected (never only the first), each naming file, sheet, row and column in Italian.
"""
from __future__ import annotations

import datetime
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cruscotto.ingest.parsing import (
    NUMERO_MAX,
    NUMERO_MIN,
    SUSPECT_CELL,
    NumberError,
    ParsedValue,
    ValueParseError,
    describe_character,
    excel_error,
    invisible_character,
    key_fold,
    magnitude_problem,
    mixed_script_letter,
    non_latin_letter,
    normalize_text,
    parse_number,
    parse_target,
    plain_number_text,
    plain_target_text,
    script_name,
)
from cruscotto.ingest.reader import Sheet
from cruscotto.present import formatting
from cruscotto.store.schema import (
    ANNO_MAX,
    ANNO_MIN,
    REGOLE_INTERVALLI,
    REGOLE_ELENCHI,
    REGOLE_ORDINATE,
    REGOLE_PREDEFINITE,
    REGOLE_SCELTE,
    REQUIRED_TABLES,
    TABLES_BY_NAME,
    Column,
    Table,
    all_column_names,
)

ERRORE, AVVISO = "errore", "avviso"
EMPTIED = "Tabelle svuotate"  # the group of the problems about sheets left with their header only


@dataclass(frozen=True)
class Problem:
    file: str
    sheet: str
    row: int | None
    column: str | None
    message: str
    severity: str = ERRORE
    group: str = "Contenuto"

    def where(self) -> str:
        parts = [f"File {self.file}", f"foglio {self.sheet}"]
        if self.row is not None:
            parts.append(f"riga {self.row}")
        if self.column:
            parts.append(f"colonna {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class Validated:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    kept_from_store: list[str] = field(default_factory=list)  # tables the file left out: their stored rows are kept
    # tables whose sheet has a header and no rows while the store has rows for the years the file replaces:
    # table -> stored rows the upload would delete. Without confirmation that is an error and the rows are kept.
    emptied: dict[str, int] = field(default_factory=dict)
    emptying_confirmed: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERRORE]

    @property
    def ok(self) -> bool:
        return not self.errors

    def partitions(self) -> list[tuple[str, int]]:
        """The (ente, anno) pairs the upload holds: exactly what an import replaces."""
        keys = set()
        for name, frame in self.tables.items():
            if name not in self.kept_from_store:
                keys.update(zip(frame["ente"].tolist(), frame["anno"].tolist()))
        return sorted((e, a) for e, a in keys if e is not None and a is not None)


class RowNumbers(list):
    """The spreadsheet row of each typed row, kept in DataFrame.attrs. pandas deep-copies attrs on every column
    access; these numbers never change after validation, so the copy is the object itself (else 100k rows × every
    access made validation take minutes)."""

    def __deepcopy__(self, memo):
        return self


StoredRows = Callable[..., pd.DataFrame]  # (table, partitions or None, [columns]) -> the stored rows


def validate(sheets: list[Sheet], stored: StoredRows | None = None, svuota_tabelle_vuote: bool = False) -> Validated:
    """Check `sheets` and type them. With `stored` (the rows now in the store, see store.stored_rows; called with
    partitions None it gives every stored row) a file may hold only some tables: each table it leaves out keeps its
    stored rows for the years the file replaces, and the required tables are needed only for a year the store does
    not have yet. A sheet with a header and no rows would empty its table for those years: that is an error unless
    `svuota_tabelle_vuote` (the user confirmed it). Without `stored` (the shipped data/ folder) the file must be
    complete."""
    result = Validated(emptying_confirmed=svuota_tabelle_vuote)
    by_table: dict[str, Sheet] = {}
    file_names = sorted({s.file for s in sheets}) or ["?"]
    for sheet in sheets:
        key = sheet.name.strip().lower()
        if key in TABLES_BY_NAME:
            if key in by_table:
                result.problems.append(Problem(sheet.file, sheet.name, None, None, f"il foglio {key} compare due volte.", group="Struttura"))
            if sheet.hidden:  # what nobody sees in Excel must not change the figures
                result.problems.append(Problem(sheet.file, sheet.name, None, None, "il foglio è nascosto: mostrarlo in "
                                               "Excel (clic destro su una scheda → Scopri) o toglierlo.", group="Struttura"))
            by_table[key] = sheet
        elif not sheet.name.startswith("_") and sheet.name.lower() not in ("istruzioni", "leggimi", "elenchi"):
            result.problems.append(Problem(
                sheet.file, sheet.name, None, None,
                f"foglio non riconosciuto, ignorato. I fogli previsti sono: {', '.join(TABLES_BY_NAME)}.", AVVISO, "Struttura"))
    if stored is None:
        for name in REQUIRED_TABLES:
            if name not in by_table:
                result.problems.append(_missing_sheet(file_names, name))
    for name, sheet in by_table.items():
        _check_cells(sheet, result.problems)
        frame = _typed_table(TABLES_BY_NAME[name], sheet, result.problems)
        if frame is not None:
            result.tables[name] = frame
    if stored is not None:
        _keep_stored_tables(result, by_table, stored, file_names)
    for table in TABLES_BY_NAME.values():
        if table.name not in result.tables and table.name not in REQUIRED_TABLES:
            result.tables[table.name] = _empty(table)
    _check_lookalikes(result, by_table, stored)
    if all(t in result.tables for t in REQUIRED_TABLES):
        _check_references(result, by_table)
    return result


def _missing_sheet(file_names: list[str], name: str, detail: str = "") -> Problem:
    return Problem(", ".join(file_names), name, None, None,
                   f"manca il foglio (o il file CSV) '{name}', obbligatorio{detail}. "
                   "Scaricare il modello per vedere la struttura attesa.", group="Struttura")


def _keep_stored_tables(result: Validated, by_table: dict[str, Sheet], stored: StoredRows, file_names: list[str]) -> None:
    """Tables the file leaves out keep their stored rows for the years it replaces (a correction can be one sheet).
    A sheet left with its header only never deletes stored rows unless the user confirmed it: unconfirmed, it is an
    error and, like a missing sheet, keeps the stored rows (so the other checks see the data that would stay)."""
    partitions = result.partitions()
    if not partitions:
        for name in REQUIRED_TABLES:
            if name not in by_table:
                result.problems.append(_missing_sheet(file_names, name))
        return
    for table in TABLES_BY_NAME.values():
        sheet = by_table.get(table.name)
        if sheet is not None and not _left_empty(result, sheet, table, partitions, stored):
            continue
        frame = stored(table, partitions)
        result.tables[table.name] = frame
        result.kept_from_store.append(table.name)
        if table.name in REQUIRED_TABLES:
            have = set(zip(frame["ente"], frame["anno"]))
            for ente, anno in partitions:
                if (ente, anno) not in have:
                    result.problems.append(_missing_sheet(
                        file_names, table.name, f" per l'ente {ente}, anno {anno}, che non è ancora nel cruscotto"))


def _left_empty(result: Validated, sheet: Sheet, table: Table, partitions, stored: StoredRows) -> bool:
    """Whether the sheet (header, no rows) must keep the stored rows: it would delete some and nobody confirmed it."""
    frame = result.tables.get(table.name)
    if frame is None or len(frame):
        return False
    rows = len(stored(table, partitions))
    if not rows:
        return False
    result.emptied[table.name] = rows
    years = "; ".join(f"{ente} {anno}" for ente, anno in partitions)
    if result.emptying_confirmed:
        result.problems.append(Problem(sheet.file, sheet.name, None, None, (
            f"il foglio non ha righe: come confermato, {_rows_of(rows, table.name)} già nel cruscotto per {years} "
            f"{'sarà cancellata' if rows == 1 else 'saranno cancellate'}."), AVVISO, EMPTIED))
        return False
    result.problems.append(Problem(sheet.file, sheet.name, None, None, (
        f"il foglio ha solo l'intestazione, nessuna riga: caricandolo si {'cancellerebbe' if rows == 1 else 'cancellerebbero'} "
        f"{_rows_of(rows, table.name)} già nel cruscotto per {years}. Se è voluto, confermarlo (casella «Confermo di svuotare» nella pagina Carica "
        "dati; da riga di comando: import --sostituisci-tabelle-vuote); altrimenti togliere il foglio dal file "
        "(le righe restano come sono) oppure compilarlo."), group=EMPTIED))
    return True


def _check_cells(sheet: Sheet, problems: list[Problem]) -> None:
    """Formulas and merged cells in a table sheet: the store keeps figures as written, so both are refused. A formula
    whose result is an Excel error is reported once, with the error (see _cell_problem)."""
    positions = {row: pos for pos, row in enumerate(sheet.row_numbers)} if sheet.formulas else {}
    for row, letter, formula in sheet.formulas:
        column = sheet.column_at(letter)
        if column and row in positions and excel_error(sheet.frame.at[positions[row], column]):
            continue
        problems.append(Problem(sheet.file, sheet.name, row, f"{column} (cella {letter}{row})" if column else f"{letter}",
                                f"la cella contiene una formula ({formula[:60]}). Scrivere il valore: copiare le celle e "
                                "incollarle con «Incolla speciale → Valori».", group="Formule e celle unite"))
    for ref in sheet.merged:
        first = ref.split(":")[0]
        letter = "".join(ch for ch in first if ch.isalpha())
        row = int("".join(ch for ch in first if ch.isdigit()) or 0) or None
        column = sheet.column_at(letter)
        problems.append(Problem(sheet.file, sheet.name, row, f"{column} (celle {ref})" if column else f"celle {ref}",
                                f"celle unite ({ref}): separarle («Unisci e allinea al centro → Separa celle») e scrivere "
                                "il valore in ogni cella.", group="Formule e celle unite"))


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in all_column_names(table)})


# ------------------------------------------------------------------ one table

def _typed_table(table: Table, sheet: Sheet, problems: list[Problem]) -> pd.DataFrame | None:
    frame = sheet.frame
    where = dict(file=sheet.file, sheet=sheet.name)
    if frame.empty and len(frame.columns) == 0:
        problems.append(Problem(**where, row=None, column=None, message="il foglio è vuoto: manca la riga di intestazione con i nomi delle colonne.", group="Struttura"))
        return None
    headers = [str(c) for c in frame.columns]
    for name, count in Counter(headers).items():
        if count > 1 and name:
            problems.append(Problem(**where, row=1, column=name, message="la colonna compare più volte nell'intestazione.", group="Struttura"))
    for header in headers:
        if (ch := invisible_character(header)) is not None:
            problems.append(Problem(**where, row=1, column=_visible(header), group="Struttura", message=(
                f"il nome della colonna contiene il carattere invisibile {describe_character(ch)}: cancellarlo e "
                "riscrivere il nome.")))
    missing = [c.name for c in table.columns if c.name not in headers and c.required]
    for name in missing:
        problems.append(Problem(**where, row=1, column=name, message=f"manca la colonna obbligatoria '{name}' ({table.column(name).help})", group="Struttura"))
    extra = [h for h in headers if h and h not in table.column_names and h not in dict(table.derived)]
    for name in extra:
        problems.append(Problem(**where, row=1, column=name, message="colonna non prevista: è ignorata.", severity=AVVISO, group="Struttura"))
    if missing or any(Counter(headers)[h] > 1 for h in headers if h):
        return None

    # Column by column, each distinct value once: a column repeats its chambers, years, units and codes, so each
    # distinct value is converted and checked once (_cell) and its result spread to its cells by index (numpy); only
    # the refused cells are checked again one by one, for a message naming each (a loop in Python over every cell
    # took most of a 100k-row import: bench/bench_import.py).
    distinct = {h: _Distinct.of(frame[h].tolist()) for h in headers if h}
    formulas = {(row, sheet.column_at(letter)): formula for row, letter, formula in sheet.formulas}
    keep = _filled_rows(distinct.values(), len(frame))
    rows = RowNumbers(map(sheet.row_numbers.__getitem__, keep.tolist()))
    columns = {column.name: _column_values(column, distinct.get(column.name), keep, rows, sheet, formulas,
                                           column.name in table.key or column.name in IDENTIFIERS or bool(column.choices),
                                           problems)
               for column in table.columns}
    typed = pd.DataFrame(columns, columns=list(columns), dtype=object)
    typed.attrs["row_numbers"] = rows
    # The checks below run even when some cells were refused (all problems at once); they skip empty values.
    _check_template_example(table, typed, where, problems)
    _check_duplicates(table, typed, where, problems)
    if table.name == "indicatori":
        typed = _parse_targets(typed, where, problems)
    if table.name == "serie_storiche":
        _check_series_units(typed, where, problems)
    if table.name == "regole":
        _check_rules(typed, where, problems)
    if table.name == "metodi_calcolo":
        _check_method_numbers(typed, where, problems)
    if table.name == "riferimenti":
        _check_reference_sources(typed, where, problems)
    return typed


EXAMPLE_MARK = "(esempio) "  # cruscotto/template.py puts it before the ente of its example row


def _check_template_example(table: Table, typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    """The template's example row left in place would be loaded as data (its codes point at rows that do not exist):
    say what it is instead of a puzzling reference error."""
    if not any(isinstance(ente, str) and ente.startswith(EXAMPLE_MARK.strip()) for ente in set(typed["ente"])):
        return  # the usual case, seen on the distinct chambers
    rows = typed.attrs["row_numbers"]
    for pos, ente in enumerate(typed["ente"]):
        if isinstance(ente, str) and ente.startswith(EXAMPLE_MARK.strip()):
            problems.append(Problem(**where, row=rows[pos], column="ente", message=(
                "è la riga di esempio del modello: sostituirla con i propri dati oppure cancellarla.")))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


_NUMBER_TYPES = frozenset({bool, int, float})
# cell types no two of which compare equal, but for the numbers (True == 1 == 1.0): a column of these with at most one
# kind of number can use its cells as dictionary keys as they are
_PLAIN_KEY_TYPES = frozenset({str, int, float, bool, type(None), datetime.date, datetime.datetime, datetime.time,
                              datetime.timedelta})


@dataclass
class _Distinct:
    """A column's cells as its distinct values, told apart as type and value (True, 1 and '1' are three), and for
    each cell the index of its value."""
    cells: list  # the cells themselves, as read
    values: list  # the distinct ones, in order of first appearance
    codes: np.ndarray  # for each cell, the index of its value in `values`
    types: set  # the types of the cells

    @classmethod
    def of(cls, cells: list) -> _Distinct:
        types = set(map(type, cells))
        if types <= _PLAIN_KEY_TYPES and len(types & _NUMBER_TYPES) <= 1:
            keys = cells
        else:  # True == 1 == 1.0, yet each reads differently: keyed by type too
            keys = list(zip(map(type, cells), cells))
        index = dict(zip(dict.fromkeys(keys), itertools.count()))
        codes = np.fromiter(map(index.__getitem__, keys), dtype=np.intp, count=len(keys))
        values = list(index) if keys is cells else [value for _, value in index]
        return cls(cells, values, codes, types)

    def blank(self) -> np.ndarray:
        """_blank of each distinct value (a column of text alone: stripped in one C loop)."""
        if self.types == {str}:
            return ~np.fromiter(map(bool, map(str.strip, self.values)), dtype=bool, count=len(self.values))
        return np.fromiter(map(_blank, self.values), dtype=bool, count=len(self.values))


def _filled_rows(columns, length: int) -> np.ndarray:
    """The positions of the rows with at least one cell that is not blank, in order."""
    filled = np.zeros(length, dtype=bool)
    for column in columns:
        filled |= ~column.blank()[column.codes]
    return np.flatnonzero(filled)


def _column_values(column: Column, cells: _Distinct | None, keep: np.ndarray, rows: list[int], sheet: Sheet,
                   formulas: dict, single_line: bool, problems: list[Problem]) -> np.ndarray:
    """The typed values of one column in the rows `keep` (rows: their spreadsheet rows); a Problem for each cell
    refused, in the order of the rows."""
    out = np.full(len(keep), None, dtype=object)
    if cells is None:  # an optional column the sheet does not have
        return out
    codes = cells.codes[keep]
    used = np.flatnonzero(np.bincount(codes, minlength=len(cells.values))).tolist()
    values = np.full(len(cells.values), None, dtype=object)
    refused = np.zeros(len(cells.values), dtype=bool)
    # Excel's number cells (not NaN, which is blank) in a number column: checked all at once
    numbers = [i for i in used if type(cells.values[i]) in (int, float) and cells.values[i] == cells.values[i]
               ] if column.kind != "text" else []
    if numbers:
        values[numbers], refused[numbers] = _numbers([cells.values[i] for i in numbers], column)
    texts = _plain_texts(cells.values, used) if column.kind == "text" else []
    if texts:
        values[texts], refused[texts] = _texts([cells.values[i] for i in texts], column, single_line)
    for index in set(used).difference(numbers, texts):
        # whether a value is refused never depends on its row, which only words the message: no row here, and each
        # refused cell is checked again below with its own
        value, message = _cell(cells.values[index], column, sheet, None, formulas, single_line)
        values[index], refused[index] = value, message is not None
    out[:] = values[codes]
    for position in np.flatnonzero(refused[codes]).tolist():  # each refused cell on its own: its row, its cell
        value, message = _cell(cells.cells[keep[position]], column, sheet, rows[position], formulas, single_line)
        problems.append(Problem(sheet.file, sheet.name, rows[position], column.name, message))
        out[position] = value
    return out


def _numbers(raws: list, column: Column) -> tuple[np.ndarray, np.ndarray]:
    """What _cell gives for cells that are numbers already (int or float, Excel's number cells), all at once: their
    values, and which are refused (_cell then words the message of each refused cell)."""
    try:
        number = np.array(raws, dtype=np.float64)
    except OverflowError:  # an int beyond any float: refused, and worded, one by one
        return np.full(len(raws), None, dtype=object), np.ones(len(raws), dtype=bool)
    size = np.abs(number)
    accepted = np.isfinite(number) & (size <= NUMERO_MAX) & ((number == 0) | (size >= NUMERO_MIN))  # magnitude_problem
    if column.at_least is not None:
        accepted &= number >= column.at_least
    if column.more_than is not None:
        accepted &= number > column.more_than
    if column.kind in ("int", "year"):
        accepted &= np.floor(number) == number
        if column.kind == "year":
            accepted &= (number >= ANNO_MIN) & (number <= ANNO_MAX)
    values = np.empty(len(raws), dtype=object)
    values[:] = np.where(accepted, number, 0).astype(np.int64).tolist() if column.kind != "float" else number.tolist()
    values[~accepted] = None
    return values, ~accepted


def _plain_texts(values: list, used: list[int]) -> list[int]:
    """Of the values at `used`, those that are plain text: ASCII, not starting with '#' nor holding a control
    character (one search over them all; only if it finds one is each text searched)."""
    plain = [i for i in used if type(values[i]) is str and values[i].isascii()]
    joined = "\n".join(values[i] for i in plain)  # a line break is neither '#' nor invisible
    if "#" in joined or invisible_character(joined) is not None:
        plain = [i for i in plain if not _suspect(values[i])]
    return plain


def _texts(raws: list[str], column: Column, single_line: bool) -> tuple[list, list[bool]]:
    """What _cell gives for plain texts (_plain_texts) of a text column, in one loop: trimmed, white space collapsed
    where the text is one line (normalize_text; ASCII needs no NFC and has no look-alike letters), '' as None."""
    values = [(" ".join(raw.split()) if single_line or "\n" not in raw else raw.replace("\r\n", "\n").strip()) or None
              for raw in raws]
    refused = [(value is None and column.required) or bool(column.choices and value is not None
                                                            and value not in column.choices) for value in values]
    return values, refused


def _cell(raw, column: Column, sheet: Sheet, row: int | None, formulas: dict, single_line: bool):
    """The value of one cell for `column` and what is wrong with it: (value, None) or (value or None, message).
    Whether a value is refused never depends on its row; the message may (it names the cell)."""
    message = _cell_problem(raw, sheet, column.name, row, formulas) if _suspect(raw) else None
    value = None
    if message is None:
        value, message = _convert(raw, column, sheet.decimal, single_line)
    elif not excel_error(raw):  # an invisible character: the rest of the text still serves the other checks
        value, _ = _convert(_visible(raw), column, sheet.decimal, single_line)
    if message is None and column.required and value is None:
        message = f"valore obbligatorio mancante. {column.help}"
    if message is None and column.choices and value is not None and value not in column.choices:
        message = f"'{value}' non è tra i valori ammessi: {', '.join(column.choices)}."
    return value, message


# Columns that name something other rows or other years refer to: written in Latin letters, compared for look-alikes
IDENTIFIERS = frozenset({"ente", "codice", "codice_padre", "codice_obiettivo", "codice_indicatore", "codice_documento", "serie",
                         "riferimento"})
_YEAR_TEXT = re.compile(r"\d{4}")
_INTEGER_TEXT = re.compile(r"[+-]?(\d+|\d{1,3}(\.\d{3})+)")  # digits, or Italian thousands: no decimals, no exponent


def _suspect(raw) -> bool:
    return isinstance(raw, str) and SUSPECT_CELL.search(raw) is not None


def _cell_problem(raw, sheet: Sheet, column: str, row: int, formulas: dict) -> str | None:
    """What makes a cell unusable whatever its column: an Excel error value, an invisible or control character.
    `formulas`: (row, column) -> the formula of that cell."""
    if not isinstance(raw, str):
        return None
    cell = _cell_name(sheet, column, row)
    if code := excel_error(raw):
        formula = formulas.get((row, column))
        return (f"la cella{cell} contiene l'errore di Excel {code}" + (f" (risultato della formula {formula[:60]})" if formula else "")
                + ": correggere il dato o la formula da cui viene e scrivere il valore (lasciare la cella vuota se il "
                  "valore manca).")
    if (ch := invisible_character(raw)) is not None:
        before = _visible(raw[:raw.index(ch)].strip()[-30:])
        return (f"la cella{cell} contiene il carattere invisibile {describe_character(ch)}"
                + (f" dopo «{before}»" if before else "") + ": cancellarlo (arriva di solito copiando da una pagina web o "
                "da un PDF). Due testi che differiscono solo per un carattere invisibile sembrano uguali ma non lo sono.")
    return None


def _cell_name(sheet: Sheet, column: str, row: int) -> str:
    letter = sheet.column_letters.get(column)
    return f" {letter}{row}" if letter else ""


def _visible(text: str) -> str:
    """`text` without its invisible characters, for quoting it in a message."""
    return "".join(ch for ch in text if invisible_character(ch) is None)


def _convert(raw, column: Column, decimal: str, single_line: bool = False):
    """Return (value, None) or (None, Italian message)."""
    if _blank(raw):
        return None, None
    kind = column.kind
    if kind == "text":
        return _convert_text(raw, column, single_line)
    if kind in ("year", "int"):
        return _convert_integer(raw, kind, decimal, column)
    try:
        number = parse_number(raw, decimal)
    except NumberError as exc:
        return None, f"{exc}. Scrivere per esempio 1.234,56 oppure 89,14."
    if number is None:  # a currency or percent sign alone: not blank, and no number
        return None, f"'{raw}' non è un numero. Scrivere per esempio 1.234,56 oppure 89,14."
    return number, _sentence(magnitude_problem(number, raw)) or _bound_problem(number, column)


def _convert_text(raw, column: Column, single_line: bool):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = normalize_text(str(raw), single_line or "\n" not in str(raw))
    if column.name in IDENTIFIERS and (letter := non_latin_letter(text)) is not None:
        return None, (f"'{text}' contiene la lettera {script_name(letter)} «{letter}» (U+{ord(letter):04X}), "
                      "che sembra una lettera latina ma è un'altra: nei codici e nel nome dell'ente usare solo lettere "
                      "latine (riscrivere il valore a mano).")
    if column.name not in IDENTIFIERS and single_line and (letter := mixed_script_letter(text)) is not None:
        return None, (f"'{text}' mescola lettere latine e la lettera {script_name(letter)} «{letter}» "
                      f"(U+{ord(letter):04X}), che sembra latina: riscrivere il valore a mano.")
    return text, None


def _convert_integer(raw, kind: str, decimal: str, column: Column):
    """A year or a whole number as written: digits only (2019, 1129 or 1.129), never an exponent ('2e3' is not the
    year 2000) nor decimals; an Excel number cell must hold a whole number."""
    what = "un anno scritto con quattro cifre (es. 2019)" if kind == "year" else "un numero intero scritto in cifre (es. 1129)"
    if isinstance(raw, str):
        text = raw.strip()
        if not (_YEAR_TEXT if kind == "year" else _INTEGER_TEXT).fullmatch(text):
            return None, f"'{raw}' non è {what}."
        raw = text
    try:
        number = parse_number(raw, decimal)
    except NumberError:
        number = None
    if number is None or not float(number).is_integer():
        return None, f"'{raw}' non è {what}."
    if kind == "year" and not ANNO_MIN <= number <= ANNO_MAX:
        return None, f"anno {int(number)} fuori dall'intervallo ammesso ({ANNO_MIN}-{ANNO_MAX})."
    problem = _sentence(magnitude_problem(number, raw)) or _bound_problem(number, column)
    return (None, problem) if problem else (int(number), None)


def _sentence(message: str | None) -> str | None:
    return f"{message}." if message else None


def _bound_problem(number: float, column: Column) -> str | None:
    if column.at_least is not None and number < column.at_least:
        return f"'{plain_number_text(number)}' non può essere minore di {plain_number_text(column.at_least)}: {column.help}"
    if column.more_than is not None and number <= column.more_than:
        return f"'{plain_number_text(number)}' deve essere maggiore di {plain_number_text(column.more_than)}: {column.help}"
    return None


def _check_duplicates(table: Table, typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    keys = list(zip(*(typed[k].tolist() for k in table.key)))
    if len(set(keys)) == len(keys):
        return  # every key once: the usual case, told by one set
    rows = typed.attrs["row_numbers"]
    seen: dict[tuple, int] = {}
    for pos, key in enumerate(zip(*(typed[k] for k in table.key))):
        if any(k is None for k in key):
            continue  # a missing key cell is already reported
        if key in seen:
            label = " / ".join(str(k) for k in key)
            problems.append(Problem(**where, row=rows[pos], column=table.key[-1],
                                    message=f"codice duplicato '{label}': compare già alla riga {seen[key]}.", group="Codici duplicati"))
        else:
            seen[key] = rows[pos]


_TARGET_FIELDS = ("va_tipo", "va_operatore", "va_operatore_implicito", "va_numero", "va_unita", "vr_tipo", "vr_numero",
                  "vr_unita")


def _parse_targets(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> pd.DataFrame:
    """VA and VR read into their parts (parsing.parse_target), each distinct pair once: the problems of a pair are
    then given to each row that has it, in the order of the rows."""
    rows = typed.attrs["row_numbers"]
    pairs = list(zip(typed["valore_atteso"].tolist(), typed["valore_raggiunto"].tolist()))
    index = dict(zip(dict.fromkeys(pairs), itertools.count()))
    codes = np.fromiter(map(index.__getitem__, pairs), dtype=np.intp, count=len(pairs))
    sides: dict[tuple, tuple] = {}  # the same VA (or VR) recurs in many pairs: each read once
    readings = [_read_targets(va, vr, sides) for va, vr in index]
    fields = np.empty((len(readings), len(_TARGET_FIELDS)), dtype=object)
    for i, (values, _) in enumerate(readings):
        fields[i] = values
    for position in np.flatnonzero(np.fromiter((bool(found) for _, found in readings), dtype=bool,
                                               count=len(readings))[codes]).tolist():
        for column, message, group in readings[codes[position]][1]:
            problems.append(Problem(**where, row=rows[position], column=column, message=message, group=group))
    out = typed.assign(**{name: pd.Series(fields[codes, i], dtype=object, index=typed.index)
                          for i, name in enumerate(_TARGET_FIELDS)})
    out.attrs = typed.attrs
    return out


def _read_targets(va, vr, sides: dict | None = None) -> tuple[list, list[tuple[str, str, str]]]:
    """The parts of one VA and VR (in the order of _TARGET_FIELDS) and their problems: (column, message, group).
    `sides` keeps each VA and VR already read (by type and value: 4 and '4' are read apart), for the next pairs."""
    sides = {} if sides is None else sides
    results, found = {}, []
    for prefix, text, expected in (("va", va, True), ("vr", vr, False)):
        key = (expected, type(text), text)
        if key not in sides:
            sides[key] = _read_target(text, expected)
        results[prefix], problems = sides[key]
        found.extend(problems)
    va_p, vr_p = results["va"], results["vr"]
    if va_p.unita and vr_p.unita and va_p.unita != vr_p.unita:
        found.append(("valore_raggiunto", f"unità diversa dal valore atteso: '{vr_p.unita}' contro '{va_p.unita}'.",
                      "Unità di misura"))
    return [va_p.tipo, va_p.operatore, va_p.operatore_implicito, va_p.numero, va_p.unita, vr_p.tipo, vr_p.numero,
            vr_p.unita], found


def _read_target(text, expected: bool) -> tuple[ParsedValue, list[tuple[str, str, str]]]:
    """One VA (expected) or VR read into its parts, and its problems: (column, message, group)."""
    column = "valore_atteso" if expected else "valore_raggiunto"
    found = []
    try:
        parsed = parse_target(text, expected)
    except ValueParseError:
        found.append((column, (
            f"'{text}' non riconosciuto; atteso per esempio '>=80%', '<=20 giorni', '= 137,56%', '4', "
            "oppure un testo per un traguardo qualitativo (es. 'Rispetto delle tempistiche')."), "Valori attesi e raggiunti"))
        parsed = parse_target(None, expected)
    if parsed.numero is not None and (message := magnitude_problem(parsed.numero, text)):
        found.append((column, f"{message}.", "Valori attesi e raggiunti"))
    return parsed, found


def _check_series_units(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    rows = typed.attrs["row_numbers"]
    first_unit: dict[tuple, tuple[str, int]] = {}
    for pos, key in enumerate(zip(typed["ente"], typed["serie"], typed["unita"])):
        series = key[:2]
        if None in key:
            continue
        if series not in first_unit:
            first_unit[series] = (key[2], rows[pos])
        elif first_unit[series][0] != key[2]:
            unit, row = first_unit[series]
            problems.append(Problem(**where, row=rows[pos], column="unita",
                                    message=f"unità '{key[2]}' diversa da '{unit}' usata per la stessa serie '{key[1]}' alla riga {row}.", group="Unità di misura"))


RULE_WORDS = REGOLE_SCELTE
RULE_LISTS = REGOLE_ELENCHI


def _check_rules(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    """The SMVP rules: a number where a number is meant, within the values that can be true (schema.REGOLE_INTERVALLI),
    one of the words where words are, and no inverted pair (a 'parzialmente raggiunto' band above 'raggiunto').

    A number in this text column is read the Italian way, as in VA and VR, whatever the file's separator; the number
    read is stored beside it (column numero, which the SQL uses as it is: queries/intermediate/int_regole.sql) and the
    text is rewritten as plain Italian text ('1.000' -> '1000', '92.5' -> '92,5'), as the page of rules shows it."""
    rows = typed.attrs["row_numbers"]
    values = list(typed["valore"])
    parsed: list[float | None] = [None] * len(values)
    numbers: dict[tuple, dict[str, tuple[float, int]]] = {}
    for pos, (ente, anno, rule, value) in enumerate(zip(typed["ente"], typed["anno"], typed["regola"], values)):
        if rule is None or value is None or rule in RULE_LISTS or rule not in REGOLE_PREDEFINITE:
            continue  # a rule that is not one of the admitted ones is refused already, naming them
        if rule in RULE_WORDS:
            if value.strip().lower() not in RULE_WORDS[rule]:
                problems.append(Problem(**where, row=rows[pos], column="valore",
                                        message=f"'{value}' non valido per la regola {rule}: ammessi {', '.join(RULE_WORDS[rule])}."))
            continue
        if rule == "tetto_grado" and value.strip().lower() == "nessuno":
            continue
        low, high = REGOLE_INTERVALLI[rule]
        try:
            number = parse_number(value)
        except NumberError:
            number = None
        if number is None:
            problems.append(Problem(**where, row=rows[pos], column="valore",
                                    message=f"'{value}' non è un numero: la regola {rule} vuole un numero (es. {REGOLE_PREDEFINITE[rule][0]})."))
        elif not low <= number <= high:
            problems.append(Problem(**where, row=rows[pos], column="valore", message=(
                f"{plain_number_text(number)} fuori dai valori ammessi per la regola {rule}: da {plain_number_text(low)} "
                f"a {plain_number_text(high)}.")))
        else:
            values[pos] = plain_number_text(number)
            parsed[pos] = number
            numbers.setdefault((ente, anno), {})[rule] = (number, rows[pos])
    typed["valore"] = pd.Series(values, dtype=object, index=typed.index)
    typed["numero"] = pd.Series(parsed, dtype=object, index=typed.index)
    for (ente, anno), given in numbers.items():
        for lower, upper in REGOLE_ORDINATE:
            if lower not in given and upper not in given:
                continue
            (low, low_row), (high, high_row) = (given.get(r, (float(REGOLE_PREDEFINITE[r][0]), None)) for r in (lower, upper))
            if low > high:
                origin = {r: "" if r in given else " (valore predefinito)" for r in (lower, upper)}
                problems.append(Problem(**where, row=low_row or high_row, column="valore", message=(
                    f"regole rovesciate per {ente}, anno {anno}: {lower} = {plain_number_text(low)}{origin[lower]} è più "
                    f"alta di {upper} = {plain_number_text(high)}{origin[upper]}. {lower} deve essere minore o uguale a "
                    f"{upper}.")))


# SQL's test for a number among the operands of a method (queries/intermediate/int_ricalcolo.sql, `letterale`)
_SQL_LITERAL = re.compile(r"-?[0-9][0-9.]*(,[0-9]+)?\s*%?")


def _check_method_numbers(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    """The numbers SQL reads out of metodi_calcolo's text: the operands written as numbers in numeratore and
    denominatore, and the declared value. Each is read here the Italian way with parse_number (as the column help
    says), checked, and rewritten as plain Italian text, which SQL's cast reads to the same number ('1.5' would
    otherwise be 15 there and 1,5 here)."""
    rows = typed.attrs["row_numbers"]
    for column in ("numeratore", "denominatore"):
        values = list(typed[column])
        for pos, text in enumerate(values):
            if text is None:
                continue
            parts = text.split(";")
            for i, part in enumerate(parts):
                item = part.strip()
                if not _SQL_LITERAL.fullmatch(item):
                    continue  # a voce of cifre_chiave
                percent = "%" if item.endswith("%") else ""
                try:
                    number = parse_number(item.rstrip("%").strip())
                    message = magnitude_problem(number, item)
                except NumberError as exc:
                    message = str(exc)
                if message:
                    problems.append(Problem(**where, row=rows[pos], column=column, message=(
                        f"{message}: gli operandi sono voci di cifre_chiave o numeri scritti all'italiana "
                        "(es. 1.234,5), separati da ';'.")))
                else:
                    parts[i] = part.replace(item, plain_number_text(number) + percent)
            values[pos] = ";".join(parts)
        typed[column] = pd.Series(values, dtype=object, index=typed.index)
    declared = list(typed["dichiarato"])
    for pos, text in enumerate(declared):
        if text is None:
            continue
        try:
            parsed = parse_target(text, is_expected=False)
        except ValueParseError:
            parsed = None
        if parsed is None or parsed.tipo != "numerico":
            problems.append(Problem(**where, row=rows[pos], column="dichiarato", message=(
                f"'{text}' non è un valore numerico: scrivere il valore dichiarato come nella relazione, per esempio "
                "100% oppure 4,1 (vuoto = il valore raggiunto dell'indicatore).")))
        elif message := magnitude_problem(parsed.numero):
            problems.append(Problem(**where, row=rows[pos], column="dichiarato", message=f"{message}."))
        else:
            declared[pos] = plain_target_text(text)
    typed["dichiarato"] = pd.Series(declared, dtype=object, index=typed.index)


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_DATE_WRITTEN = (re.compile(r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"),
                 re.compile(r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?: 00:00:00)?"))  # the second: a date cell of Excel


def _check_reference_sources(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    """A public reference is shown with its source: the address, when there is one, must be a web address (the pages
    show it as a link) and the date it was read a real date, stored as GG/MM/AAAA."""
    rows = typed.attrs["row_numbers"]
    for pos, url in enumerate(typed["url"]):
        if url is not None and not _URL.fullmatch(url):
            problems.append(Problem(**where, row=rows[pos], column="url", message=(
                f"'{url}' non è un indirizzo web: deve cominciare con http:// o https:// ed essere senza spazi "
                "(lasciare la cella vuota se l'indirizzo non è registrato).")))
    dates = list(typed["consultato_il"])
    for pos, text in enumerate(dates):
        if text is None:
            continue
        day = _date_text(text)
        if day is None:
            problems.append(Problem(**where, row=rows[pos], column="consultato_il", message=(
                f"'{text}' non è una data: scriverla come GG/MM/AAAA (es. 15/03/2020).")))
        else:
            dates[pos] = day
    typed["consultato_il"] = pd.Series(dates, dtype=object, index=typed.index)


def _date_text(text: str) -> str | None:
    """'5/3/2020' or '2020-03-05' -> '05/03/2020'; None when it is not a date of the calendar."""
    for pattern in _DATE_WRITTEN:
        if match := pattern.fullmatch(text.strip()):
            try:
                day = datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
            return f"{day:%d/%m/%Y}" if ANNO_MIN <= day.year <= ANNO_MAX else None
    return None


# ------------------------------------------------------------------ look-alike keys

# (table, column) pairs that name a chamber, a code or a series; the scope of a code is its chamber
_NAMES = {"aree": ("ente", "codice"), "obiettivi": ("ente", "codice"), "indicatori": ("ente", "codice"),
          "serie_storiche": ("ente", "serie")}
_STORED_CODES = ("aree", "obiettivi", "indicatori")  # compared with the stored ones too (small tables)


def _check_lookalikes(result: Validated, sheets: dict[str, Sheet], stored: StoredRows | None) -> None:
    """A chamber, code or series whose text differs from another in the file or in the store only by letter case or
    by look-alike characters (full-width letters, ligatures) is a typing slip that would split one thing in two (a
    new chamber beside the real one, a code that no longer matches across years): refused, naming the existing one.
    Invisible characters and non-Latin letters in these columns are refused cell by cell before this."""
    known: dict[tuple, tuple[str, str]] = {}  # (what, chamber or None, folded text) -> (text as written, where)
    folded: dict[str, str] = {}

    def fold(text: str) -> str:
        if text not in folded:
            folded[text] = key_fold(text)
        return folded[text]

    if stored is not None:
        replaced = set(result.partitions())
        for name in _STORED_CODES:
            # only the key columns: every stored row of every year is read here, on every upload
            frame = stored(TABLES_BY_NAME[name], None, ("ente", "anno", "codice"))
            for ente, anno, code in zip(frame["ente"], frame["anno"], frame["codice"]):
                known.setdefault(("ente", None, fold(ente)), (ente, "già nel cruscotto"))
                if (ente, anno) not in replaced and code is not None:
                    known.setdefault(("codice", ente, fold(code)), (code, f"già nel cruscotto ({name}, anno {anno})"))
    if not _lookalikes_possible(result, sheets, known, fold):
        return
    for name, sheet in sheets.items():
        frame = result.tables.get(name)
        if frame is None or name in result.kept_from_store:
            continue
        rows = frame.attrs.get("row_numbers", [])
        columns = _NAMES.get(name, ("ente",))
        reported = set()
        for pos, values in enumerate(zip(*(frame[c] for c in columns))):
            ente = values[0]
            for column, value in zip(columns, values):
                if value is None or (ente is None and column != "ente"):
                    continue
                key = (column, None if column == "ente" else ente, fold(value))
                first = known.setdefault(key, (value, f"(foglio {sheet.name}, riga {rows[pos]})"))
                if first[0] != value and (column, value) not in reported:
                    reported.add((column, value))
                    result.problems.append(Problem(sheet.file, sheet.name, rows[pos], column, (
                        f"'{value}' è quasi uguale a '{first[0]}' {first[1]}: cambia solo per maiuscole/minuscole o per "
                        f"caratteri che sembrano uguali. Se è lo stesso, scriverlo esattamente come '{first[0]}'; se è "
                        "un altro, usare un nome diverso."), group="Codici duplicati"))


def _lookalikes_possible(result: Validated, sheets: dict[str, Sheet], known: dict, fold) -> bool:
    """Whether two different texts of the file and the store fold the same: seen on the distinct (column, chamber,
    text), each folded once, so that the usual file, which has none, is not walked row by row. First on the distinct
    texts alone: if no two of them fold the same, no two do within a column and chamber either."""
    every = {value for value, _ in known.values()}
    for name in sheets:
        frame = result.tables.get(name)
        if frame is not None and name not in result.kept_from_store:
            for column in _NAMES.get(name, ("ente",)):
                every.update(frame[column].tolist())
    every.discard(None)
    if len(set(map(fold, every))) == len(every):
        return False
    texts: dict[tuple, set] = {}
    for key, (value, _) in known.items():
        texts.setdefault(key, set()).add(value)
    for name in sheets:
        frame = result.tables.get(name)
        if frame is None or name in result.kept_from_store:
            continue
        for column in _NAMES.get(name, ("ente",)):
            # the chamber column: its distinct texts alone (no pair per row, of a chamber with itself)
            pairs = (((value, value) for value in set(frame["ente"].tolist())) if column == "ente" else
                     set(zip(frame["ente"].tolist(), frame[column].tolist())))
            for ente, value in pairs:
                if value is not None and (ente is not None or column == "ente"):
                    texts.setdefault((column, None if column == "ente" else ente, fold(value)), set()).add(value)
    return any(len(values) > 1 for values in texts.values())


# ------------------------------------------------------------------ references between tables

def _check_references(result: Validated, sheets: dict[str, Sheet]) -> None:
    t = result.tables

    def keys(frame, column="codice"):
        return set(zip(frame["ente"].tolist(), frame["anno"].tolist(), frame[column].tolist()))

    aree = keys(t["aree"])
    strategici = keys(t["obiettivi"][t["obiettivi"]["livello"] == "strategico"])
    obiettivi = keys(t["obiettivi"])
    indicatori = keys(t["indicatori"])

    def check(table, column, allowed, what, optional=False):
        frame = t.get(table)
        if frame is None or (table not in sheets and table not in result.kept_from_store):
            return
        source = sheets.get(table)
        file, sheet_name = (source.file, source.name) if source else ("dati già nel cruscotto", table)
        if not source:
            what += ": la riga è già nel cruscotto e il file toglie ciò a cui si riferisce"
        rows = frame.attrs.get("row_numbers", [])
        # plain lists, never frame.iloc: each iloc copies the frame's attrs, which made this quadratic in the rows
        livelli = frame["livello"].tolist() if "livello" in frame.columns else [None] * len(frame)
        if all((code is None and optional) or ente is None or anno is None
               or (ente, anno, code) in (allowed(livello) if callable(allowed) else allowed)
               for ente, anno, code, livello in set(zip(frame["ente"].tolist(), frame["anno"].tolist(),
                                                        frame[column].tolist(), livelli))):
            return  # every distinct reference exists: the usual case, without walking the rows
        folded_sets: dict[int, dict] = {}  # id of an allowed set (alive during this call) -> its codes by folded text
        for pos, (key, livello) in enumerate(zip(zip(frame["ente"], frame["anno"], frame[column]), livelli)):
            if (key[2] is None and optional) or key[0] is None or key[1] is None:
                continue
            allowed_here = allowed(livello) if callable(allowed) else allowed
            if key not in allowed_here:
                if id(allowed_here) not in folded_sets:
                    folded_sets[id(allowed_here)] = {(e, a, key_fold(str(c))): c for e, a, c in allowed_here if c is not None}
                similar = folded_sets[id(allowed_here)].get((key[0], key[1], key_fold(str(key[2]))))
                hint = (f" C'è '{similar}', che cambia solo per maiuscole/minuscole o caratteri simili: scriverlo "
                        "esattamente così." if similar else "")
                result.problems.append(Problem(file, sheet_name, rows[pos] if pos < len(rows) else None, column,
                                               f"'{key[2]}' non esiste {what} (ente {key[0]}, anno {key[1]}).{hint}",
                                               group="Riferimenti"))

    check("obiettivi", "codice_padre",
          lambda livello: aree if livello == "strategico" else strategici,
          "come area strategica (per un obiettivo strategico) o come obiettivo strategico (per un operativo) per lo stesso ente e anno")
    check("indicatori", "codice_obiettivo", aree | obiettivi, "tra le aree e gli obiettivi per lo stesso ente e anno")
    check("cifre_chiave", "codice_obiettivo", aree | obiettivi, "tra le aree e gli obiettivi per lo stesso ente e anno")
    check("cifre_chiave", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno", optional=True)
    check("serie_storiche", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno", optional=True)
    check("metodi_calcolo", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno")
    check("annotazioni", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno")
    _check_reference_targets(result, sheets, indicatori)
    clash = {key for key in aree & obiettivi if None not in key}  # a missing code or year is reported already
    for ente, anno, code in sorted(clash):
        result.problems.append(Problem(sheets["obiettivi"].file if "obiettivi" in sheets else "dati già nel cruscotto", "obiettivi", None, "codice",
                                       f"il codice '{code}' è usato sia da un'area sia da un obiettivo (ente {ente}, anno {anno}).", group="Codici duplicati"))


def _check_reference_targets(result: Validated, sheets: dict[str, Sheet], indicatori: set) -> None:
    """A reference that names neither a series nor an indicator of its chamber and year would be drawn nowhere: a
    warning, since it is still kept (the series may come with a later upload)."""
    frame, source = result.tables.get("riferimenti"), sheets.get("riferimenti")
    if frame is None or source is None or not len(frame):
        return
    serie = result.tables.get("serie_storiche")
    named = {(e, a, s) for e, a, s in zip(serie["ente"], serie["anno"], serie["serie"])} if serie is not None else set()
    rows = frame.attrs.get("row_numbers", [])
    for pos, key in enumerate(zip(frame["ente"], frame["anno"], frame["riferimento"])):
        if None not in key and key not in named and key not in indicatori:
            result.problems.append(Problem(source.file, source.name, rows[pos] if pos < len(rows) else None, "riferimento",
                                           f"'{key[2]}' non è né una serie storica né un indicatore dell'ente {key[0]} "
                                           f"per l'anno {key[1]}: il valore di riferimento non comparirà in nessun grafico.",
                                           AVVISO, "Riferimenti"))


# ------------------------------------------------------------------ reporting problems to people

GROUP_ORDER = ("Struttura", EMPTIED, "Formule e celle unite", "Contenuto", "Valori attesi e raggiunti", "Unità di misura",
               "Codici duplicati", "Riferimenti")


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """All problems as a table (errors first, then by group, sheet and row), Italian headings."""
    ordered = sorted(problems, key=lambda p: (p.severity != ERRORE, _group_rank(p.group), p.sheet, p.row or 0, p.column or ""))
    return pd.DataFrame({
        "Gravità": [p.severity for p in ordered],
        "Gruppo": [p.group for p in ordered],
        "File": [p.file for p in ordered],
        "Foglio": [p.sheet for p in ordered],
        "Riga": pd.array([p.row for p in ordered], dtype="Int64"),
        "Colonna": [p.column or "" for p in ordered],
        "Problema": [p.message for p in ordered],
    })


def problems_summary(problems: list[Problem]) -> pd.DataFrame:
    """How many errors and warnings per group and sheet: what to fix first."""
    frame = problems_frame(problems)
    if frame.empty:
        return pd.DataFrame(columns=["Gruppo", "Foglio", "Errori", "Avvisi"])
    frame["Errori"] = (frame["Gravità"] == ERRORE).astype(int)
    frame["Avvisi"] = (frame["Gravità"] != ERRORE).astype(int)
    out = frame.groupby(["Gruppo", "Foglio"], sort=False, as_index=False)[["Errori", "Avvisi"]].sum()
    return out


def problems_csv(problems: list[Problem]) -> bytes:
    """The problems as a CSV Italian Excel opens directly (';', UTF-8 with BOM), text never read as a formula: the
    same writer as every export (cruscotto.export.to_csv)."""
    from cruscotto.present.export import to_csv

    return to_csv(problems_frame(problems))


def _group_rank(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def _rows_of(count: int, table: str) -> str:
    """'la riga di aree' / 'le 12 righe di aree'."""
    return f"la riga di {table}" if int(count) == 1 else f"le {formatting.integer(count)} righe di {table}"
