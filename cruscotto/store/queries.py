"""Running the SQL files in queries/ with bound parameters.

Each file starts with a header comment:

    -- purpose: one line on what the view returns
    -- parameters:
    --   ente  text  the chamber (NULL = every chamber)
    --   anno  int   the report year (NULL = the latest)
    -- columns:
    --   ...

Parameters are written `$name` in the SQL and always bound by DuckDB, never formatted into the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from cruscotto.paths import QUERIES_DIR

_PARAM_LINE = re.compile(r"^--\s+(\w+)\s+(text|int\[\]|int|float|bool)\s+(.*)$")
_TYPES = {"text": str, "int": int, "int[]": lambda v: [int(x) for x in v], "float": float,
          "bool": lambda v: str(v).lower() in ("1", "true", "si", "sì", "yes")}


class QueryError(ValueError):
    pass


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    purpose: str
    parameters: dict[str, tuple[str, str]]  # name -> (type, description)

    def bind(self, params: dict | None) -> dict:
        params = dict(params or {})
        unknown = set(params) - set(self.parameters)
        if unknown:
            raise QueryError(f"parametri sconosciuti per {self.name}: {', '.join(sorted(unknown))} "
                             f"(ammessi: {', '.join(self.parameters) or 'nessuno'})")
        bound = {}
        for name, (kind, _) in self.parameters.items():
            value = params.get(name)
            if isinstance(value, str) and value.strip() == "":
                value = None
            if value is not None:
                try:
                    value = _TYPES[kind](value)
                except ValueError:
                    raise QueryError(f"parametro {name}: '{value}' non è di tipo {kind}") from None
            bound[name] = value
        return bound


def available() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


@lru_cache(maxsize=None)
def _load(path: Path, mtime: float) -> Query:
    text = path.read_text(encoding="utf-8")
    purpose, parameters, section = "", {}, None
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        stripped = line[2:].strip()
        if stripped.lower().startswith("purpose:"):
            purpose, section = stripped.split(":", 1)[1].strip(), None
        elif stripped.lower().startswith("parameters:"):
            section = "parameters"
        elif stripped.lower().startswith("columns:"):
            section = "columns"
        elif section == "parameters" and (m := _PARAM_LINE.match(line)):
            parameters[m[1]] = (m[2], m[3].strip())
    return Query(path.stem, text, purpose, parameters)


def load(name: str) -> Query:
    if not re.fullmatch(r"[a-z0-9_]+", name or ""):
        raise QueryError(f"nome di query non valido: '{name}'")
    path = QUERIES_DIR / f"{name}.sql"
    if not path.exists():
        raise QueryError(f"query '{name}' inesistente. Disponibili: {', '.join(available())}")
    return _load(path, path.stat().st_mtime)


class InTransaction:
    """The cursor of an open transaction, passed where a connection is expected: queries run on it, because a fresh
    cursor is a connection of its own that does not see the transaction's uncommitted rows (or, for the app's read
    transaction of one run, that may read a newer version).

    Code written for a connection (`cur = con.cursor()` … `cur.close()`, `con.execute`) runs in the transaction too:
    its cursor is itself, and closing it leaves the transaction to its owner. A write in it that opens its own
    transaction (versions.transaction) fails: writes take the connection itself."""

    def __init__(self, cur):
        self.cur = cur

    def cursor(self) -> "InTransaction":
        return self

    def close(self) -> None:
        pass

    def __getattr__(self, name):  # execute, register, unregister, …: the transaction's cursor
        return getattr(self.cur, name)


def run(con, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run queries/NAME.sql on a fresh cursor (or in the transaction: InTransaction) and fetch the whole result."""
    query = load(name)
    bound = query.bind(params)
    used = {k: v for k, v in bound.items() if re.search(rf"\${k}\b", query.sql)}
    if isinstance(con, InTransaction):
        return con.cur.execute(query.sql, used).df()
    cur = con.cursor()
    try:
        return cur.execute(query.sql, used).df()
    finally:
        cur.close()
