"""Versions of the data: every state the store has been in stays restorable.

How it works
- For every table of the schema, `storia.<table>` holds every row the table ever had, with the range of versions it
  was valid in: `versione_da` (the version that wrote it) and `versione_a` (the version that replaced it, NULL while
  it is current). The state at version V is `versione_da <= V AND (versione_a IS NULL OR versione_a > V)`; the
  current table always equals the rows of its history with `versione_a IS NULL`.
- An import and a rollback change the current tables, their history, the `versioni` record and the derived tables
  (store/models.py) in ONE DuckDB transaction (`store.write_tables`, `rollback`): a reader sees the old version or
  the new, never a mix, and a
  process killed in the middle leaves the previous version (DuckDB discards the uncommitted transaction).
- A rollback costs what changed since the version it restores, not the size of the store: the history's version
  columns say which (ente, anno) partitions changed (_changed_partitions); only those are written, in batches of at
  most BATCH_ROWS rows, and the history grows by the rows that differ. A restored partition gets its rows in the
  order of the history, which is the order the restored version had when its rows were last written by an import
  or written back whole by a rollback; after a rollback that rewrote only some rows of a partition, restoring that
  version gives the same rows in the history's order (a known limit).
- The uploaded file is archived beside the store, in `<db file stem>.archivio/`, named by its sha256 (content
  addressed: written before the transaction, so a crash leaves at most an unused file, never a version without its
  file).
- A store created before the history existed gets its current rows as the history of its latest version
  (`storia.inizio` records from which version on the states are complete).
- After every commit the whole record of versions is also written beside the store, in `<db file stem>.versioni.json`
  (the manifest: number, time, operation, user, file, sha256, years, rows, and for a rollback the version restored).
  With the archive it is what shows that a missing store existed, and what recovery.py replays to rebuild it.

Nothing here imports streamlit; the page and the CLI call the same functions.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from cruscotto.store import connection, models
from cruscotto.store.errors import translated
from cruscotto.store.schema import TABLES, all_column_names

log = logging.getLogger(__name__)

HISTORY_SCHEMA = "storia"
# One writer at a time in this process (the app's sessions share one connection): an import or a rollback holds it
# from "which version is next" to COMMIT. Readers never take it.
WRITE_LOCK = threading.RLock()


class VersionError(ValueError):
    """A rollback that cannot be done; the message is Italian."""


@dataclass(frozen=True)
class Version:
    versione: int
    creata_il: object
    operazione: str
    utente: str | None
    file_name: str | None
    sha256: str | None
    partizioni: list
    righe: dict
    note: str | None


# ------------------------------------------------------------------ schema of the history

def history_table(name: str) -> str:
    return f'{HISTORY_SCHEMA}."{name}"'


def ensure_history(con: duckdb.DuckDBPyConnection) -> None:
    """Create the history tables that are missing (idempotent, and writes nothing when they all exist).

    A table that gets its history only now (an older store, or a table added to the schema later) starts with its
    current rows, valid from the latest version.
    """
    existing = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = ?", [HISTORY_SCHEMA]).fetchall()}
    missing = [t for t in TABLES if t.name not in existing]
    if not missing and "inizio" in existing:
        return
    with transaction(con) as cur:
        run(cur, f"CREATE SCHEMA IF NOT EXISTS {HISTORY_SCHEMA}")
        latest = run(cur, "SELECT coalesce(max(versione), 0) FROM versioni")[0][0]
        if "inizio" not in existing:
            run(cur, f"CREATE TABLE {HISTORY_SCHEMA}.inizio (versione INTEGER NOT NULL)")
            run(cur, f"INSERT INTO {HISTORY_SCHEMA}.inizio VALUES (?)", [latest])
        for table in missing:
            columns = [f'"{c.name}" {c.sql_type}' for c in table.columns] + [f'"{n}" {t}' for n, t in table.derived]
            columns += ["versione_da INTEGER NOT NULL", "versione_a INTEGER"]
            run(cur, f"CREATE TABLE {history_table(table.name)} ({', '.join(columns)})")
            cols = _quoted(all_column_names(table))
            run(cur, f'INSERT INTO {history_table(table.name)} ({cols}, versione_da) SELECT {cols}, ? FROM "{table.name}"', [latest])


def first_restorable(con) -> int:
    """The oldest version whose state can be rebuilt (1 for a store that always had its history)."""
    return max(1, _read(con, f"SELECT min(versione) FROM {HISTORY_SCHEMA}.inizio")[0][0] or 1)


def run(cur, sql: str, params=None) -> list:
    """Execute and fetch at once: DuckDB 2.0 refuses new work on a cursor with an unfinished result."""
    return cur.execute(sql, params or []).fetchall()


def _read(con, sql: str, params=None) -> list:
    """A read on its own cursor: the app shares one connection between threads, never its default cursor."""
    cur = con.cursor()
    try:
        return run(cur, sql, params)
    finally:
        cur.close()


@contextlib.contextmanager
def transaction(con):
    """A cursor in an open transaction: COMMIT when the block ends, ROLLBACK if anything in it fails (a killed
    process leaves the previous state, as DuckDB never sees the COMMIT).

    What a large COMMIT costs (DuckDB 2.0.1): a transaction whose changes would write more than
    `checkpoint_threshold` (16 MiB) to the WAL is not written to the WAL at all: the COMMIT checkpoints, writing the
    new rows compressed into the file, and returns when that is done (a process killed before leaves the file as it
    was). A 100k-row import (its rows, their history, the derived tables: about 145 MB in WAL form, 22 MB in the
    file) spends 0,5-0,9 s there. Raising the threshold was measured and not adopted: the COMMIT then writes the
    145 MB WAL (0,36 s) and the checkpoint still follows (0,55-0,65 s at the next large commit or at close, or a
    0,7 s replay of the WAL when the store is reopened after a crash): more work in all, only later.

    Except while a transaction older than the COMMIT is open on another cursor, as in the app: a page run reads in
    one read transaction (ui/data.py) and «Carica dati» commits inside its own run. DuckDB then skips the checkpoint:
    the COMMIT writes the WAL (0,35 s) and the rows stay there, and in memory, until a later large COMMIT made with
    no older transaction open, or the close (measured 03/12/2026 with a cursor whose transaction began before the
    import: three 100k imports in a row left a 385 MB WAL and 457 MB of DuckDB memory; a one-row write in between
    does not checkpoint; the close took 0,86 s). Meanwhile a query of one chamber and year is as fast as after the
    checkpoint, and a crash replays the WAL at open (0,48 s for one import). A CHECKPOINT of our own fails at once
    ("other write transactions active") while a transaction older than the write is open, runs beside younger
    readers without blocking them, and `con.close()` refuses while a cursor of the connection runs it ("connection
    is busy"): a checkpoint left to a thread must hold WRITE_LOCK, which the app's close in ui/data.py takes."""
    cur = con.cursor()
    try:
        run(cur, "BEGIN TRANSACTION")
        yield cur
        run(cur, "COMMIT")
    except BaseException:
        abort(cur)
        raise
    finally:
        cur.close()


# How long a checkpoint left to a thread waits for the transactions older than the write: a page run lasts well
# under a second; past this, a later large COMMIT or the close writes the log into the file.
CHECKPOINT_PAUSE_S, CHECKPOINT_WAIT_S = 0.25, 120.0
_SIZE = re.compile(r"^\s*([\d.]+)\s*(bytes|KiB|MiB|GiB|TiB)\s*$")


def checkpoint_when_free(con) -> None:
    """After a large write (an import, a rollback), under WRITE_LOCK: when its COMMIT could not checkpoint because a
    transaction older than it was open (in the app, always: see `transaction`), write the log into the store file as
    soon as those transactions end, in a thread, so that the rows of successive imports do not pile up in the log
    and in memory until the server stops (three 100k imports: a 385 MB log, 457 MB of DuckDB memory). Nothing to
    do, and no thread, when the COMMIT checkpointed (the command line, the tests, a store nobody was reading) or the
    store is not a local file."""
    try:
        db = database_file(con)
        if db is None or not _log_pending(con, Path(f"{db}.wal")):
            return
    except (duckdb.Error, OSError):
        return  # the write is committed whatever this says: the log is then DuckDB's, as before
    threading.Thread(target=_checkpoint_when_free, args=(con, Path(f"{db}.wal")), name="checkpoint",
                     daemon=True).start()


def _checkpoint_when_free(con, wal: Path) -> None:
    """Try CHECKPOINT every CHECKPOINT_PAUSE_S until it runs. It holds WRITE_LOCK while it tries: no write starts
    meanwhile, and the app closes the connection only under that lock (`Opened.close`, ui/data.py), since
    `con.close()` refuses while a cursor of it runs. It fails at once while a transaction older than the write is
    open; it runs beside younger readers without blocking them (a query during it: 13 ms as before it)."""
    deadline = time.monotonic() + CHECKPOINT_WAIT_S
    while time.monotonic() < deadline:
        with WRITE_LOCK:
            try:
                if not _log_pending(con, wal):
                    return  # a later COMMIT checkpointed meanwhile
                cur = con.cursor()
                try:
                    run(cur, "CHECKPOINT")
                    return
                finally:
                    cur.close()
            except duckdb.TransactionException:
                pass  # a transaction older than the write is still open: try again after a pause
            except duckdb.Error:
                return  # the connection was closed (which checkpoints) or the store replaced: nothing left to do
        time.sleep(CHECKPOINT_PAUSE_S)
    log.info("checkpoint left to DuckDB: transactions older than the write still open after %.0f s", CHECKPOINT_WAIT_S)


def _log_pending(con, wal: Path) -> bool:
    """Is the store's log (`.wal`) past `checkpoint_threshold`, the size at which a COMMIT checkpoints?"""
    try:
        size = wal.stat().st_size
    except OSError:
        return False
    threshold = _SIZE.match(_read(con, "SELECT current_setting('checkpoint_threshold')")[0][0])
    if threshold is None:
        return False  # a way of writing sizes DuckDB did not use in 2.0: left to DuckDB, as before
    number, unit = threshold.groups()  # DuckDB writes the size as '16.0 MiB' or '1000 bytes'
    return size > float(number) * 1024 ** ("bytes", "KiB", "MiB", "GiB", "TiB").index(unit)


def abort(cur) -> None:
    """Roll back the open transaction of `cur`, even when a statement failed half-way (closing the cursor would
    roll back too: this only makes it explicit)."""
    try:
        cur.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _quoted(names) -> str:
    return ", ".join(f'"{n}"' for n in names)


# ------------------------------------------------------------------ writing (inside the caller's transaction)

def next_version(cur) -> int:
    return run(cur, "SELECT coalesce(max(versione), 0) + 1 FROM versioni")[0][0]


def replace_partitions(cur, table, frame_name: str | None, partitions, version: int) -> None:
    """In the open transaction of `cur`: the (ente, anno) partitions of `table` become the rows of the registered
    frame `frame_name` (None = no rows), in the current table and in its history."""
    cols = _quoted(all_column_names(table))
    if partitions:
        # one statement for all partitions (a workbook of many chambers and years holds hundreds of them), on bound
        # lists that DuckDB can skip row groups by: a semi-join on a registered frame of the pairs read every row
        # (0,07 s for each of the two statements on the 4,9 million series rows of the national store, now 0,003 s)
        mine, pairs = in_partitions(partitions)
        run(cur, f'DELETE FROM "{table.name}" WHERE {mine}', pairs)
        run(cur, f"UPDATE {history_table(table.name)} SET versione_a = ? WHERE versione_a IS NULL AND {mine}",
            [version, *pairs])
    if frame_name:
        run(cur, f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM {frame_name}')
        run(cur, f"INSERT INTO {history_table(table.name)} ({cols}, versione_da) SELECT {cols}, ? FROM {frame_name}", [version])


def record(cur, version: int, operazione: str, utente, file_name, sha256, partitions, rows: dict, note=None,
           creata_il=None) -> None:
    """`creata_il` (ISO text) keeps the original time of a version replayed by recovery.py; otherwise now."""
    run(cur,
        "INSERT INTO versioni VALUES (?, coalesce(CAST(? AS TIMESTAMP), CAST(now() AS TIMESTAMP)), ?, ?, ?, ?, ?, ?, ?)",
        [version, creata_il, operazione, utente, file_name, sha256, json.dumps([list(p) for p in partitions]),
         json.dumps(rows), note],
    )


# ------------------------------------------------------------------ reading

def in_partitions(partitions) -> tuple[str, list]:
    """A WHERE condition keeping the rows of `partitions` ((ente, anno) pairs), and its parameters: one semi-join on
    two bound lists, whatever their number (an OR per partition cost 0,1-0,2 s a query for a workbook of 62 chambers
    × 12 years)."""
    return ("(ente, anno) IN (SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]))",
            [[ente for ente, _ in partitions], [int(anno) for _, anno in partitions]])


def list_versions(con) -> list[Version]:
    cur = con.cursor()
    try:
        rows = cur.execute("SELECT versione, creata_il, operazione, utente, file_name, sha256, partizioni, righe, note "
                           "FROM versioni ORDER BY versione DESC").fetchall()
    finally:
        cur.close()
    return [Version(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6] or "[]"), json.loads(r[7] or "{}"), r[8]) for r in rows]


