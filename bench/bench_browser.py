"""Benchmarks 3 and 4: in Chromium, navigation to the first chart drawn and page switch, the app against a minimal
one-chart Streamlit app in the same run; and the peak memory (VmHWM) of the app's server after every page was shown.

    .venv/bin/python bench/bench_browser.py [--datasets 1x,nazionale] [--runs 5] [--prima CARTELLA] [--pages A,B]

A page switch is timed on the page's clock, from the press on the menu link (PRESSED); the first page from Python's
`goto`, in the app and in the minimal app alike. Each navigation is a new browser context (a new Streamlit session: nothing in the page's session state), which opens
the Panoramica and then clicks through the menu to every page of ui/pages_spec.py in its order and back to the
Panoramica. Two moments of each page are timed:
- "seen" (vista): the page title shown, nothing stale, running or still loading, plotly's SVG present in every chart
  of the page and every grid's canvas painted with its cells (what a person sees);
- "drawn" (completa): the same, and a row with text in every grid's copy for screen readers (as tests/e2e/harness.py
  waits). glide-data-grid, Streamlit's grid, paints its canvas a few tens of ms after it mounts, but writes that
  hidden HTML table (role="grid") through a 200 ms debounce that restarts at every re-render while the grid settles
  (`useDebouncedMemo(…, 200)` in its data-grid.tsx): a page with any grid is therefore "drawn" 250-350 ms after it is
  "seen", whether it shows one grid or three, 5 rows or 26.
The servers run on 127.0.0.1 with a store of bench/out/ (CRUSCOTTO_DB), never data/cruscotto.duckdb.

`--prima CARTELLA` measures, in the same run, the app of another checkout (the code before a change, e.g. `git
archive main | tar -x -C /tmp/prima`) on its own copy of the store: the three apps are navigated in turn, so that the load
of the shared machine, which moves by a factor of two within minutes, touches the before and the after alike.
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from common import OUT, ROOT, dataset, it, load, write_section

PY = str(ROOT / ".venv" / "bin" / "python")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Drawn: the run is over (its last state reached the page), the page's title is shown, nothing stale or loading, and
# at least as many charts with their SVG and (visible) grids with a row as the page shows once settled (counted in the warm-up
# navigation: without it a moment between two deltas, the new title shown and the grids not yet sent, passed).
# With `seen` true a grid counts once its canvas is painted, without waiting for its copy for screen readers.
DRAWN = """([title, charts, grids, seen]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const h1 = document.querySelector('h1');
  if (!h1 || !h1.textContent.includes(title)) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const hasRow = (el) => Array.from(el.querySelectorAll('tbody [role="row"]')).some(
    row => Array.from(row.querySelectorAll('[role="gridcell"]')).some(cell => cell.textContent.trim() !== ''));
  // painted: the grid's canvas has dark pixels (text) below its header row
  const painted = (el) => {
    const canvas = el.querySelector('canvas[data-testid="data-grid-canvas"]');
    const top = Math.round(40 * (window.devicePixelRatio || 1));  // below the header row (35 px)
    if (!canvas || !canvas.width || canvas.height <= top) return false;
    const cells = canvas.getContext('2d').getImageData(0, top, Math.min(canvas.width, 600), Math.min(canvas.height - top, 120)).data;
    let dark = 0;
    for (let i = 0; i < cells.length; i += 4) if (cells[i] < 120 && cells[i + 3] > 0) dark++;
    return dark > 30;
  };
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
  const tables = Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).filter(visible);
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  if (!tables.every(seen ? painted : hasRow) || !plots.every(c => c.querySelector('.main-svg'))) return false;
  if (plots.length < charts || tables.length < grids) return false;
  window.__benchShownAt = performance.now();  // the page's own clock: see PRESSED
  return true;
}"""
# A page switch is timed on the page's own clock, from the press of the mouse button on the menu link to the poll that
# finds the page drawn: what the person who clicks waits. Timed from Python it also held what Playwright does before
# the press (find the link, wait until it is visible and stable for two animation frames, scroll to it) and the round
# trip of the poll's answer back to Python: 25-45 ms a switch, in every app alike (bench/RESULTS.md, section 3).
PRESSED = "document.addEventListener('pointerdown', () => { window.__benchPressedAt = performance.now(); }, true);"
ON_PAGE = "window.__benchShownAt - window.__benchPressedAt"
COUNT = """() => [document.querySelectorAll('.js-plotly-plot').length,
                Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).filter(el => el.checkVisibility()).length]"""
MENU = '[data-testid="stSidebarNavLink"]'  # the menu's links (the minimal app has one too)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(script: str, db: str | None, root: Path = ROOT):
    """`streamlit run script` from the folder `root` (this checkout, or another one of the code before a change)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(root))
    if db:
        env["CRUSCOTTO_DB"] = db
    proc = subprocess.Popen([PY, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                             "--server.fileWatcherType", "none"], cwd=root, env=env,
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


def ms_(pair) -> str:
    """«median (min)» in ms."""
    return f"{it(pair[0], 0)} ({it(pair[1], 0)})"


def peak_rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Target:
    """One app to measure: its address, the page it opens on, the menu clicks, and what was measured."""

    def __init__(self, name: str, url: str, first_title: str, switches: list[str]):
        self.name, self.url, self.first_title, self.switches = name, url, first_title, switches
        self.expected: dict[str, list[int]] = {}  # [charts, grids] of each page, counted in the warm-up navigation
        self.firsts: list[float] = []
        self.times: dict[str, list[float]] = {title: [] for title in switches}
        self.seen_firsts: list[float] = []  # the same moments as seen: grids painted, their screen-reader copy not awaited
        self.bench_side: list[float] = []  # ms of a switch outside the page's clock: before the press, after the poll
        self.seen_times: dict[str, list[float]] = {title: [] for title in switches}

    def wait(self, page, title: str, start: float, warm_up: bool, pressed: bool = False) -> tuple:
        """Ms from `start` until the page `title` is seen, then until it is drawn (see the module's docstring); after a
        click (`pressed`) each moment is a pair: ms from `start` on Python's clock, and from the press on the page's."""
        counts = self.expected.get(title, [0, 0])
        moments = []
        for seen in (True, False):
            page.wait_for_function(DRAWN, arg=[title, *counts, seen], timeout=120_000, polling=10)
            moments.append((time.perf_counter() - start) * 1000)
            if pressed:
                moments[-1] = (moments[-1], page.evaluate(ON_PAGE))
        if warm_up:
            page.wait_for_timeout(3000)
            self.expected[title] = page.evaluate(COUNT)
        return moments[0], moments[1]

    def navigate(self, browser, warm_up: bool = False) -> None:
        """One new session: open the first page, then click each menu entry in turn; the warm-up navigation (imports,
        caches of the server) counts the charts instead of timing."""
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.add_init_script(PRESSED)
        start = time.perf_counter()
        page.goto(self.url)
        seen, drawn = self.wait(page, self.first_title, start, warm_up)
        if not warm_up:
            self.seen_firsts.append(seen)
            self.firsts.append(drawn)
        for title in self.switches:
            time.sleep(0.3)
            start = time.perf_counter()
            page.locator(MENU).filter(has_text=title).first.click()
            (seen_py, seen), (drawn_py, drawn) = self.wait(page, title, start, warm_up, pressed=True)
            if not warm_up:
                self.seen_times[title].append(seen)
                self.times[title].append(drawn)
                self.bench_side.append(seen_py - seen)
        context.close()

    def first(self, seen: bool = False) -> tuple[float, float]:
        times = self.seen_firsts if seen else self.firsts
        return statistics.median(times), min(times)

    def switch(self, title: str, seen: bool = False) -> tuple[float, float]:
        times = (self.seen_times if seen else self.times)[title]
        return statistics.median(times), min(times)


def switches(pages: str | None) -> list[str]:
    """The menu clicks of a navigation: every page in the menu's order, then back to the first (the Panoramica); with
    `pages`, only those (a switch to the Panoramica alone goes first to the Responsabili, a light page, and back)."""
    from ui.pages_spec import PAGES

    titles = [p.title for p in PAGES[1:]] + [PAGES[0].title]
    if not pages:
        return titles
    chosen = {t.strip() for t in pages.split(",")}
    if unknown := chosen - set(titles):
        raise SystemExit(f"--pages: no page titled {sorted(unknown)}; the pages: {titles}")
    if chosen == {PAGES[0].title}:
        chosen.add("Responsabili")
    return [t for t in titles if t in chosen]


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser()
    parser.add_argument("--datasets", default="1x,nazionale")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--prima", metavar="CARTELLA",
                        help="a checkout of the code before a change (git worktree add …): its app measured in the same "
                             "run, a navigation each in turn with this one, so that both see the same load")
    parser.add_argument("--pages", metavar="TITOLI",
                        help="only these pages, by their titles separated by commas (e.g. Panoramica,Indicatori): "
                             "each navigation clicks only those, in the menu's order (the Panoramica last, from the "
                             "page before it; a page then comes from another one than in the whole tour, e.g. a grid's code "
                             "not loaded yet); minutes fewer when a change touches a few pages")
    args = parser.parse_args()
    titles = switches(args.pages)
    results, memory = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for ds in args.datasets.split(","):
            db = str(dataset(ds))
            with ExitStack() as servers:
                url, _ = servers.enter_context(server("bench/minimal_app.py", None))
                # to «Due» (one chart), then to two pages with a chart and a grid: a page with a table at the least
                targets = [Target("minima", url, "Uno", ["Due", "Tabella", "Altra tabella"])]
                if args.prima:
                    copy = OUT / f"{ds}_prima.duckdb"  # its own copy: one process at a time holds a store file
                    shutil.copy(db, copy)
                    url, _ = servers.enter_context(server("app.py", str(copy), Path(args.prima).resolve()))
                    targets.append(Target("prima", url, "Panoramica", titles))
                url, pid = servers.enter_context(server("app.py", db))
                targets.append(Target("app", url, "Panoramica", titles))
                for target in targets:
                    target.navigate(browser, warm_up=True)
                for _ in range(args.runs):  # in turn: a change in the machine's load touches every app alike
                    for target in targets:
                        target.navigate(browser)
                memory.append((ds, peak_rss_mb(pid)))
            for target in targets:
                print(ds, target.name, target.expected, {t: [round(v) for v in times] for t, times in target.times.items()},
                      {t: [round(v) for v in times] for t, times in target.seen_times.items()}, file=sys.stderr)
            results.append((ds, {t.name: t for t in targets}))
        browser.close()
    write(results, memory, titles, args)
    return 0


