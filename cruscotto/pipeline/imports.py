"""The import pipeline, in one place above the store: read a file (ingest.reader), check it (ingest.validate),
preview it against the store (ingest.diff), then write it in one transaction (store.write_tables), archiving the
file first. The page uses check → commit; the CLI and the shipped data/ use import_bytes / import_directory, the
same steps without the pause for a preview.

A file with a sheet left with its header only is refused unless the check was asked to empty such tables
(`svuota_tabelle_vuote`): `commit` writes only a check without errors, so it never empties a table unconfirmed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cruscotto import paths, store
from cruscotto.auth import Utente
from cruscotto.ingest import sandbox
from cruscotto.ingest.diff import Preview, changes, preview
from cruscotto.ingest.reader import ReadError, read_bytes, read_directory
from cruscotto.ingest.validate import EMPTIED, Validated, validate
from cruscotto.pipeline import permissions
from cruscotto.present import formatting
from cruscotto.store import versions
from cruscotto.store.errors import translated
from cruscotto.store.schema import ANNOTAZIONI

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    validated: Validated
    version: int | None = None
    unchanged: bool = False  # the file holds exactly the stored data: nothing written, no new version

    @property
    def ok(self) -> bool:
        return self.version is not None or self.unchanged


@dataclass
class Checked:
    file_name: str
    sha256: str
    size: int
    error: str | None = None  # the file cannot be read at all (Italian, names the file)
    validated: Validated | None = None
    preview: Preview | None = None
    notes: list[str] = field(default_factory=list)  # Italian warnings about the preview (e.g. a sheet left out)

    @property
    def ok(self) -> bool:
        return self.error is None and self.validated is not None and self.validated.ok

    @property
    def emptied(self) -> dict[str, int]:
        """Tables the file would empty (header only) -> stored rows that would go; confirmed or not."""
        return self.validated.emptied if self.validated is not None else {}

    @property
    def awaits_emptying_confirmation(self) -> bool:
        """The only thing between this file and its preview is the user's «Confermo di svuotare …»."""
        return (self.error is None and self.validated is not None and bool(self.validated.emptied)
                and not self.validated.emptying_confirmed and all(p.group == EMPTIED for p in self.validated.errors))


def prepare_reading() -> None:
    """Start the process every .xlsx is read in (ingest.sandbox's fork server) in the background, so that the first
    upload does not wait for it: the upload page calls it when it shows the uploader, the command line before it
    opens the store."""
    sandbox.warm()


def check(con, data: bytes, file_name: str, svuota_tabelle_vuote: bool = False, user: Utente | None = None) -> Checked:
    """Read, validate and (when valid) preview an upload against the current store. Writes nothing.

    A sheet with its header only would empty its table for the years the file replaces: unless
    `svuota_tabelle_vuote` (the user ticked «Confermo di svuotare …») that is an error, and `emptied` says which
    tables and how many stored rows, for the page to ask. `user` (the app's logged-in user; None = the trusted
    command line) may change only their chambers and not the OIV's notes (pipeline.permissions)."""
    file_name = Path(file_name or "file").name
    checked = Checked(file_name, store.sha256_of(data), len(data))
    try:
        sheets = read_bytes(data, file_name)
        checked.validated = validate(sheets, store.stored_rows(con), svuota_tabelle_vuote)
        if checked.validated.ok:
            checked.validated.problems += permissions.upload_problems(checked.validated, store.stored_rows(con), user,
                                                                      file_name)
            permissions.sign(checked.validated, store.stored_rows(con), user.nome if user else None)
        if checked.validated.ok:
            checked.preview = preview(con, checked.validated)
            for name, rows in checked.validated.emptied.items():
                checked.notes.append(f"Il foglio «{name}» non ha righe: confermando si cancellano "
                                     f"{_rows(rows, 'già caricata', 'già caricate')} per gli stessi anni, come "
                                     "richiesto.")
            for name in checked.validated.kept_from_store:
                rows = len(checked.validated.tables[name])
                if rows:
                    checked.notes.append(f"Il file non ha il foglio «{name}»: restano "
                                         f"{_rows(rows, 'già caricata', 'già caricate')} per gli stessi anni.")
    except ReadError as exc:
        checked.error = str(exc)
    except Exception:  # never a traceback to the user: log it for the maintainer, say it plainly
        log.exception("unexpected error while checking %s", file_name)
        checked.error = (f"File {file_name}: errore imprevisto durante la lettura. Il file non è stato caricato; "
                         "se il problema si ripete, inviare il file a chi gestisce il cruscotto.")
    return checked