def versions_frame(con) -> pd.DataFrame:
    """The record as a table for people: newest first, Italian headings."""
    items = list_versions(con)
    current = items[0].versione if items else None
    return pd.DataFrame({
        "Versione": [v.versione for v in items],
        "Corrente": ["sì" if v.versione == current else "" for v in items],
        "Data e ora": [pd.Timestamp(v.creata_il).strftime("%d/%m/%Y %H:%M:%S") for v in items],
        "Operazione": [v.operazione for v in items],
        "Utente": [v.utente or "" for v in items],
        "File": [v.file_name or "" for v in items],
        "Anni (ente)": ["; ".join(f"{a} ({e})" for e, a in v.partizioni) for v in items],
        "Righe": [", ".join(f"{t} {n}" for t, n in v.righe.items()) for v in items],
        "Note": [v.note or "" for v in items],
        "sha256": [v.sha256 or "" for v in items],
    })


def current_version(con) -> int:
    return _read(con, "SELECT coalesce(max(versione), 0) FROM versioni")[0][0]


def state_at(con, table_name: str, version: int) -> pd.DataFrame:
    """The rows `table_name` had at `version`, ordered, with the columns of the current table."""
    table = next(t for t in TABLES if t.name == table_name)
    cur = con.cursor()
    try:
        return cur.execute(
            f"SELECT {_quoted(all_column_names(table))} FROM {history_table(table.name)} "
            "WHERE versione_da <= ? AND (versione_a IS NULL OR versione_a > ?) ORDER BY ALL", [version, version]).df()
    finally:
        cur.close()


