"""Benchmark of the cycle's operations (issue 16): what a user waits for when they

- look at the pages «come alla versione N» (store.snapshot: every table's state at a version, in memory, with the
  staging views; measured at the latest version, the largest state), then run the Verifica's checks on it;
- download «i dati attuali come modello compilato» (one chamber-year, and moved to the next year);
- record one motivazione (pipeline.annotate: a one-table upload, a new version) and how much history it adds.

    PYTHONPATH=. .venv/bin/python bench/bench_cycle.py [--datasets 1x,100x,10000x] [--runs 5]

Medians of --runs runs after one warm-up, in ms. The annotation runs on a copy of the store (bench/out/), never on
data/cruscotto.duckdb.
"""
from __future__ import annotations

import argparse
import shutil

from common import DATASETS, OUT, dataset, it, load, median_ms, write_section

from cruscotto import pipeline, store, verifica
from cruscotto.ingest import template
from cruscotto.store import versions

ENTE = "CCIAA di Cremona"


def history_rows(con) -> int:
    from cruscotto.store.schema import TABLES

    return sum(con.execute(f"SELECT count(*) FROM {versions.history_table(t.name)}").fetchone()[0] for t in TABLES)


def measure(name: str, runs: int) -> list[str]:
    source = dataset(name)
    copy = OUT / f"{name}-ciclo.duckdb"
    shutil.copy(source, copy)
    for extra in (copy.with_name(copy.name + ".wal"), versions.manifest_path(copy)):
        extra.unlink(missing_ok=True)
    con = store.connect(copy)
    try:
        rows = con.execute("SELECT count(*) FROM serie_storiche").fetchone()[0]
        latest = versions.current_version(con)  # the state with every row: the most a copy can hold
        snapshot, _ = median_ms(lambda: store.snapshot(con, latest).close(), runs)
        copy_at = store.snapshot(con, latest)
        on_copy, _ = median_ms(lambda: verifica.run_checks(copy_at, ENTE, 2019), runs)
        direct, _ = median_ms(lambda: verifica.run_checks(con, ENTE, 2019), runs)
        copy_at.close()
        filled, _ = median_ms(lambda: template.current_workbook(con, ENTE, 2019), runs)
        moved, _ = median_ms(lambda: template.current_workbook(con, ENTE, 2019, 2020), runs)
        before = history_rows(con)
        texts = iter(range(10_000))
        annotate, _ = median_ms(lambda: pipeline.annotate(con, ENTE, 2019, "2019_02_01-I1", "motivazione",
                                                          f"Motivazione {next(texts)}", utente="bench"), runs)
        added = (history_rows(con) - before) / (runs + 1)
    finally:
        con.close()
        for left in (copy, copy.with_name(copy.name + ".wal"), versions.manifest_path(copy)):
            left.unlink(missing_ok=True)
        shutil.rmtree(versions.archive_path(copy), ignore_errors=True)
    return [name, it(rows, 0), it(snapshot, 0), f"{it(on_copy, 0)} ({it(direct, 0)})", it(filled, 0), it(moved, 0),
            it(annotate, 0), it(added, 0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="1x,100x")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    names = [n for n in args.datasets.split(",") if n in DATASETS]
    lines = ["## Ciclo della performance (issue 16): versioni passate, modello compilato, motivazioni",
             "",
             f"`PYTHONPATH=. .venv/bin/python bench/bench_cycle.py --datasets {','.join(names)} --runs {args.runs}` "
             "(mediane in ms). «Come alla versione N»: la copia in memoria di tutte le tabelle a una versione, con le "
             "viste di staging (`store.snapshot`, fatta una volta per versione scelta e tenuta in cache dall'app), "
             "misurata all'ultima versione (la copia più grande); poi i rilievi della verifica di Cremona 2019 su quella "
             "copia (tra parentesi: sul database). Modello compilato: CCIAA di Cremona 2019, così com'è e spostato al 2020. "
             "Motivazione: una `pipeline.annotate` (un caricamento di una tabella sola, una versione nuova) e le righe "
             "che aggiunge allo storico.",
             "",
             "| dati | righe di serie | come alla versione N | verifica su quella copia (sul database) | modello compilato | "
             "modello spostato al 2020 | una motivazione | righe di storico per motivazione |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name in names:
        lines.append("| " + " | ".join(measure(name, args.runs)) + " |")
    lines += ["", load() + "."]
    write_section("ciclo", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
