"""The preview of an upload (or a rollback): per table, what will be added, changed and removed, by key.

An upload replaces whole (ente, anno) partitions, so the comparison is between the rows of those partitions now in
the store and the rows of the upload; rows of other partitions are untouched and not shown. Tables come from
`schema.TABLES`, so a table added to the schema is previewed without changes here.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from cruscotto.ingest.validate import Validated
from cruscotto.present.formatting import plural
from cruscotto.store.schema import TABLES, Table
from cruscotto.store.versions import current_version, in_partitions, rollback_differences


@dataclass
class TableDiff:
    table: str
    changed: pd.DataFrame  # one row per changed cell: key columns, colonna, prima, dopo
    changed_rows: int  # rows with at least one changed cell
    unchanged: int
    added_rows: int  # rows only in the new data
    removed_rows: int  # rows only in the current data
    # (True: the added rows, False: the removed ones) -> them as a frame, user columns, sorted by key: built only when
    # asked (the page shows them; an import that only needs to know whether anything changes never builds them)
    rows: Callable[[bool], pd.DataFrame] = field(repr=False, compare=False)

    @cached_property
    def added(self) -> pd.DataFrame:
        return self.rows(True)

    @cached_property
    def removed(self) -> pd.DataFrame:
        return self.rows(False)

    @property
    def empty(self) -> bool:
        return not (self.added_rows or self.removed_rows or self.changed_rows)

    def summary(self) -> str:
        return (f"{self.table}: {plural(self.added_rows, 'aggiunta', 'aggiunte')}, "
                f"{plural(self.changed_rows, 'modificata', 'modificate')}, {plural(self.removed_rows, 'rimossa', 'rimosse')}, "
                f"{plural(self.unchanged, 'invariata', 'invariate')}")


@dataclass
class Preview:
    partitions: list[tuple[str, int]]
    tables: list[TableDiff]
    base_version: int  # the version the preview was computed against
    # tables the upload empties (a sheet with its header only, confirmed by the user) -> stored rows removed
    emptied: dict[str, int] = field(default_factory=dict)
    # partitions the store holds no row of yet: the upload adds them (the others it replaces)
    new_partitions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def replaced_partitions(self) -> list[tuple[str, int]]:
        return [p for p in self.partitions if p not in self.new_partitions]

    @property
    def empty(self) -> bool:
        return all(t.empty for t in self.tables)

    def counts(self) -> pd.DataFrame:
        return pd.DataFrame({
            "Tabella": [t.table for t in self.tables],
            "Aggiunte": [t.added_rows for t in self.tables],
            "Modificate": [t.changed_rows for t in self.tables],
            "Rimosse": [t.removed_rows for t in self.tables],
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


def _columns(table: Table, frame: pd.DataFrame | None, names: tuple[str, ...] | None = None) -> dict[str, list]:
    """Each user column of `frame` (or those in `names`) as a list of comparable values (_norm), column by column."""
    columns = [c for c in table.columns if names is None or c.name in names]
    if frame is None or frame.empty:
        return {c.name: [] for c in columns}
    frame = frame.reindex(columns=table.column_names)
    return {c.name: _normalized(frame[c.name].tolist(), c.kind) for c in columns}


def _normalized(values: list, kind: str) -> list:
    """[_norm(v, kind) for v in values], without a call per cell for the usual columns: text and None, whole numbers
    and None (what validate gives)."""
    types = set(map(type, values))
    if kind == "text" and types <= {str, type(None)}:
        return [value or None for value in values]
    if kind in ("int", "year") and types <= {int, type(None)}:
        return values
    if kind == "float" and types <= {float, type(None)}:  # NaN (v != v) is empty, as None
        return [None if v is None or v != v else int(v) if v.is_integer() else round(v, 9) for v in values]
    if kind in ("int", "year") and types <= {float, type(None)}:  # a stored column with NULLs, read as floats
        return [None if v is None or v != v else int(v) for v in values]
    return [_norm(value, kind) for value in values]


def _positions(table: Table, columns: dict[str, list]) -> dict[tuple, int]:
    """Key -> the position of its row (the last, should a key repeat), in the order keys first appear."""
    keys = zip(*(columns[k] for k in table.key))
    return dict(zip(keys, range(len(columns[table.key[0]]))))


def diff_table(table: Table, current: pd.DataFrame, new: pd.DataFrame) -> TableDiff:
    """Compare two sets of rows of `table` by its key, on the columns a user writes (not the derived ones)."""
    before, after = _columns(table, current), _columns(table, new)
    before_at, after_at = _positions(table, before), _positions(table, after)
    added_keys = [k for k in after_at if k not in before_at]
    removed_keys = [k for k in before_at if k not in after_at]
    common = [k for k in after_at if k in before_at]
    # the rows in both, column by column: which cells differ (Python's != on each pair, as one numpy loop)
    new_at = np.fromiter(map(after_at.__getitem__, common), dtype=np.intp, count=len(common))
    old_at = np.fromiter(map(before_at.__getitem__, common), dtype=np.intp, count=len(common))
    differs = np.zeros((len(common), len(table.column_names)), dtype=bool)
    for j, column in enumerate(table.column_names):
        differs[:, j] = _objects(before[column])[old_at] != _objects(after[column])[new_at]
    changes = []
    for i in np.flatnonzero(differs.any(axis=1)).tolist():
        for j in np.flatnonzero(differs[i]).tolist():
            column = table.column_names[j]
            changes.append({**dict(zip(table.key, common[i])), "colonna": column,
                            "prima": _show(before[column][old_at[i]]), "dopo": _show(after[column][new_at[i]])})
    changed_rows = int(differs.any(axis=1).sum())

    def rows(added: bool) -> pd.DataFrame:
        columns, at, keys = (after, after_at, added_keys) if added else (before, before_at, removed_keys)
        positions = [at[k] for k in _sorted_keys(keys)]
        frame = pd.DataFrame({c: [columns[c][p] for p in positions] for c in table.column_names}, columns=table.column_names)
        return frame.astype(object).where(frame.notna(), None)

    changed = pd.DataFrame(changes, columns=[*table.key, "colonna", "prima", "dopo"])
    return TableDiff(table.name, changed, changed_rows, len(common) - changed_rows, len(added_keys), len(removed_keys), rows)


def _objects(values: list) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _sorted_keys(keys: list[tuple]) -> list[tuple]:
    """`keys` sorted column by column as (is None, text): missing last, numbers as text; one stable pandas sort."""
    if not keys:
        return []
    sort_columns = {}
    for j, column in enumerate(zip(*keys)):
        sort_columns[f"vuoto{j}"] = np.equal(_objects(column), None)
        sort_columns[f"testo{j}"] = list(map(str, column))
    order = pd.DataFrame(sort_columns).sort_values(list(sort_columns), kind="stable").index
    return [keys[i] for i in order.tolist()]


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
    stored = {t.name: current_rows(con, t, partitions) for t in TABLES}
    tables = [diff_table(t, stored[t.name], validated.tables.get(t.name)) for t in TABLES]
    emptied = dict(validated.emptied) if validated.emptying_confirmed else {}
    present = {(r.ente, int(r.anno)) for frame in stored.values() if {"ente", "anno"} <= set(frame.columns)
               for r in frame[["ente", "anno"]].drop_duplicates().itertuples()}
    return Preview(partitions, tables, base, emptied, [p for p in partitions if (p[0], int(p[1])) not in present])


def changes(con, validated: Validated) -> bool:
    """Whether importing `validated` would change anything: `not preview(con, validated).empty`, for an import that
    needs no more than that. It stops at the first table that changes, and within a table at its keys when a row is
    added or removed (the key sets differ: the other columns need not be compared); the cells are compared, as the
    preview does, only in a table whose keys are the same on both sides."""
    partitions = validated.partitions()
    for table in TABLES:
        stored, new = current_rows(con, table, partitions), validated.tables.get(table.name)
        keys_before = _positions(table, _columns(table, stored, table.key)).keys()
        keys_after = _positions(table, _columns(table, new, table.key)).keys()
        if keys_before != keys_after or not diff_table(table, stored, new).empty:
            return True
    return False


def preview_rollback(con, target: int) -> Preview:
    """What restoring version `target` would change: the whole of every table, compared by key as an upload is.

    Only the rows that differ between now and `target` are read (versions.rollback_differences: the rows written or
    replaced since, from the history), so the cost follows what changed, not the size of the store: reading every
    table whole and comparing it in Python took 163 s on the national data for a rollback of one chamber. Of those,
    the rows whose key is on one side only (added or removed whole) are counted by DuckDB and read only when asked
    (`TableDiff.added`/`removed`, on `con`: ask while it is open); Python compares cell by cell only the rows whose
    key is on both sides. The rows equal in both are counted, not read."""
    base = current_version(con)
    return Preview([], [_rollback_table(con, t, target) for t in TABLES], base)


def _rollback_table(con, table: Table, target: int) -> TableDiff:
    sql, params = rollback_differences(target, table, table.column_names)
    cur = con.cursor()
    try:
        whole = dict(cur.execute(f"SELECT lato, count(*) FROM {sql} WHERE NOT entrambi GROUP BY lato", params).fetchall())
        both = cur.execute(f"SELECT * EXCLUDE (entrambi) FROM {sql} WHERE entrambi ORDER BY ALL", params).df()
        current = cur.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
    finally:
        cur.close()
    now, then = (both[both["lato"] == side].drop(columns="lato") for side in ("ora", "allora"))
    changed = diff_table(table, now, then)  # the rows on both sides: changed (or equal once normalised)

    def rows(added: bool) -> pd.DataFrame:
        side = "allora" if added else "ora"  # added back: the rows of `target` the current data lack
        cur = con.cursor()
        try:
            frame = cur.execute(f"SELECT * EXCLUDE (entrambi, lato) FROM {sql} WHERE NOT entrambi AND lato = $lato",
                                {**params, "lato": side}).df()
        finally:
            cur.close()
        return diff_table(table, None, frame).added if added else diff_table(table, frame, None).removed

    removed, added = whole.get("ora", 0), whole.get("allora", 0)
    # every current row is unchanged, changed or removed: those left out of the comparison are equal in both
    return replace(changed, added_rows=added, removed_rows=removed,
                   unchanged=current - removed - changed.changed_rows, rows=rows)
