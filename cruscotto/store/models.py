"""The SQL models of queries/, in layers like dbt, and their materialisation in the store.

- `queries/macros/*.sql`: the fragments the models share (CREATE OR REPLACE MACRO ...), in one place.
- `queries/staging/stg_<table>.sql`: one view per store table that only cleans and casts it (dbt's staging).
- `queries/intermediate/int_*.sql`: the rules, each written once (status by operator, rules in force, valuation,
  recalculation, roll-up). Each says how it is kept in a header line, `-- materialized: table` (or `view`), and
  for a table the columns that partition it, `-- partition: ente, anno`.
- `queries/*.sql`: the page-facing queries (store.queries runs them); they read staging and intermediate models only.

Order. A model depends on the other models its SQL reads (the relations DuckDB's parser finds in it); models are
created in topological order, and a cycle or a failing model is an error that names the file and quotes DuckDB.

Materialisation. Intermediate tables hold what the rules compute from the current rows: `build` creates every model
(when the store is opened and the SQL, the schema or the default rules changed since: `digest`), `refresh` recomputes
the tables inside the transaction that changed the rows, so readers see the rows and what follows from them change
together (an import refreshes the partitions it wrote, a rollback those whose rows it changed). A model that only
the Verifica reads (through queries/verifica_*.sql) stays a view: the Verifica runs once, inside that same transaction
(verifica/stored.py), so as a table it would be computed and written by every import for that one read, and its rows
would lengthen the import's COMMIT.
"""
from __future__ import annotations

import graphlib
import hashlib
import importlib
import importlib.util
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from cruscotto.paths import QUERIES_DIR
from cruscotto.store import connection
from cruscotto.store.schema import (
    REGOLE_PREDEFINITE_DDL,
    TABLES,
    create_table_sql,
    regole_predefinite_rows,
)

LAYERS = ("staging", "intermediate")
MACROS_DIR = "macros"
DIGEST_KEY = "modelli"  # schema_info: the digest the store's models were built from
_HEADER = re.compile(r"^--\s*(materialized|partition):\s*(.+?)\s*$", re.M)


# Models computed in Python (like dbt's python models), after the SQL ones and in the same transaction: table name ->
# "module:function", the function given the transaction's cursor and the chambers to recompute (None = all) and
# returning the table's rows. Named rather than imported because the code sits above the store (the Verifica reads
# the store's queries); the files of its package count in the digest, so a new program recomputes them.
PYTHON_MODELS = {"int_rilievi": "cruscotto.verifica.stored:model_rows"}


class ModelError(RuntimeError):
    """A model that cannot be created or ordered: the file and DuckDB's own message."""


@dataclass(frozen=True)
class Model:
    name: str
    path: Path
    layer: str
    sql: str  # the SELECT, without the trailing ';'
    materialized: str  # 'view' | 'table'
    partition: tuple[str, ...]  # columns an import's partitions are projected on; () = recomputed whole
    depends: frozenset[str]

    @property
    def where(self) -> str:
        return str(self.path.relative_to(QUERIES_DIR.parent))


# ------------------------------------------------------------------ reading the files

def _model_files() -> list[tuple[str, Path]]:
    return [(layer, p) for layer in LAYERS for p in sorted((QUERIES_DIR / layer).glob("*.sql"))]


def macro_files() -> list[Path]:
    return sorted((QUERIES_DIR / MACROS_DIR).glob("*.sql"))


def _python_model(name: str):
    module, function = PYTHON_MODELS[name].split(":")
    return getattr(importlib.import_module(module), function)


def python_model_files() -> list[Path]:
    """The source of the Python models: every .py file of each one's package."""
    packages = {Path(importlib.util.find_spec(spec.split(":")[0]).origin).parent for spec in PYTHON_MODELS.values()}
    return sorted(p for package in packages for p in package.glob("*.py"))


