"""Checking raw sheets against the schema and turning them into typed tables ready for the store.

All problems are collected (never only the first), each naming file, sheet, row and column in Italian.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from .parsing import NumberError, ValueParseError, parse_number, parse_target
from .reader import Sheet
from .schema import ANNO_MAX, ANNO_MIN, REQUIRED_TABLES, TABLES_BY_NAME, Table, all_column_names

ERRORE, AVVISO = "errore", "avviso"


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
                keys.update((e, a) for e, a in zip(frame["ente"], frame["anno"]) if e is not None and a is not None)
        return sorted(keys)


class RowNumbers(list):
    """The spreadsheet row of each typed row, kept in DataFrame.attrs. pandas deep-copies attrs on every column
    access; these numbers never change after validation, so the copy is the object itself (else 100k rows × every
    access made validation take minutes)."""

    def __deepcopy__(self, memo):
        return self


StoredRows = Callable[[Table, list[tuple[str, int]]], pd.DataFrame]


def validate(sheets: list[Sheet], stored: StoredRows | None = None) -> Validated:
    """Check `sheets` and type them. With `stored` (the rows now in the store, see store.stored_rows) a file may hold
    only some tables: each table it leaves out keeps its stored rows for the years the file replaces, and the
    required tables are needed only for a year the store does not have yet. Without `stored` (the shipped data/
    folder, `validate` on the command line) the file must be complete."""
    result = Validated()
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
    if all(t in result.tables for t in REQUIRED_TABLES):
        _check_references(result, by_table)
    return result


def _missing_sheet(file_names: list[str], name: str, detail: str = "") -> Problem:
    return Problem(", ".join(file_names), name, None, None,
                   f"manca il foglio (o il file CSV) '{name}', obbligatorio{detail}. "
                   "Scaricare il modello per vedere la struttura attesa.", group="Struttura")


def _keep_stored_tables(result: Validated, by_table: dict[str, Sheet], stored: StoredRows, file_names: list[str]) -> None:
    """Tables the file leaves out keep their stored rows for the years it replaces (a correction can be one sheet)."""
    partitions = result.partitions()
    if not partitions:
        for name in REQUIRED_TABLES:
            if name not in by_table:
                result.problems.append(_missing_sheet(file_names, name))
        return
    for table in TABLES_BY_NAME.values():
        if table.name in by_table:
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


def _check_cells(sheet: Sheet, problems: list[Problem]) -> None:
    """Formulas and merged cells in a table sheet: the store keeps figures as written, so both are refused."""
    for row, letter, formula in sheet.formulas:
        column = sheet.column_at(letter)
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
    missing = [c.name for c in table.columns if c.name not in headers and c.required]
    for name in missing:
        problems.append(Problem(**where, row=1, column=name, message=f"manca la colonna obbligatoria '{name}' ({table.column(name).help})", group="Struttura"))
    extra = [h for h in headers if h and h not in table.column_names and h not in dict(table.derived)]
    for name in extra:
        problems.append(Problem(**where, row=1, column=name, message="colonna non prevista: è ignorata.", severity=AVVISO, group="Struttura"))
    if missing or any(Counter(headers)[h] > 1 for h in headers if h):
        return None

    # Column by column over plain lists: a row-wise frame.iloc costs tens of microseconds a row (minutes at 100k rows).
    raw_columns = {h: frame[h].tolist() for h in headers if h}
    keep_rows = [pos for pos, cells in enumerate(zip(*raw_columns.values())) if not all(_blank(c) for c in cells)]
    columns: dict[str, list] = {}
    for column in table.columns:
        raws = raw_columns.get(column.name)
        values = []
        for pos in keep_rows:
            value, message = _convert(raws[pos] if raws is not None else None, column.kind, sheet.decimal)
            if message is None and column.required and value is None:
                message = f"valore obbligatorio mancante. {column.help}"
            if message is None and column.choices and value is not None and value not in column.choices:
                message = f"'{value}' non è tra i valori ammessi: {', '.join(column.choices)}."
            if message:
                problems.append(Problem(**where, row=sheet.row_number(pos), column=column.name, message=message))
            values.append(value)
        columns[column.name] = values
    typed = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})
    typed.attrs["row_numbers"] = RowNumbers(sheet.row_number(p) for p in keep_rows)
    # The checks below run even when some cells were refused (all problems at once); they skip empty values.
    _check_template_example(table, typed, where, problems)
    _check_duplicates(table, typed, where, problems)
    if table.name == "indicatori":
        typed = _parse_targets(typed, where, problems)
    if table.name == "serie_storiche":
        _check_series_units(typed, where, problems)
    if table.name == "regole":
        _check_rules(typed, where, problems)
    return typed


EXAMPLE_MARK = "(esempio) "  # cruscotto/template.py puts it before the ente of its example row


def _check_template_example(table: Table, typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    """The template's example row left in place would be loaded as data (its codes point at rows that do not exist):
    say what it is instead of a puzzling reference error."""
    rows = typed.attrs["row_numbers"]
    for pos, ente in enumerate(typed["ente"]):
        if isinstance(ente, str) and ente.startswith(EXAMPLE_MARK.strip()):
            problems.append(Problem(**where, row=rows[pos], column="ente", message=(
                "è la riga di esempio del modello: sostituirla con i propri dati oppure cancellarla.")))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _convert(raw, kind: str, decimal: str):
    """Return (value, None) or (None, Italian message)."""
    if _blank(raw):
        return None, None
    if kind == "text":
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = " ".join(str(raw).split()) if "\n" not in str(raw) else str(raw).strip()
        return text, None
    if kind in ("year", "int"):
        try:
            number = parse_number(raw, decimal)
        except NumberError:
            number = None
        if number is None or not float(number).is_integer():
            what = "un anno a quattro cifre (es. 2019)" if kind == "year" else "un numero intero"
            return None, f"'{raw}' non è {what}."
        if kind == "year" and not ANNO_MIN <= number <= ANNO_MAX:
            return None, f"anno {int(number)} fuori dall'intervallo ammesso ({ANNO_MIN}-{ANNO_MAX})."
        return int(number), None
    try:
        return parse_number(raw, decimal), None
    except NumberError:
        return None, f"'{raw}' non è un numero. Scrivere per esempio 1.234,56 oppure 89,14."


def _check_duplicates(table: Table, typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
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


def _parse_targets(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> pd.DataFrame:
    rows = typed.attrs["row_numbers"]
    parsed = {n: [] for n in ("va_tipo", "va_operatore", "va_operatore_implicito", "va_numero", "va_unita", "vr_tipo", "vr_numero", "vr_unita")}
    for pos, (va, vr) in enumerate(zip(typed["valore_atteso"], typed["valore_raggiunto"])):
        results = {}
        for prefix, text, expected in (("va", va, True), ("vr", vr, False)):
            try:
                results[prefix] = parse_target(text, expected)
            except ValueParseError:
                column = "valore_atteso" if expected else "valore_raggiunto"
                problems.append(Problem(**where, row=rows[pos], column=column, message=(
                    f"'{text}' non riconosciuto; atteso per esempio '>=80%', '<=20 giorni', '= 137,56%', '4', "
                    "oppure un testo per un traguardo qualitativo (es. 'Rispetto delle tempistiche')."), group="Valori attesi e raggiunti"))
                results[prefix] = parse_target(None, expected)
        va_p, vr_p = results["va"], results["vr"]
        if va_p.unita and vr_p.unita and va_p.unita != vr_p.unita:
            problems.append(Problem(**where, row=rows[pos], column="valore_raggiunto",
                                    message=f"unità diversa dal valore atteso: '{vr_p.unita}' contro '{va_p.unita}'.", group="Unità di misura"))
        for name, value in (("va_tipo", va_p.tipo), ("va_operatore", va_p.operatore), ("va_operatore_implicito", va_p.operatore_implicito),
                            ("va_numero", va_p.numero), ("va_unita", va_p.unita), ("vr_tipo", vr_p.tipo), ("vr_numero", vr_p.numero),
                            ("vr_unita", vr_p.unita)):
            parsed[name].append(value)
    out = typed.assign(**{name: pd.Series(values, dtype=object, index=typed.index) for name, values in parsed.items()})
    out.attrs = typed.attrs
    return out


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


RULE_WORDS = {"media": ("semplice", "ponderata"), "aggregazione": ("gerarchica", "indicatori")}
RULE_LISTS = ("parole_non_raggiunto", "parole_motivazione")


def _check_rules(typed: pd.DataFrame, where: dict, problems: list[Problem]) -> None:
    """The SMVP rules: a number where a number is meant, one of the words where words are."""
    rows = typed.attrs["row_numbers"]
    for pos, (rule, value) in enumerate(zip(typed["regola"], typed["valore"])):
        if rule is None or value is None or rule in RULE_LISTS:
            continue
        if rule in RULE_WORDS:
            if value.strip().lower() not in RULE_WORDS[rule]:
                problems.append(Problem(**where, row=rows[pos], column="valore",
                                        message=f"'{value}' non valido per la regola {rule}: ammessi {', '.join(RULE_WORDS[rule])}."))
            continue
        if rule == "tetto_grado" and value.strip().lower() == "nessuno":
            continue
        try:
            parse_number(value)
        except NumberError:
            problems.append(Problem(**where, row=rows[pos], column="valore",
                                    message=f"'{value}' non è un numero: la regola {rule} vuole un numero (es. 90)."))


# ------------------------------------------------------------------ references between tables

def _check_references(result: Validated, sheets: dict[str, Sheet]) -> None:
    t = result.tables

    def keys(frame, column="codice"):
        return set(zip(frame["ente"], frame["anno"], frame[column]))

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
        for pos, (key, livello) in enumerate(zip(zip(frame["ente"], frame["anno"], frame[column]), livelli)):
            if (key[2] is None and optional) or key[0] is None or key[1] is None:
                continue
            allowed_here = allowed(livello) if callable(allowed) else allowed
            if key not in allowed_here:
                result.problems.append(Problem(file, sheet_name, rows[pos] if pos < len(rows) else None, column,
                                               f"'{key[2]}' non esiste {what} (ente {key[0]}, anno {key[1]}).", group="Riferimenti"))

    check("obiettivi", "codice_padre",
          lambda livello: aree if livello == "strategico" else strategici,
          "come area strategica (per un obiettivo strategico) o come obiettivo strategico (per un operativo) per lo stesso ente e anno")
    check("indicatori", "codice_obiettivo", aree | obiettivi, "tra le aree e gli obiettivi per lo stesso ente e anno")
    check("cifre_chiave", "codice_obiettivo", aree | obiettivi, "tra le aree e gli obiettivi per lo stesso ente e anno")
    check("cifre_chiave", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno", optional=True)
    check("serie_storiche", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno", optional=True)
    check("metodi_calcolo", "codice_indicatore", indicatori, "tra gli indicatori per lo stesso ente e anno")
    clash = aree & obiettivi
    for ente, anno, code in sorted(clash):
        result.problems.append(Problem(sheets["obiettivi"].file if "obiettivi" in sheets else "dati già nel cruscotto", "obiettivi", None, "codice",
                                       f"il codice '{code}' è usato sia da un'area sia da un obiettivo (ente {ente}, anno {anno}).", group="Codici duplicati"))


# ------------------------------------------------------------------ reporting problems to people

GROUP_ORDER = ("Struttura", "Formule e celle unite", "Contenuto", "Valori attesi e raggiunti", "Unità di misura",
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
    """The problems as a CSV Italian Excel opens directly (';', UTF-8 with BOM), text never read as a formula."""
    frame = problems_frame(problems).astype(object)
    frame = frame.map(lambda v: "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else ("" if v is pd.NA else v))
    return frame.to_csv(sep=";", index=False).encode("utf-8-sig")


def _group_rank(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)
