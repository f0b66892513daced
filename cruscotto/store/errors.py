"""What can go wrong with the store file, said in Italian with what to do (no traceback reaches a user).

DuckDB and the operating system report a locked, corrupt, read-only or full store as `duckdb.Error` or `OSError`
with an English text; `describe` recognises each case and `translated` turns it into a StoreError whose message the
app (ui/store_status.py) and the CLI show as it is. Nothing here imports streamlit.
"""
from __future__ import annotations

import contextlib
import errno
import re
from pathlib import Path

import duckdb

LOCKED, CORRUPT, READ_ONLY, FULL, MISSING, OTHER = "bloccato", "danneggiato", "sola lettura", "spazio", "mancante", "altro"
UNAVAILABLE = "non disponibile"  # a store that is not a local file and cannot be reached (store/connection.py)

_KINDS = [  # (kind, what DuckDB or the OS writes), the first that matches wins
    (MISSING, re.compile(r"database does not exist", re.I)),
    (LOCKED, re.compile(r"could not set lock|conflicting lock", re.I)),
    (FULL, re.compile(r"no space left on device|disk (is )?full|not enough space", re.I)),
    (READ_ONLY, re.compile(r"read-only file system|permission denied|attached in read-only mode|read-only mode|"
                           r"operation not permitted|access is denied", re.I)),
    (CORRUPT, re.compile(r"not a valid duckdb database|corrupt|checksum|could not read enough bytes|"
                         r"invalid (database|block|header)|database has been invalidated|serializ", re.I)),
]
_ERRNO_KINDS = {errno.ENOSPC: FULL, errno.EDQUOT: FULL, errno.EROFS: READ_ONLY, errno.EACCES: READ_ONLY,
                errno.EPERM: READ_ONLY}


class StoreError(Exception):
    """A store failure; str() is the Italian message for the user (what happened and what to do)."""

    def __init__(self, message: str, kind: str = OTHER):
        super().__init__(message)
        self.kind = kind


def kind_of(exc: BaseException) -> str | None:
    """Which store failure `exc` is, or None when it is not one (a bug elsewhere must not be disguised)."""
    if isinstance(exc, StoreError):
        return exc.kind
    if isinstance(exc, OSError) and exc.errno in _ERRNO_KINDS:
        return _ERRNO_KINDS[exc.errno]
    if isinstance(exc, (duckdb.Error, OSError)):
        text = str(exc)
        for kind, pattern in _KINDS:
            if pattern.search(text):
                return kind
    return None


def describe(exc: BaseException, path: str | Path, action: str = "l'operazione") -> str | None:
    """The Italian message for a store failure (None when `exc` is not one). `action` names what was refused, e.g.
    «il caricamento»."""
    kind = kind_of(exc)
    if kind is None:
        return None
    if isinstance(exc, StoreError):
        return str(exc)
    return message(kind, path, action, exc)


# What each store failure is and what to do, with {path}, {folder} (the store's), {action} (what was refused), {stem}
# (the store's name without .duckdb) and, for a lock, {who} (the process that holds it, when DuckDB says).
_MESSAGES = {
    LOCKED: "Il database {path} è aperto da un altro programma{who}, di solito l'app del cruscotto o un caricamento da "
            "riga di comando: finché lo tiene aperto, nessun altro può usarlo. Cosa fare: con l'app aperta caricare i "
            "file dalla pagina «Carica dati»; altrimenti attendere che l'altro programma finisca (o chiuderlo) e "
            "riprovare.",
    FULL: "Spazio su disco esaurito nella cartella {folder}: non è stato possibile completare {action} e i dati sono "
          "rimasti come erano. Cosa fare: liberare spazio su quel disco e riprovare.",
    READ_ONLY: "Il database {path} (o la sua cartella {folder}) è in sola lettura: non è stato possibile completare "
               "{action} perché non si può scrivere. Si possono consultare i dati. Cosa fare: dare il permesso di "
               "scrittura sul file e sulla cartella, oppure impostare la variabile d'ambiente CRUSCOTTO_DB su un "
               "database in una cartella scrivibile.",
    MISSING: "Il database {path} non c'è. Cosa fare: controllare il percorso (variabile d'ambiente CRUSCOTTO_DB) oppure "
             "crearlo con `python -m cruscotto build`.",
    CORRUPT: "Il database {path} è danneggiato e non si può leggere. Cosa fare: sostituirlo con una copia di sicurezza; "
             "oppure spostarlo in un'altra cartella (senza cancellarlo) e riavviare: se accanto c'è il registro delle "
             "versioni ({stem}.versioni.json) il database viene ricostruito dall'archivio dei caricamenti.",
    OTHER: "Errore del database {path} durante {action}{detail}. Se si ripete, avvisare chi gestisce il cruscotto.",
}


def message(kind: str, path: str | Path, action: str = "l'operazione", exc: BaseException | None = None) -> str:
    path = Path(path)
    pid = re.search(r"PID (\d+)", str(exc or "")) if kind == LOCKED else None
    return _MESSAGES.get(kind, _MESSAGES[OTHER]).format(
        path=path, folder=path.parent, stem=path.stem, action=action,
        who=f" (processo {pid.group(1)})" if pid else "",
        detail=f" (dettaglio tecnico: {str(exc).splitlines()[0][:300]})" if exc else "")


@contextlib.contextmanager
def translated(path: str | Path | None, action: str = "l'operazione"):
    """Run the block; a store failure in it leaves as a StoreError with the Italian message (anything else, a bug,
    leaves unchanged)."""
    try:
        yield
    except StoreError:
        raise
    except (duckdb.Error, OSError) as exc:
        kind = kind_of(exc)
        if kind is None or path is None:
            raise
        raise StoreError(message(kind, path, action, exc), kind) from exc
