"""The DuckDB store: connection, tables and views, writes in one transaction, reads of stored rows.

It writes what it is given and never reads a file: the import pipeline (cruscotto/pipeline) reads and validates.

One process owns the database file read-write. Readers take `con.cursor()`; an import runs in one transaction, so a
reader sees the old data or the new, never a mix.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd
import pyarrow as pa

from cruscotto.store import connection, migrations, models, versions
from cruscotto.store.errors import translated
from cruscotto.store.schema import ANNOTAZIONI, TABLES, all_column_names, create_table_sql

if TYPE_CHECKING:
    from cruscotto.ingest.validate import Validated

VERSIONS_DDL = """
CREATE TABLE IF NOT EXISTS versioni (
    versione INTEGER PRIMARY KEY,
    creata_il TIMESTAMP NOT NULL,
    operazione VARCHAR NOT NULL,      -- 'import' or 'rollback'
    utente VARCHAR,
    file_name VARCHAR,
    sha256 VARCHAR,
    partizioni VARCHAR,               -- JSON list of [ente, anno] replaced
    righe VARCHAR,                    -- JSON {table: rows written}
    note VARCHAR
)
"""


def db_path() -> Path:
    """The store CRUSCOTTO_DB names (or the default file), as a path; for a store that is not a local file, its
    address (connection.target says which it is)."""
    return connection.target().path


def target(where: str | Path | connection.Target | None = None) -> connection.Target:
    """The store `where` names, else CRUSCOTTO_DB: a local file by default, or a configured remote one
    (store/connection.py)."""
    return connection.target(where)


def connect(path: str | Path | connection.Target | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The store at `path` (else CRUSCOTTO_DB, else the default file), created when missing unless `read_only` (the
    app and the CLI open it through opening.py, which first decides whether a missing store may be created). The
    connection itself comes from connection.connect, the one place that chooses and opens the store."""
    where = connection.target(path)
    if where.local and not read_only:
        where.path.parent.mkdir(parents=True, exist_ok=True)
    con = connection.connect(where, read_only=read_only)
    if not read_only:
        ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    con.execute("BEGIN")
    for table in TABLES:
        if table.name not in existing:
            con.execute(create_table_sql(table))
    con.execute(VERSIONS_DDL)
    con.execute("COMMIT")
    upgraded = migrations.upgrade(con)  # columns added to schema.py since the store was written, named migrations
    versions.ensure_history(con)
    _ensure_models(con, rebuild=bool(upgraded))  # a migration may change rows: what follows from them too


def _ensure_models(con: duckdb.DuckDBPyConnection, rebuild: bool = False) -> None:
    """The macros, views and tables of queries/ (store/models.py), rebuilt in one transaction when the program's SQL,
    schema or default rules changed since they were built, or when `rebuild`; a current store is left untouched
    (opening it writes nothing)."""
    cur = con.cursor()
    try:
        if models.is_current(cur) and not rebuild:
            return
    finally:
        cur.close()
    with versions.transaction(con) as cur:
        models.build(cur)


def schema_is_current(con) -> bool:
    """Does the store have every table, column and model this program declares? Asked on a read-only connection
    (pipeline.opening: readers write only when needed)."""
    wanted = ({("main", t.name) for t in TABLES} | {(versions.HISTORY_SCHEMA, t.name) for t in TABLES}
              | {("main", "versioni"), ("main", "schema_info"), (versions.HISTORY_SCHEMA, "inizio")})
    cur = con.cursor()
    try:
        if not wanted <= set(cur.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()):
            return False
        if migrations.needs_upgrade(con):
            return False
        return models.is_current(cur)
    finally:
        cur.close()


