"""Tiny hand-made reports for the calculation and verification tests: one area, one strategic objective, two
operational objectives, the indicators, series, key figures, methods and rules a test gives, imported through the
normal path (CSV folder -> validate -> store)."""
from __future__ import annotations

import csv
from pathlib import Path

from cruscotto import pipeline, store
from cruscotto.store import migrations, queries, schema, versions

ENTE, ANNO = "CCIAA di Prova", 2020
A, S, O1, O2 = "2020_01", "2020_01_01", "2020_01_01_01", "2020_01_01_02"


def _write(folder: Path, name: str, rows: list[dict]) -> None:
    table = schema.TABLES_BY_NAME[name]
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=table.column_names)
        writer.writeheader()
        for row in rows:
            writer.writerow({"ente": ENTE, "anno": ANNO, **row})


def ind(codice, obiettivo, va, vr, esito="OBIETTIVO CONSEGUITO", **extra) -> dict:
    return {"codice": codice, "codice_obiettivo": obiettivo, "descrizione": extra.pop("descrizione", f"Indicatore {codice}"),
            "tipo": "OPERATIVO", "valore_atteso": va, "valore_raggiunto": vr, "esito_dichiarato": esito,
            "riga_fonte": extra.pop("riga_fonte", 10), **extra}


def obiettivi_base() -> list[dict]:
    return [
        {"codice": S, "codice_documento": S, "livello": "strategico", "codice_padre": A, "titolo": "Strategico", "riga_fonte": 2},
        {"codice": O1, "codice_documento": O1, "livello": "operativo", "codice_padre": S, "titolo": "Operativo 1", "riga_fonte": 3},
        {"codice": O2, "codice_documento": O2, "livello": "operativo", "codice_padre": S, "titolo": "Operativo 2", "riga_fonte": 4},
    ]


def make_store(tmp_path: Path, indicatori: list[dict], *, obiettivi: list[dict] | None = None, serie=(), cifre=(),
               metodi=(), regole=(), codici=(), fonte=(), unchecked=()):
    """A store holding one hand-made report; returns an open connection.

    `unchecked` rows, as (table, row), are inserted after the import, bypassing it: the import refuses a method
    for a missing indicator or an unreadable rule, but the Verifica must still cope with a store that holds one
    (a rule gets its number as the upgrade of an older store gives it: migrations._regole_numero)."""
    folder = tmp_path / "dati"
    folder.mkdir(exist_ok=True)
    _write(folder, "aree", [{"codice": A, "missione": "011", "denominazione": "Area di prova", "riga_fonte": 1}])
    _write(folder, "obiettivi", obiettivi if obiettivi is not None else obiettivi_base())
    _write(folder, "indicatori", indicatori)
    for name, rows in (("serie_storiche", serie), ("cifre_chiave", cifre), ("metodi_calcolo", metodi), ("regole", regole),
                       ("codici_ripetuti", codici), ("fonte_righe", fonte)):
        if rows:
            _write(folder, name, list(rows))
    con = store.connect(tmp_path / "prova.duckdb")
    result = pipeline.import_directory(con, folder)
    assert result.ok, [str(p) for p in result.validated.errors]
    for table, row in unchecked:
        row = {"ente": ENTE, "anno": ANNO, **row}
        columns = ", ".join(f'"{c}"' for c in row)
        con.execute(f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" for _ in row)})', list(row.values()))
    if unchecked:
        with versions.transaction(con) as cur:
            migrations._regole_numero(cur)
        store.recompute(con)  # rows written outside an import: the derived tables follow them when recomputed
    return con


def serie(nome, anno_valore, valore, numeratore="", denominatore="", unita="%", riga=20) -> dict:
    return {"serie": nome, "titolo": nome, "anno_valore": anno_valore, "valore": valore, "unita": unita,
            "numeratore": numeratore, "denominatore": denominatore, "riga_fonte": riga}


def cifra(voce, valore, obiettivo=O1, indicatore="", unita="numero", riga=30) -> dict:
    return {"codice_obiettivo": obiettivo, "codice_indicatore": indicatore, "voce": voce, "valore": valore,
            "unita": unita, "riga_fonte": riga}


def metodo(indicatore, metodo_, lettura="principale", oggetto="valore raggiunto", **params) -> dict:
    return {"codice_indicatore": indicatore, "oggetto": oggetto, "lettura": lettura, "metodo": metodo_,
            "riga_fonte": params.pop("riga_fonte", 40), **params}


def recomputed(con) -> dict:
    frame = queries.run(con, "ricalcolo_indicatori", {})
    return {(r.codice_indicatore, r.oggetto, r.lettura): r for r in frame.itertuples()}
