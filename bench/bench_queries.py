"""Benchmark 1: every queries/*.sql on the data sets of bench/common.py against the same answer computed with
pandas (bench/pandas_equivalents.py), and the total per page (the queries each page and the shared sidebar run).

    .venv/bin/python bench/bench_queries.py [--datasets 1x,100x,10000x,nazionale] [--runs 7]

Parameters are those of a page looking at one chamber and year: ente = CCIAA di Cremona, anno = 2019 where the
query takes them; the rest NULL. Medians of --runs runs after one warm-up, in ms, on a warm DuckDB connection
(read-only, as the app's) and on pandas frames already in memory (their loading is not timed).
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import pandas_equivalents as pe  # noqa: E402
from common import DATASETS, ROOT, counts, dataset, it, load, machine, median_ms, write_section

from cruscotto import queries, store  # noqa: E402
from cruscotto.store.schema import TABLES  # noqa: E402

PARAMS = {"ente": "CCIAA di Cremona", "anno": 2019, "descrizione": "Livello di soddisfazione degli utenti del servizio"}
SIDEBAR = ["filter_periods", "filter_nodes"]  # ui/filters.py + ui/banner.py, on every page
GOAL_PAGE_MS, GOAL_RATIO = 100, 5


def params_for(name: str) -> dict:
    declared = queries.load(name).parameters
    return {k: v for k, v in PARAMS.items() if k in declared}


def page_queries() -> dict[str, list[str]]:
    pages = {}
    for path in sorted((ROOT / "pages").glob("*.py")):
        names = re.findall(r"""query\(\s*["'](\w+)["']""", path.read_text(encoding="utf-8"))
        pages[path.stem] = SIDEBAR + names
    return pages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    names = queries.available()
    results: dict[str, dict[str, tuple]] = {}
    sizes = {}
    pandas_mb = {}
    best: dict[str, dict[str, float]] = {}
    for ds in args.datasets.split(","):
        start = time.perf_counter()
        path = dataset(ds)
        print(f"{ds}: store ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        store.connect(path).close()  # staging views as queries/staging/ defines them now (read-only cannot)
        sizes[ds] = counts(path)
        con = store.connect(path, read_only=True)
        tables = {t.name: con.execute(f'SELECT * FROM "{t.name}"').df() for t in TABLES}
        pandas_mb[ds] = sum(f.memory_usage(deep=True).sum() for f in tables.values()) / 1e6
        results[ds] = {}
        best[ds] = {}
        for name in names:
            params = params_for(name)
            duck, duck_times = median_ms(lambda: queries.run(con, name, params), runs=args.runs)
            best[ds][name] = min(duck_times)
            rows = len(queries.run(con, name, params))
            fn = pe.EQUIVALENTS.get(name)
            pandas_ms = pandas_rows = None
            if fn is not None:
                runs = args.runs if ds != "nazionale" else max(3, args.runs // 2)
                pandas_ms, _ = median_ms(lambda: fn(tables, **params), runs=runs)
                pandas_rows = len(fn(tables, **params))
            results[ds][name] = (duck, rows, pandas_ms, pandas_rows)
            print(f"  {name:40} duckdb {duck:9.1f} ms  pandas {pandas_ms if pandas_ms is None else round(pandas_ms, 1)} ms  rows {rows}/{pandas_rows}",
                  file=sys.stderr)
        con.close()
    write(results, sizes, pandas_mb, best, args)
    return 0


def write(results, sizes, pandas_mb, best, args) -> None:
    ds_names = list(results)
    lines = ["## 1. Query: DuckDB contro pandas", "",
             f"Comando: `.venv/bin/python bench/bench_queries.py --datasets {','.join(ds_names)} --runs {args.runs}` "
             f"(mediane di {args.runs} esecuzioni dopo una di riscaldamento, in ms).", "",
             "Parametri: quelli di una pagina su un ente e un anno (ente = CCIAA di Cremona, anno = 2019, dove la query li "
             "prevede). pandas lavora su tabelle già in memoria (il caricamento non è misurato, a suo favore) e ricalcola le "
             "viste di staging come fa la SQL. «righe» = righe di DuckDB / di pandas (devono coincidere).", "",
             "Dati:", ""]
    lines.insert(3, f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}.")
    lines.insert(4, "")
    for ds in ds_names:
        c = sizes[ds]
        lines.append(f"- **{ds}**: {DATASETS[ds][0]} — " + ", ".join(f"{k} {it(v, 0)}" for k, v in c.items())
                     + f"; in pandas le tabelle occupano {it(pandas_mb[ds], 0)} MB")
    lines += ["", "| query | " + " | ".join(f"{ds} DuckDB | {ds} pandas | {ds} ×" for ds in ds_names) + " | righe (ultimo) |",
              "|---|" + "---:|---:|---:|" * len(ds_names) + "---:|"]
    for name in queries.available():
        cells = []
        for ds in ds_names:
            duck, rows, pms, prows = results[ds][name]
            cells += [it(duck, 1), "n/d" if pms is None else it(pms, 1), "" if pms is None else it(pms / duck, 1) + "×"]
        duck, rows, pms, prows = results[ds_names[-1]][name]
        cells.append(f"{rows}/{'n/d' if prows is None else prows}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Per pagina (somma delle query della pagina + barra laterale condivisa, a cache vuota; con la cache sulla "
              f"versione dei dati una pagina già vista non ne esegue nessuna). Obiettivo ≤ {GOAL_PAGE_MS} ms:", "",
              "Ogni cella: somma delle mediane (somma dei minimi, cioè il costo senza il disturbo degli altri processi sulla "
              "macchina condivisa).", "",
              "| pagina | query | " + " | ".join(ds_names) + " |", "|---|---|" + "---:|" * len(ds_names)]
    for page, names in page_queries().items():
        known = [n for n in names if n in results[ds_names[0]]]
        totals = [sum(results[ds][n][0] for n in known) for ds in ds_names]
        mins = [sum(best[ds][n] for n in known) for ds in ds_names]
        lines.append(f"| {page} | {len(known)} | " + " | ".join(
            f"{it(v, 1)} ({it(m, 1)}){' ✗' if v > GOAL_PAGE_MS and ds.startswith('naz') else ''}"
            for v, m, ds in zip(totals, mins, ds_names)) + " |")
    write_section("queries", "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