def commit(con, checked: Checked, data: bytes, utente: str | None = None) -> int:
    """Write a checked upload, refusing if the store changed since its preview (versions.VersionError)."""
    if not checked.ok:
        raise ValueError("refusing to commit an upload with errors")
    if store.sha256_of(data) != checked.sha256:
        raise ValueError("the bytes differ from the checked file")
    return commit_upload(con, checked.validated, data, checked.file_name, utente,
                               expected_version=checked.preview.base_version if checked.preview else None)


def import_bytes(con, data: bytes, file_name: str, utente: str | None = None,
                 svuota_tabelle_vuote: bool = False, note: str | None = None) -> ImportResult:
    """Validate an uploaded file and, when it has no errors, write it. The same path for app and CLI.

    Tables the file leaves out keep their stored rows (validate's `stored`), so one sheet can correct one table; a
    sheet with its header only empties its table only with `svuota_tabelle_vuote` (else the file is refused). A file
    that changes nothing writes nothing (`unchanged`)."""
    validated = validate(read_bytes(data, file_name), store.stored_rows(con), svuota_tabelle_vuote)
    if not validated.ok:
        return ImportResult(validated)
    permissions.sign(validated, store.stored_rows(con), utente)
    if not changes(con, validated):  # «nessuna modifica»: a version that changes nothing would only clutter the record
        return ImportResult(validated, unchanged=True)
    return ImportResult(validated, commit_upload(con, validated, data, file_name, utente, note=note))


class PermissionDenied(ValueError):
    """The user may not do this; the message is Italian."""


ANNOTATIONS_FILE = f"{ANNOTAZIONI.name}.csv"  # the file one annotation is written as (its stem names the table)


