"""The findings of the Verifica computed once per data version and kept in the store (table `int_rilievi`), like
the SQL tables of queries/intermediate/: a Python model of store/models.py (dbt's python models).

`model_rows` runs every check inside the transaction that changed the rows (an import: the chambers it wrote; a
rollback: the chambers it changed that still have rows; by a run per chamber or, for most of the store's chambers, by
one run over all; a new program: all), so readers see the rows and their findings change together. `findings` reads them
back: the page, the CLI and the PDF call it, one query instead of a run of every check (eleven queries).
A check may compare years of the same chamber (a code used again), so a chamber's findings are recomputed whole.
"""
from __future__ import annotations

import gc
import math

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cruscotto.store import queries
from cruscotto.store.schema import TABLES
from cruscotto.verifica.registry import COLUMNS, Finding
from cruscotto.verifica.runner import ARROW_TYPES, run_rows

# The table's columns and their types (the rows of an empty store must still say that anno is a number).
# `rango_gravita` and `posizione` keep the runner's order (severity first, then chamber, then the rest of its key):
# the severity's rank, and the finding's rank within its chamber.
ARROW_SCHEMA = pa.schema(list(ARROW_TYPES.items()))


def model_rows(cur, enti: list[str] | None) -> pa.Table:
    """The rows of int_rilievi for `enti` (None = every chamber), with the columns that keep the runner's order, as
    an Arrow table (typed by runner.ARROW_TYPES: DuckDB reads it as it is, without a pandas string per value).

    A run costs its eleven queries and their Python whatever the chambers it covers (about 40 ms), so `enti` that are
    at least half of the store's chambers (an upload of many chambers) are found by one run over all of them, keeping
    theirs: the same rows as a run per chamber, since each chamber's findings read only its own rows (a run of all is
    what `build` stores), in a fraction of the time (2,5 s instead of 5 for 62 chambers of 12 years). The findings
    come by column (runner.run_rows): no Finding per row on the write path.

    Of `enti`, only the chambers that still have rows are checked: a rollback to a version before a chamber's first
    import empties it (its findings go, none come), and counting those it emptied would make a rollback far back run
    the checks of every chamber left (2,6 s on the national store, going back 30 versions) instead of the few it
    changed."""
    # The collector paused while the checks run: they make some hundred thousand small objects (texts, dicts,
    # tuples) and each collection that starts would also walk the objects of the import around them (0,05 s of the
    # Verifica of a 100k-row import). Reference counting still frees what they drop; the few cycles wait for the
    # next collection after. The collector is left as the caller had it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _model_rows(cur, enti)
    finally:
        if enabled:
            gc.enable()


def _model_rows(cur, enti: list[str] | None) -> pa.Table:
    within = queries.InTransaction(cur)
    if enti is not None:
        enti = _with_rows(cur, enti)
        if not enti:
            return ARROW_SCHEMA.empty_table()
    if enti is not None and len(enti) * 2 < _chambers(cur):
        tables = [run_rows(within, e) for e in enti]
    else:
        tables = [run_rows(within)]
        if enti is not None:
            tables = [tables[0].filter(pc.is_in(tables[0]["ente"], pa.array(enti, pa.string())))]
    rows = pa.concat_tables(tables) if tables else ARROW_SCHEMA.empty_table()
    # Stored by chamber and year, the order the pages filter by: a chamber's rows then lie together and a read of one
    # chamber skips the others' (0,5 ms less for queries/rilievi.sql on the national store, 42.000 findings).
    return rows.sort_by([(c, "ascending") for c in ("ente", "anno", "rango_gravita", "posizione")])


def _with_rows(cur, enti: list[str]) -> list[str]:
    """The chambers of `enti` that have rows in some table of the report, in the order given."""
    present = {r[0] for r in cur.execute(
        " UNION ".join(f'SELECT DISTINCT ente FROM "{t.name}" WHERE list_contains($enti, ente)' for t in TABLES),
        {"enti": list(enti)}).fetchall()}
    return [e for e in enti if e in present]


def _chambers(cur) -> int:
    """How many chambers the store holds (those with a plan or indicators: what the checks read)."""
    return cur.execute("SELECT count(DISTINCT ente) FROM (SELECT ente FROM indicatori UNION ALL SELECT ente FROM aree "
                       "UNION ALL SELECT ente FROM obiettivi)").fetchall()[0][0]  # whole: see database.is_empty


def findings(con, ente: str | None = None, anno: int | None = None) -> list[Finding]:
    """Every finding for the chamber and year (None = all), errors first: as `run_checks` gives them, read from the
    store."""
    frame = queries.run(con, "rilievi", {"ente": ente, "anno": None if anno is None else int(anno)})
    return [Finding(**{c: _value(row[c]) for c in COLUMNS}) for row in frame.to_dict("records")]


def _value(value):
    """A plain Python value for a Finding (None for what is missing, int and float for numpy's numbers)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
