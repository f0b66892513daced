"""The preview of an upload (or a rollback): per table, what will be added, changed and removed, by key.

An upload replaces whole (ente, anno) partitions, so the comparison is between the rows of those partitions now in
the store and the rows of the upload; rows of other partitions are untouched and not shown. Tables come from
`schema.TABLES`, so a table added to the schema is previewed without changes here.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from cruscotto.ingest.validate import Validated
from cruscotto.store.schema import TABLES, Table
from cruscotto.store.versions import current_version, in_partitions, state_at


@dataclass
class TableDiff:
    table: str
    added: pd.DataFrame  # rows only in the new data (user columns)
    removed: pd.DataFrame  # rows only in the current data
    changed: pd.DataFrame  # one row per changed cell: key columns, colonna, prima, dopo
    changed_rows: int  # rows with at least one changed cell
    unchanged: int

    @property
    def empty(self) -> bool:
        return not (len(self.added) or len(self.removed) or self.changed_rows)

    def summary(self) -> str:
        return (f"{self.table}: {len(self.added)} aggiunte, {self.changed_rows} modificate, "
                f"{len(self.removed)} rimosse, {self.unchanged} invariate")


@dataclass
class Preview:
    partitions: list[tuple[str, int]]
    tables: list[TableDiff]
    base_version: int  # the version the preview was computed against
    # tables the upload empties (a sheet with its header only, confirmed by the user) -> stored rows removed
    emptied: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)

    def counts(self) -> pd.DataFrame:
        return pd.DataFrame({
            "Tabella": [t.table for t in self.tables],
            "Aggiunte": [len(t.added) for t in self.tables],
            "Modificate": [t.changed_rows for t in self.tables],
            "Rimosse": [len(t.removed) for t in self.tables],
            "Invariate": [t.unchanged for t in self.tables],
        })


def _norm(value, kind: str):
    """One comparable value per cell: None for empty, int for whole numbers, float, or text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind in ("int", "year"):
        return int(value)
    if kind == "float":
        number = float(value)
        return int(number) if number.is_integer() else round(number, 9)
    text = str(value)
    return text if text != "" else None


def _records(table: Table, frame: pd.DataFrame) -> dict[tuple, dict]:
    kinds = {c.name: c.kind for c in table.columns}
    out = {}
    if frame is None or frame.empty:
        return out
    frame = frame.reindex(columns=table.column_names)
    for row in frame.itertuples(index=False, name=None):
        record = {name: _norm(value, kinds[name]) for name, value in zip(table.column_names, row)}
        out[tuple(record[k] for k in table.key)] = record
    return out


def diff_table(table: Table, current: pd.DataFrame, new: pd.DataFrame) -> TableDiff:
    """Compare two sets of rows of `table` by its key, on the columns a user writes (not the derived ones)."""
    before, after = _records(table, current), _records(table, new)
    added_keys = [k for k in after if k not in before]
    removed_keys = [k for k in before if k not in after]
    changes, changed_rows, unchanged = [], 0, 0
    for key in after:
        if key not in before:
            continue
        cells = [(c, before[key][c], after[key][c]) for c in table.column_names if before[key][c] != after[key][c]]
        if cells:
            changed_rows += 1
            for column, old, new_value in cells:
                changes.append({**dict(zip(table.key, key)), "colonna": column, "prima": _show(old), "dopo": _show(new_value)})
        else:
            unchanged += 1

    def rows(records, keys):
        frame = pd.DataFrame([records[k] for k in sorted(keys, key=_sort_key)], columns=table.column_names)
        return frame.astype(object).where(frame.notna(), None)

    changed = pd.DataFrame(changes, columns=[*table.key, "colonna", "prima", "dopo"])
    return TableDiff(table.name, rows(after, added_keys), rows(before, removed_keys), changed, changed_rows, unchanged)


def _sort_key(key: tuple):
    return tuple((v is None, str(v)) for v in key)


def _show(value) -> str:
    if value is None:
        return "(vuoto)"
    if isinstance(value, float):
        return f"{value:,.6g}".replace(",", "X").replace(".", ",").replace("X", ".") if abs(value) < 1e15 else str(value)
    return str(value)


def current_rows(con, table: Table, partitions) -> pd.DataFrame:
    """The rows of `partitions` now in the store."""
    if not partitions:
        return pd.DataFrame(columns=table.column_names)
    cols = ", ".join(f'"{c}"' for c in table.column_names)
    where, params = in_partitions(partitions)
    cur = con.cursor()
    try:
        return cur.execute(f'SELECT {cols} FROM "{table.name}" WHERE {where} ORDER BY rowid', params).df()
    finally:
        cur.close()


def preview(con, validated: Validated) -> Preview:
    """What importing `validated` would change, table by table (nothing is written)."""
    partitions = validated.partitions()
    base = current_version(con)
    tables = [diff_table(t, current_rows(con, t, partitions), validated.tables.get(t.name)) for t in TABLES]
    emptied = dict(validated.emptied) if validated.emptying_confirmed else {}
    return Preview(partitions, tables, base, emptied)


def preview_rollback(con, target: int) -> Preview:
    """What restoring version `target` would change: the whole of every table."""
    base = current_version(con)
    tables = []
    for t in TABLES:
        cur = con.cursor()
        try:
            now = cur.execute(f'SELECT * FROM "{t.name}"').df()
        finally:
            cur.close()
        tables.append(diff_table(t, now, state_at(con, t.name, target)))
    return Preview([], tables, base)
