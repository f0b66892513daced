"""Benchmark of a rollback (issue 15: instant, never exhausting memory): restoring an earlier version of the national
store, going far back and undoing the last import.

    .venv/bin/python bench/bench_rollback.py [--runs 3] [--prima CARTELLA]

On a copy of the national store (bench/out/nazionale.duckdb, one import per chamber), two correction imports (one
indicator's «valore raggiunto» changed, in the template filled with the stored data: the page's «modello
compilato») make versions N+1 and N+2; then, each on a fresh copy of that store and in a process of its own:
«indietro di 30 versioni» restores version N+2-30, «annulla l'ultima» restores N+1. Measured around
`versions.rollback` alone: wall time, CPU of the process (every thread: DuckDB works on both cores) and the peak
resident memory of the process (VmHWM: the store opened, then the rollback; and once the store is closed, which
checkpoints what the rollback wrote into the file).

`--prima CARTELLA` measures, in the same run, the code of another checkout (the code before a change, e.g. `git
archive main | tar -x -C /tmp/prima`): each side prepares its own copy with its own code (a store opened by another
program rebuilds its derived tables), and the two are measured in turn, so that the load of the machine falls on both.
Medians of --runs runs. Nothing here writes the source store.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

BACK = 30
SCENARIOS = (("indietro", f"indietro di {BACK} versioni"), ("ultima", "annulla l'ultima importazione"))
CORRECTIONS = 2


# ------------------------------------------------------------------ the child: runs with the code of --codice

def child(args) -> None:
    sys.path.insert(0, str(Path(args.codice).resolve()))
    if args.prepara:
        print(json.dumps(prepare(Path(args.prepara))))
    else:
        print(json.dumps(restore(Path(args.ripristina), args.versione)))


def prepare(path: Path) -> dict:
    """Open the copy with this code (its derived tables rebuilt when the program differs), then the two corrections:
    the last year of the chamber of version 2, then the shipped CCIAA di Cremona 2019 (the first figure of an
    indicator's «valore raggiunto» one more, the unit kept)."""
    from cruscotto import pipeline, store
    from cruscotto.ingest import template

    con = store.connect(path)
    try:
        ente_2 = json.loads(con.execute("SELECT partizioni FROM versioni WHERE versione = 2").fetchone()[0])[-1]
        for n, (ente, anno) in enumerate([(ente_2[0], int(ente_2[1])), ("CCIAA di Cremona", 2019)]):
            tables = template.filled_tables(con, ente, anno)
            ind = tables["indicatori"]
            row = ind.index[ind["valore_raggiunto"].fillna("").str.contains(r"\d")][n]
            ind.loc[row, "valore_raggiunto"] = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), ind.loc[row, "valore_raggiunto"], count=1)
            data = template.build_template(tables)
            checked = pipeline.check(con, data, f"correzione_{n + 1}.xlsx")
            assert checked.ok, checked.error or [str(p) for p in checked.validated.errors[:5]]
            pipeline.commit(con, checked, data, "bench")
        con.execute("CHECKPOINT")
        return {"versione": con.execute("SELECT max(versione) FROM versioni").fetchone()[0]}
    finally:
        con.close()


def restore(path: Path, target: int) -> dict:
    from cruscotto import store
    from cruscotto.store import versions

    con = store.connect(path)
    try:
        expected = con.execute(f"SELECT count(*) FROM {versions.history_table('serie_storiche')} WHERE versione_da <= $v "
                               "AND (versione_a IS NULL OR versione_a > $v)", {"v": target}).fetchone()[0]
        opened_kb = _status_kb("VmRSS")
        wall, cpu = time.perf_counter(), time.process_time()
        version = versions.rollback(con, target, utente="bench")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak_kb = _status_kb("VmHWM")
        rows = con.execute("SELECT count(*) FROM serie_storiche").fetchone()[0]
    finally:
        con.close()
    return {"wall": wall, "cpu": cpu, "peak_mb": peak_kb / 1024, "closed_mb": _status_kb("VmHWM") / 1024,
            "opened_mb": opened_kb / 1024,
            "versione": version, "serie": rows, "serie_attese": expected}


def _status_kb(field: str) -> int:
    return next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith(field))


# ------------------------------------------------------------------ the parent

