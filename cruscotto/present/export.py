"""Exports of what a page shows: CSV for Italian Excel and formatted XLSX workbooks. No streamlit here.

- Headings and formats come from cruscotto.present.labels (callers pass frames already headed by labels.headed).
- CSV: UTF-8 with BOM (Excel then reads accents right), `;` between fields, `,` as decimal separator, CRLF; a whole
  number is written without decimals (20212, not 20212,0: a count stored as a float because its column has gaps).
- XLSX: bold coloured header, frozen header row, autofilter, number formats per column, and a sheet «Filtri» with
  the filters applied, the export time and the data version.
- Formula injection (OWASP «CSV injection»): a text cell that starts with = + - @, a tab, a carriage return or a line
  feed (also after spaces, and the full-width ＝ ＋ － ＠ some spreadsheets accept) could run as a formula when the
  file is opened. In every CSV the product writes (these exports, the problems of an upload, the CLI's
  `--format csv`) such a cell gets a leading apostrophe: `neutralise` / `neutralised` are the one place that decides.
  In the XLSX it is written as a string cell with Excel's «quote prefix» (the text stays exactly as it is and can
  never be a formula). Numbers are numbers, never text: -5 stays -5.
- Nothing is cut: every row of the frame is written (the page's button says how many).
"""
from __future__ import annotations

import io
import math
import re
from datetime import date, datetime

import pandas as pd

from cruscotto.present import labels
from cruscotto.present.formatting import missing

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
INFO_SHEET = "Filtri"

# Excel number formats (written in Excel's neutral syntax: Italian Excel shows 1.234,56 and 89,14%).
NUMBER_FORMATS = {
    "integer": "#,##0",
    "number": "#,##0.00",
    "percent": '#,##0.00"%"',  # values are already percentages (89.14), not fractions
    "euro": '"€" #,##0.00',
    "date": "dd/mm/yyyy hh:mm",
    "auto": "General",  # a column mixing counts and amounts: whole numbers without decimals
    "year": "0",
    "code": "0",  # a line of the report: 1141, never 1.141
}

HEADER_COLOUR = "#1F3A5F"  # the theme's primary colour


def neutralise(value):
    """A text that Excel could take for a formula gets a leading apostrophe; anything else is returned as is."""
    return "'" + value if is_dangerous(value) else value


def is_dangerous(value) -> bool:
    """A text that starts, perhaps after spaces, with one of FORMULA_PREFIXES (a number is never dangerous)."""
    return isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_PREFIXES)


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell neutralised; number, date and boolean columns untouched."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(neutralise, na_action="ignore")
    return out


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not (pd.api.types.is_numeric_dtype(frame[c]) or pd.api.types.is_datetime64_any_dtype(frame[c]))
            or pd.api.types.is_bool_dtype(frame[c])]


def to_csv(frame: pd.DataFrame) -> bytes:
    """The frame as a CSV Italian Excel opens right: BOM, `;`, decimal comma, whole numbers without decimals,
    formulas neutralised."""
    out = neutralised(frame)
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):  # after neutralising: a number is never a formula
            out[column] = out[column].map(_csv_number).astype(object)
    text = out.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n", date_format="%d/%m/%Y %H:%M")
    return ("\ufeff" + text).encode("utf-8")


def _csv_number(value: float) -> str | None:
    """20212.0 -> '20212'; 89.1425 -> '89,1425'; NaN -> an empty cell; inf -> 'inf' (as pandas writes it)."""
    if math.isnan(value):
        return None
    if math.isfinite(value) and value.is_integer():
        return str(int(value))
    return repr(value).replace(".", ",")


def column_kind(frame: pd.DataFrame, column: str, kinds: dict[str, str] | None = None) -> str:
    """How a column is formatted in the workbook: its declared kind (labels.headed), else guessed from the dtype."""
    if kinds and column in kinds:
        return kinds[column]
    return labels.guessed_kind(frame[column])


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unique Excel sheet name (at most 31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub(" ", str(name)).strip().strip("'") or "Tabella"
    base = base[:31]
    candidate, n = base, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def to_xlsx(tables: dict[str, pd.DataFrame], info: dict[str, object] | None = None,
            kinds: dict[str, dict[str, str]] | None = None) -> bytes:
    """A workbook with one sheet per table and a last sheet «Filtri» with `info` (filters, export time, version).

    `kinds` maps a table name to {column: kind} (cruscotto.present.labels.KINDS) for the number formats.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False,
                                            "nan_inf_to_errors": True})
    header = workbook.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_COLOUR, "border": 1,
                                  "text_wrap": True, "valign": "top"})
    formats = {kind: workbook.add_format({"num_format": code, "valign": "top"}) for kind, code in NUMBER_FORMATS.items()}
    formats["text"] = workbook.add_format({"valign": "top"})
    quoted = workbook.add_format({"quote_prefix": True, "valign": "top"})
    taken: set[str] = {INFO_SHEET}
    for name, frame in tables.items():
        sheet = workbook.add_worksheet(sheet_name(name, taken))
        table_kinds = (kinds or {}).get(name, {})
        columns = list(frame.columns)
        for col, title in enumerate(columns):
            sheet.write_string(0, col, str(title), header)
            kind = column_kind(frame, title, table_kinds)
            values = frame[title].tolist()
            for row, value in enumerate(values, start=1):
                _write(sheet, row, col, value, kind, formats, quoted)
            width = max([len(str(title))] + [len(str(v)) for v in values[:200] if not missing(v)] + [6])
            sheet.set_column(col, col, min(width + 2, 60))
        sheet.freeze_panes(1, 0)
        if columns:
            sheet.autofilter(0, 0, max(len(frame), 1), len(columns) - 1)
    sheet = workbook.add_worksheet(INFO_SHEET)
    sheet.write_string(0, 0, "Voce", header)
    sheet.write_string(0, 1, "Valore", header)
    for row, (key, value) in enumerate((info or {}).items(), start=1):
        sheet.write_string(row, 0, str(key))
        _write(sheet, row, 1, value, "date" if isinstance(value, (datetime, date)) else "text", formats, quoted)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 70)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, row: int, col: int, value, kind: str, formats: dict, quoted) -> None:
    if missing(value):
        sheet.write_blank(row, col, None, formats.get(kind, formats["text"]))
    elif isinstance(value, bool):
        sheet.write_string(row, col, "sì" if value else "no", formats["text"])
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, float(value) if isinstance(value, float) else value, formats.get(kind, formats["number"]))
    elif isinstance(value, (pd.Timestamp, datetime, date)):
        value = value.to_pydatetime() if isinstance(value, pd.Timestamp) else value
        sheet.write_datetime(row, col, value, formats["date"])
    else:
        text = str(value)
        sheet.write_string(row, col, text, quoted if is_dangerous(text) else formats["text"])


def info_rows(filters: dict[str, object], *, versione: int | None, exported_at: datetime | None = None,
              righe: dict[str, int] | None = None) -> dict[str, object]:
    """The content of the «Filtri» sheet: each filter, the export time and the data version."""
    info: dict[str, object] = {}
    for key, value in filters.items():
        info[f"Filtro: {key}"] = "tutti" if value in (None, "", [], ()) else (", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value)
    info["Esportato il"] = (exported_at or datetime.now()).replace(microsecond=0)
    info["Versione dei dati"] = versione if versione is not None else ""
    for name, count in (righe or {}).items():
        info[f"Righe: {name}"] = count
    return info
