"""One round of bench_import.py's write measure, in a process of its own, with the code of any checkout: the folder
given first goes ahead on sys.path, so `--prima CARTELLA` times the code before a change with the same steps, on the
same workbook and store, interleaved with the code of this checkout (see bench_import.py).

    .venv/bin/python bench/import_giro.py CODICE STORE_SPEDITO FILE.xlsx CARTELLA_DI_LAVORO RUNS

Prints one JSON object: the median seconds of the full import and of each step, and the write phase split into
the Verifica (int_rilievi), the derived SQL tables, the rows with their history, the COMMIT and the rest (archive,
manifest), all timed by wrapping the functions by name (the same in both checkouts). Then the full import as the
app makes it: «Carica dati» commits inside its own page run, whose read transaction (ui/data.py) is older than the
COMMIT, so DuckDB does not checkpoint in the COMMIT; timed too is how long the log (.wal) then takes to reach the
store file once that read transaction ends (LOG_WAIT_S when it never does within that time).
"""
from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

CODE, SHIPPED, WORKBOOK, WORK, RUNS = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5])
sys.path.insert(0, CODE)

from cruscotto import pipeline, store  # noqa: E402 (the checkout given, ahead on the path)
from cruscotto.ingest.diff import preview  # noqa: E402
from cruscotto.ingest.reader import read_bytes  # noqa: E402
from cruscotto.ingest.validate import validate  # noqa: E402
from cruscotto.store import database, models, versions  # noqa: E402

PARTS = ("verifica", "sql", "righe", "commit", "altro")
LOG_WAIT_S = 10.0
spent: dict[str, float] = {}


def timed(module, name: str, key: str, when=lambda *a, **k: True):
    """Wrap module.name so that its calls (those `when` accepts) add their seconds to spent[key]."""
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        if not when(*args, **kwargs):
            return original(*args, **kwargs)
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - start
    setattr(module, name, wrapper)


timed(models, "_write_python_model", "verifica")
timed(models, "refresh", "refresh")
timed(database, "_write_tables", "transazione")
timed(versions, "run", "commit", when=lambda cur, sql, *a, **k: sql == "COMMIT")


def fresh_copy():
    target = WORK / "giro.duckdb"
    for p in WORK.glob("giro*"):
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    shutil.copy(SHIPPED, target)
    return store.connect(target)


def one_round(data: bytes) -> dict[str, float]:
    out = {}
    con = fresh_copy()
    try:
        start = time.perf_counter()
        result = pipeline.import_bytes(con, data, WORKBOOK.name, utente="bench")
        out["full"] = time.perf_counter() - start
        assert result.ok, [str(p) for p in result.validated.errors[:5]]
    finally:
        con.close()
    con = fresh_copy()
    try:
        start = time.perf_counter()
        sheets = read_bytes(data, WORKBOOK.name)
        out["read"] = time.perf_counter() - start
        start = time.perf_counter()
        validated = validate(sheets, store.stored_rows(con))
        out["validate"] = time.perf_counter() - start
        start = time.perf_counter()
        assert not preview(con, validated).empty
        out["preview"] = time.perf_counter() - start
        spent.clear()
        start = time.perf_counter()
        pipeline.commit_upload(con, validated, data, WORKBOOK.name, "bench")
        out["write"] = time.perf_counter() - start
    finally:
        con.close()
    out["verifica"] = spent["verifica"]
    out["sql"] = spent["refresh"] - spent["verifica"]
    out["commit"] = spent["commit"]
    out["righe"] = spent["transazione"] - spent["refresh"] - spent["commit"]
    out["altro"] = out["write"] - spent["transazione"]
    return out


def as_in_the_app(data: bytes) -> dict[str, float]:
    """The full import with a read transaction open meanwhile, as the upload page's run holds one; then the seconds
    from the end of that transaction until the log is in the store file (no .wal left, or an empty one)."""
    con = fresh_copy()
    wal = WORK / "giro.duckdb.wal"
    try:
        page_run = con.cursor()
        page_run.execute("BEGIN TRANSACTION")
        page_run.execute("SELECT max(versione) FROM versioni").fetchall()
        start = time.perf_counter()
        result = pipeline.import_bytes(con, data, WORKBOOK.name, utente="bench")
        full = time.perf_counter() - start
        assert result.ok, [str(p) for p in result.validated.errors[:5]]
        page_run.execute("COMMIT")
        page_run.close()
        start = time.perf_counter()
        while wal.exists() and wal.stat().st_size and time.perf_counter() - start < LOG_WAIT_S:
            time.sleep(0.01)
        return {"full_app": full, "log_after": min(time.perf_counter() - start, LOG_WAIT_S), "log_wait": LOG_WAIT_S}
    finally:
        with versions.WRITE_LOCK:  # not while a checkpoint of the code after the change runs on it
            con.close()


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    data = WORKBOOK.read_bytes()
    rounds = [one_round(data) | as_in_the_app(data) for _ in range(RUNS)]
    print(json.dumps({k: sorted(r[k] for r in rounds)[len(rounds) // 2] for k in rounds[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
