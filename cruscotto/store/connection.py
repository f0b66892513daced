"""Where the store is, and the one place where a connection to DuckDB is made.

The variable CRUSCOTTO_DB (or a path given by the caller) names the store:

- a path, the default (data/cruscotto.duckdb when CRUSCOTTO_DB is not set): a DuckDB file on this computer;
- `md:NAME` (or `motherduck:NAME`): the database NAME on MotherDuck, DuckDB as a service, for a deployment on several
  servers (docs/scala.md). Only when configured so, and only if this computer already has DuckDB's `motherduck`
  extension installed (`INSTALL motherduck`, done once by whoever deploys) and the token in the variable
  `motherduck_token`: otherwise the store is refused with an Italian message that says what is missing.

Any other address with a scheme (`postgres://…`, `s3://…`, `http://…`) is refused. No connection installs anything:
DuckDB's automatic download of extensions is off for every connection, so the default (a local file) never touches
the network, and a remote target works only with what was installed on purpose.

`connect` opens the store; `in_memory` a scratch database (a snapshot of an earlier version, the SQL parser, an
empty store for a check). Everything else in the program goes through these two (tests/test_shape.py).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cruscotto.paths import DEFAULT_DB
from cruscotto.store.errors import UNAVAILABLE, StoreError

ENV = "CRUSCOTTO_DB"
TOKEN_ENV = "motherduck_token"  # the variable MotherDuck's extension reads (also spelled MOTHERDUCK_TOKEN)
LOCAL, MOTHERDUCK, UNSUPPORTED = "file locale", "MotherDuck", "non riconosciuto"
# Every connection: no extension downloaded behind anyone's back (DuckDB's Python client would, by default).
CONFIG = {"autoinstall_known_extensions": False}

_MOTHERDUCK = re.compile(r"^(md|motherduck):(?P<name>[A-Za-z0-9_]*)$", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters or more before ":", so that "C:\..." stays a path
_WHAT_TO_DO = ("chi gestisce il server installa una volta l'estensione (in Python: "
               "`duckdb.connect().install_extension('motherduck')`, con accesso alla rete) e imposta il token in "
               f"{TOKEN_ENV}, come spiega docs/scala.md.")


@dataclass(frozen=True)
class Target:
    """A store: a file here (`kind` LOCAL, `where` its path), a MotherDuck database (`where` "md:NAME"), or an address
    the program cannot open (UNSUPPORTED: refused by `connect`)."""
    kind: str
    where: str

    @property
    def local(self) -> bool:
        return self.kind == LOCAL

    @property
    def path(self) -> Path:
        """The file; for any other store its address as a label for messages and cache keys, never opened as a file."""
        return Path(self.where)

    def __str__(self) -> str:
        return self.where


def target(value: str | Path | Target | None = None) -> Target:
    """The store named by `value`, else by CRUSCOTTO_DB, else the default file. A Path is always a local file; a
    text is a local path unless it is `md:NAME` or has another scheme (`postgres://…`) and no such file exists."""
    if isinstance(value, Target):
        return value
    if isinstance(value, Path):
        return Target(LOCAL, str(value))
    text = str(value or os.environ.get(ENV) or DEFAULT_DB).strip()
    if match := _MOTHERDUCK.match(text):
        return Target(MOTHERDUCK, f"md:{match['name']}")
    if _SCHEME.match(text) and not Path(text).exists():
        return Target(UNSUPPORTED, text)
    return Target(LOCAL, text)


def connect(where: str | Path | Target | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the store `where` (see `target`). A store that is not a local file and cannot be used is a
    StoreError whose Italian message says what is missing; the local file's own failures (locked, corrupt, ...)
    leave as DuckDB raises them, for store.errors to say."""
    chosen = target(where)
    if chosen.local:
        return duckdb.connect(chosen.where, read_only=read_only, config=CONFIG)
    if chosen.kind == MOTHERDUCK:
        return _motherduck(chosen, read_only)
    raise StoreError(
        f"{ENV} = «{chosen}» non è un percorso né un indirizzo che il cruscotto sa aprire. Cosa fare: indicare il "
        "percorso di un file DuckDB su questo computer (per esempio data/cruscotto.duckdb), oppure md:NOME per un "
        "database su MotherDuck (docs/scala.md).", UNAVAILABLE)


def in_memory() -> duckdb.DuckDBPyConnection:
    """A scratch database in memory, with the same settings (nothing downloaded)."""
    return duckdb.connect(":memory:", config=CONFIG)


def installed(extension: str) -> bool:
    """Is the DuckDB extension installed on this computer (asked without loading or downloading it)?"""
    scratch = in_memory()
    try:
        row = scratch.execute("SELECT installed FROM duckdb_extensions() WHERE extension_name = ?", [extension]).fetchone()
    finally:
        scratch.close()
    return bool(row and row[0])


def _motherduck(chosen: Target, read_only: bool) -> duckdb.DuckDBPyConnection:
    def refuse(why: str, exc: BaseException | None = None):
        raise StoreError(
            f"Il database {chosen} (MotherDuck, impostato con {ENV}) non è disponibile: {why} Il cruscotto non scarica "
            f"nulla da solo. Cosa fare: {_WHAT_TO_DO} Oppure togliere {ENV} (o impostarlo sul percorso di un file) per "
            "usare il database locale.", UNAVAILABLE) from exc

    if not installed("motherduck"):
        refuse("su questo computer manca l'estensione «motherduck» di DuckDB.")
    if not (os.environ.get(TOKEN_ENV) or os.environ.get(TOKEN_ENV.upper())):
        refuse(f"manca il token di accesso (variabile d'ambiente {TOKEN_ENV}).")
    try:
        return duckdb.connect(chosen.where, read_only=read_only, config=CONFIG)
    except duckdb.Error as exc:
        refuse(f"il servizio non risponde o rifiuta l'accesso ({str(exc).splitlines()[0][:200]}).", exc)
