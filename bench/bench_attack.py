"""Benchmark 4: what refusing each file of the attack corpus costs (peak memory, time), and what the checks and the
child process add to reading a valid workbook.

    .venv/bin/python bench/bench_attack.py [--runs 3]

The corpus is written by tests/attack/make_attack_files.py into bench/out/attack/.

- Time: `reader.read_bytes` in this process, the fork server already running (as in the app after the first
  upload); median of --runs runs after one warm-up.
- Peak memory: each run in a fresh process (`--one FILE`) whose child is started with 'spawn' instead of the fork
  server, so that it is a direct child and `getrusage(RUSAGE_CHILDREN)` sees it; peak = the larger of that process
  (the server's part: it holds pandas and the upload) and its child (the scan and the parser). Median of --runs.
Goal (issue 10): every corpus file refused with peak <= 1 GB and in <= 20 s.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

from common import OUT, ROOT, it, load, runs_in_own_process, write_section

GOAL_MB, GOAL_S = 1024, 20


def one(path: Path) -> dict:
    """Refuse (or read) one file in this fresh process, the child started by 'spawn'; report time and peaks."""
    import multiprocessing

    from cruscotto.ingest import sandbox
    from cruscotto.ingest.reader import ReadError, read_bytes
    from cruscotto.ingest.validate import validate

    sandbox._fork_server()  # installs what the children need, then swap the context for a direct child
    sandbox._context = multiprocessing.get_context("spawn")
    data = path.read_bytes()
    start = time.perf_counter()
    try:
        sheets = read_bytes(data, path.name)
        errors = [str(p) for p in validate(sheets).errors]  # a hidden sheet is read, then refused here
        message = next((e for e in errors if "nascosto" in e), f"letto: {len(sheets)} fogli, {len(errors)} errori")
    except ReadError as exc:
        message = str(exc)
    seconds = time.perf_counter() - start
    # this process: VmHWM, which starts afresh at exec (ru_maxrss would carry the bench's own size across it);
    # the child: ru_maxrss of the children, which for a spawned child starts at this process's size when it forked
    own_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "self_mb": own_kb / 1024, "child_mb": child_kb / 1024, "message": message}


def timed(data: bytes, name: str, runs: int) -> float:
    from cruscotto.ingest.reader import ReadError, read_bytes

    def attempt():
        start = time.perf_counter()
        try:
            read_bytes(data, name)
        except ReadError:
            pass
        return time.perf_counter() - start

    attempt()
    return statistics.median(attempt() for _ in range(runs))


def peaks(path: Path, runs: int) -> dict:
    results = runs_in_own_process(__file__, ["--one", str(path)], runs)
    return {"self_mb": statistics.median(r["self_mb"] for r in results),
            "child_mb": statistics.median(r["child_mb"] for r in results), "message": results[-1]["message"]}


def valid_workbooks() -> dict[str, bytes]:
    """Valid workbooks, to measure what the checks and the child add: the shipped report and 100k rows."""
    from cruscotto import paths, synth
    from cruscotto.present.workbook import csv_folder_as_xlsx

    big = OUT / "import_100k.xlsx"  # the same file as bench_import.py
    if not big.exists():
        synth.write_xlsx(synth.generate(62, (2013, 2024)), big)
    return {"relazione_2019.xlsx (dati spediti)": csv_folder_as_xlsx(paths.DATA_DIR), "import_100k.xlsx": big.read_bytes()}


def overhead(data: bytes, name: str, runs: int) -> tuple[float, float, float]:
    """Median seconds of: the parser alone in this process, with the sheets built from its grids (what reading was
    before the checks, less its count of rows), the checks alone in this process, and read_bytes as the app calls it
    (checks and parser in the child, the sheets sent back)."""
    from cruscotto.ingest import reader, xlsx_guard
    from cruscotto.ingest.reader import read_bytes

    def median(fn):
        fn()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    unchecked = xlsx_guard.Scan(xlsx_guard.Book())
    parse = median(lambda: reader.parse_xlsx(data, name, xlsx_guard.open_archive(data, name), unchecked))
    scan = median(lambda: xlsx_guard.scan(data, xlsx_guard.open_archive(data, name), name))
    full = median(lambda: read_bytes(data, name))
    return parse, scan, full


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one))))
        return 0
    sys.path.insert(0, str(ROOT / "tests" / "attack"))
    import make_attack_files

    folder = OUT / "attack"
    paths = make_attack_files.build(folder)
    lines = ["## 5. File d'attacco: costo del rifiuto", "",
             f"Comando: `.venv/bin/python bench/bench_attack.py --runs {args.runs}`. File scritti da "
             "`tests/attack/make_attack_files.py` in `bench/out/attack/`. Tempo = `reader.read_bytes` in questo processo "
             f"con il fork server già avviato (come nell'app dopo il primo caricamento), mediana di {args.runs} dopo una "
             "di riscaldamento. Picco = memoria residente massima, mediana di "
             f"{args.runs} esecuzioni ciascuna in un processo nuovo il cui figlio è avviato con 'spawn' (figlio diretto, "
             "visto da `getrusage(RUSAGE_CHILDREN)`): «server» è il processo che riceve il file (VmHWM; pandas già "
             "importato: circa 128 MB di base), «figlio» quello che controlla e legge (ru_maxrss; parte dalla base del "
             "processo che lo avvia, come il figlio del fork server). Per un foglio nascosto il messaggio è quello di "
             "`validate` (il file si legge, la tabella nascosta è rifiutata). Obiettivo: ogni file rifiutato con picco "
             "≤ 1 GB e in ≤ 20 s.", "",
             "| file | KB | tempo (s) | picco server (MB) | picco figlio (MB) | esito | messaggio |",
             "|---|---:|---:|---:|---:|---|---|"]
    worst_mb, worst_s = 0.0, 0.0
    for name, path in paths.items():
        seconds = timed(path.read_bytes(), name, args.runs)
        peak = peaks(path, args.runs)
        top = max(peak["self_mb"], peak["child_mb"])
        worst_mb, worst_s = max(worst_mb, top), max(worst_s, seconds)
        ok = top <= GOAL_MB and seconds <= GOAL_S and peak["message"].startswith(f"File {name}")
        print(f"{name}: {seconds:.2f} s, {peak['self_mb']:.0f}/{peak['child_mb']:.0f} MB - {peak['message'][:100]}",
              file=sys.stderr)
        message = peak["message"].replace("|", "\\|")
        lines.append(f"| {name} | {it(path.stat().st_size / 1024, 0)} | {it(seconds, 2)} | {it(peak['self_mb'], 0)} | "
                     f"{it(peak['child_mb'], 0)} | {'sì' if ok else 'NO'} | {message[:140]}{'…' if len(message) > 140 else ''} |")
    lines += ["", f"Peggior caso: picco {it(worst_mb, 0)} MB, tempo {it(worst_s, 2)} s.", "",
              "**Quanto costano controlli e processo figlio su un file valido** (mediane di "
              f"{args.runs}; «prima» = parser e fogli in questo processo, come leggeva reader.py prima di questi "
              "controlli, meno il suo conteggio delle righe):", "",
              "| file | MB | prima: parser nel processo (s) | solo controlli (s) | read_bytes: controlli + parser nel figlio (s) | in più |",
              "|---|---:|---:|---:|---:|---:|"]
    for name, data in valid_workbooks().items():
        parse, scan, full = overhead(data, name, args.runs)
        print(f"{name}: parse {parse:.2f} s, scan {scan:.2f} s, read_bytes {full:.2f} s", file=sys.stderr)
        lines.append(f"| {name} | {it(len(data) / 1e6, 2)} | {it(parse, 2)} | {it(scan, 2)} | {it(full, 2)} | "
                     f"{it(full - parse, 2)} s |")
    lines += ["", f"Misurato il {time.strftime('%d/%m/%Y %H:%M')}; {load()}."]
    write_section("attack", "\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