def annotate(con, ente: str, anno: int, codice_indicatore: str, tipo: str, testo: str,
             user: Utente | None = None, utente: str | None = None) -> ImportResult:
    """Write one annotation (the motivazione of an indicator, an OIV note, a comment) as a new version.

    It goes through the import pipeline as a one-table upload: the annotations of (ente, anno) with this one added or
    replaced, as the CSV `annotazioni.csv`, validated like any file, archived by sha256 and committed in one
    transaction, so the record of versions, rollback and the rebuild from the archive treat it like every import.
    The store signs it with the user's name and the version's time. `user` (the app's logged-in user) must be allowed
    to write that kind of text for that chamber (PermissionDenied); `utente` is the name recorded when `user` is None
    (the command line)."""
    if user is not None and not user.may_annotate(tipo, ente):
        raise PermissionDenied(f"{user.describe()} non può scrivere testi di tipo «{tipo}» per {ente}: le motivazioni "
                               "e i commenti li scrive un editor dell'ente, le note l'OIV.")
    name = user.nome if user is not None else utente
    rows = store.stored_rows(con)(ANNOTAZIONI, [(ente, int(anno))])
    rows = rows[~((rows["codice_indicatore"] == codice_indicatore) & (rows["tipo"] == tipo))]
    mine = pd.DataFrame([{"ente": ente, "anno": int(anno), "codice_indicatore": codice_indicatore, "tipo": tipo,
                          "testo": testo}])
    data = _csv_bytes(pd.concat([rows, mine], ignore_index=True).reindex(columns=ANNOTAZIONI.column_names))
    return import_bytes(con, data, ANNOTATIONS_FILE, name, note=f"{tipo} per {codice_indicatore} ({ente}, {anno})")


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    """The rows as a plain CSV the reader reads back exactly (UTF-8, ',', every cell as written: no formula
    neutralising here, since this file is read by the cruscotto, not by a spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False, name=None):
        writer.writerow(["" if v is None or (isinstance(v, float) and v != v) else v for v in row])
    return out.getvalue().encode("utf-8")


def commit_upload(con, validated: Validated, data: bytes, file_name: str, utente: str | None = None,
                  expected_version: int | None = None, note: str | None = None) -> int:
    """Write a validated upload: archive the file (by sha256, beside the store), then one transaction.

    `expected_version` is the version the user previewed against: if another import or rollback happened since,
    nothing is written (versions.VersionError) so that nobody confirms a preview that is no longer true.
    """
    digest = store.sha256_of(data)
    with versions.WRITE_LOCK, translated(versions.database_file(con), "il caricamento"):
        if expected_version is not None and versions.current_version(con) != expected_version:
            raise versions.VersionError(
                f"i dati sono cambiati dopo l'anteprima (ora versione {versions.current_version(con)}, "
                f"anteprima sulla versione {expected_version}): ricaricare il file per rivedere l'anteprima.")
        versions.archive(con, data, file_name, digest)
        return store.write_tables(con, validated, file_name=file_name, sha256=digest, utente=utente, note=note)


def import_path(con, path: str | Path, utente: str | None = None, svuota_tabelle_vuote: bool = False) -> ImportResult:
    path = Path(path)
    if path.is_dir():
        return import_directory(con, path, utente)
    return import_bytes(con, path.read_bytes(), path.name, utente, svuota_tabelle_vuote)


def directory_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def import_directory(con, folder: str | Path | None = None, utente: str | None = None) -> ImportResult:
    """The shipped data/ folder: the same validation and write as an uploaded workbook."""
    folder = Path(folder or paths.DATA_DIR)
    validated = validate(read_directory(folder))
    if not validated.ok:
        return ImportResult(validated)
    version = store.write_tables(con, validated, file_name=f"{folder.name}/*.csv", sha256=directory_digest(folder), utente=utente)
    return ImportResult(validated, version)


def build(path: str | Path | None = None, folder: str | Path | None = None) -> ImportResult:
    """Create the store if needed and (re)load data/ into it."""
    con = store.connect(path)
    try:
        return import_directory(con, folder, utente="build")
    finally:
        con.close()


def ensure_built(con) -> None:
    """First start: an empty store is filled from data/. Later starts pick up a changed data/ (see below).

    (Whether a MISSING store may be created at all is decided before, by opening.py.)"""
    if store.is_empty(con):
        result = import_directory(con, paths.DATA_DIR, utente="primo avvio")
        if not result.ok:
            raise RuntimeError("\n".join(str(p) for p in result.validated.errors))
    else:
        refresh_shipped_data(con)


def refresh_shipped_data(con, folder: str | Path | None = None) -> int | None:
    """Reload data/ when it differs from what the store last loaded from it (after updating the software), unless
    an upload or a rollback has touched the same years since: then the people's work wins, and `python -m cruscotto
    build` reloads data/ on purpose. Returns the new version, or None when nothing was written."""
    folder = Path(folder or paths.DATA_DIR)
    pending = pending_refresh(con, folder)
    if pending is None:
        return None
    validated, digest = pending
    return store.write_tables(con, validated, file_name=f"{folder.name}/*.csv", sha256=digest, utente="aggiornamento di data/")


def pending_refresh(con, folder: Path) -> tuple[Validated, str] | None:
    """What refresh_shipped_data would write (the validated data/ and its digest), or None. Reads only."""
    if not any(folder.glob("*.csv")):
        return None  # no data/ (moved, or not shipped with this copy): the store stands as it is
    digest = directory_digest(folder)
    cur = con.cursor()
    try:
        history = cur.execute("SELECT versione, operazione, file_name, sha256, partizioni FROM versioni ORDER BY versione").fetchall()
    finally:
        cur.close()
    loads = [row for row in history if row[2] == f"{folder.name}/*.csv"]
    if not loads or loads[-1][3] == digest:
        return None  # a store that never loaded data/ (another chamber's, synthetic) is not ours to fill
    validated = validate(read_directory(folder))
    if not validated.ok:
        return None
    shipped = set(validated.partitions())
    last_load = loads[-1][0]
    for version, operazione, _, _, partizioni in history:
        touched = {tuple(p) for p in json.loads(partizioni or "[]")}
        if version > last_load and (operazione == "rollback" or touched & shipped):
            return None
    return validated, digest


def needs_writing(con) -> bool:
    """Would opening this store for writing change it (missing tables or views after a software update, an empty
    store, a changed data/ to reload)? Asked on a read-only connection, so that readers write only when needed."""
    return not store.schema_is_current(con) or store.is_empty(con) or pending_refresh(con, paths.DATA_DIR) is not None


def _rows(count: int, singular: str, plural: str) -> str:
    """'la riga già caricata' / 'le 12 righe già caricate'."""
    return f"la riga {singular}" if int(count) == 1 else f"le {formatting.integer(count)} righe {plural}"
