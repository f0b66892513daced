"""Benchmarks 3 and 4: in Chromium, navigation to the first chart drawn and page switch, the app against a minimal
one-chart Streamlit app in the same run; and the peak memory (VmHWM) of the app's server after every page was shown.

    .venv/bin/python bench/bench_browser.py [--datasets 1x,nazionale] [--runs 5]

Each navigation is a new browser context (a new Streamlit session: nothing in the page's session state), which opens
the Panoramica and then clicks through the menu to every page of ui/pages_spec.py in its order and back to the
Panoramica. "Drawn" is the page title shown, nothing stale, running or still loading, plotly's SVG present in every
chart of the page and a row with text in every grid (as tests/e2e/harness.py waits). The servers run on 127.0.0.1
with a store of bench/out/ (CRUSCOTTO_DB), never data/cruscotto.duckdb.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager

from common import ROOT, dataset, it, load, write_section

PY = str(ROOT / ".venv" / "bin" / "python")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DRAWN = """([title, expected]) => {
  const h1 = document.querySelector('h1');
  if (!h1 || !h1.textContent.includes(title)) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
  const hasRow = (el) => Array.from(el.querySelectorAll('tbody [role="row"]')).some(
    row => Array.from(row.querySelectorAll('[role="gridcell"]')).some(cell => cell.textContent.trim() !== ''));
  for (const grid of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (visible(grid) && !hasRow(grid)) return false;
  }
  const charts = document.querySelectorAll('.js-plotly-plot');
  let drawn = 0;
  for (const c of charts) { if (c.querySelector('.main-svg')) drawn += 1; }
  return drawn >= expected && drawn === charts.length;
}"""
COUNT = "document.querySelectorAll('.js-plotly-plot').length"
MENU = '[data-testid="stSidebarNavLink"]'  # the menu's links (the minimal app has one too)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(script: str, db: str | None):
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if db:
        env["CRUSCOTTO_DB"] = db
    proc = subprocess.Popen([PY, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                             "--server.fileWatcherType", "none"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


def measure(browser, url: str, first_title: str, switches: list[tuple[str, str]], runs: int):
    """(median ms to the first chart, {link: median ms of the switch}, {title: charts the page draws})."""
    firsts, switch_times = [], {link: [] for link, _ in switches}
    expected = {}  # charts each page draws, counted in the warm-up run once the page has settled
    for i in range(runs + 1):  # the first run warms the server (imports, caches), not counted
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_function(DRAWN, arg=[first_title, expected.get(first_title, 0)], timeout=120_000, polling=10)
        first = (time.perf_counter() - start) * 1000
        if not i:
            page.wait_for_timeout(3000)
            expected[first_title] = page.evaluate(COUNT)
        for link, title in switches:
            time.sleep(0.3)
            start = time.perf_counter()
            page.locator(MENU).filter(has_text=link).first.click()
            page.wait_for_function(DRAWN, arg=[title, expected.get(title, 0)], timeout=120_000, polling=10)
            if not i:
                page.wait_for_timeout(3000)
                expected[title] = page.evaluate(COUNT)
            if i:
                switch_times[link].append((time.perf_counter() - start) * 1000)
        if i:
            firsts.append(first)
        context.close()
    print("charts per page:", expected, file=sys.stderr)
    return statistics.median(firsts), {k: statistics.median(v) for k, v in switch_times.items()}, expected


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="1x,nazionale")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from ui.pages_spec import PAGES

    # every page in the menu's order, then back to the first (the Panoramica)
    titles = [p.title for p in PAGES[1:]] + [PAGES[0].title]
    app_switches = [(t, t) for t in titles]
    rows, memory, charts = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for ds in args.datasets.split(","):
            db = str(dataset(ds))
            with server("bench/minimal_app.py", None) as (url, _):
                m_first, m_switch, _ = measure(browser, url, "Uno", [("Due", "Due")], args.runs)
            with server("app.py", db) as (url, pid):
                a_first, a_switch, drawn = measure(browser, url, "Panoramica", app_switches, args.runs)
                memory.append((ds, peak_rss_mb(pid)))
            print(ds, m_first, m_switch, a_first, a_switch, memory[-1], file=sys.stderr)
            rows.append((ds, m_first, m_switch["Due"], a_first, a_switch))
            charts.append(drawn)
        browser.close()
    lines = ["## 3. Nel browser (Chromium)", "", f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}.", "",
             f"Comando: `.venv/bin/python bench/bench_browser.py --datasets {args.datasets} --runs {args.runs}` (mediane di "
             f"{args.runs} navigazioni, ognuna in una sessione nuova, dopo una di riscaldamento; stesso run per l'app e "
             "per l'app minima `bench/minimal_app.py`, un grafico plotly per pagina). «Disegnato» = titolo della pagina mostrato, "
             "nessun elemento in attesa o in caricamento, SVG di plotly presente in tanti grafici quanti la pagina ne "
             "mostra a regime (contati nella navigazione di riscaldamento) e una riga con testo in ogni tabella. Ogni "
             "navigazione apre la Panoramica e passa dal menu a ogni pagina nel suo ordine, poi torna alla Panoramica.", "",
             "| dati | app minima: primo grafico (ms) | app: primo grafico, Panoramica (ms) | rapporto (obiettivo ≤ 1,3) | "
             "app minima: cambio pagina (ms) |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {ds} | {it(mf, 0)} | {it(af, 0)} | {it(af / mf, 2)} | {it(ms, 0)} |" for ds, mf, ms, af, _ in rows]
    lines += ["", "Cambio pagina dell'app, dal menu (ms, mediane; grafici = quanti la pagina ne disegna, per dati):", "",
              "| → pagina | " + " | ".join(f"{ds} | grafici" for ds, *_ in rows) + " |", "|---|" + "---:|---:|" * len(rows)]
    lines += [f"| {t} | " + " | ".join(f"{it(asw[t], 0)} | {drawn.get(t, 0)}" for (*_, asw), drawn in zip(rows, charts))
              + " |" for t in titles]
    lines += ["", "Obiettivi (issue 15): cambio pagina ≤ 300 ms sui dati spediti e ≤ 600 ms su scala nazionale, per ogni "
              "pagina; primo grafico ≤ 1,3× l'app minima.", "",
              "## 4. Memoria del server", "",
              "Stesso comando: picco della memoria residente (VmHWM di /proc) del processo `streamlit run app.py` dopo le "
              "navigazioni sopra (tutte le sessioni, tutte le pagine). Obiettivo ≤ 1 GB.", "",
              "| dati | picco RSS del server (MB) |", "|---|---:|"]
    lines += [f"| {ds} | {it(mb, 0)} |" for ds, mb in memory]
    write_section("browser", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