def relations(sql: str, parser: duckdb.DuckDBPyConnection | None = None) -> set[str]:
    """The relations (tables, views) a query reads, as DuckDB's parser sees them (json_serialize_sql: no binding, so
    the macros and tables need not exist), without the names its CTEs define; 'schema.name' outside main.
    `parser`: an in-memory connection to parse with (one for many queries), else one of its own."""
    con = parser or connection.in_memory()
    try:
        tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    finally:
        if parser is None:
            con.close()
    if tree.get("error"):
        raise ModelError(tree.get("error_message", "SQL non leggibile"))
    tables, ctes = set(), set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "BASE_TABLE":
                schema = node.get("schema_name") or ""
                tables.add(f"{schema}.{node['table_name']}" if schema not in ("", "main") else node["table_name"])
            ctes.update(entry["key"] for entry in (node.get("cte_map") or {}).get("map", []))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(tree)
    return tables - ctes


def models() -> list[Model]:
    """Every model, in the order they can be created (each after the models it reads)."""
    files = _model_files()
    return list(_ordered(tuple((layer, p, p.stat().st_mtime_ns) for layer, p in files)))


@lru_cache(maxsize=4)
def _ordered(files: tuple[tuple[str, Path, int], ...]) -> tuple[Model, ...]:
    texts = {p.stem: (layer, p, p.read_text(encoding="utf-8")) for layer, p, _ in files}
    found = {}
    parser = connection.in_memory()  # one for every file: a connection costs 10 ms, a parse well under one
    try:
        for name, (layer, path, text) in texts.items():
            found[name] = _model(name, layer, path, text, set(texts), parser)
    finally:
        parser.close()
    try:
        order = list(graphlib.TopologicalSorter({n: m.depends for n, m in found.items()}).static_order())
    except graphlib.CycleError as exc:
        cycle = " -> ".join(str(found[n].path.name) for n in exc.args[1])
        raise ModelError(f"dipendenza circolare fra i modelli SQL: {cycle}") from None
    return tuple(found[n] for n in order)


def _model(name: str, layer: str, path: Path, text: str, names: set[str], parser) -> Model:
    """One model file: its header, its SQL, and which of the other models (`names`) it reads."""
    header = {k: v for k, v in _HEADER.findall(text)}
    materialized = header.get("materialized", "view")
    if materialized not in ("view", "table"):
        raise ModelError(f"{path}: materialized: '{materialized}' (ammessi: view, table)")
    sql = text.rstrip().rstrip(";")
    try:
        reads = relations(sql, parser)
    except (ModelError, duckdb.Error) as exc:
        raise ModelError(f"{path}: {exc}") from None
    partition = tuple(c.strip() for c in header.get("partition", "").split(",") if c.strip())
    if not set(partition) <= {"ente", "anno"}:
        raise ModelError(f"{path}: partition: {', '.join(partition)} (ammessi: ente, anno)")
    return Model(name, path, layer, sql, materialized, partition, frozenset(reads & names - {name}))


