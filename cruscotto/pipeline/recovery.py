"""A missing store rebuilt from what survives it: the manifest of versions and the archive of uploaded files.

Every commit writes the whole record of versions beside the store (`<stem>.versioni.json`, versions.py) and every
upload is archived by its sha256 (`<stem>.archivio/`). When the store file is gone (deleted, moved, a mistyped
CRUSCOTTO_DB that happens to point at an old folder) those two show that it existed, and they are enough to rebuild
it: each version is applied again, in order, through the same functions as the first time (data/ through the
validation of import_directory, an archived upload through read_bytes + validate + write_tables, a rollback through
versions.rollback), keeping its number, time and user, with the note «ricostruito da archivio».

A rebuild is all or nothing: it is done in a hidden folder beside the store and moved into place only when every
version has been applied and gives the rows it gave the first time. Otherwise RecoveryError says in Italian what is
missing and what to do, and nothing is left at the store's path (a half-rebuilt store would look like a real one).
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from cruscotto import paths, pipeline, store
from cruscotto.ingest.reader import ReadError, read_bytes, read_directory
from cruscotto.ingest.validate import validate
from cruscotto.present import formatting
from cruscotto.store import versions
from cruscotto.store.errors import OTHER, StoreError

REBUILT_NOTE = "ricostruito da archivio"


class RecoveryError(StoreError):
    """The store is missing, shows it existed, and cannot be rebuilt: the app and the CLI refuse to start."""

    def __init__(self, message: str):
        super().__init__(message, OTHER)


@dataclass
class Evidence:
    """What survives a missing store at `db`."""
    db: Path
    listed: list[dict]        # versions in the manifest (empty: no manifest)
    archived: list[Path]      # files in the archive
    wal: Path | None          # DuckDB's write-ahead log without its database
    unreadable: bool = False  # a manifest is there but cannot be read

    @property
    def store_existed(self) -> bool:
        return bool(self.listed or self.archived or self.wal or self.unreadable)


def evidence(db: Path) -> Evidence:
    wal = db.with_name(db.name + ".wal")
    listed = versions.read_manifest(db) or []
    return Evidence(db, listed, versions.archived_files(db), wal if wal.exists() else None,
                    unreadable=not listed and versions.manifest_path(db).exists())


@dataclass
class Rebuilt:
    db: Path
    replayed: list[dict]
    data_changed: list[int] = field(default_factory=list)  # data/ loads replayed with today's data/
    unreferenced: list[Path] = field(default_factory=list)  # archived files no version names
    wal_aside: Path | None = None  # the lost store's log (.wal), renamed

    def message(self) -> str:
        uploads = sum(1 for e in self.replayed if e["operazione"] == "import" and not _is_folder(e))
        rollbacks = sum(1 for e in self.replayed if e["operazione"] == "rollback")
        folders = len(self.replayed) - uploads - rollbacks
        kinds = [_count(uploads, "caricamento di file", "caricamenti di file"),
                 _count(rollbacks, "ripristino", "ripristini"),
                 _count(folders, "caricamento della cartella data/", "caricamenti della cartella data/")]
        text = (f"Il database {self.db} non c'era ed è stato ricostruito dall'archivio: "
                f"{_count(len(self.replayed), 'versione riapplicata', 'versioni riapplicate')} "
                f"({', '.join(k for k in kinds if k)}), fino alla versione {self.replayed[-1]['versione']}. Controllare "
                "i dati; nell'elenco delle versioni (pagina «Carica dati» o `python -m cruscotto versions`) sono "
                f"segnate «{REBUILT_NOTE}».")
        if self.data_changed:
            text += (f" La cartella data/ è cambiata dopo le versioni {_numbers(self.data_changed)}: sono state "
                     "riapplicate con la data/ di oggi.")
        if self.wal_aside:
            text += (f" Il file {self.db.name}.wal rimasto senza database è stato messo da parte come "
                     f"{self.wal_aside.name}.")
        if self.unreferenced:
            text += (f" {len(self.unreferenced)} file dell'archivio "
                     f"{'non corrisponde' if len(self.unreferenced) == 1 else 'non corrispondono'} a nessuna versione registrata "
                     f"(caricamenti non confermati o interrotti) e non sono stati riapplicati: "
                     f"{', '.join(p.name for p in self.unreferenced)}.")
        return text


def rebuild(db: Path, listed: list[dict]) -> Rebuilt:
    """Replay the versions `listed` (the manifest) into a new store at `db`; RecoveryError when it cannot be done."""
    _check_plan(db, listed)
    stamp = time.strftime("%d/%m/%Y %H:%M")
    report = Rebuilt(db, listed)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():  # the log of the lost file: DuckDB would apply it to the new one
        report.wal_aside = wal.with_name(f"{wal.name}.senza-database-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(wal, report.wal_aside)

    def replay(con) -> None:
        for entry in listed:
            _replay_one(con, db, entry, f"{REBUILT_NOTE} il {stamp}", report)

    build_aside(db, replay, keep_previous_manifest=True)
    known = {versions.archived_path(db, e["sha256"], e["file_name"]).name for e in listed if e.get("sha256")}
    report.unreferenced = [p for p in versions.archived_files(db) if p.name not in known]
    return report


def build_aside(db: Path, fill: Callable, *, keep_previous_manifest: bool = False) -> None:
    """Create the store `db` in a hidden folder beside it, `fill(con)` it, then move it (and its manifest) into place.

    The move never replaces a store another process created meanwhile (os.link fails if the name exists), and a
    failure leaves nothing at `db`."""
    db.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=db.parent, prefix=f".{db.name}.in-costruzione-"))
    try:
        con = store.connect(work / db.name)
        try:
            fill(con)
        finally:
            con.close()
        built_manifest = versions.manifest_path(work / db.name)
        try:
            os.link(work / db.name, db)
        except FileExistsError:
            return  # another process built it first: use theirs
        except OSError:  # a file system without hard links
            if db.exists():
                return
            os.replace(work / db.name, db)
        if built_manifest.exists():
            old = versions.manifest_path(db)
            if keep_previous_manifest and old.exists():
                stamp = time.strftime("%Y%m%d-%H%M%S")
                os.replace(old, old.with_name(f"{db.stem}.versioni.prima-della-ricostruzione-{stamp}.json"))
            os.replace(built_manifest, old)
    finally:
        shutil.rmtree(work, ignore_errors=True)


# ------------------------------------------------------------------ the replay

def _is_folder(entry: dict) -> bool:
    return entry["operazione"] == "import" and (entry.get("file_name") or "").endswith("/*.csv")


def _count(n: int, one: str, many: str) -> str:
    return "" if n == 0 else f"1 {one}" if n == 1 else f"{n} {many}"


def _numbers(items) -> str:
    return ", ".join(str(n) for n in items)


def _check_plan(db: Path, listed: list[dict]) -> None:
    """Refuse before writing anything when some version cannot be replayed: say which, and what to do."""
    problems = []
    numbers = [e.get("versione") for e in listed]
    if numbers != list(range(1, len(listed) + 1)):
        problems.append(f"le versioni del registro non vanno da 1 in poi senza salti ({_numbers(numbers)})")
    for e in listed:
        what = f"la versione {e.get('versione')}"
        if _is_folder(e):
            folder = e["file_name"][:-len("/*.csv")]
            if folder != paths.DATA_DIR.name:
                problems.append(f"{what} caricava la cartella {folder}/, che non è conservata nell'archivio")
            elif not any(paths.DATA_DIR.glob("*.csv")):
                problems.append(f"{what} caricava la cartella data/, che non c'è ({paths.DATA_DIR})")
        elif e.get("operazione") == "import":
            path = versions.archived_path(db, e["sha256"], e["file_name"]) if e.get("sha256") else None
            if path is None or not path.exists():
                problems.append(f"{what} caricava il file {e.get('file_name')}, che non è nell'archivio "
                                f"({path or versions.archive_path(db)})")
        elif e.get("operazione") != "rollback" or not isinstance(e.get("ripristina"), int):
            problems.append(f"{what} ({e.get('operazione')}) non si può riapplicare")
    if problems:
        raise RecoveryError(refusal(db, "; ".join(problems)))


def refusal(db: Path, why: str) -> str:
    """Why a missing store that existed cannot be rebuilt, and what to do (Italian)."""
    return (f"Il database {db} non c'è, ma quello che ha lasciato accanto mostra che esisteva, e non si può "
            f"ricostruire: {why}. Per non perdere dati in silenzio il cruscotto non parte. Cosa fare: rimettere il "
            "file del database al suo posto (da una copia di sicurezza o da dove è stato spostato); oppure, se il "
            "database giusto è altrove, impostare la variabile d'ambiente CRUSCOTTO_DB sul suo percorso; oppure, per "
            "ripartire di proposito dai soli dati di data/, eseguire `python -m cruscotto build --nuovo`.")


def _replay_one(con, db: Path, entry: dict, note: str, report: Rebuilt) -> None:
    what = f"la versione {entry['versione']}"
    original = {"utente": entry.get("utente"), "creata_il": entry.get("creata_il")}
    try:
        if entry["operazione"] == "rollback":
            version = versions.rollback(con, entry["ripristina"], note=note, **original)
        elif _is_folder(entry):
            digest = pipeline.directory_digest(paths.DATA_DIR)
            if digest != entry.get("sha256"):
                report.data_changed.append(entry["versione"])
            validated = validate(read_directory(paths.DATA_DIR))
            version = _write(con, db, validated, entry, digest, _joined(entry.get("note"), note), original)
        else:
            path = versions.archived_path(db, entry["sha256"], entry["file_name"])
            data = path.read_bytes()
            if store.sha256_of(data) != entry["sha256"]:
                raise RecoveryError(refusal(db, f"il file di {what} nell'archivio ({path.name}) è stato alterato"))
            # an archived upload was committed, so a sheet it left empty was confirmed then (or predates the question)
            validated = validate(read_bytes(data, entry["file_name"]), store.stored_rows(con), svuota_tabelle_vuote=True)
            version = _write(con, db, validated, entry, entry["sha256"], _joined(entry.get("note"), note), original)
    except RecoveryError:
        raise
    except (ReadError, versions.VersionError) as exc:
        raise RecoveryError(refusal(db, f"{what} non si riapplica: {exc}")) from exc
    except StoreError as exc:
        raise RecoveryError(f"Il database {db} non c'è e la ricostruzione dall'archivio si è fermata alla {what}: "
                            f"{exc}") from exc
    if version != entry["versione"]:
        raise RecoveryError(refusal(db, f"{what} è stata riapplicata come versione {version}"))
    if entry["versione"] not in report.data_changed and not _same_rows(con, entry):
        raise RecoveryError(refusal(db, f"{what} riapplicata non dà le stesse righe di allora ({entry.get('righe')})"))


def _write(con, db: Path, validated, entry: dict, sha256: str, note: str, original: dict) -> int:
    if not validated.ok:
        raise RecoveryError(refusal(db, f"la versione {entry['versione']} ({entry['file_name']}) non supera più i "
                                         f"controlli ({formatting.plural(len(validated.errors), 'errore', 'errori')}; il primo: {validated.errors[0]})"))
    return store.write_tables(con, validated, file_name=entry["file_name"], sha256=sha256, note=note, **original)


def _joined(*notes) -> str:
    return " · ".join(n for n in notes if n)


def _same_rows(con, entry: dict) -> bool:
    now = versions.list_versions(con)[0].righe
    before = entry.get("righe") or {}
    return all(now.get(k, 0) == v for k, v in before.items()) and all(v == 0 for k, v in now.items() if k not in before)