def recompute(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every derived table from the current rows, in one transaction: for rows written without
    write_tables (tests that insert a row the import would refuse, to see how the Verifica copes)."""
    with versions.WRITE_LOCK, versions.transaction(con) as cur:
        models.refresh(cur)


# fetchall, not fetchone: a result left unfinished keeps its transaction open, and on the app's connection (opening.py
# asks is_empty of it) that transaction, older than every import, kept DuckDB from ever checkpointing (see
# versions.transaction)
def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM indicatori").fetchall()[0][0] == 0


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The number of the latest version: the key every cached result depends on."""
    return con.execute("SELECT coalesce(max(versione), 0) FROM versioni").fetchall()[0][0]


def write_tables(con: duckdb.DuckDBPyConnection, validated: Validated, *, file_name: str, sha256: str,
                 utente: str | None = None, operazione: str = "import", note: str | None = None,
                 creata_il: str | None = None) -> int:
    """Replace every (ente, anno) partition the upload holds, in all tables, in one transaction.

    The same transaction closes the replaced rows in the history, adds the new ones, records the version
    (cruscotto/versions.py) and recomputes the derived tables of those partitions (status, valuation, recalculation,
    grado: store/models.py), so an import is all or nothing, readers never see rows without what follows from them,
    and every earlier state stays restorable; after the
    commit, the manifest beside the store. A failure of the store file (full, read-only, ...) leaves as a
    store_errors.StoreError in Italian. `creata_il` keeps the time of a version replayed by recovery.py.
    """
    if not validated.ok:
        raise ValueError("refusing to write a workbook with errors")
    with versions.WRITE_LOCK, translated(versions.database_file(con), "il caricamento"):
        version = _write_tables(con, validated, file_name, sha256, utente, operazione, note, creata_il)
        versions.write_manifest(con)
        versions.checkpoint_when_free(con)  # what the COMMIT left in the log, once the older readers are done
    return version


def _write_tables(con, validated: Validated, file_name, sha256, utente, operazione, note, creata_il) -> int:
    partitions = validated.partitions()
    with versions.transaction(con) as cur:
        version = versions.next_version(cur)
        for table in TABLES:
            if table.name in validated.kept_from_store:
                continue  # the file left it out: its rows stay as they are (rewriting them would only grow the history)
            frame = validated.tables[table.name].reindex(columns=all_column_names(table))
            if table.name == ANNOTAZIONI.name and len(frame):
                frame = _signed(cur, frame, partitions, utente, creata_il)
            if len(frame):
                cur.register("incoming", _for_duckdb(frame, table))
            versions.replace_partitions(cur, table, "incoming" if len(frame) else None, partitions, version)
            if len(frame):
                cur.unregister("incoming")
        versions.record(cur, version, operazione, utente, file_name, sha256, partitions,
                        {t.name: len(validated.tables[t.name]) for t in TABLES}, note, creata_il)
        models.refresh(cur, partitions)  # what the rules compute from these rows, in the same transaction
    return version


def _signed(cur, frame: pd.DataFrame, partitions, utente, creata_il) -> pd.DataFrame:
    """Annotations carry who wrote them and when: those of the version that last changed their text. A text that is
    new or changed gets `utente` and the time of this version (the same as its record in `versioni`); an unchanged
    text keeps its author and time, whatever the file says (so a round trip changes nothing, and nobody can sign a
    text with another's name)."""
    when = versions.run(cur, "SELECT strftime(coalesce(CAST(? AS TIMESTAMP), CAST(now() AS TIMESTAMP)), "
                             "'%Y-%m-%d %H:%M:%S')", [creata_il])[0][0]
    signed = {}
    if partitions:
        mine, pairs = versions.in_partitions(partitions)
        for ente, anno, codice, tipo, testo, autore, scritta_il in versions.run(cur, (
                f"SELECT ente, anno, codice_indicatore, tipo, testo, autore, scritta_il FROM annotazioni WHERE {mine}"),
                pairs):
            signed[(ente, int(anno), codice, tipo)] = (testo, autore, scritta_il)
    frame = frame.copy()
    authors, times = [], []
    for key, testo in zip(zip(frame["ente"], frame["anno"], frame["codice_indicatore"], frame["tipo"]), frame["testo"]):
        before = signed.get((key[0], int(key[1]), key[2], key[3]))
        unchanged = before is not None and before[0] == testo
        authors.append(before[1] if unchanged else utente)
        times.append(before[2] if unchanged else when)
    frame["autore"], frame["scritta_il"] = authors, times
    return frame


def _for_duckdb(frame: pd.DataFrame, table) -> pa.Table:
    """Give each column the type of its SQL type, so DuckDB never guesses from the first values: as an Arrow table,
    each column converted by Arrow from the column's objects (text, numbers, booleans; None and NaN as nulls), and by
    pandas' dtype when Arrow refuses a value (a number in a text column, a decimal) (pandas first turned every text
    column into its own Arrow strings, 0,2 s of the write of a 100k-row import)."""
    kinds = {c.name: c.kind for c in table.columns} | {n: ("bool" if t == "BOOLEAN" else "float" if t == "DOUBLE" else "text") for n, t in table.derived}
    return pa.table({c: _arrow_column(frame[c].to_numpy(dtype=object), kinds[c]) for c in frame.columns})


_DTYPES = {"text": "string", "int": "Int64", "year": "Int64", "float": "Float64", "bool": "boolean"}
_ARROW = {"text": pa.string(), "int": pa.int64(), "year": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}


def _arrow_column(values, kind: str) -> pa.Array:
    try:
        return pa.array(values, type=_ARROW[kind], from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        # the values as pandas converts them to the column's dtype (what the fast path leaves to it)
        return pa.array(pd.array(values, dtype=_DTYPES[kind]), type=_ARROW[kind])


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_rows(con):
    """For validate(): the rows of a table now in the store for some (ente, anno) partitions (None: every row),
    typed like a sheet."""
    def rows(table, partitions, columns=None) -> pd.DataFrame:
        cols = list(columns) if columns else all_column_names(table)  # `columns`: only these (a check of keys)
        where, params = versions.in_partitions(partitions) if partitions is not None else ("true", [])
        cur = con.cursor()
        try:
            frame = cur.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table.name}" '
                                f"WHERE {where} ORDER BY rowid", params).df()
        finally:
            cur.close()
        frame = frame.astype(object).where(frame.notna(), None)
        frame.attrs["row_numbers"] = []
        return frame
    return rows