def write(results, memory, titles, args) -> None:
    before = bool(args.prima)
    names = ("prima", "app") if before else ("app",)
    command = (f"`.venv/bin/python bench/bench_browser.py --datasets {args.datasets} --runs {args.runs}"
               + (" --prima CARTELLA" if before else "") + (f" --pages {args.pages}" if args.pages else "") + "`")
    lines = ["## 3. Nel browser (Chromium)", "", f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}.", "",
             f"Comando: {command} (mediane di {args.runs} navigazioni e, fra parentesi, il minimo: il costo con meno "
             "disturbo dagli altri processi della macchina condivisa; ogni navigazione in una sessione nuova, dopo una di "
             "riscaldamento, a turno fra l'app minima `bench/minimal_app.py` (un grafico plotly per pagina; due sue pagine "
             "hanno anche una tabella di 26 righe come quelle dell'app: la seconda, col codice della tabella già caricato "
             "come nell'app dopo la Panoramica, è il minimo di una pagina con una tabella)"
             + (", l'app di prima (`--prima`: il codice prima del cambiamento, in un'altra cartella)" if before else "")
             + " e l'app). Ogni navigazione apre la Panoramica e passa dal menu a ogni pagina nel suo ordine, poi torna "
             "alla Panoramica. Due istanti per pagina: «vista» = esecuzione della pagina finita, titolo della pagina "
             "mostrato, nessun elemento in attesa o in caricamento, tanti grafici col loro SVG quanti la pagina ne mostra "
             "a regime (contati nella navigazione di riscaldamento) e la tela di ogni tabella dipinta con le sue celle: "
             "quello che una persona vede; «completa» = in più la copia di ogni tabella per i lettori di schermo (la "
             "tabella HTML nascosta che la griglia di Streamlit scrive con un ritardo di 200 ms, che riparte a ogni nuovo "
             "disegno della griglia: 250-350 ms dopo la «vista» in ogni pagina con almeno una tabella, quante che siano).",
             "",
             "| dati | app minima: primo grafico (ms) | "
             + ("prima: primo grafico, Panoramica, vista · completa | rapporto | " if before else "")
             + "app: primo grafico, Panoramica, vista · completa (ms) | rapporto (obiettivo ≤ 1,3) | app minima: cambio "
             "pagina (ms) | app minima: cambio verso una pagina con una tabella, la seconda della sessione, vista · "
             "completa (ms) |",
             "|---|" + "---:|" * (7 if before else 5)]

    def both(t, title=None) -> str:
        if title is None:
            return f"{ms_(t.first(seen=True))} · {ms_(t.first())}"
        return f"{ms_(t.switch(title, seen=True))} · {ms_(t.switch(title))}"

    for ds, found in results:
        minimal = found["minima"]
        ratio = lambda t, seen: it(t.first(seen)[0] / minimal.first()[0], 2)
        lines.append(f"| {ds} | {ms_(minimal.first())} | "
                     + "".join(f"{both(found[n])} | {ratio(found[n], True)} · {ratio(found[n], False)} | " for n in names)
                     + f"{ms_(minimal.switch('Due'))} | {both(minimal, 'Altra tabella')} |")
    lines += ["", "Cambio pagina dell'app, dal menu (ms, vista · completa; grafici e tabelle = quanti la pagina ne "
              "mostra, nell'app):", ""]
    header, rule = "| → pagina |", "|---|"
    for ds, _ in results:
        header += (f" {ds} prima |" if before else "") + f" {ds} | grafici | tabelle |"
        rule += "---:|" * (4 if before else 3)
    lines += [header, rule]
    for title in titles:
        row = f"| {title} |"
        for _, found in results:
            row += "".join(f" {both(found[n], title)} |" for n in names)
            row += " {} | {} |".format(*found["app"].expected.get(title, [0, 0]))
        lines.append(row)
    outside = statistics.median(v for _, found in results for v in found["app"].bench_side)
    lines += ["", f"Il cambio pagina è misurato con l'orologio della pagina, dalla pressione del tasto del mouse sulla voce "
              "del menu al controllo che trova la pagina disegnata (ogni 10 ms): quello che aspetta chi fa clic. Fino al "
              f"03/12 era misurato da Python, dal comando di clic di Playwright: {it(outside, 0)} ms in più a cambio "
              "(mediana di questo giro, app), spesi da Playwright prima della pressione (trovare la voce, aspettarla "
              "visibile e ferma per due fotogrammi) e dalla risposta del controllo a Python. Il primo grafico resta "
              "misurato da Python, dall'apertura dell'indirizzo, nell'app come nell'app minima."]
    lines += ["", "Obiettivi (issue 15): cambio pagina ≤ 300 ms sui dati spediti e ≤ 600 ms su scala nazionale, per ogni "
              "pagina; primo grafico ≤ 1,3× l'app minima.", "",
              "## 4. Memoria del server", "",
              "Stesso comando: picco della memoria residente (VmHWM di /proc) del processo `streamlit run app.py` dopo le "
              "navigazioni sopra (tutte le sessioni, tutte le pagine). Obiettivo ≤ 1 GB.", "",
              "| dati | picco RSS del server (MB) |", "|---|---:|"]
    lines += [f"| {ds} | {it(mb, 0)} |" for ds, mb in memory]
    write_section("browser", "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
