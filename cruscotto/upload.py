"""The upload flow without the UI: read and check a file, preview it, then commit it (the page and the tests call
these; the CLI `import` goes through `store.import_bytes`, which uses the same read, validation and commit).

A file with a sheet left with its header only is refused unless the check was asked to empty such tables
(`svuota_tabelle_vuote`): `commit` writes only a check without errors, so it never empties a table unconfirmed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import store
from .diff import Preview, preview
from .reader import ReadError, read_bytes
from .validate import EMPTIED, Validated, validate

log = logging.getLogger(__name__)


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


def check(con, data: bytes, file_name: str, svuota_tabelle_vuote: bool = False) -> Checked:
    """Read, validate and (when valid) preview an upload against the current store. Writes nothing.

    A sheet with its header only would empty its table for the years the file replaces: unless
    `svuota_tabelle_vuote` (the user ticked «Confermo di svuotare …») that is an error, and `emptied` says which
    tables and how many stored rows, for the page to ask."""
    file_name = Path(file_name or "file").name
    checked = Checked(file_name, store.sha256_of(data), len(data))
    try:
        sheets = read_bytes(data, file_name)
        checked.validated = validate(sheets, store.stored_rows(con), svuota_tabelle_vuote)
        if checked.validated.ok:
            checked.preview = preview(con, checked.validated)
            for name, rows in checked.validated.emptied.items():
                checked.notes.append(f"Il foglio «{name}» non ha righe: confermando si cancellano le {rows} righe già "
                                     "caricate per gli stessi anni, come richiesto.")
            for name in checked.validated.kept_from_store:
                rows = len(checked.validated.tables[name])
                if rows:
                    checked.notes.append(f"Il file non ha il foglio «{name}»: restano le {rows} righe già caricate "
                                         "per gli stessi anni.")
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
    return store.commit_upload(con, checked.validated, data, checked.file_name, utente,
                               expected_version=checked.preview.base_version if checked.preview else None)