# ------------------------------------------------------------------ rollback

ROLLBACK_NOTE = "ripristino della versione {target}"  # every rollback's note starts so: the manifest reads the target


def rollback(con, target: int, utente: str | None = None, note: str | None = None, creata_il=None,
             enti_ammessi: frozenset[str] | None = None, expected_version: int | None = None) -> int:
    """Make the state of version `target` the current data, as a NEW version (the record only grows).

    One transaction: in every table, the (ente, anno) partitions that differ from `target` (only those are written,
    in batches of at most BATCH_ROWS rows: _restore_table), the `versioni` record and the derived tables and
    findings of those partitions, or nothing; then the manifest. Readers see the old version or the new, never a
    half restore.
    A failure of the store file (full, read-only, ...) leaves as a store_errors.StoreError in Italian.
    `enti_ammessi` (an editor's chambers; None = every chamber): a rollback that would change another chamber's data
    is refused whole (VersionError), checked under the write lock so that nothing can slip in between.
    `expected_version` is the version the person saw the preview of the rollback on: if another import or rollback
    happened since, nothing is written (VersionError), so that nobody confirms a preview that is no longer true.
    """
    with WRITE_LOCK, translated(database_file(con), "il ripristino"):
        if expected_version is not None and (now := current_version(con)) != expected_version:
            raise VersionError(f"i dati sono cambiati dopo l'anteprima (ora versione {now}, anteprima sulla versione "
                               f"{expected_version}): rivedere l'anteprima del ripristino e confermare di nuovo.")
        if enti_ammessi is not None and (others := sorted(chambers_changed_by_rollback(con, target) - enti_ammessi)):
            raise VersionError(f"ripristinare la versione {target} cambierebbe anche i dati di "
                               f"{', '.join(others)}, che non si possono modificare con questo accesso: nessun dato "
                               "è stato cambiato. Il ripristino va chiesto a chi può modificare tutti quegli enti.")
        version = _rollback(con, target, utente, note, creata_il)
        write_manifest(con)
        checkpoint_when_free(con)
    return version


