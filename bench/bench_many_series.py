"""Benchmark: Panoramica and Andamenti with very many historical series (issue 10: 50 series broke them with a plotly
ValueError, 99.999 hung them). One full run of each page under AppTest (caches emptied before each run, so every
query and figure is computed), on copies of the shipped store with N extra series of three years each written
straight into the store (as `synth --bulk` does), and the figure builder alone.

    .venv/bin/python bench/bench_many_series.py [--runs 3] [--series 1000 99999]
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time

from common import OUT, ROOT, dataset, it, load, median_ms, write_section

from cruscotto import store  # noqa: E402
from cruscotto.present import charts  # noqa: E402
from cruscotto.store import queries  # noqa: E402

# (name, script or None for the page at the root, URL query, sections on demand opened): each page as it draws all
# its series, the Panoramica with «Andamenti principali» opened and Andamenti in its «Tutte le serie» view.
PAGES = (("panoramica", None, {}, ["su_richiesta_andamenti_principali"]),
         ("andamenti", "pages/andamenti.py", {"andamento": "Tutte le serie"}, []))


def store_with(n: int):
    path = OUT / f"serie_{n}_v2.duckdb"  # v2: with its derived tables recomputed (the first ones had none)
    if path.exists():
        return path
    shutil.copy(dataset("1x"), path)
    con = store.connect(path)
    try:
        con.execute("""INSERT INTO serie_storiche (ente, anno, serie, titolo, anno_valore, valore, unita)
                       SELECT 'CCIAA di Cremona', 2019, printf('serie_%05d', i), printf('Serie di prova %d', i), y,
                              i + y, 'numero'
                       FROM range(?) AS t(i), (VALUES (2017), (2018), (2019)) AS v(y)""", [n])
        store.recompute(con)  # the pages read the derived tables (int_serie_correnti), written with the data
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def page_run_ms(page: str | None, query: dict, opened: list[str]) -> float:
    import streamlit as st

    from ui import data, grafici
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # through app.py, as the server runs a page (see the app fixture in tests/conftest.py)
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    try:
        st.cache_data.clear()
        data._cached.clear()  # the query results, shared across sessions (ui/data.query)
        grafici._built.clear()  # the figures too
        start = time.perf_counter()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        at.query_params.update(query)
        for key in opened:
            at.session_state[key] = True
        if page:
            at.switch_page(page)
        at.run()
        elapsed = (time.perf_counter() - start) * 1000
    finally:
        PagesManager.__init__ = original
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--series", type=int, nargs="+", default=[1000, 99999])
    args = parser.parse_args()
    os.chdir(ROOT)
    lines = ["## 6. Pagine con moltissime serie storiche", "",
             f"Comando: `.venv/bin/python bench/bench_many_series.py --runs {args.runs} --series "
             f"{' '.join(map(str, args.series))}`. Dati spediti più N serie di 3 anni scritte direttamente nel database. "
             f"Pagina = un'esecuzione completa sotto AppTest, cache svuotate prima, figure comprese (mediana di {args.runs}; "
             "Panoramica con «Andamenti principali» aperto, Andamenti nella vista «Tutte le serie»); grafico = "
             f"`charts.small_multiples` su tutte le serie (mediana di {args.runs}). I grafici disegnano al massimo "
             f"{charts.MAX_SERIES} serie; oltre {it(20000, 0)} righe i file CSV ed Excel si preparano al clic.", "",
             "| serie | righe di serie | grafico (ms) | " + " | ".join(f"{name} (ms)" for name, *_ in PAGES) + " |",
             "|---:|---:|---:|" + "---:|" * len(PAGES)]
    for n in args.series:
        path = store_with(n)
        os.environ["CRUSCOTTO_DB"] = str(path)
        con = store.connect(path, read_only=True)
        values = queries.run(con, "valori_serie", {"ente": "CCIAA di Cremona"})
        con.close()
        figure, _ = median_ms(lambda: charts.small_multiples(values), runs=args.runs)
        pages = []
        for _, page, query, opened in PAGES:
            page_ms, _ = median_ms(lambda: page_run_ms(page, query, opened), runs=args.runs, warmup=0)
            pages.append(page_ms)
        lines.append(f"| {it(n + 7, 0)} | {it(len(values), 0)} | {it(figure, 0)} | "
                     + " | ".join(it(ms, 0) for ms in pages) + " |")
        print(lines[-1], flush=True)
    lines += ["", load() + "."]
    write_section("molte_serie", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
