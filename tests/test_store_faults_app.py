"""Store faults in the app (AppTest through app.py, as the server runs it): a store deleted after an upload is
rebuilt and said, or refused; a locked, corrupt, read-only or full store and a missing data/ get an Italian message
with what to do, never Streamlit's generic English error."""
from __future__ import annotations

import shutil

import duckdb
from builders.apptest import markdown_tables, rendered, run, texts
from builders.faults import full_disk_copy, holder, read_only_copy
from builders.workbooks import XLSX, workbook_2020

from cruscotto import paths, pipeline, store
from cruscotto.store import versions
from ui.pages_spec import path

PAGE = path("carica_dati")


def _confirm_upload(at, data: bytes = None):
    at.file_uploader[0].set_value(("relazione_2020.xlsx", data or workbook_2020(), XLSX))
    run(at)
    at.button(key="conferma_caricamento").click()
    return run(at)


def _years_offered(at) -> list[str]:
    at.switch_page("pages/panoramica.py")
    run(at)
    return at.sidebar.selectbox(key="anno").options


def _refused(at) -> str:
    """The page stopped with one Italian error and nothing else: no exception, no data, no filters."""
    assert not at.exception and not at.dataframe and not markdown_tables(at) and not at.sidebar.selectbox
    assert len(at.error) == 1
    return at.error[0].value.replace("\\", "")  # (paths are shown escaped, not as markdown)


# ---------------------------------------------------------------- deleting the store after an upload

def test_store_deleted_while_the_app_runs_is_rebuilt_with_the_upload_and_said(app, db_path):
    at = app(PAGE)
    _confirm_upload(at)
    assert texts(at.success)[0].startswith("Caricato relazione_2020.xlsx: ora i dati sono alla versione 2.")
    db_path.unlink()

    run(at)
    warning = at.warning[0].value.replace("\\", "")
    assert warning.startswith(f"Il database {db_path} non c'era ed è stato ricostruito dall'archivio: 2 versioni "
                              "riapplicate (1 caricamento di file, 1 caricamento della cartella data/)")
    assert _years_offered(at) == ["2020", "2019"]  # the upload is there
    assert any("ricostruito dall'archivio" in rendered(w.value) for w in at.warning)  # said on Panoramica too
    assert db_path.exists()


def test_app_started_after_the_store_was_deleted_serves_the_upload_and_says_so(app, db_path):
    con = store.connect(db_path)
    assert pipeline.import_bytes(con, workbook_2020(), "relazione_2020.xlsx", utente="ufficio").ok
    con.close()
    db_path.unlink()

    at = app(PAGE)
    assert any("non c'era ed è stato ricostruito dall'archivio" in rendered(w.value) for w in at.warning)
    record = next(d.value for d in at.dataframe if "Versione" in d.value.columns)
    assert list(record["Versione"]) == [2, 1] and record["Utente"].iloc[0] == "ufficio"
    assert record["Note"].str.startswith("ricostruito da archivio").all()
    assert _years_offered(at) == ["2020", "2019"]
    assert any("ricostruito dall'archivio" in rendered(w.value) for w in at.warning)  # on Panoramica too


def test_app_refuses_to_start_when_the_upload_cannot_be_replayed(app, db_path):
    con = store.connect(db_path)
    assert pipeline.import_bytes(con, workbook_2020(), "relazione_2020.xlsx").ok
    con.close()
    db_path.unlink()
    shutil.rmtree(versions.archive_path(db_path))

    message = _refused(app(PAGE))
    assert f"Il database {db_path} non c'è, ma quello che ha lasciato accanto mostra che esisteva" in message
    assert "la versione 2 caricava il file relazione_2020.xlsx, che non è nell'archivio" in message
    assert "python -m cruscotto build --nuovo" in message and "CRUSCOTTO_DB" in message
    assert not db_path.exists()


def test_a_new_store_says_where_it_was_created(app, tmp_path, monkeypatch):
    path = tmp_path / "altrove" / "cruscoto.duckdb"  # a mistyped CRUSCOTTO_DB
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    at = app(PAGE)
    assert any(rendered(i.value).startswith(f"Creato un nuovo database in {path} dai dati della cartella data/")
               for i in at.info)
    assert _years_offered(at) == ["2019"]


# ---------------------------------------------------------------- locked, corrupt, read-only, full, no data/

def test_a_store_held_by_another_program_is_said_in_italian(app, db_path):
    with holder(db_path) as pid:
        message = _refused(app(PAGE))
    assert f"Il database {db_path} è aperto da un altro programma (processo {pid})" in message
    assert "attendere che l'altro programma finisca" in message


def test_a_corrupt_store_is_said_in_italian(app, db_path):
    with open(db_path, "r+b") as out:
        out.write(b"questo non e' un database " * 40)
    message = _refused(app(PAGE))
    assert f"Il database {db_path} è danneggiato e non si può leggere" in message


def test_a_damaged_block_met_by_a_page_is_said_in_italian(app, db_path, monkeypatch):
    from cruscotto.store import queries
    def damaged(*args, **kwargs):
        raise duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 274432")

    monkeypatch.setattr(queries, "run", damaged)
    at = app(PAGE)
    assert not at.exception
    assert any(f"Il database {db_path} è danneggiato" in rendered(e.value) for e in at.error)


def test_a_read_only_store_is_shown_and_an_upload_says_why_it_cannot_be_written(app, db_path, tmp_path, monkeypatch):
    with read_only_copy(db_path, tmp_path / "ro", monkeypatch) as (path, how):
        monkeypatch.setenv("CRUSCOTTO_DB", str(path))
        at = app(PAGE)
        assert at.warning[0].value.replace("\\", "").startswith(f"Il database {path} (o la sua cartella) è in sola "
                                                                "lettura e non è stato aperto in scrittura")
        _confirm_upload(at)
        assert any("è in sola lettura: non è stato possibile completare il caricamento" in rendered(e.value) for e in at.error), how
        assert _years_offered(at) == ["2019"]


def test_a_full_disk_during_an_upload_is_said_and_nothing_changes(app, db_path, tmp_path, monkeypatch):
    with full_disk_copy(db_path, tmp_path / "pieno", monkeypatch) as (path, how):
        monkeypatch.setenv("CRUSCOTTO_DB", str(path))
        at = _confirm_upload(app(PAGE))
        assert any(f"Spazio su disco esaurito nella cartella {path.parent}: non è stato possibile completare il caricamento e i "
                   "dati sono rimasti come erano" in rendered(e.value) for e in at.error), how
        # the status shown while writing is left marked as failed, above the message
        writing = [s for s in at.status if rendered(s.label).startswith("Scrittura di relazione_2020.xlsx:")]
        assert [s.state for s in writing] == ["error"], [(s.label, s.state) for s in at.status]
        assert _years_offered(at) == ["2019"]


def test_no_store_and_no_data_folder_is_said_in_italian(app, tmp_path, monkeypatch):
    path = tmp_path / "nuovo.duckdb"
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")  # data/ moved away
    message = _refused(app(PAGE))
    assert f"Il database {path} è vuoto e non si può riempire con i dati del programma" in message
    assert "rimettere la cartella data/ del programma" in message
    assert not path.exists()


def test_no_data_folder_beside_an_existing_store_changes_nothing(app, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")
    at = app(PAGE)
    assert not at.error and not at.warning
    assert _years_offered(at) == ["2019"]