def rollback_differences(target: int, table, columns) -> tuple[str, dict]:
    """SQL giving the rows of `table` that differ between now and version `target` (their `columns`, `lato`: 'allora'
    for a row of version `target`, 'ora' for a current row, and `entrambi`: whether its key is on both sides, i.e.
    the row changed rather than being added or removed whole), and its parameters: what the preview of a rollback
    shows (diff.preview_rollback). The rollback itself works by partition (_restore_table).

    Only the rows written or replaced after `target` can differ (a row valid at `target` and still current is in
    both), so the history is read for those alone: `allora` = valid at `target`, replaced since; `ora` = current,
    written since. The two are matched by key (unique in every state: validate refuses a repeated key), and a pair
    whose cells are all equal (a later version wrote the row back as it was, as every rollback does) cancels out.
    The cost follows what changed since `target`, not the size of the store: comparing whole tables (EXCEPT ALL)
    took 37 s on the national data for a rollback of one chamber."""
    hist = history_table(table.name)
    then = f"SELECT {_quoted(columns)}, true AS presente FROM {hist} WHERE versione_da <= $v AND versione_a > $v"
    now = f"SELECT {_quoted(columns)}, true AS presente FROM {hist} WHERE versione_a IS NULL AND versione_da > $v"
    same_key = " AND ".join(f'a."{k}" IS NOT DISTINCT FROM o."{k}"' for k in table.key)
    same_row = f"row({_prefixed('a', columns)}) IS NOT DISTINCT FROM row({_prefixed('o', columns)})"
    pairs = (f"SELECT {_prefixed('a', columns, 'allora_')}, {_prefixed('o', columns, 'ora_')}, "
             "a.presente IS NOT NULL AS in_allora, o.presente IS NOT NULL AS in_ora "
             f"FROM ({then}) AS a FULL JOIN ({now}) AS o ON {same_key} "
             f"WHERE a.presente IS NULL OR o.presente IS NULL OR NOT ({same_row})")
    return (f"(WITH coppie AS ({pairs}) "
            f"SELECT {_unprefixed('allora_', columns)}, 'allora' AS lato, in_ora AS entrambi FROM coppie WHERE in_allora "
            f"UNION ALL SELECT {_unprefixed('ora_', columns)}, 'ora' AS lato, in_allora AS entrambi FROM coppie WHERE in_ora)",
            {"v": int(target)})


