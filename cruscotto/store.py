"""The DuckDB store: schema, imports in one transaction, the record of versions.

One process owns the database file read-write. Readers take `con.cursor()`; an import runs in one transaction, so a
reader sees the old data or the new, never a mix.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from . import migrations, versions
from .reader import read_bytes, read_directory
from .schema import TABLES, all_column_names, create_table_sql
from .store_errors import translated
from .validate import Validated, validate

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "cruscotto.duckdb"

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
    return Path(os.environ.get("CRUSCOTTO_DB") or DEFAULT_DB)


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """The store at `path`, created when missing unless `read_only` (the app and the CLI open it through
    opening.py, which first decides whether a missing store may be created)."""
    path = Path(path or db_path())
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
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
    migrations.upgrade(con)  # columns added to schema.py since the store was written, named migrations
    versions.ensure_history(con)
    _create_staging_views(con)


def _create_staging_views(con: duckdb.DuckDBPyConnection) -> None:
    """queries/staging/*.sql are views every mart query may use (dbt's staging layer); queries/staging/macros/*.sql
    are the SQL functions they share.

    A view may use another, so they are created in rounds until all exist (the files need no ordering).
    """
    pending = sorted((QUERIES_DIR / "staging").glob("*.sql"))
    macros = sorted((QUERIES_DIR / "staging" / "macros").glob("*.sql"))
    digest = _staging_digest()
    con.execute("CREATE TABLE IF NOT EXISTS schema_info (chiave VARCHAR PRIMARY KEY, valore VARCHAR)")
    if con.execute("SELECT valore FROM schema_info WHERE chiave = 'staging'").fetchone() == (digest,):
        return  # views are current: opening the store writes nothing
    for path in macros:  # functions the views share (run as written: each file is CREATE OR REPLACE MACRO ...)
        con.execute(path.read_text(encoding="utf-8"))
    while pending:
        failed = []
        for path in pending:
            try:
                con.execute(f'CREATE OR REPLACE VIEW "{path.stem}" AS {path.read_text(encoding="utf-8").rstrip().rstrip(";")}')
            except duckdb.CatalogException:
                failed.append(path)
        if len(failed) == len(pending):
            raise RuntimeError(f"staging views that cannot be created: {[p.name for p in failed]}")
        pending = failed
    con.execute("INSERT OR REPLACE INTO schema_info VALUES ('staging', ?)", [digest])


def _staging_digest() -> str:
    files = sorted((QUERIES_DIR / "staging" / "macros").glob("*.sql")) + sorted((QUERIES_DIR / "staging").glob("*.sql"))
    return hashlib.sha256(b"".join(p.name.encode() + p.read_bytes() for p in files)).hexdigest()


def needs_writing(con) -> bool:
    """Would opening this store for writing change it (missing tables or views after a software update, an empty
    store, a changed data/ to reload)? Asked on a read-only connection, so that readers write only when needed."""
    wanted = ({("main", t.name) for t in TABLES} | {(versions.HISTORY_SCHEMA, t.name) for t in TABLES}
              | {("main", "versioni"), ("main", "schema_info"), (versions.HISTORY_SCHEMA, "inizio")})
    cur = con.cursor()
    try:
        if not wanted <= set(cur.execute("SELECT table_schema, table_name FROM information_schema.tables").fetchall()):
            return True
        if migrations.needs_upgrade(con):
            return True
        if cur.execute("SELECT valore FROM schema_info WHERE chiave = 'staging'").fetchone() != (_staging_digest(),):
            return True
    finally:
        cur.close()
    return is_empty(con) or _pending_refresh(con, DATA_DIR) is not None


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM indicatori").fetchone()[0] == 0


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """The number of the latest version: the key every cached result depends on."""
    return con.execute("SELECT coalesce(max(versione), 0) FROM versioni").fetchone()[0]


@dataclass
class ImportResult:
    validated: Validated
    version: int | None = None

    @property
    def ok(self) -> bool:
        return self.version is not None


def write_tables(con: duckdb.DuckDBPyConnection, validated: Validated, *, file_name: str, sha256: str,
                 utente: str | None = None, operazione: str = "import", note: str | None = None,
                 creata_il: str | None = None) -> int:
    """Replace every (ente, anno) partition the upload holds, in all tables, in one transaction.

    The same transaction closes the replaced rows in the history, adds the new ones and records the version
    (cruscotto/versions.py), so an import is all or nothing and every earlier state stays restorable; after the
    commit, the manifest beside the store. A failure of the store file (full, read-only, ...) leaves as a
    store_errors.StoreError in Italian. `creata_il` keeps the time of a version replayed by recovery.py.
    """
    if not validated.ok:
        raise ValueError("refusing to write a workbook with errors")
    with versions.WRITE_LOCK, translated(versions.database_file(con), "il caricamento"):
        version = _write_tables(con, validated, file_name, sha256, utente, operazione, note, creata_il)
        versions.write_manifest(con)
    return version


def _write_tables(con, validated: Validated, file_name, sha256, utente, operazione, note, creata_il) -> int:
    partitions = validated.partitions()
    with versions.transaction(con) as cur:
        version = versions.next_version(cur)
        for table in TABLES:
            frame = validated.tables[table.name].reindex(columns=all_column_names(table))
            if len(frame):
                cur.register("incoming", _for_duckdb(frame, table))
            versions.replace_partitions(cur, table, "incoming" if len(frame) else None, partitions, version)
            if len(frame):
                cur.unregister("incoming")
        versions.record(cur, version, operazione, utente, file_name, sha256, partitions,
                        {t.name: len(validated.tables[t.name]) for t in TABLES}, note, creata_il)
    return version


def _for_duckdb(frame: pd.DataFrame, table) -> pd.DataFrame:
    """Give each column the dtype of its SQL type, so DuckDB never guesses from the first values."""
    kinds = {c.name: c.kind for c in table.columns} | {n: ("bool" if t == "BOOLEAN" else "float" if t == "DOUBLE" else "text") for n, t in table.derived}
    dtypes = {"text": "string", "int": "Int64", "year": "Int64", "float": "Float64", "bool": "boolean"}
    return pd.DataFrame({c: pd.array(list(frame[c]), dtype=dtypes[kinds[c]]) for c in frame.columns})


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_rows(con):
    """For validate(): the rows of a table now in the store for some (ente, anno) partitions (None: every row),
    typed like a sheet."""
    def rows(table, partitions) -> pd.DataFrame:
        cols = all_column_names(table)
        where = " OR ".join("(ente = ? AND anno = ?)" for _ in partitions) if partitions is not None else "true"
        cur = con.cursor()
        try:
            frame = cur.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table.name}" WHERE {where}',
                                [v for p in partitions or () for v in p]).df()
        finally:
            cur.close()
        frame = frame.astype(object).where(frame.notna(), None)
        frame.attrs["row_numbers"] = []
        return frame
    return rows


def import_bytes(con, data: bytes, file_name: str, utente: str | None = None,
                 svuota_tabelle_vuote: bool = False) -> ImportResult:
    """Validate an uploaded file and, when it has no errors, write it. The same path for app and CLI.

    Tables the file leaves out keep their stored rows (validate's `stored`), so one sheet can correct one table; a
    sheet with its header only empties its table only with `svuota_tabelle_vuote` (else the file is refused)."""
    validated = validate(read_bytes(data, file_name), stored_rows(con), svuota_tabelle_vuote)
    if not validated.ok:
        return ImportResult(validated)
    return ImportResult(validated, commit_upload(con, validated, data, file_name, utente))


def commit_upload(con, validated: Validated, data: bytes, file_name: str, utente: str | None = None,
                  expected_version: int | None = None) -> int:
    """Write a validated upload: archive the file (by sha256, beside the store), then one transaction.

    `expected_version` is the version the user previewed against: if another import or rollback happened since,
    nothing is written (versions.VersionError) so that nobody confirms a preview that is no longer true.
    """
    digest = sha256_of(data)
    with versions.WRITE_LOCK, translated(versions.database_file(con), "il caricamento"):
        if expected_version is not None and versions.current_version(con) != expected_version:
            raise versions.VersionError(
                f"i dati sono cambiati dopo l'anteprima (ora versione {versions.current_version(con)}, "
                f"anteprima sulla versione {expected_version}): ricaricare il file per rivedere l'anteprima.")
        versions.archive(con, data, file_name, digest)
        return write_tables(con, validated, file_name=file_name, sha256=digest, utente=utente)


def import_path(con, path: str | Path, utente: str | None = None, svuota_tabelle_vuote: bool = False) -> ImportResult:
    path = Path(path)
    if path.is_dir():
        return import_directory(con, path, utente)
    return import_bytes(con, path.read_bytes(), path.name, utente, svuota_tabelle_vuote)


def directory_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def import_directory(con, folder: str | Path = DATA_DIR, utente: str | None = None) -> ImportResult:
    """The shipped data/ folder: the same validation and write as an uploaded workbook."""
    folder = Path(folder)
    validated = validate(read_directory(folder))
    if not validated.ok:
        return ImportResult(validated)
    version = write_tables(con, validated, file_name=f"{folder.name}/*.csv", sha256=directory_digest(folder), utente=utente)
    return ImportResult(validated, version)


def build(path: str | Path | None = None, folder: str | Path = DATA_DIR) -> ImportResult:
    """Create the store if needed and (re)load data/ into it."""
    con = connect(path)
    try:
        return import_directory(con, folder, utente="build")
    finally:
        con.close()


def ensure_built(con) -> None:
    """First start: an empty store is filled from data/. Later starts pick up a changed data/ (see below).

    (Whether a MISSING store may be created at all is decided before, by opening.py.)"""
    if is_empty(con):
        result = import_directory(con, DATA_DIR, utente="primo avvio")
        if not result.ok:
            raise RuntimeError("\n".join(str(p) for p in result.validated.errors))
    else:
        refresh_shipped_data(con)


def refresh_shipped_data(con, folder: str | Path | None = None) -> int | None:
    """Reload data/ when it differs from what the store last loaded from it (after updating the software), unless
    an upload or a rollback has touched the same years since: then the people's work wins, and `python -m cruscotto
    build` reloads data/ on purpose. Returns the new version, or None when nothing was written."""
    folder = Path(folder or DATA_DIR)
    pending = _pending_refresh(con, folder)
    if pending is None:
        return None
    validated, digest = pending
    return write_tables(con, validated, file_name=f"{folder.name}/*.csv", sha256=digest, utente="aggiornamento di data/")


def _pending_refresh(con, folder: Path) -> tuple[Validated, str] | None:
    """What refresh_shipped_data would write (the validated data/ and its digest), or None. Reads only."""
    if not any(folder.glob("*.csv")):
        return None  # no data/ (moved, or not shipped with this copy): the store stands as it is
    digest = directory_digest(folder)
    cur = con.cursor()
    try:
        history = cur.execute("SELECT versione, operazione, file_name, sha256, partizioni FROM versioni ORDER BY versione").fetchall()
    finally:
        cur.close()
    loads = [row for row in history if row[2] == f"{folder.name}/*.csv"]
    if not loads or loads[-1][3] == digest:
        return None  # a store that never loaded data/ (another chamber's, synthetic) is not ours to fill
    validated = validate(read_directory(folder))
    if not validated.ok:
        return None
    shipped = set(validated.partitions())
    last_load = loads[-1][0]
    for version, operazione, _, _, partizioni in history:
        touched = {tuple(p) for p in json.loads(partizioni or "[]")}
        if version > last_load and (operazione == "rollback" or touched & shipped):
            return None
    return validated, digest


def read_table(con, name: str) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(f'SELECT * FROM "{name}" ORDER BY ALL').df()
    finally:
        cur.close()