def run_child(code: Path, args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--codice", str(code), *args], capture_output=True, text=True,
                         timeout=900)
    if out.returncode:
        raise RuntimeError(f"{code} {' '.join(args)}: {out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def clean(path: Path) -> None:
    from cruscotto.store import versions

    for p in (path, path.with_name(path.name + ".wal"), versions.manifest_path(path)):
        p.unlink(missing_ok=True)
    shutil.rmtree(versions.archive_path(path), ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--prima", metavar="CARTELLA", help="the code before the change, measured in turn")
    parser.add_argument("--codice", help=argparse.SUPPRESS)
    parser.add_argument("--prepara", help=argparse.SUPPRESS)
    parser.add_argument("--ripristina", help=argparse.SUPPRESS)
    parser.add_argument("--versione", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.codice:
        child(args)
        return 0

    from common import OUT, ROOT, dataset, it, load, write_section

    source = OUT / "nazionale.duckdb"
    if not source.exists():
        source = dataset("nazionale")
    sides = {"dopo": ROOT} | ({"prima": Path(args.prima).resolve()} if args.prima else {})
    bases, latest = {}, None
    for label, code in sides.items():
        base = OUT / f"ripristino-{label}-base.duckdb"
        clean(base)
        shutil.copy(source, base)
        latest = run_child(code, ["--prepara", str(base)])["versione"]
        bases[label] = base
    targets = {"indietro": latest - BACK, "ultima": latest - 1}
    results: dict[tuple[str, str], list[dict]] = {}
    try:
        for _ in range(args.runs):
            for scenario, target in targets.items():
                for label in sorted(sides, reverse=True):  # prima, then dopo
                    copy = OUT / f"ripristino-{label}.duckdb"
                    clean(copy)
                    shutil.copy(bases[label], copy)
                    r = run_child(sides[label], ["--ripristina", str(copy), "--versione", str(target)])
                    assert r["serie"] == r["serie_attese"], r
                    results.setdefault((scenario, label), []).append(r)
                    clean(copy)
                    print(scenario, label, {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()},
                          flush=True)
    finally:
        for base in bases.values():
            clean(base)

    def median(values):
        values = sorted(values)
        return values[len(values) // 2]

    with_before = "prima" in sides
    lines = ["## Ripristino di una versione (issue 15): scala nazionale", "",
             f"`flock /work/wt/bench.lock .venv/bin/python bench/bench_rollback.py --runs {args.runs}"
             + (" --prima CARTELLA" if with_before else "") + "`. "
             f"Su una copia di `nazionale` ({latest - CORRECTIONS} versioni, un'importazione per ente), due correzioni "
             "(un «valore raggiunto» cambiato nel modello compilato con i dati: l'ultimo anno dell'ente della versione 2, "
             f"poi Cremona 2019) fanno le versioni {latest - 1} e {latest}; poi, ogni volta su una copia nuova e in un "
             f"processo nuovo, «{SCENARIOS[0][1]}» ripristina la versione {targets['indietro']} (toglie gli enti "
             f"importati dopo), «{SCENARIOS[1][1]}» la {targets['ultima']}. Misurata la sola `versions.rollback` (una "
             "transazione: righe, storico, tabelle derivate, Verifica, poi il registro accanto al database): tempo, "
             "CPU del processo (tutti i thread: DuckDB usa i due core) e picco della memoria residente del processo "
             "(VmHWM: il database aperto, poi il ripristino), anche dopo la chiusura del database (che riporta nel "
             "file, CHECKPOINT, quello che il ripristino ha scritto), e la memoria a database aperto. Mediane di "
             f"{args.runs}" + (", «prima» (`--prima`: il codice prima del cambiamento, in un'altra cartella, con la "
                               "sua copia preparata dal suo codice) e «dopo» a turno." if with_before else "."), "",
             "| ripristino | codice | tempo (s) | CPU (s) | picco (MB) | picco con la chiusura (MB) | a database aperto (MB) |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for scenario, words in SCENARIOS:
        for label in sorted(sides, reverse=True):
            rs = results[(scenario, label)]
            lines.append(f"| {words} (alla {targets[scenario]}) | {label} | {it(median(r['wall'] for r in rs), 2)} | "
                         f"{it(median(r['cpu'] for r in rs), 2)} | {it(median(r['peak_mb'] for r in rs), 0)} | "
                         f"{it(median(r['closed_mb'] for r in rs), 0)} | {it(median(r['opened_mb'] for r in rs), 0)} |")
    lines += ["", f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}."]
    write_section("ripristino", "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