def _prefixed(alias: str, columns, prefix: str | None = None) -> str:
    """a."x", a."y" (or, with a prefix, a."x" AS "allora_x", …)."""
    return ", ".join(f'{alias}."{c}"' + (f' AS "{prefix}{c}"' if prefix else "") for c in columns)


def _unprefixed(prefix: str, columns) -> str:
    return ", ".join(f'"{prefix}{c}" AS "{c}"' for c in columns)


def chambers_changed_by_rollback(con, target: int) -> set[str]:
    """The chambers whose rows differ between now and version `target`: what restoring it would change.

    The same plan as the rollback itself (_changed_partitions, then the key matching of the partitions present on
    both sides), read only: a chamber is named when a rollback would rewrite one of its partitions."""
    changed: set[str] = set()

    def fetch(sql, params=None):
        return _read(con, sql, params)

    for table in TABLES:
        parts = _changed_partitions(fetch, table, target)
        changed |= {p.ente for p in parts if p.kind != "entrambe"}
        for batch in batches([p for p in parts if p.kind == "entrambe" and p.ente not in changed]):
            sql, params = _pairs_sql(table, target, batch)
            changed |= {r[0] for r in fetch(f"SELECT DISTINCT ente FROM ({sql})", params)}
    return changed


# A rollback works on at most this many history rows per statement (a batch of whole partitions; a partition larger
# than this is a batch of its own), so that its joins and sorts never hold a large share of the store at once: going
# back 30 versions on the national store (2,3 million rows of series removed) held 1,7 GB when done in one go.
BATCH_ROWS = 250_000


@dataclass(frozen=True)
class PartitionChange:
    """How one (ente, anno) partition of a table differs between now and a rollback's target, counted in the
    history: `allora` rows valid at the target and replaced since, `ora` current rows written since, `uguali` rows
    valid at the target and still current."""
    ente: str
    anno: int
    allora: int
    ora: int
    uguali: int

    @property
    def kind(self) -> str:
        """'aggiunta' (the partition exists only at the target: written back whole), 'rimossa' (only now: removed
        whole) or 'entrambe' (on both sides: its rows are matched by key to know whether it changed)."""
        if not self.ora and not self.uguali:
            return "aggiunta"
        if not self.allora and not self.uguali:
            return "rimossa"
        return "entrambe"

    @property
    def rows(self) -> int:
        return self.allora + self.ora + self.uguali


