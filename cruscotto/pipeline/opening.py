"""Opening the store for the app and the CLI: no data lost in silence, readers that never write, Italian messages.

- A MISSING store (deleted, moved, CRUSCOTTO_DB mistyped) is created only when nothing shows that it existed; then
  the caller says where (a typo becomes visible). When its manifest of versions or its archive of uploads survive,
  it is rebuilt by replaying them (recovery.py) and the caller says so, or, if that cannot be done, opening refuses
  with what to do. A store whose manifest lists versions it lacks (an older copy put back) is said too.
- Readers (`open_for_reading`) open read-only; they write only when the software or data/ changed since the last
  writer (new views, data/ to reload), and carry on read-only if they cannot. `validate` asks for `create=False`:
  a missing store is then an empty one in memory, and nothing at all is written.
- Every failure of the file (locked, corrupt, read-only, disk full) is a StoreError with an Italian message.
- A store that is not a file here (CRUSCOTTO_DB = md:NAME, MotherDuck: store/connection.py) is only connected to
  (refused in Italian when it cannot be) and brought up to date: creating, rebuilding and the manifest and archive
  beside the file are for a local store.

Nothing here imports streamlit: ui/data.py shows the notices and the errors.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from cruscotto import paths, pipeline, store
from cruscotto.ingest.reader import ReadError
from cruscotto.pipeline import recovery
from cruscotto.present import formatting
from cruscotto.store import connection, versions
from cruscotto.store.errors import LOCKED, READ_ONLY, StoreError, translated

OPENING = "l'apertura del database"


@dataclass(frozen=True)
class Notice:
    """Something the user must be told about the store (Italian); `level` is "warning" or "info"."""
    level: str
    text: str


@dataclass
class Opened:
    con: duckdb.DuckDBPyConnection
    path: Path
    read_only: bool = False
    notices: list[Notice] = field(default_factory=list)
    identity: tuple | None = None  # (device, inode) of the file opened

    def still_there(self) -> bool:
        """False when the file was deleted or replaced after opening (the app then opens it again)."""
        return self.identity is None or _identity(self.path) == self.identity

    def close(self) -> None:
        with versions.WRITE_LOCK:  # not while a checkpoint runs on a cursor of it (versions.checkpoint_when_free)
            self.con.close()


def open_for_writing(path: str | Path | None = None, action: str = OPENING) -> Opened:
    """Read-write, as the app and the writing commands need it: created or rebuilt if missing, then ensure_built.
    `action` names, in a failure's message, what could not be done (e.g. «il caricamento»)."""
    where = store.target(path)
    if not where.local:
        return _open_elsewhere(where, False, action)
    path = where.path
    notices = create_if_missing(path)
    identity = _identity(path)
    with translated(path, action):
        con = store.connect(path)
    try:
        with translated(path, action):
            notices += _compare_with_manifest(con, path)
            _ensure_built(con, path)
            versions.write_manifest(con)
    except BaseException:
        con.close()
        raise
    return Opened(con, path, False, notices, identity)


def open_for_reading(path: str | Path | None = None, *, create: bool = True) -> Opened:
    """Read-only. A missing store is created as the app would (`create`), or else is an empty store in memory."""
    where = store.target(path)
    if not where.local:
        return _open_elsewhere(where, True, OPENING)
    path = where.path
    notices = []
    if not path.exists():
        if not create:
            return Opened(_empty_in_memory(), path, True, [Notice("info", (
                f"Il database {path} non c'è: il controllo è fatto come su un database vuoto, e nulla è stato "
                "scritto."))])
        notices += create_if_missing(path)
    con = _connect_read_only(path)
    if create:
        try:
            upgrade = pipeline.needs_writing(con)
        except duckdb.Error:
            upgrade = False  # an older or odd store: read what there is
        if upgrade:  # the software or data/ changed since the last writer: let a writer bring it up to date first
            con.close()
            try:
                opened = open_for_writing(path)
                notices += opened.notices
                opened.close()
            except StoreError as exc:
                if exc.kind not in (READ_ONLY, LOCKED):
                    raise
                why = "è in sola lettura" if exc.kind == READ_ONLY else "è aperto da un altro programma"
                notices.append(Notice("warning", (
                    f"Il database {path} {why} e non si può aggiornare ora con i dati di data/ e le viste di questa "
                    "versione del programma: i dati mostrati sono quelli che contiene.")))
            con = _connect_read_only(path)
    with translated(path, OPENING):
        notices += _compare_with_manifest(con, path, may_refuse=False)
    return Opened(con, path, True, notices, _identity(path))


