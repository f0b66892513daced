"""The store: the DuckDB file and everything that touches it directly.

- `schema`: the tables, declared once (template, validation, DDL and docs derive from it);
- `connection`: which store (CRUSCOTTO_DB: a local file by default, MotherDuck when configured) and the one place
  where a DuckDB connection is made;
- `database`: connect, create tables, write validated tables in one transaction, read stored rows;
- `models`: the SQL models of queries/ (staging views, intermediate tables), created in order and refreshed in the
  transaction that changes the rows;
- `migrations`: upgrade a store written by an earlier version of the program;
- `versions`: the record of versions, history and rollback, the archive of uploaded files (and `database.snapshot`:
  the whole store as it was at one version, for the pages «come alla versione N»);
- `queries`: run the SQL files of queries/ with bound parameters;
- `errors`: a failing store (locked, damaged, read-only, full) said in Italian.

The store writes what it is given and reads no file: reading and checking uploads is cruscotto.ingest, and the
import pipeline that joins the two is cruscotto.pipeline.
"""
from cruscotto.store.database import (
                                      connect,
                                      data_version,
                                      db_path,
                                      ensure_schema,
                                      is_empty,
                                      read_table,
                                      recompute,
                                      schema_is_current,
                                      sha256_of,
                                      snapshot,
                                      stored_rows,
                                      target,
                                      write_tables,
)

__all__ = ["connect", "data_version", "db_path", "ensure_schema", "is_empty", "read_table", "recompute",
           "schema_is_current", "sha256_of", "snapshot", "stored_rows", "target", "write_tables"]
