"""What the person uploading a file may change, checked with the file and before its preview (issue 16).

- An editor changes only their chambers: a file holding rows of another chamber is refused whole, with one message
  per sheet naming the first such row; the OIV and a lettore do not upload at all.
- Annotations are signed: nobody but the OIV changes the OIV's notes, and an editor's upload keeps them as they are
  (a note left out of the sheet stays; a changed or new one is refused).
- The preview shows who will sign each annotation: an unchanged text keeps its author, a new or changed one gets the
  uploader (store.database signs them again in the write's transaction, which is what counts).

`user` None is the server's own command line, which is trusted (it records the name given with --utente).
"""
from __future__ import annotations

import pandas as pd

from cruscotto.auth import Utente
from cruscotto.ingest.validate import ERRORE, Problem, StoredRows, Validated
from cruscotto.store.schema import ANNOTAZIONI

GROUP = "Permessi"


def upload_problems(validated: Validated, stored: StoredRows, user: Utente | None, file_name: str) -> list[Problem]:
    """The problems that make `user` unable to load this file (empty: they may); adjusts the annotations of
    `validated` for the preview (OIV notes kept, signatures)."""
    if user is None:
        return []
    if not user.may_import:
        return [Problem(file_name, "-", None, None, f"l'utente {user.describe()} non può caricare dati: caricare e "
                        "ripristinare è dell'editor. Il file non è stato caricato.", ERRORE, GROUP)]
    problems = _foreign_chambers(validated, user, file_name)
    if ANNOTAZIONI.name not in validated.kept_from_store and ANNOTAZIONI.name in validated.tables:
        problems += _annotations(validated, stored, user, file_name)
    return problems


def _foreign_chambers(validated: Validated, user: Utente, file_name: str) -> list[Problem]:
    problems = []
    for name, frame in validated.tables.items():
        if name in validated.kept_from_store or not len(frame):
            continue
        rows = frame.attrs.get("row_numbers", [])
        reported = set()
        for pos, ente in enumerate(frame["ente"]):
            if ente is None or ente in reported or user.may_change(ente):
                continue
            reported.add(ente)
            problems.append(Problem(file_name, name, rows[pos] if pos < len(rows) else None, "ente", (
                f"il file contiene dati dell'ente «{ente}», che {user.describe()} non può modificare. Il file è "
                "rifiutato per intero: nessun dato è stato caricato. Togliere dal file le righe degli altri enti "
                "oppure chiedere il caricamento a un editor di quell'ente."), ERRORE, GROUP))
    return problems


def _stored_annotations(validated: Validated, stored: StoredRows) -> tuple[pd.DataFrame, dict]:
    before = stored(ANNOTAZIONI, validated.partitions())
    signed = {(e, int(a), c, t): (testo, autore, quando) for e, a, c, t, testo, autore, quando in zip(
        before["ente"], before["anno"], before["codice_indicatore"], before["tipo"], before["testo"],
        before["autore"], before["scritta_il"])}
    return before, signed


def _keys(frame: pd.DataFrame):
    return [(e, None if a is None else int(a), c, t)
            for e, a, c, t in zip(frame["ente"], frame["anno"], frame["codice_indicatore"], frame["tipo"])]


def _annotations(validated: Validated, stored: StoredRows, user: Utente, file_name: str) -> list[Problem]:
    frame = validated.tables[ANNOTAZIONI.name]
    before, signed = _stored_annotations(validated, stored)
    rows = frame.attrs.get("row_numbers", [])
    problems = []
    for pos, (key, testo) in enumerate(zip(_keys(frame), frame["testo"])):
        ente, _, codice, tipo = key
        old = signed.get(key)
        if old is not None and old[0] == testo or ente is None or tipo is None or user.may_annotate(tipo, ente):
            continue
        problems.append(Problem(file_name, ANNOTAZIONI.name, rows[pos] if pos < len(rows) else None, "testo", (
            f"il testo di tipo «{tipo}» per {codice} è {'cambiato' if old else 'nuovo'}, ma {user.describe()} non può "
            "scriverlo: le note dell'OIV le scrive l'OIV, dalla pagina «Indicatori». Rimettere il testo com'era oppure "
            "togliere la riga dal foglio (la nota resta com'è)."), ERRORE, GROUP))
    present = set(_keys(frame))
    kept = [key for key in signed if key not in present and not user.may_annotate(key[3], key[0])]
    if kept:  # notes the uploader may not touch, left out of the sheet: they stay
        extra = before[[key in kept for key in _keys(before)]]
        joined = pd.concat([frame, extra.reindex(columns=frame.columns)], ignore_index=True)
        joined.attrs["row_numbers"] = list(rows) + [None] * len(extra)
        validated.tables[ANNOTAZIONI.name] = joined
    return problems


def sign(validated: Validated, stored: StoredRows, nome: str | None) -> None:
    """The signatures the store will give, for the preview: an unchanged text keeps its author and time, a new or
    changed one gets `nome` (its time is the version's, not known yet)."""
    frame = validated.tables.get(ANNOTAZIONI.name)
    if frame is None or ANNOTAZIONI.name in validated.kept_from_store or not len(frame):
        return
    _, signed = _stored_annotations(validated, stored)
    authors, times = [], []
    for key, testo in zip(_keys(frame), frame["testo"]):
        old = signed.get(key)
        unchanged = old is not None and old[0] == testo
        authors.append(old[1] if unchanged else nome)
        times.append(old[2] if unchanged else None)
    frame = frame.copy()
    frame["autore"], frame["scritta_il"] = authors, times
    validated.tables[ANNOTAZIONI.name] = frame
