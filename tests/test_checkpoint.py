"""An import committed while a page is reading stays in the store's log (`.wal`): DuckDB does not checkpoint at a
COMMIT while a transaction older than it is open, and in the app one always is («Carica dati» commits inside its
own run, which reads in one transaction, ui/data.py). Left there, successive imports piled up in the log and in the
server's memory until it stopped (three 100k-row imports: a 385 MB log, 457 MB of DuckDB memory, and a replay of the
log at the next start after a crash). Once the reading ends, the store writes them into its file."""
from __future__ import annotations

import shutil
import time

import duckdb
from builders.apptest import run
from builders.workbooks import XLSX, commit_file, workbook_2020

from cruscotto.store import connection, versions
from ui.pages_spec import path


def test_an_import_made_while_a_page_reads_reaches_the_store_file_once_the_reading_ends(con, db_path, tmp_path,
                                                                                        monkeypatch):
    monkeypatch.setattr(versions, "CHECKPOINT_PAUSE_S", 0.01)
    # the threshold at which a COMMIT checkpoints, lowered from 16 MiB so that the 2020 workbook passes it as a
    # 100k-row one passes the default
    con.execute("SET checkpoint_threshold = '1KB'")
    log = db_path.with_name(db_path.name + ".wal")
    page = con.cursor()  # a page's run, reading in its transaction
    page.execute("BEGIN TRANSACTION")
    assert page.execute("SELECT max(versione) FROM versioni").fetchone() == (1,)

    assert commit_file(con, workbook_2020(), "relazione_2020.xlsx") == 2
    time.sleep(0.1)  # the checkpoint's thread tries and fails while the page reads
    assert log.stat().st_size > 1000  # the import is in the log alone: the page's transaction is older
    assert page.execute("SELECT max(versione) FROM versioni").fetchone() == (1,)  # and the page still reads its version

    page.execute("ROLLBACK")  # the run ends
    page.close()
    # the store file alone now holds version 2 (the 2020 report)
    assert _store_file_alone(db_path, tmp_path) == 2


def test_an_upload_confirmed_on_carica_dati_reaches_the_store_file_after_its_run(app, db_path, tmp_path, monkeypatch):
    """The same through the page: its run reads (the sidebar's version) before the upload commits."""
    monkeypatch.setattr(versions, "CHECKPOINT_PAUSE_S", 0.01)
    monkeypatch.setattr(connection, "CONFIG", connection.CONFIG | {"checkpoint_threshold": "1KB"})  # as above
    at = app(path("carica_dati"))
    at.file_uploader[0].set_value(("relazione_2020.xlsx", workbook_2020(), XLSX))
    run(at)
    at.button(key="conferma_caricamento").click()
    run(at)
    assert _store_file_alone(db_path, tmp_path) == 2


def _store_file_alone(db_path, tmp_path, wait_s: float = 30) -> int:
    """The latest version in a copy of the store file without its log, once the log is written into it (or after
    `wait_s`)."""
    log = db_path.with_name(db_path.name + ".wal")
    deadline = time.monotonic() + wait_s
    while log.exists() and log.stat().st_size and time.monotonic() < deadline:
        time.sleep(0.01)
    copy = tmp_path / "senza_log.duckdb"
    with versions.WRITE_LOCK:  # not while a checkpoint writes the file
        shutil.copy(db_path, copy)
    alone = duckdb.connect(str(copy), read_only=True)
    try:
        return alone.execute("SELECT max(versione) FROM versioni").fetchone()[0]
    finally:
        alone.close()

