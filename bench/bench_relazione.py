"""Benchmark 5: time to produce the Relazione (PDF) of one chamber-year, the shipped CCIAA di Cremona 2019.

    .venv/bin/python bench/bench_relazione.py [--runs 5]

Two ways a person gets it:
- the command line, a new process each time (`python -m cruscotto relazione --formato pdf`): Python starts, Chromium
  starts (kaleido), the data are read, the charts drawn, the PDF laid out. Wall time and CPU time (the process and
  its children, Chromium included) of each run; median of N.
- the app's page, in a server that has produced one already: the browser that draws the charts is still open
  (cruscotto/relazione/figures.py), so only reading, drawing and laying out count. Median of N after one warm-up,
  with the median of each stage.
The machine is shared (2 cores): the load average is written beside the figures, and the CPU time says what the
work costs without the other processes.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime

from common import OUT, ROOT, dataset, it, load, write_section

GOAL_S = 5.0
ENTE, ANNO = "CCIAA di Cremona", 2019


def cli_runs(path, runs: int) -> tuple[list[float], list[float], bytes]:
    out = OUT / "relazione_bench.pdf"
    env = dict(os.environ, CRUSCOTTO_DB=str(path))
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "cruscotto", "relazione", "--ente", ENTE, "--anno", str(ANNO),
                        "--formato", "pdf", "--out", str(out)], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return walls, cpus, out.read_bytes()


def app_runs(path, runs: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    from cruscotto import relazione, store
    con = store.connect(path, read_only=True)
    stages: dict[str, list[float]] = {"dati": [], "pdf": [], "html": []}
    walls, cpus = [], []
    try:
        relazione.build(con, ENTE, ANNO)  # warm-up: the browser starts, as on the page's first Relazione
        for _ in range(runs):
            marks = {}

            def progress(fraction, text, marks=marks):
                marks.setdefault(text.split(" (")[0].split("…")[0], time.perf_counter())

            cpu, start = time.process_time(), time.perf_counter()
            relazione.build(con, ENTE, ANNO, progress=progress)
            end = time.perf_counter()
            walls.append(end - start)
            cpus.append(time.process_time() - cpu)
            layout, html = marks["Impaginazione del PDF"], marks["Versione HTML"]
            stages["dati"].append(layout - start)
            stages["pdf"].append(html - layout)
            stages["html"].append(end - html)
    finally:
        con.close()
    return walls, cpus, stages


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = dataset("1x")
    cli_wall, cli_cpu, pdf = cli_runs(path, args.runs)
    app_wall, app_cpu, stages = app_runs(path, args.runs)

    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    med = statistics.median
    s = lambda values: it(med(values), 2)  # noqa: E731
    lines = [
        "## 7. La Relazione (PDF)", "",
        f"Comando: `.venv/bin/python bench/bench_relazione.py --runs {args.runs}`. Relazione della CCIAA di Cremona, "
        f"anno 2019 (i dati spediti): {pages} pagine A4, {it(len(pdf) / 1024, 0)} kB, 8 grafici vettoriali. "
        f"Mediane di {args.runs} esecuzioni. «CPU» = tempo di processore dell'esecuzione (riga di comando: il processo "
        "e i suoi figli, Chromium compreso; app: solo il processo Python, Chromium escluso): quanto costa il lavoro "
        "senza gli altri processi della macchina.", "",
        "| come | tempo (s) | CPU (s) | lettura dati e verifica (s) | PDF: WeasyPrint, con i grafici di kaleido disegnati intanto (s) | versione HTML (s) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| riga di comando, processo nuovo (`python -m cruscotto relazione --formato pdf`) | {s(cli_wall)} | {s(cli_cpu)} | | | |",
        f"| pagina «Relazione», browser dei grafici già aperto | {s(app_wall)} | {s(app_cpu)} | {s(stages['dati'])} | "
        f"{s(stages['pdf'])} | {s(stages['html'])} |",
        "",
        f"Tempi della riga di comando, uno per esecuzione: {', '.join(it(v, 2) for v in cli_wall)} s. "
        f"Misurato il {datetime.now():%d/%m/%Y %H:%M}; {load()}.", "",
        f"Obiettivo: ≤ {it(GOAL_S, 0)} s per un ente e un anno.",
    ]
    write_section("relazione", "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
