"""Writing tables as an .xlsx workbook, one sheet per table (the upload format)."""
from __future__ import annotations

import io

import pandas as pd


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table, header in the first row, cells as plain values (text stays text)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_numbers": False}}) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()


def csv_folder_as_xlsx(folder) -> bytes:
    """The shipped data/ CSVs as one workbook, cells kept as the CSV text (for the two-paths test and the template)."""
    from pathlib import Path

    from cruscotto.store.schema import TABLES_BY_NAME

    folder = Path(folder)
    sheets = {}
    for name in TABLES_BY_NAME:
        path = folder / f"{name}.csv"
        if path.exists():
            sheets[name] = pd.read_csv(path, dtype=str, keep_default_na=False)
    return to_xlsx(sheets)