def open_for_app(path: str | Path | None = None) -> Opened:
    """What the app needs: read-write; if the store cannot be written, read-only with a warning that says so."""
    where = store.target(path)
    if not where.local:
        return _open_elsewhere(where, False, OPENING)
    path = where.path
    try:
        return open_for_writing(path)
    except StoreError as exc:
        if exc.kind != READ_ONLY or not path.exists():
            raise
    opened = open_for_reading(path, create=False)
    opened.notices.insert(0, Notice("warning", read_only_notice(path, "aperto in scrittura")))
    return opened


def read_only_notice(path: Path, what: str) -> str:
    return (f"Il database {path} (o la sua cartella) è in sola lettura e non è stato {what}: si possono consultare i "
            "dati, ma non caricarne né ripristinare versioni. Per scrivere, dare il permesso di scrittura sul file e "
            "sulla cartella, oppure impostare CRUSCOTTO_DB su un database in una cartella scrivibile.")


def create_if_missing(path: Path) -> list[Notice]:
    """Nothing when the store exists. Otherwise rebuild it from its manifest and archive (a warning), refuse when
    they exist but cannot rebuild it (StoreError), or create it from data/ when nothing shows it existed (an info
    saying where, so that a mistyped CRUSCOTTO_DB is seen)."""
    if path.exists():
        return []
    found = recovery.evidence(path)
    if found.wal and not found.listed:
        raise StoreError(f"Il database {path} non c'è, ma accanto c'è il suo file {found.wal.name} con le ultime "
                         "modifiche: il database è stato spostato o cancellato a metà. Cosa fare: rimettere "
                         f"{path.name} al suo posto; se è perso, spostare {found.wal.name} in un'altra cartella e "
                         "riavviare (il database sarà ricostruito dall'archivio, se c'è).")
    with translated(path, "la ricostruzione del database"):
        if found.listed:
            return [Notice("warning", recovery.rebuild(path, found.listed).message())]
    if found.unreadable:
        raise recovery.RecoveryError(recovery.refusal(
            path, f"il registro delle versioni {versions.manifest_path(path).name} c'è ma non si legge (è stato "
                  "modificato o troncato)"))
    if found.archived:
        raise recovery.RecoveryError(recovery.refusal(
            path, f"c'è l'archivio dei suoi caricamenti ({versions.archive_path(path).name}, {len(found.archived)} "
                  f"file) ma non il registro delle versioni ({versions.manifest_path(path).name}) che dice in che "
                  "ordine riapplicarli"))
    return [Notice("info", create_new(path))]


def create_new(path: Path, folder: Path | None = None) -> str:
    """A store made from data/ (or `folder`) at a path where none was: the first start. Returns what to tell."""
    folder = Path(folder or paths.DATA_DIR)

    def fill(con) -> None:
        if folder == paths.DATA_DIR:
            _ensure_built(con, path)  # as every first start did: pipeline.ensure_built
        else:
            _raise_if_invalid(path, pipeline.import_directory(con, folder, utente="build"))

    with translated(path, "la creazione del database"):
        recovery.build_aside(path, fill)
    return (f"Creato un nuovo database in {path} dai dati della cartella {folder.name}/: in quel percorso non c'era "
            "nessun database, né l'archivio o il registro delle versioni di uno precedente. Se ci si aspettava un "
            "database già esistente, controllare la variabile d'ambiente CRUSCOTTO_DB.")


