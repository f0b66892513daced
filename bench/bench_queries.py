"""Benchmark 1: every queries/*.sql on the data sets of bench/common.py against the same answer computed with
pandas (bench/pandas_equivalents.py), and the total per page.

    .venv/bin/python bench/bench_queries.py [--datasets 1x,100x,10000x,nazionale] [--runs 7] [--no-pandas]

Per query, parameters are those of a page looking at one chamber and year: ente = CCIAA di Cremona, anno = 2019
where the query takes them; the rest NULL. Per page, the queries are those the page really runs, with its
parameters: recorded by running every page once under AppTest on the 1x store with empty caches (sidebar, page, the
ui/ helpers it calls, the Verifica's checks), then each timed on every data set. The pages that compare chambers
(SEVERAL_CHAMBERS) stop early with one chamber: they are recorded on the last data set given that has several. Medians of --runs runs after one
warm-up, in ms, on a warm DuckDB connection (read-only, as the app's) and on pandas frames already in memory (their
loading is not timed).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pandas_equivalents as pe  # noqa: E402
from common import DATASETS, ROOT, counts, dataset, it, load, median_ms, write_section

from cruscotto import store  # noqa: E402
from cruscotto.store import queries  # noqa: E402
from cruscotto.store.schema import TABLES  # noqa: E402

PARAMS = {"ente": "CCIAA di Cremona", "anno": 2019, "descrizione": "Livello di soddisfazione degli utenti del servizio"}
GOAL_PAGE_MS, GOAL_RATIO = 20, 5  # issue 15: every page's queries <= 20 ms in total at national scale
# Pages that run their main queries only when the store holds several chambers (Confronto enti lists the indicators
# of at least two chambers, then ranks one): recorded on a data set with synthetic chambers, not on the shipped data.
SEVERAL_CHAMBERS = ("confronto_enti",)


def params_for(name: str) -> dict:
    declared = queries.load(name).parameters
    return {k: v for k, v in PARAMS.items() if k in declared}


def page_queries(path: Path, only: tuple[str, ...] = ()) -> dict[str, list[tuple[str, dict]]]:
    """The queries each page really runs, with their parameters: every call of the query runner during one run of
    the page under AppTest on the store `path`, caches emptied first (sidebar, page and the helpers it calls, the
    Verifica's checks included). `only`: these pages (file stems), else every page."""
    import os

    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    os.environ["CRUSCOTTO_DB"] = str(path)
    from ui import data  # after CRUSCOTTO_DB, as the app imports it
    os.environ.setdefault("CRUSCOTTO_MODALITA_LOCALE", "1")
    # opened and brought up to date first, as the app does: a store whose models are older than queries/ is rebuilt
    # there (the Verifica's checks included), which would otherwise count among the first page's queries
    from cruscotto.pipeline import opening
    opening.open_for_writing(path).close()
    original_run, original_init = queries.run, PagesManager.__init__
    calls: list[tuple[str, dict]] = []

    def recording(con, name, params=None):
        calls.append((name, dict(params or {})))
        return original_run(con, name, params)

    def init(self, *args, **kwargs):  # through app.py, as the server runs a page (see tests/test_pages.py)
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    pages = {}
    queries.run, PagesManager.__init__ = recording, init
    try:
        for page in sorted((ROOT / "pages").glob("*.py")):
            if only and page.stem not in only:
                continue
            st.cache_data.clear()
            data._cached.clear()  # query results are shared across sessions (ui/data.query), not st.cache_data
            calls.clear()
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
            at.switch_page(f"pages/{page.name}")
            at.run()
            assert not at.exception, (page.name, [e.message for e in at.exception])
            pages[page.stem] = list(calls)
    finally:
        queries.run, PagesManager.__init__ = original_run, original_init
    return pages


def recorded_pages(path: Path, only: tuple[str, ...] = ()) -> dict[str, list[tuple[str, dict]]]:
    """page_queries in a process of its own (the app opens the store read-write, this script read-only)."""
    out = subprocess.run([sys.executable, __file__, "--record-pages", str(path), *(["--only", ",".join(only)] if only else [])],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return {page: [(name, params) for name, params in calls] for page, calls in json.loads(out.splitlines()[-1]).items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default=",".join(DATASETS))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-pandas", action="store_true", help="DuckDB only (the pandas equivalents are slow)")
    parser.add_argument("--record-pages", metavar="STORE", help=argparse.SUPPRESS)
    parser.add_argument("--only", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.record_pages:
        print(json.dumps(page_queries(Path(args.record_pages), tuple(filter(None, args.only.split(",")))), default=str))
        return 0
    names = queries.available()
    pages = recorded_pages(dataset("1x"))
    recorded_on = dict.fromkeys(pages, "1x")
    several = [ds for ds in args.datasets.split(",") if DATASETS[ds][1]]
    if several:  # the pages comparing chambers as they run with many: on the largest data set of this run
        pages.update(recorded_pages(dataset(several[-1]), SEVERAL_CHAMBERS))
        recorded_on.update(dict.fromkeys(SEVERAL_CHAMBERS, several[-1]))
    page_ms: dict[str, dict[str, tuple[float, float]]] = {}
    results: dict[str, dict[str, tuple]] = {}
    sizes = {}
    pandas_mb = {}
    best: dict[str, dict[str, float]] = {}
    for ds in args.datasets.split(","):
        start = time.perf_counter()
        path = dataset(ds)
        print(f"{ds}: store ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        start = time.perf_counter()
        store.connect(path).close()  # the models as queries/ defines them now (read-only cannot)
        print(f"{ds}: models ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        sizes[ds] = counts(path)
        con = store.connect(path, read_only=True)
        tables = {} if args.no_pandas else {t.name: con.execute(f'SELECT * FROM "{t.name}"').df() for t in TABLES}
        pandas_mb[ds] = sum(f.memory_usage(deep=True).sum() for f in tables.values()) / 1e6
        page_ms[ds] = {}
        for page, calls in pages.items():
            for name, params in calls:
                key = f"{name} {json.dumps(params, sort_keys=True, default=str)}"
                if key not in page_ms[ds]:
                    median, times = median_ms(lambda: queries.run(con, name, params), runs=args.runs)
                    page_ms[ds][key] = (median, min(times))
        results[ds] = {}
        best[ds] = {}
        for name in names:
            params = params_for(name)
            duck, duck_times = median_ms(lambda: queries.run(con, name, params), runs=args.runs)
            best[ds][name] = min(duck_times)
            rows = len(queries.run(con, name, params))
            fn = None if args.no_pandas else pe.EQUIVALENTS.get(name)
            pandas_ms = pandas_rows = None
            if fn is not None:
                runs = args.runs if ds != "nazionale" else max(3, args.runs // 2)
                pandas_ms, _ = median_ms(lambda: fn(tables, **params), runs=runs)
                pandas_rows = len(fn(tables, **params))
            results[ds][name] = (duck, rows, pandas_ms, pandas_rows)
            print(f"  {name:40} duckdb {duck:9.1f} ms  pandas {pandas_ms if pandas_ms is None else round(pandas_ms, 1)} ms  rows {rows}/{pandas_rows}",
                  file=sys.stderr)
        con.close()
    write(results, sizes, pandas_mb, best, pages, page_ms, args, recorded_on)
    return 0


def write(results, sizes, pandas_mb, best, pages, page_ms, args, recorded_on) -> None:
    ds_names = list(results)
    lines = ["## 1. Query: DuckDB contro pandas", "",
             f"Comando: `.venv/bin/python bench/bench_queries.py --datasets {','.join(ds_names)} --runs {args.runs}"
             f"{' --no-pandas' if args.no_pandas else ''}` "
             f"(mediane di {args.runs} esecuzioni dopo una di riscaldamento, in ms).", "",
             "Parametri: quelli di una pagina su un ente e un anno (ente = CCIAA di Cremona, anno = 2019, dove la query li "
             "prevede). pandas lavora su tabelle già in memoria (il caricamento non è misurato, a suo favore) e ricalcola "
             "ogni volta quello che serve alla query; DuckDB legge le tabelle di queries/intermediate/, calcolate una "
             "volta a ogni importazione (cruscotto/store/models.py). «righe» = righe di DuckDB / di pandas (devono "
             "coincidere).", "",
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
    lines += ["", "Per pagina: le query che la pagina esegue davvero, con i suoi parametri (registrate facendo girare la "
              "pagina sotto AppTest sui dati 1x a cache vuota: barra laterale, pagina, funzioni di ui/ che chiama e, per "
              "Verifica, tutti i controlli), ciascuna misurata su ogni insieme di dati; con la cache sulla versione dei "
              f"dati una pagina già vista non ne esegue nessuna. Obiettivo ≤ {GOAL_PAGE_MS} ms su scala nazionale.",
              *(f"{page} è registrata sui dati {ds}: con il solo ente spedito la pagina si ferma prima del confronto "
                "fra enti." for page, ds in recorded_on.items() if ds != "1x"), "",
              "Ogni cella: somma delle mediane (somma dei minimi, cioè il costo senza il disturbo degli altri processi sulla "
              "macchina condivisa).", "",
              "| pagina | query | " + " | ".join(ds_names) + " |", "|---|---|" + "---:|" * len(ds_names)]
    for page, calls in pages.items():
        keys = [f"{name} {json.dumps(params, sort_keys=True, default=str)}" for name, params in calls]
        totals = [sum(page_ms[ds][k][0] for k in keys) for ds in ds_names]
        mins = [sum(page_ms[ds][k][1] for k in keys) for ds in ds_names]
        lines.append(f"| {page} | {len(keys)} | " + " | ".join(
            f"{it(v, 1)} ({it(m, 1)}){' ✗' if v > GOAL_PAGE_MS and ds.startswith('naz') else ''}"
            for v, m, ds in zip(totals, mins, ds_names)) + " |")
    last = ds_names[-1]
    lines += ["", f"Query eseguite da ogni pagina, nell'ordine, con la mediana di ciascuna su {last} (ms):", ""]
    lines += [f"- {page}: " + ", ".join(
        f"{name} {it(page_ms[last][f'{name} {json.dumps(params, sort_keys=True, default=str)}'][0], 1)}"
        for name, params in calls) for page, calls in pages.items()]
    write_section("queries", "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
