"""Where a page switch spends its time on the server, and what it sends to the browser: each page of
ui/pages_spec.py run under AppTest through app.py, as the server runs it after a click in the menu (the session
already open, the page seen once: caches warm, the steady state of a person moving around).

    .venv/bin/python bench/bench_pages.py [--datasets 1x] [--runs 7]

For each page: the script's run, wall clock and CPU time of the thread that runs it (the CPU time hardly moves with
the load of the shared machine; the wall clock does), median of `runs` switches from another page; and what the run
sends: elements, plotly figures and the bytes of their JSON, grids. The browser's own time is bench_browser.py's.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter

from common import ROOT, dataset, it, load, write_section


def elements(at) -> Counter:
    found = Counter()

    def walk(node):
        for child in getattr(node, "children", {}).values():
            found[child.type] += 1
            walk(child)

    walk(at.main)
    return found


def measure(runs: int) -> dict[str, dict]:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    import ui.page
    from ui.pages_spec import PAGES

    original_init, original_run = PagesManager.__init__, ui.page.run
    timed = []

    def init(self, *args, **kwargs):  # through app.py, as the server runs a page (see the app fixture in tests/conftest.py)
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    def run(current):  # the sidebar and the page, as app.py runs them after st.navigation
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            original_run(current)
        finally:
            timed.append(((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))

    PagesManager.__init__, ui.page.run = init, run
    results = {}
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        for spec in PAGES:
            other = PAGES[1] if spec is PAGES[0] else PAGES[0]
            at.switch_page(spec.path).run()  # seen once: its queries and figures cached
            walls, cpus = [], []
            for _ in range(runs):
                at.switch_page(other.path).run()
                at.switch_page(spec.path).run()
                wall, cpu = timed[-1]
                walls.append(wall)
                cpus.append(cpu)
            assert not at.exception, [e.message for e in at.exception]
            charts = at.get("plotly_chart")
            results[spec.title] = {"wall": statistics.median(walls), "cpu": statistics.median(cpus),
                                   "elements": sum(elements(at).values()), "charts": len(charts),
                                   "chart_bytes": sum(len(c.proto.spec) for c in charts), "grids": len(at.dataframe)}
            print(spec.title, results[spec.title], file=sys.stderr, flush=True)
    finally:
        PagesManager.__init__, ui.page.run = original_init, original_run
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="1x")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.chdir(ROOT)
    os.environ["CRUSCOTTO_MODALITA_LOCALE"] = "1"  # «Carica dati» as `make run` opens it
    lines = ["## 9. Cambio pagina, lato server", "",
             f"Comando: `.venv/bin/python bench/bench_pages.py --datasets {args.datasets} --runs {args.runs}`. Ogni pagina "
             "eseguita sotto AppTest attraverso app.py, come il server la esegue dopo un clic nel menu: sessione già "
             "aperta, pagina già vista una volta (cache calde). Tempo = barra laterale e pagina (`ui.page.run`), mediana "
             f"di {args.runs} passaggi da un'altra pagina: «CPU» è il tempo di processore del thread che esegue la "
             "pagina (quasi indipendente dal carico della macchina condivisa), «orologio» il tempo trascorso. Poi "
             "quello che l'esecuzione manda al browser: elementi, grafici plotly e byte del loro JSON, tabelle (griglie).", ""]
    for ds in args.datasets.split(","):
        os.environ["CRUSCOTTO_DB"] = str(dataset(ds))
        results = measure(args.runs)
        lines += [f"Dati: {ds}.", "",
                  "| pagina | CPU (ms) | orologio (ms) | elementi | grafici | JSON dei grafici (kB) | tabelle |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {title} | {it(r['cpu'], 0)} | {it(r['wall'], 0)} | {r['elements']} | {r['charts']} | "
                  f"{it(r['chart_bytes'] / 1024, 1)} | {r['grids']} |" for title, r in results.items()]
        lines.append("")
    lines += [f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}."]
    write_section("pagine_server", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