def _changed_partitions(fetch, table, target: int) -> list[PartitionChange]:
    """The partitions of `table` with rows written or replaced after `target` (the others are the same now and
    then), in (ente, anno) order: aggregates of the history's version columns, no row read whole. The rows still
    current since `target` are counted for those partitions alone (counting them everywhere made undoing the last
    import of one chamber-year read every current row of the national history: 84 ms instead of 6)."""
    hist = history_table(table.name)
    rows = fetch(
        "WITH cambiate AS (SELECT ente, anno, count(*) FILTER (versione_da <= $v AND versione_a > $v) AS allora, "
        "count(*) FILTER (versione_a IS NULL AND versione_da > $v) AS ora "
        f"FROM {hist} WHERE versione_da > $v OR versione_a > $v GROUP BY ente, anno HAVING allora > 0 OR ora > 0), "
        f"uguali AS (SELECT ente, anno, count(*) AS uguali FROM {hist} WHERE versione_a IS NULL AND versione_da <= $v "
        "AND (ente, anno) IN (SELECT ente, anno FROM cambiate) GROUP BY ente, anno) "
        "SELECT ente, anno, allora, ora, coalesce(uguali, 0) FROM cambiate LEFT JOIN uguali USING (ente, anno) "
        "ORDER BY ente, anno", {"v": int(target)})
    return [PartitionChange(e, int(a), allora, ora, uguali) for e, a, allora, ora, uguali in rows]


def batches(parts: list[PartitionChange]) -> list[list[PartitionChange]]:
    """`parts` in order, grouped so that each group holds at most BATCH_ROWS rows (a larger partition alone)."""
    groups: list[list[PartitionChange]] = []
    size = 0
    for part in parts:
        if groups and size + part.rows <= BATCH_ROWS:
            groups[-1].append(part)
            size += part.rows
        else:
            groups.append([part])
            size = part.rows
    return groups


_IN_BATCH = "(ente, anno) IN (SELECT unnest($enti::VARCHAR[]), unnest($anni::INTEGER[]))"
_AT_TARGET = "versione_da <= $v AND (versione_a IS NULL OR versione_a > $v)"


def _batch_params(parts, target: int, **more) -> dict:
    return {"enti": [p[0] if isinstance(p, tuple) else p.ente for p in parts],
            "anni": [int(p[1] if isinstance(p, tuple) else p.anno) for p in parts], "v": int(target), **more}