def start_anew(path: Path, folder: Path | None = None) -> str:
    """`build --nuovo`: a store from data/ alone where one is missing but its manifest or archive survive, on
    purpose. The old manifest is kept aside (the archive stays as it is); an existing store is never replaced."""
    if path.exists():
        raise StoreError(f"Il database {path} esiste: --nuovo serve solo a ripartire quando il database manca. Per "
                         "ripartire da zero, spostare prima il database in un'altra cartella.")
    manifest = versions.manifest_path(path)
    with translated(path, "la creazione del database"):
        if manifest.exists():
            os.replace(manifest, manifest.with_name(f"{path.stem}.versioni.abbandonato-{_now()}.json"))
    return create_new(path, folder)


# ------------------------------------------------------------------ helpers

def _now() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _identity(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _connect_read_only(path: Path):
    with translated(path, OPENING):
        return store.connect(path, read_only=True)


def _open_elsewhere(where: connection.Target, read_only: bool, action: str) -> Opened:
    """A store that is not a file on this computer (MotherDuck, docs/scala.md): refused in Italian when it cannot be
    reached (store.connection); else opened like a local one, without what only a local file has (creating it when
    missing, rebuilding it from the archive, the manifest and the archive beside it: the service keeps its copies)."""
    with translated(where.where, action):
        con = store.connect(where, read_only=read_only)
    try:
        if not read_only:
            with translated(where.where, action):
                _ensure_built(con, where.path)
    except BaseException:
        con.close()
        raise
    return Opened(con, where.path, read_only, [], None)


def _empty_in_memory():
    con = connection.in_memory()
    store.ensure_schema(con)
    return con


def _ensure_built(con, path: Path) -> None:
    """pipeline.ensure_built, with the failures of data/ said as a store problem."""
    try:
        pipeline.ensure_built(con)
    except ReadError as exc:  # data/ is missing
        raise StoreError(f"Il database {path} è vuoto e non si può riempire con i dati del programma: {exc} Cosa "
                         "fare: rimettere la cartella data/ del programma (per esempio `git checkout data/`), oppure "
                         "impostare CRUSCOTTO_DB sul database da usare.") from exc
    except RuntimeError as exc:  # data/ does not validate
        raise StoreError(f"Il database {path} è vuoto e i dati della cartella data/ non superano i controlli: {exc}") from exc


def _raise_if_invalid(path: Path, result) -> None:
    if not result.ok:
        raise StoreError(f"Il database {path} non è stato creato: i dati non superano i controlli "
                         f"({formatting.plural(len(result.validated.errors), 'errore', 'errori')}; il primo: {result.validated.errors[0]}).")


def _compare_with_manifest(con, path: Path, may_refuse: bool = True) -> list[Notice]:
    """The versions the manifest beside the store lists and the store lacks: refuse an empty store (it replaced a
    real one), say it of an older copy."""
    listed = versions.read_manifest(path)
    missing = versions.missing_from_store(con, listed)
    if not missing:
        return []
    if versions.current_version(con) == 0 and may_refuse:
        raise StoreError(f"Il database {path} non ha nessuna versione, ma il registro accanto "
                         f"({versions.manifest_path(path).name}) ne elenca {len(listed)}: sembra un file vuoto messo al "
                         "posto di quello vero. Per non perdere dati in silenzio il cruscotto non parte. Cosa fare: "
                         "rimettere il database da una copia di sicurezza, oppure spostare questo file in un'altra "
                         "cartella e riavviare: il database sarà ricostruito dall'archivio.")
    numbers = ", ".join(str(e.get("versione")) for e in missing)
    return [Notice("warning", (
        f"Il database {path} non ha le versioni {numbers} che il registro delle versioni accanto "
        f"({versions.manifest_path(path).name}) elencava: sembra una copia più vecchia rimessa al suo posto (il "
        "registro di allora resta accanto al database, col nome …versioni.precedente-…). I dati "
        "mostrati sono quelli di questa copia; i file di quei caricamenti sono nell'archivio "
        f"({versions.archive_path(path).name}) e si possono caricare di nuovo."))]
