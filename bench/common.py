"""Shared by the bench scripts: the machine, medians, the data sets, and writing bench/RESULTS.md.

Generated stores live in bench/out/ (git-ignored); nothing here writes data/cruscotto.duckdb.
"""
from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "RESULTS.md"
sys.path.insert(0, str(ROOT))

from cruscotto import pipeline  # noqa: E402 (after ROOT is on the path: the scripts run from bench/)

# name -> (description, synth arguments added to the shipped Cremona 2019 report, or None for the shipped data alone)
DATASETS = {
    "1x": ("i dati spediti (CCIAA di Cremona, relazione 2019)", None),
    "100x": ("spediti + 10 enti sintetici x 10 anni (2010-2019): 101 relazioni", dict(enti=10, anni=(2010, 2019), serie=6, bulk=False)),
    "10000x": ("spediti + 400 enti sintetici x 25 anni (1995-2019): 10.001 relazioni", dict(enti=400, anni=(1995, 2019), serie=6, bulk=True)),
    "nazionale": ("spediti + 60 enti sintetici x 15 anni (2010-2024), --serie 570: circa 5 milioni di righe di serie",
                  dict(enti=60, anni=(2010, 2024), serie=570, bulk=True)),
}


def median_ms(fn, runs: int = 7, warmup: int = 1) -> tuple[float, list[float]]:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), times


def dataset(name: str, rebuild: bool = False) -> Path:
    """The store of a data set, built once (shipped data through `pipeline.build`, then `synth.write_store`)."""
    from cruscotto import store, synth
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.duckdb"
    marker = path.with_suffix(".ok")
    if path.exists() and marker.exists() and not rebuild:
        return path
    for p in (path, path.with_suffix(".duckdb.wal"), marker):
        if p.exists():
            p.unlink()
    start = time.perf_counter()
    result = pipeline.build(path)
    assert result.ok, [str(p) for p in result.validated.errors]
    args = DATASETS[name][1]
    if args:
        con = store.connect(path)
        try:
            synth.write_store(con, args["enti"], args["anni"], seed=synth.DEFAULT_SEED, serie=args["serie"], bulk=args["bulk"])
            con.execute("CHECKPOINT")
        finally:
            con.close()
    marker.write_text(f"{time.perf_counter() - start:.1f}\n")
    return path


def counts(path: Path) -> dict[str, int]:
    from cruscotto import store
    from cruscotto.store.schema import TABLES

    con = store.connect(path, read_only=True)
    try:
        return {t.name: con.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0] for t in TABLES}
    finally:
        con.close()


def runs_in_own_process(script: str, args: list[str], runs: int, timeout: int = 300) -> list[dict]:
    """Run `script` with `args` `runs` times, each in a process of its own (so that memory peaks are its own), and
    return the JSON object each prints on its last line."""
    import json

    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        if out.returncode:
            raise RuntimeError(f"{' '.join(args)}: {out.stderr[-2000:]}")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def machine() -> str:
    cpu = "?"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        pass
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in
                         ("streamlit", "duckdb", "pandas", "numpy", "pyarrow", "plotly", "python-calamine", "openpyxl", "playwright",
                          "weasyprint", "kaleido"))
    chromium = "?"
    try:
        chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    return (f"{cpu}, {os.cpu_count()} core, RAM {mem}; {platform.platform()}; "
            f"Python {platform.python_version()}; {versions}; {chromium}")


def write_section(key: str, body: str) -> None:
    """Replace (or append) the section between <!-- key --> markers of bench/RESULTS.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
    if key != "macchina":
        write_section("macchina", f"Macchina e versioni (scritto da ogni script a ogni misura): {machine()}")


def load() -> str:
    """The machine's load average (1, 5, 15 min): on 2 shared cores, the context every figure needs."""
    one, five, fifteen = os.getloadavg()
    return f"carico medio della macchina a fine misura (1/5/15 min): {it(one, 2)} / {it(five, 2)} / {it(fifteen, 2)} su {os.cpu_count()} core"


def it(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
