"""Upgrading a store written by an earlier version of the program, when it is opened for writing.

Two kinds of change, both run in one transaction (a store is upgraded whole or not at all):
- a column added to a table in schema.py is added to the table and to its history, empty in the rows already
  there: nothing to write for it but the declaration;
- anything more (a value to fill in, a rename, a table split) is a named migration in MIGRATIONS, run once and in
  order, and recorded in `schema_info` as 'migrazione:<name>'.
A store that is current is left untouched (opening it writes nothing).
"""
from __future__ import annotations

from collections.abc import Callable

import duckdb
import pandas as pd

from cruscotto.store.schema import TABLES, tipo_regola
from cruscotto.store.versions import HISTORY_SCHEMA, transaction



def _regole_numero(cur) -> None:
    """The column numero of regole (added empty by the upgrade): the number of each rule's value, read as the import
    reads it now (parsing.parse_number), in the current rows and in their history; NULL for words and for values
    that are not numbers (the SQL then applies the default and the Verifica reports the rule)."""
    from cruscotto.ingest.parsing import NumberError, parse_number

    def number(regola: str, valore: str | None) -> float | None:
        if tipo_regola(regola) not in ("tetto", "numero") or valore is None:
            return None
        try:
            return parse_number(valore.strip())
        except NumberError:
            return None

    tables = ["regole"] + [f"{HISTORY_SCHEMA}.regole" for _ in cur.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = 'regole'", [HISTORY_SCHEMA]).fetchall()]
    pairs = cur.execute(" UNION ".join(f"SELECT DISTINCT regola, valore FROM {t}" for t in tables)).fetchall()
    if not pairs:
        return
    numbers = pd.DataFrame([(r, v, number(r, v)) for r, v in pairs], columns=["regola", "valore", "numero"])
    numbers = numbers.astype({"regola": "string", "valore": "string", "numero": "Float64"})
    cur.register("numeri_regole", numbers)
    for table in tables:
        cur.execute(f"UPDATE {table} AS r SET numero = n.numero FROM numeri_regole AS n "
                    "WHERE n.regola = r.regola AND n.valore IS NOT DISTINCT FROM r.valore")
    cur.unregister("numeri_regole")


# (name, function of a cursor inside the upgrade's transaction). Append only: a released name never changes.
MIGRATIONS: list[tuple[str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    ("0001_regole_numero", _regole_numero),
]


def _wanted_columns() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(schema, table) -> [(column, SQL type)] as schema.py declares them now."""
    wanted = {}
    for table in TABLES:
        columns = [(c.name, c.sql_type) for c in table.columns] + list(table.derived)
        wanted[("main", table.name)] = columns
        wanted[(HISTORY_SCHEMA, table.name)] = columns
    return wanted


def missing_columns(con) -> list[tuple[str, str, str, str]]:
    """Columns declared in schema.py that an existing table of the store lacks: (schema, table, column, type)."""
    cur = con.cursor()
    try:
        present: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in cur.execute(
                "SELECT table_schema, table_name, column_name FROM information_schema.columns").fetchall():
            present.setdefault((schema, table), set()).add(column)
    finally:
        cur.close()
    return [(schema, table, column, sql_type)
            for (schema, table), columns in _wanted_columns().items() if (schema, table) in present
            for column, sql_type in columns if column not in present[(schema, table)]]


def pending_migrations(con) -> list[str]:
    if not MIGRATIONS:
        return []
    cur = con.cursor()
    try:
        done = {row[0] for row in cur.execute(
            "SELECT chiave FROM schema_info WHERE chiave LIKE 'migrazione:%'").fetchall()}
    except duckdb.CatalogException:  # a store older than schema_info
        done = set()
    finally:
        cur.close()
    return [name for name, _ in MIGRATIONS if f"migrazione:{name}" not in done]


def needs_upgrade(con) -> bool:
    return bool(missing_columns(con) or pending_migrations(con))


def upgrade(con) -> list[str]:
    """Bring the store's tables up to schema.py and run pending migrations. Returns what was done, in Italian."""
    added, pending = missing_columns(con), pending_migrations(con)
    if not added and not pending:
        return []
    done = []
    with transaction(con) as cur:
        for schema, table, column, sql_type in added:
            cur.execute(f'ALTER TABLE "{schema}"."{table}" ADD COLUMN "{column}" {sql_type}')
            done.append(f"aggiunta la colonna {column} a {table}" + (" (storia)" if schema == HISTORY_SCHEMA else ""))
        if pending:
            cur.execute("CREATE TABLE IF NOT EXISTS schema_info (chiave VARCHAR PRIMARY KEY, valore VARCHAR)")
        for name, migrate in MIGRATIONS:
            if name in pending:
                migrate(cur)
                cur.execute("INSERT INTO schema_info VALUES (?, current_timestamp::VARCHAR)", [f"migrazione:{name}"])
                done.append(f"migrazione {name}")
    return done
