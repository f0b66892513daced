"""Benchmark 2: reading a 10k- and a 100k-row workbook with python-calamine (the app's reader) against openpyxl,
and the whole import of the 100k-row workbook (read, validate, write in one transaction) into a copy of the
shipped store.

    .venv/bin/python bench/bench_import.py [--runs 3]

The workbooks are written by `python -m cruscotto synth --xlsx` (sizes below), into bench/out/.
"""
from __future__ import annotations

import argparse
import io
import shutil
import sys
import time

import pandas as pd
from common import OUT, dataset, it, load, median_ms, write_section

from cruscotto import pipeline, store, synth  # noqa: E402
from cruscotto.ingest.reader import read_bytes  # noqa: E402
from cruscotto.ingest.validate import validate  # noqa: E402

WORKBOOKS = {"10k": (8, (2015, 2024)), "100k": (62, (2013, 2024))}
GOAL_RATIO, GOAL_IMPORT_S = 5, 5


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="runs of the reading (median)")
    parser.add_argument("--import-runs", type=int, default=1,
                        help="runs of validate and of the full import, without warm-up (minutes each at 100k rows)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    lines = ["## 2. Importazione di un file Excel", "",
             f"Comando: `.venv/bin/python bench/bench_import.py --runs {args.runs} --import-runs {args.import_runs}` (lettura: "
             f"mediana di {args.runs} esecuzioni dopo una di riscaldamento; validate e importazione: mediana di "
             f"{args.import_runs} esecuzioni senza riscaldamento). Lettura = tutti i fogli in DataFrame (`pd.read_excel(sheet_name=None, header=None, "
             "dtype=object)`, motore calamine come `cruscotto/reader.py`, oppure openpyxl). Importazione = "
             "`pipeline.import_bytes` (lettura con i controlli di sicurezza, `validate`, `write_tables` in una transazione, "
             "con lo storico delle versioni) in una copia del database spedito.", "",
             "| file | righe | MB | calamine (s) | openpyxl (s) | openpyxl / calamine | importazione completa (s) | di cui validate (s) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    shipped = dataset("1x")
    for label, (enti, anni) in WORKBOOKS.items():
        path = OUT / f"import_{label}.xlsx"
        tables = synth.generate(enti, anni)
        synth.write_xlsx(tables, path)
        data = path.read_bytes()
        rows = sum(len(f) for f in tables.values())

        def read(engine):
            return pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine=engine)

        cal, _ = median_ms(lambda: read("calamine"), runs=args.runs)
        opx, _ = median_ms(lambda: read("openpyxl"), runs=args.runs)
        sheets = read_bytes(data, path.name)
        val, _ = median_ms(lambda: validate(sheets), runs=args.import_runs, warmup=0)

        def full_import():
            target = OUT / "import_target.duckdb"
            for p in (target, target.with_suffix(".duckdb.wal")):
                if p.exists():
                    p.unlink()
            shutil.copy(shipped, target)
            con = store.connect(target)
            try:
                start = time.perf_counter()
                result = pipeline.import_bytes(con, data, path.name, utente="bench")
                elapsed = time.perf_counter() - start
                assert result.ok, [str(p) for p in result.validated.errors[:5]]
                return elapsed
            finally:
                con.close()
                shutil.rmtree(OUT / "import_target.archivio", ignore_errors=True)

        imports = sorted(full_import() for _ in range(args.import_runs))
        imp = imports[len(imports) // 2]
        print(f"{label}: rows {rows}, calamine {cal:.0f} ms, openpyxl {opx:.0f} ms, validate {val:.0f} ms, import {imp:.2f} s", file=sys.stderr)
        lines.append(f"| {label} (`synth --enti {enti} --anni {anni[0]}-{anni[1]} --xlsx`) | {it(rows, 0)} | {it(len(data) / 1e6, 1)} | "
                     f"{it(cal / 1000, 2)} | {it(opx / 1000, 2)} | {it(opx / cal, 1)}× | {it(imp, 2)} | {it(val / 1000, 2)} |")
    lines += ["", f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}.", "", f"Obiettivi: calamine ≥ {GOAL_RATIO}× più veloce di openpyxl; 100k righe lette, validate e scritte in ≤ {GOAL_IMPORT_S} s."]
    write_section("import", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