def _used(sql: str, params: dict) -> dict:
    """The named parameters `sql` uses (DuckDB refuses any other)."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _pairs_sql(table, target: int, batch) -> tuple[str, dict]:
    """SQL matching by key, in the partitions of `batch`, the rows of version `target` replaced since (`allora`)
    with the current rows written since (`ora`), and giving the pairs that differ (a key on one side only, or a cell
    that differs) as their history row numbers (rowid; NULL for the missing side) with their partition: the rows
    themselves stay in the history."""
    hist = history_table(table.name)
    columns = all_column_names(table)
    then = f"SELECT rowid AS _riga_storia, {_quoted(columns)} FROM {hist} WHERE versione_da <= $v AND versione_a > $v AND {_IN_BATCH}"
    now = f"SELECT rowid AS _riga_storia, {_quoted(columns)} FROM {hist} WHERE versione_a IS NULL AND versione_da > $v AND {_IN_BATCH}"
    same_key = " AND ".join(f'a."{k}" IS NOT DISTINCT FROM o."{k}"' for k in table.key)
    same_row = f"row({_prefixed('a', columns)}) IS NOT DISTINCT FROM row({_prefixed('o', columns)})"
    return (f"SELECT coalesce(a.ente, o.ente) AS ente, coalesce(a.anno, o.anno) AS anno, a._riga_storia AS allora, "
            f"o._riga_storia AS ora FROM ({then}) AS a FULL JOIN ({now}) AS o ON {same_key} "
            f"WHERE a._riga_storia IS NULL OR o._riga_storia IS NULL OR NOT ({same_row})", _batch_params(batch, target))


def _rollback(con, target: int, utente, note, creata_il) -> int:
    current = current_version(con)
    if not isinstance(target, int) or target < 1 or target > current:
        raise VersionError(f"la versione {target} non esiste: le versioni vanno da 1 a {current}.")
    if target == current:
        raise VersionError(f"la versione {target} è già quella corrente: non c'è nulla da ripristinare.")
    oldest = first_restorable(con)
    if target < oldest:
        raise VersionError(f"la versione {target} è precedente all'inizio dello storico (versione {oldest}): non si può ripristinare.")
    with transaction(con) as cur:
        version = next_version(cur)
        rows, touched = {}, set()
        for table in TABLES:
            touched |= _restore_table(cur, table, target, version)
            rows[table.name] = run(cur, f'SELECT count(*) FROM "{table.name}"')[0][0]  # the rows of version `target`
        partitions = sorted({tuple(r) for r in run(cur,
            " UNION ".join(f'SELECT DISTINCT ente, anno FROM "{t.name}"' for t in TABLES))})
        text = ROLLBACK_NOTE.format(target=target) + (f" · {note}" if note else "")
        record(cur, version, "rollback", utente, None, None, partitions, rows, text, creata_il)
        # what the rules compute from the rows, for the partitions whose rows changed (as an import of them would)
        models.refresh(cur, sorted(touched))
    return version


def _restore_table(cur, table, target: int, version: int) -> set[tuple[str, int]]:
    """In the open transaction of `cur`: make `table` hold the rows of version `target`, touching only the
    partitions that differ (_changed_partitions), in batches of at most BATCH_ROWS rows. Returns those partitions.

    - A partition only at the target is written back whole, one only now is removed whole (table and history).
    - A partition on both sides is matched by key (_pairs_sql, row numbers only): when no row differs it stays as it
      is; otherwise the history closes the current rows that differ and writes again the target's rows that differ
      (it grows by what changed, and a later preview reads only that), while the table gets the whole partition
      again, the target's rows in history order.
    Every write of the table is in history order (rowid), so a partition's rows come back in the order the target
    had when its rows were last written by an import or written back whole by a rollback (a rollback that rewrote
    only some rows of a partition leaves the history in another order than its table: restoring that version gives
    the same rows, in the history's order)."""
    def execute(sql, params):
        return run(cur, sql, _used(sql, params))

    columns = all_column_names(table)
    cols, hist, name = _quoted(columns), history_table(table.name), table.name
    parts = _changed_partitions(lambda sql, params=None: run(cur, sql, params), table, target)
    touched: set[tuple[str, int]] = set()

    def write_back(params) -> None:  # the whole partitions of `params`, as at the target, in history order
        execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM {hist} WHERE {_AT_TARGET} AND {_IN_BATCH} '
                 "ORDER BY rowid", params)

    for batch in batches([p for p in parts if p.kind == "rimossa"]):
        params = _batch_params(batch, target, nuova=version)
        execute(f'DELETE FROM "{name}" WHERE {_IN_BATCH}', params)
        execute(f"UPDATE {hist} SET versione_a = $nuova WHERE versione_a IS NULL AND {_IN_BATCH}", params)
        touched |= {(p.ente, p.anno) for p in batch}
    for batch in batches([p for p in parts if p.kind == "aggiunta"]):
        params = _batch_params(batch, target, nuova=version)
        write_back(params)
        execute(f"INSERT INTO {hist} ({cols}, versione_da) SELECT {cols}, $nuova FROM {hist} "
                 f"WHERE {_AT_TARGET} AND {_IN_BATCH} ORDER BY rowid", params)
        touched |= {(p.ente, p.anno) for p in batch}
    for batch in batches([p for p in parts if p.kind == "entrambe"]):
        sql, params = _pairs_sql(table, target, batch)
        execute(f"CREATE OR REPLACE TEMP TABLE ripristino_righe AS {sql}", params)
        changed = [(e, int(a)) for e, a in run(cur, "SELECT DISTINCT ente, anno FROM ripristino_righe ORDER BY ALL")]
        if changed:
            params = _batch_params(changed, target, nuova=version)
            execute(f"UPDATE {hist} SET versione_a = $nuova WHERE versione_a IS NULL AND versione_da > $v AND "
                     f"{_IN_BATCH} AND rowid IN (SELECT ora FROM ripristino_righe WHERE ora IS NOT NULL)", params)
            execute(f"INSERT INTO {hist} ({cols}, versione_da) SELECT {cols}, $nuova FROM {hist} "
                     f"WHERE versione_da <= $v AND versione_a > $v AND {_IN_BATCH} "
                     "AND rowid IN (SELECT allora FROM ripristino_righe WHERE allora IS NOT NULL) ORDER BY rowid", params)
            execute(f'DELETE FROM "{name}" WHERE {_IN_BATCH}', params)
            write_back(params)
            touched |= set(changed)
        run(cur, "DROP TABLE ripristino_righe")  # (a failure leaves it to the ROLLBACK of the whole transaction)
    return touched


# ------------------------------------------------------------------ archive of uploaded files