def snapshot(con, version: int) -> duckdb.DuckDBPyConnection:
    """The store as it was at `version`, read-only in spirit: a new in-memory database holding every table's rows at
    that version (versions.state_at), the record of versions up to it and the models of queries/ computed from those rows, so that every query and
    check runs on it unchanged («come alla versione N», issue 16). Nothing is written to the store."""
    memory = connection.in_memory()
    cur = con.cursor()
    try:
        for table in TABLES:
            memory.execute(create_table_sql(table))
            rows = cur.sql(
                f"SELECT {', '.join(chr(34) + c + chr(34) for c in all_column_names(table))} "
                f"FROM {versions.history_table(table.name)} "
                "WHERE versione_da <= $v AND (versione_a IS NULL OR versione_a > $v)", params={"v": version}).to_arrow_table()
            memory.register("righe", rows)
            memory.execute(f'INSERT INTO "{table.name}" SELECT * FROM righe')
            memory.unregister("righe")
        memory.execute(VERSIONS_DDL)
        record = cur.sql("SELECT * FROM versioni WHERE versione <= $v", params={"v": version}).to_arrow_table()
        memory.register("registro", record)
        memory.execute("INSERT INTO versioni SELECT * FROM registro")
        memory.unregister("registro")
    finally:
        cur.close()
    with versions.transaction(memory) as build:  # the rules' tables, computed from that version's rows
        models.build(build)
    return memory


def read_table(con, name: str) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(f'SELECT * FROM "{name}" ORDER BY ALL').df()
    finally:
        cur.close()