def digest() -> str:
    """What the store's models are built from: the SQL of macros and models, the Python models' code, the tables of
    the schema (a model may read `*` of a table), the default rules."""
    h = hashlib.sha256()
    for path in macro_files() + [p for _, p in _model_files()] + python_model_files():
        h.update(path.parent.name.encode() + b"/" + path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update("\n".join(create_table_sql(t) for t in TABLES).encode())
    h.update(json.dumps(regole_predefinite_rows(), ensure_ascii=False).encode())
    return h.hexdigest()


# ------------------------------------------------------------------ creating and refreshing

def _execute(cur, model: Model | Path, sql: str, params=None) -> None:
    try:
        cur.execute(sql, params or []).fetchall()
    except duckdb.Error as exc:
        where = model.where if isinstance(model, Model) else str(model.relative_to(QUERIES_DIR.parent))
        raise ModelError(f"{where}: {type(exc).__name__}: {exc}") from exc


def _create(cur, model: Model) -> None:
    kind = "VIEW" if model.materialized == "view" else "TABLE"
    _execute(cur, model, f'CREATE OR REPLACE {kind} "{model.name}" AS {model.sql}')


def is_current(cur) -> bool:
    try:
        # fetchall: a result left half-read keeps its transaction open (see database.is_empty)
        return cur.execute("SELECT valore FROM schema_info WHERE chiave = ?", [DIGEST_KEY]).fetchall() == [(digest(),)]
    except duckdb.CatalogException:
        return False


def build(cur) -> None:
    """In the open transaction of `cur`: the default rules, the macros, then every model in order (tables computed
    from the current rows); models of earlier versions of the program that are gone are dropped."""
    cur.execute("CREATE TABLE IF NOT EXISTS schema_info (chiave VARCHAR PRIMARY KEY, valore VARCHAR)")
    cur.execute(REGOLE_PREDEFINITE_DDL)
    cur.execute("DELETE FROM regole_predefinite")
    cur.executemany("INSERT INTO regole_predefinite VALUES (?, ?, ?, ?, ?, ?)", regole_predefinite_rows())
    for path in macro_files():
        _execute(cur, path, path.read_text(encoding="utf-8"))
    current = models()
    _drop_stale(cur, {m.name for m in current} | set(PYTHON_MODELS))
    for model in current:
        _create(cur, model)
    for name in PYTHON_MODELS:
        _write_python_model(cur, name, None)
    cur.execute("INSERT OR REPLACE INTO schema_info VALUES (?, ?)", [DIGEST_KEY, digest()])


def _drop_stale(cur, names: set[str]) -> None:
    """Views and tables named like a model (stg_*, int_*) that no file defines any more, and the key of the older
    staging-only digest. Views first: they may read the tables."""
    rows = cur.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND (table_name LIKE 'stg\\_%' ESCAPE '\\' OR table_name LIKE 'int\\_%' ESCAPE '\\')").fetchall()
    for name, kind in sorted(rows, key=lambda r: r[1] != "VIEW"):
        if name not in names:
            cur.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} IF EXISTS "{name}"')
        elif name in PYTHON_MODELS:
            continue
        elif (kind == "VIEW") != (next(m for m in models() if m.name == name).materialized == "view"):
            cur.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} "{name}"')  # a view that became a table
    cur.execute("DELETE FROM schema_info WHERE chiave = 'staging'")


def refresh(cur, partitions=None) -> None:
    """In the open transaction of `cur`, after the rows changed: recompute the materialised models, in order.

    `partitions`: the (ente, anno) pairs whose rows were replaced (an import, a rollback): each table is recomputed for the
    chambers and years they name (those of its partition columns), None = every table whole. The
    chambers x years may cover a partition that was not written: recomputed from the same rows, it comes out the
    same. The filter is a list membership on bound lists, which DuckDB pushes down through the models' windows and
    aggregates (a semi-join on a table of partitions is applied only after computing everything)."""
    tables = [m for m in models() if m.materialized == "table"]
    if partitions is None:
        for model in tables:
            _create(cur, model)
        for name in PYTHON_MODELS:
            _write_python_model(cur, name, None)
        return
    chosen = {"ente": sorted({e for e, _ in partitions}), "anno": sorted({int(a) for _, a in partitions})}
    for model in tables:
        if not model.partition:
            _create(cur, model)
            continue
        where = " AND ".join(f"list_contains(${c}, t.{c})" for c in model.partition)
        params = {c: chosen[c] for c in model.partition}
        _execute(cur, model, f'DELETE FROM "{model.name}" AS t WHERE {where}', params)
        _execute(cur, model, f'INSERT INTO "{model.name}" SELECT * FROM ({model.sql}\n) AS t WHERE {where}', params)
    for name in PYTHON_MODELS:
        if chosen["ente"]:  # no chamber (a rollback to a state equal to the current one): nothing to rewrite
            _write_python_model(cur, name, chosen["ente"])


def _write_python_model(cur, name: str, enti: list[str] | None) -> None:
    """The rows of a Python model for `enti` (None = the whole table, created anew), in the open transaction."""
    rows = _python_model(name)(cur, enti)
    cur.register("righe_modello", rows)
    try:
        if enti is None:
            cur.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM righe_modello')
        else:
            cur.execute(f'DELETE FROM "{name}" WHERE list_contains($enti, ente)', {"enti": enti})
            cur.execute(f'INSERT INTO "{name}" BY NAME SELECT * FROM righe_modello')
    finally:
        cur.unregister("righe_modello")
