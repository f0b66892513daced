"""Which store the program opens is chosen in one place, by configuration (CRUSCOTTO_DB): a local DuckDB file by
default, MotherDuck only when configured so (docs/scala.md). A remote store that cannot be used is refused with an
Italian message, never a traceback, and nothing is downloaded or written on this computer in its place."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from builders.apptest import markdown_tables

from cruscotto import paths, store
from cruscotto.store import connection
from cruscotto.store.errors import StoreError

ROOT = Path(__file__).resolve().parent.parent


def test_the_store_is_chosen_by_configuration(monkeypatch, tmp_path):
    monkeypatch.delenv("CRUSCOTTO_DB", raising=False)
    assert store.target() == connection.Target(connection.LOCAL, str(paths.DEFAULT_DB))

    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "altro.duckdb"))
    assert store.target().local and store.db_path() == tmp_path / "altro.duckdb"

    monkeypatch.setenv("CRUSCOTTO_DB", "md:cruscotto")
    assert store.target() == connection.Target(connection.MOTHERDUCK, "md:cruscotto")
    assert not store.target().local
    assert store.target("motherduck:") == connection.Target(connection.MOTHERDUCK, "md:")  # MotherDuck's default database

    assert store.target("postgres://server/cruscotto").kind == connection.UNSUPPORTED
    # a caller's Path is always a file, whatever CRUSCOTTO_DB says
    assert store.target(tmp_path / "x.duckdb") == connection.Target(connection.LOCAL, str(tmp_path / "x.duckdb"))


def test_a_local_store_opens_as_before_and_downloads_nothing(db_path):
    con = store.connect()  # CRUSCOTTO_DB = the copy of the shipped store (fixture db_path)
    try:
        # the shipped report: 2019, CCIAA di Cremona
        assert con.execute("SELECT DISTINCT ente, anno FROM indicatori").fetchall() == [("CCIAA di Cremona", 2019)]
        # DuckDB's Python client installs a missing extension from the network when a query needs it: not here
        assert con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()[0] is False
    finally:
        con.close()
    scratch = connection.in_memory()
    try:
        assert scratch.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()[0] is False
    finally:
        scratch.close()


def _refusal() -> str:
    with pytest.raises(StoreError) as refused:
        store.connect("md:cruscotto", read_only=True)
    return str(refused.value)


def test_motherduck_without_its_extension_is_refused_in_italian(monkeypatch):
    monkeypatch.setattr(connection, "installed", lambda extension: False)
    message = _refusal()
    assert message.startswith("Il database md:cruscotto (MotherDuck, impostato con CRUSCOTTO_DB) non è disponibile: "
                              "su questo computer manca l'estensione «motherduck» di DuckDB.")
    assert "non scarica nulla da solo" in message and "Cosa fare:" in message


def test_motherduck_without_a_token_is_refused_in_italian(monkeypatch):
    monkeypatch.setattr(connection, "installed", lambda extension: True)
    monkeypatch.delenv("motherduck_token", raising=False)
    monkeypatch.delenv("MOTHERDUCK_TOKEN", raising=False)
    assert "manca il token di accesso (variabile d'ambiente motherduck_token)" in _refusal()


def test_motherduck_that_does_not_answer_is_refused_in_italian(monkeypatch):
    monkeypatch.setattr(connection, "installed", lambda extension: True)
    monkeypatch.setenv("motherduck_token", "prova")
    real_connect = duckdb.connect

    def offline(database=":memory:", *args, **kwargs):  # no network in a test: the service is unreachable
        if str(database).startswith("md:"):
            raise duckdb.IOException("IO Error: Failed to connect to api.motherduck.com")
        return real_connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", offline)
    assert "il servizio non risponde o rifiuta l'accesso (IO Error: Failed to connect" in _refusal()


@pytest.mark.parametrize("value, expected", [
    ("md:cruscotto", "Errore: Il database md:cruscotto (MotherDuck, impostato con CRUSCOTTO_DB) non è disponibile"),
    ("postgres://server/cruscotto", "Errore: CRUSCOTTO_DB = «postgres://server/cruscotto» non è un percorso né un "
                                    "indirizzo che il cruscotto sa aprire."),
])
def test_the_command_line_refuses_an_unavailable_store_without_a_traceback(tmp_path, value, expected):
    """As a person runs it, in a new process: the real extension directory (motherduck is not installed here)."""
    if value.startswith("md:") and connection.installed("motherduck"):
        pytest.skip("the motherduck extension is installed on this computer: the refusal would need the network")
    env = {k: v for k, v in os.environ.items() if k.lower() != "motherduck_token"}
    env.update(CRUSCOTTO_DB=value, PYTHONPATH=str(ROOT))
    for command in (["check"], ["build"]):
        done = subprocess.run([sys.executable, "-m", "cruscotto", *command], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith(expected), done.stderr
        assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []  # no local file or folder made in its place (a store, an archive, a manifest)


def test_the_app_refuses_an_unavailable_remote_store_in_italian(app, monkeypatch):
    monkeypatch.setattr(connection, "installed", lambda extension: False)
    monkeypatch.setenv("CRUSCOTTO_DB", "md:cruscotto")
    at = app()
    assert not at.exception
    assert [e.value.replace("\\", "") for e in at.error][0].startswith(
        "Il database md:cruscotto (MotherDuck, impostato con CRUSCOTTO_DB) non è disponibile")
    assert not at.dataframe and not markdown_tables(at) and not at.sidebar.selectbox  # no data shown from anywhere else
    assert not list(ROOT.glob("md:*"))  # nothing created beside the program in its place
