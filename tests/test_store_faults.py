"""Store faults through the CLI: a deleted store after an upload, validate writing nothing, a read-only store, a store
locked by the app, a corrupt store, a full disk, a missing data/. Each says in Italian what happened and what to do,
with no traceback, and loses nothing in silence. (The app under the same faults: test_store_faults_app.py.)"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from builders.faults import full_disk_copy, holder, read_only_copy, snapshot
from builders.workbooks import workbook_2020

from cruscotto import paths, store
from cruscotto.store import models
from cruscotto.cli import main
from cruscotto.store import database, versions

QUERY = ["query", "andamento_pratiche_evase", "--format", "json"]


def _years(capsys) -> list[int]:
    assert main(QUERY) == 0, capsys.readouterr().err
    return [r["anno_relazione"] for r in json.loads(capsys.readouterr().out)]


def _import_2020(db_path, capsys) -> None:
    upload = db_path.parent / "relazione_2020.xlsx"
    upload.write_bytes(workbook_2020())
    assert main(["import", str(upload), "--utente", "ufficio performance"]) == 0
    capsys.readouterr()


def _versions(path):
    con = store.connect(path, read_only=True)
    try:
        return [(v.versione, v.operazione, v.utente, v.file_name) for v in reversed(versions.list_versions(con))]
    finally:
        con.close()


# ---------------------------------------------------------------- a store deleted after an upload

def test_a_deleted_store_is_rebuilt_from_the_archive_and_the_cli_says_so(db_path, capsys):
    _import_2020(db_path, capsys)
    assert main(["rollback", "1", "--utente", "oiv"]) == 0
    assert main(["rollback", "2", "--utente", "oiv"]) == 0  # back to the 2020 upload
    capsys.readouterr()
    before = _versions(db_path)
    db_path.unlink()

    assert set(_years(capsys)) == {2020}  # the 2020 upload is there (its report gives every year of the series)
    # the same record, number by number, with who did it
    assert _versions(db_path) == before == [
        (1, "import", "build", "data/*.csv"), (2, "import", "ufficio performance", "relazione_2020.xlsx"),
        (3, "rollback", "oiv", None), (4, "rollback", "oiv", None)]


def test_the_rebuild_is_said_on_stderr(db_path, capsys):
    _import_2020(db_path, capsys)
    db_path.unlink()
    assert main(["versions"]) == 0
    captured = capsys.readouterr()
    assert (f"Attenzione: Il database {db_path} non c'era ed è stato ricostruito dall'archivio: 2 versioni riapplicate "
            "(1 caricamento di file, 1 caricamento della cartella data/), fino alla versione 2.") in captured.err
    assert "ricostruito da archivio" in captured.out  # the note on every replayed version
    assert "relazione_2020.xlsx" in captured.out


def test_a_store_that_cannot_be_rebuilt_is_refused_with_what_to_do(db_path, capsys):
    _import_2020(db_path, capsys)
    db_path.unlink()
    for archived in versions.archive_path(db_path).iterdir():
        archived.unlink()  # the uploaded file is gone too

    assert main(QUERY) == 1
    err = capsys.readouterr().err
    assert f"Il database {db_path} non c'è, ma quello che ha lasciato accanto mostra che esisteva" in err
    assert "la versione 2 caricava il file relazione_2020.xlsx, che non è nell'archivio" in err
    assert "CRUSCOTTO_DB" in err and "python -m cruscotto build --nuovo" in err and "Traceback" not in err
    assert not db_path.exists()  # never a store with data/ alone in its place

    # starting anew on purpose: data/ alone, the old record kept aside
    assert main(["build", "--nuovo"]) == 0
    assert f"Creato un nuovo database in {db_path}" in capsys.readouterr().err
    assert _versions(db_path) == [(1, "import", "primo avvio", "data/*.csv")]
    assert list(db_path.parent.glob("cruscotto.versioni.abbandonato-*.json"))


def test_the_log_left_by_a_lost_store_is_put_aside_not_applied(db_path, capsys):
    _import_2020(db_path, capsys)
    db_path.unlink()
    wal = db_path.with_name("cruscotto.duckdb.wal")
    wal.write_bytes(b"resti del database perso")  # DuckDB would replay it onto the rebuilt store
    assert main(["versions"]) == 0
    assert "Il file cruscotto.duckdb.wal rimasto senza database è stato messo da parte come " \
           "cruscotto.duckdb.wal.senza-database-" in capsys.readouterr().err
    assert not wal.exists() and [v[0] for v in _versions(db_path)] == [1, 2]


def test_a_log_without_store_nor_manifest_is_refused(db_path, capsys):
    db_path.unlink()
    db_path.with_name("cruscotto.duckdb.wal").write_bytes(b"resti del database perso")
    assert main(["versions"]) == 1
    assert "ma accanto c'è il suo file cruscotto.duckdb.wal con le ultime modifiche" in capsys.readouterr().err
    assert not db_path.exists()


def test_an_archive_without_its_manifest_is_refused(db_path, capsys):
    _import_2020(db_path, capsys)
    db_path.unlink()
    versions.manifest_path(db_path).unlink()
    assert main(["versions"]) == 1
    err = capsys.readouterr().err
    assert "c'è l'archivio dei suoi caricamenti (cruscotto.archivio, 1 file) ma non il registro delle versioni" in err
    assert not db_path.exists()


def test_an_unreadable_manifest_is_refused(db_path, capsys):
    _import_2020(db_path, capsys)
    db_path.unlink()
    versions.manifest_path(db_path).write_text('{"versioni": [{"versione": "uno"', encoding="utf-8")  # truncated
    assert main(["versions"]) == 1
    assert "il registro delle versioni cruscotto.versioni.json c'è ma non si legge" in capsys.readouterr().err
    assert not db_path.exists()


def test_an_empty_store_in_place_of_the_real_one_is_refused(db_path, capsys):
    import duckdb

    _import_2020(db_path, capsys)
    db_path.unlink()
    duckdb.connect(str(db_path)).close()  # a new, empty database file where the real one was
    assert main(["versions"]) == 1
    assert (f"Il database {db_path} non ha nessuna versione, ma il registro accanto (cruscotto.versioni.json) ne "
            "elenca 2") in capsys.readouterr().err


def test_a_new_path_gets_a_new_store_and_the_cli_says_where(tmp_path, monkeypatch, capsys):
    path = tmp_path / "refuso" / "cruscoto.duckdb"  # CRUSCOTTO_DB mistyped
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    assert main(["versions"]) == 0
    assert f"Nota: Creato un nuovo database in {path} dai dati della cartella data/" in capsys.readouterr().err
    assert _versions(path) == [(1, "import", "primo avvio", "data/*.csv")]


def test_a_store_put_back_older_than_its_manifest_is_said(db_path, capsys):
    older = db_path.with_name("copia.duckdb")
    shutil.copy(db_path, older)  # version 1, before the upload
    _import_2020(db_path, capsys)
    shutil.copy(older, db_path)
    assert main(["versions"]) == 0
    assert "non ha le versioni 2 che il registro delle versioni accanto" in capsys.readouterr().err


# ---------------------------------------------------------------- validate writes nothing; readers read only

def test_validate_writes_nothing_even_where_a_writer_would(db_path, capsys):
    _behind_the_software(db_path)
    upload = db_path.parent.parent / "relazione_2020.xlsx"
    upload.write_bytes(workbook_2020())
    before = snapshot(db_path.parent)
    assert main(["validate", str(upload)]) == 0
    assert "Nessun errore" in capsys.readouterr().out
    assert snapshot(db_path.parent) == before  # same files, same bytes, same modification times


def test_validate_without_a_store_creates_nothing(tmp_path, monkeypatch, capsys):
    upload = tmp_path / "relazione_2020.xlsx"
    upload.write_bytes(workbook_2020())
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "nuova" / "cruscotto.duckdb"))
    assert main(["validate", str(upload)]) == 0
    captured = capsys.readouterr()
    assert "Nessun errore" in captured.out
    assert "non c'è: il controllo è fatto come su un database vuoto, e nulla è stato scritto" in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["relazione_2020.xlsx"]  # no store, no folder


def test_a_read_only_store_can_be_read_but_not_written(db_path, tmp_path, monkeypatch, capsys):
    upload = tmp_path / "relazione_2020.xlsx"
    upload.write_bytes(workbook_2020())
    with read_only_copy(db_path, tmp_path / "ro", monkeypatch) as (path, how):
        monkeypatch.setenv("CRUSCOTTO_DB", str(path))
        with capsys.disabled():
            print(f" [cartella in sola lettura: {how}]", end="")
        assert _years(capsys) == [2019] * 5  # 2013, 2016-2019 from the 2019 report
        assert main(["versions"]) == 0 and "data/*.csv" in capsys.readouterr().out
        assert main(["import", str(upload)]) == 1
        err = capsys.readouterr().err
        assert f"Errore: Il database {path} (o la sua cartella {path.parent}) è in sola lettura" in err
        assert "non è stato possibile completare il caricamento perché non si può scrivere" in err and "Traceback" not in err
        assert _versions(path) == [(1, "import", "build", "data/*.csv")]


def _behind_the_software(path) -> None:
    con = store.connect(path)  # as after a software update: the models of queries/ are to be redone
    con.execute("UPDATE schema_info SET valore = 'versione precedente' WHERE chiave = 'modelli'")
    con.close()


def _models_mark(path) -> str:
    con = store.connect(path, read_only=True)
    try:
        return con.execute("SELECT valore FROM schema_info WHERE chiave = 'modelli'").fetchone()[0]
    finally:
        con.close()


def test_a_reader_brings_the_store_up_to_date_or_says_it_cannot(db_path, tmp_path, monkeypatch, capsys):
    _behind_the_software(db_path)
    with read_only_copy(db_path, tmp_path / "ro", monkeypatch) as (path, how):
        monkeypatch.setenv("CRUSCOTTO_DB", str(path))
        assert _years(capsys) == [2019] * 5
        assert main(["versions"]) == 0
        assert (f"Attenzione: Il database {path} è in sola lettura e non si può aggiornare ora con i dati di data/ e le "
                "viste di questa versione del programma: i dati mostrati sono quelli che contiene.") in capsys.readouterr().err
        assert _models_mark(path) == "versione precedente", how
    monkeypatch.setenv("CRUSCOTTO_DB", str(db_path))
    assert _years(capsys) == [2019] * 5
    assert _models_mark(db_path) == models.digest()  # a writable store is brought up to date, as before


# ---------------------------------------------------------------- locked, corrupt, full

def test_import_while_the_app_holds_the_store_says_so_in_italian(db_path, tmp_path, capsys):
    upload = tmp_path / "relazione_2020.xlsx"
    upload.write_bytes(workbook_2020())
    with holder(db_path) as pid:
        assert main(["import", str(upload)]) == 1
        err = capsys.readouterr().err
        assert f"Errore: Il database {db_path} è aperto da un altro programma (processo {pid})" in err
        assert "caricare i file dalla pagina «Carica dati»" in err and "Traceback" not in err
        assert main(QUERY) == 1
        assert "è aperto da un altro programma" in capsys.readouterr().err
    assert _versions(db_path) == [(1, "import", "build", "data/*.csv")]


def test_a_corrupt_store_is_said_in_italian(db_path, capsys):
    with open(db_path, "r+b") as out:
        out.write(b"questo non e' un database " * 40)
    for command in (QUERY, ["versions"], ["import", str(paths.DATA_DIR / "aree.csv")]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert f"Errore: Il database {db_path} è danneggiato e non si può leggere" in err, command
        assert "spostarlo in un'altra cartella (senza cancellarlo)" in err and "Traceback" not in err


def test_a_damaged_block_met_by_a_query_is_said_in_italian(db_path, monkeypatch, capsys):
    import duckdb

    from cruscotto.store import queries
    def damaged(*args, **kwargs):
        raise duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 274432")

    monkeypatch.setattr(queries, "run", damaged)
    assert main(QUERY) == 1
    assert f"Errore: Il database {db_path} è danneggiato" in capsys.readouterr().err


def test_a_full_disk_is_said_and_the_store_keeps_its_version(db_path, tmp_path, monkeypatch, capsys):
    upload = tmp_path / "relazione_2020.xlsx"
    upload.write_bytes(workbook_2020())
    with full_disk_copy(db_path, tmp_path / "pieno", monkeypatch) as (path, how):
        monkeypatch.setenv("CRUSCOTTO_DB", str(path))
        with capsys.disabled():
            print(f" [disco pieno: {how}]", end="")
        assert main(["import", str(upload)]) == 1
        err = capsys.readouterr().err
        assert f"Errore: Spazio su disco esaurito nella cartella {path.parent}: non è stato possibile completare il caricamento" in err
        assert "Traceback" not in err
        assert _years(capsys) == [2019] * 5
        assert _versions(path) == [(1, "import", "build", "data/*.csv")]


# ---------------------------------------------------------------- data/ missing

def _program_without_data(tmp_path):
    """A copy of the program without its data/ folder (moved away, or not shipped with this copy)."""
    copy = tmp_path / "programma"
    for name in ("cruscotto", "queries"):
        shutil.copytree(paths.ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_without_data_folder_an_existing_store_still_answers(db_path, tmp_path):
    program = _program_without_data(tmp_path)
    result = subprocess.run([sys.executable, "-m", "cruscotto", *QUERY], cwd=program, capture_output=True, text=True,
                            env={"CRUSCOTTO_DB": str(db_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert [r["anno"] for r in json.loads(result.stdout)] == [2013, 2016, 2017, 2018, 2019]


def test_without_data_folder_a_new_store_is_refused_in_italian(tmp_path):
    program = _program_without_data(tmp_path)
    path = tmp_path / "nuovo.duckdb"
    result = subprocess.run([sys.executable, "-m", "cruscotto", *QUERY], cwd=program, capture_output=True, text=True,
                            env={"CRUSCOTTO_DB": str(path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert f"Errore: Il database {path} è vuoto e non si può riempire con i dati del programma" in result.stderr
    assert "rimettere la cartella data/ del programma" in result.stderr and "Traceback" not in result.stderr
    assert not path.exists()


@pytest.mark.parametrize("kind", ["import", "rollback"])
def test_the_manifest_follows_every_commit(db_path, capsys, kind):
    _import_2020(db_path, capsys)
    if kind == "rollback":
        assert main(["rollback", "1"]) == 0
    listed = versions.read_manifest(db_path)
    con = store.connect(db_path, read_only=True)
    try:
        assert listed == versions.manifest_entries(con)
    finally:
        con.close()
    assert [e["versione"] for e in listed] == ([1, 2] if kind == "import" else [1, 2, 3])
    assert listed[-1]["ripristina"] == (1 if kind == "rollback" else None)