def database_file(con) -> Path | None:
    """The store's file; None for a store in memory or not on this computer (MotherDuck: no archive or manifest
    beside it, the service keeps its own copies)."""
    rows = _read(con, "SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
    if not rows or not rows[0][0]:
        return None
    where = connection.target(str(rows[0][0]))
    return where.path if where.local else None


def archive_dir(con) -> Path | None:
    db = database_file(con)
    return archive_path(db) if db else None


def archive_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.archivio")


def archived_path(db: Path, sha256: str, file_name: str | None) -> Path:
    return archive_path(db) / f"{sha256}{_safe_suffix(file_name)}"


def archived_files(db: Path) -> list[Path]:
    """The files in the archive of the store `db` (not the half-written ones of an interrupted upload)."""
    folder = archive_path(db)
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []


def _safe_suffix(file_name: str | None) -> str:
    suffix = Path(file_name or "").suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ".bin"


def archive(con, data: bytes, file_name: str, sha256: str) -> Path | None:
    """Keep the uploaded bytes as `<archivio>/<sha256><ext>` (atomic rename; an existing copy is reused)."""
    folder = archive_dir(con)
    if folder is None:  # in-memory store (tests)
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256}{_safe_suffix(file_name)}"
    if target.exists() and target.stat().st_size == len(data):
        return target
    _write_atomically(target, data)
    return target


def archived_file(con, version: int) -> tuple[str, bytes] | None:
    """(file name, bytes) of the file a version imported, when it is in the archive."""
    item = next((v for v in list_versions(con) if v.versione == version), None)
    db = database_file(con)
    if item is None or not item.sha256 or db is None:
        return None
    path = archived_path(db, item.sha256, item.file_name)
    if not path.exists():
        return None
    return Path(item.file_name).name, path.read_bytes()


# ------------------------------------------------------------------ the manifest beside the store

MANIFEST_NOTE = ("Registro delle versioni di {name}, riscritto dopo ogni caricamento e ripristino. Se il database va "
                 "perso, il cruscotto lo ricostruisce riapplicando in quest'ordine i file dell'archivio {archive}/ "
                 "(vedi README). Non modificare.")


def manifest_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}.versioni.json")


def manifest_entries(con) -> list[dict]:
    """The record of versions as the manifest holds it, oldest first."""
    out = []
    for v in reversed(list_versions(con)):
        target = re.match(ROLLBACK_NOTE.format(target=r"(\d+)"), v.note or "") if v.operazione == "rollback" else None
        out.append({"versione": v.versione, "creata_il": pd.Timestamp(v.creata_il).isoformat(), "operazione": v.operazione,
                    "utente": v.utente, "file_name": v.file_name, "sha256": v.sha256,
                    "partizioni": [list(p) for p in v.partizioni], "righe": v.righe, "note": v.note,
                    "ripristina": int(target.group(1)) if target else None})
    return out


def read_manifest(db: Path) -> list[dict] | None:
    """The versions listed beside the store `db`; None when there is no manifest (or it cannot be read)."""
    try:
        listed = json.loads(manifest_path(db).read_text(encoding="utf-8"))["versioni"]
        if not isinstance(listed, list) or not all(isinstance(e, dict) and isinstance(e.get("versione"), int)
                                                   and isinstance(e.get("operazione"), str) for e in listed):
            raise ValueError("not a list of versions")
        return listed
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("unreadable manifest %s", manifest_path(db), exc_info=True)
        return None


def missing_from_store(con, listed: list[dict] | None) -> list[dict]:
    """The versions the manifest lists that the store does not have (a store replaced by an older copy)."""
    have = {(e["versione"], e["operazione"], e["sha256"]) for e in manifest_entries(con)}
    return [e for e in listed or [] if (e.get("versione"), e.get("operazione"), e.get("sha256")) not in have]


def write_manifest(con) -> Path | None:
    """Write the whole record of versions beside the store (atomically), when it differs from what is there.

    Called after every commit and when the app or the CLI open the store for writing (so an older store gets its
    manifest). A manifest listing versions this store lacks is kept aside (`...versioni.precedente-<time>.json`),
    never overwritten. A failure to write is logged and not raised: the commit stands, the next one rewrites it all.
    """
    db = database_file(con)
    if db is None:
        return None
    entries = manifest_entries(con)
    listed = read_manifest(db)
    if not entries or listed == entries:
        return None
    path = manifest_path(db)
    try:
        if missing_from_store(con, listed):
            aside = path.with_name(f"{db.stem}.versioni.precedente-{time.strftime('%Y%m%d-%H%M%S')}.json")
            os.replace(path, aside)
            log.warning("manifest %s lists versions the store lacks: kept as %s", path, aside)
        body = {"nota": MANIFEST_NOTE.format(name=db.name, archive=archive_path(db).name), "database": db.name,
                "versioni": entries}
        _write_atomically(path, json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError:
        log.warning("could not write the manifest %s", path, exc_info=True)
        return None
    return path


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        os.chmod(tmp, 0o644)  # readable like the store beside it (mkstemp makes it private)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
