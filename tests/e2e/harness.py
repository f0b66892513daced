"""The browser-test harness: a Streamlit server on a free port, Debian's chromium driven by Playwright, and the waits
and checks every page goes through.

Plain functions and classes (no pytest), so that `conftest.py`, the tests and `screenshots.py` share them.

Waiting, never sleeping:
- `wait_idle`: the script run is over. An init script counts the runs that finished from the websocket (the
  server's `script_finished` message), so after an action we wait for *a new* finished run, not for the state the
  page was already in; then the app root must say it is idle too (`data-test-script-state` = `notRunning`,
  `data-test-connection-state` = `CONNECTED`, nothing stale).
- `wait_drawn`: Streamlit draws charts and tables after the run ("script finished" is not "drawn"): elements whose
  code is still loading show a skeleton, then plotly draws its SVG (`.main-svg`) and the grid its rows. Wait until no
  skeleton is visible, every visible chart has its SVG and every visible table a row with text.
- `page_problems`: exception boxes (`stException`), error alerts (`stAlertContentError`) and browser console errors
  or uncaught page errors, one line each.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cruscotto import pipeline

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
# The app as `make run` serves it to a developer: local single-user mode, so the upload journeys need no password.
LOCAL_MODE = {"CRUSCOTTO_MODALITA_LOCALE": "1"}
FIXTURES = Path(__file__).resolve().parent / "fixtures"

CHROMIUM = os.environ.get("CRUSCOTTO_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1400, "height": 1000}
HOW_TO_ENABLE = ("browser tests need Debian's chromium at {path}: `sudo apt-get install chromium` "
                 "(or set CRUSCOTTO_CHROMIUM to another chromium binary)")

# Generous: the machine has 2 shared cores. These are upper bounds for a wait, never a measured expectation.
SERVER_START_TIMEOUT_S = 60
IDLE_TIMEOUT_MS = 60_000
DRAWN_TIMEOUT_MS = 30_000

# Console messages known to be harmless, as (pattern, why). Keep it short and justified.
# Matched (re.search) against "<message> @ <url of the script or resource>".
IGNORED_CONSOLE: list[tuple[str, str]] = [
    (r"status of 404 .* @ https?://[^/]+/.+/_stcore/(health|host-config)$",
     "Streamlit's frontend, opened at a page URL such as /indicatori, first probes /indicatori/_stcore/health and "
     "/indicatori/_stcore/host-config to find the server's base path, gets 404, then uses /_stcore/…"),
]


# --------------------------------------------------------------------------------------------- browser availability
def chromium_path() -> str | None:
    """The chromium binary to drive, or None when it is not installed."""
    path = Path(CHROMIUM)
    return str(path) if path.is_file() and os.access(path, os.X_OK) else None


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def missing_browser() -> tuple[str, str] | None:
    """None when chromium is there; otherwise ("fail", why) under CI, ("skip", how to enable) on a developer machine."""
    if chromium_path() is not None:
        return None
    message = HOW_TO_ENABLE.format(path=CHROMIUM)
    return ("fail", f"CI=true and no browser: {message}") if under_ci() else ("skip", message)


# -------------------------------------------------------------------------------------------------- page discovery
@dataclass(frozen=True)
class AppPage:
    title: str
    url_path: str          # as in the URL: "" for the default page
    name: str              # the page's own url_path, also for the default page (used in test ids and file names)
    default: bool
    visible: bool


def recorded_pages(app_path: Path) -> list[AppPage]:
    """The pages any entry point registers with `st.navigation`, in menu order (for the harness's own test app, and to
    check that app.py registers exactly the spec).

    Runs the entry point under AppTest with `st.navigation` replaced by a recorder that stops the script, so the pages
    are exactly what the app declares (sections, titles, url paths, default) and no page script runs."""
    from unittest import mock

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    recorded: list = []

    def navigation(pages, *args, **kwargs):
        recorded.append(pages)
        st.stop()  # nothing after st.navigation (shared filters, the page) runs

    scratch = tempfile.mkdtemp(prefix="e2e-discover-")
    try:
        # A store path nobody uses, in case the entry point touches the store before st.navigation.
        with mock.patch.dict(os.environ, {"CRUSCOTTO_DB": str(Path(scratch) / "unused.duckdb")}), \
                mock.patch.object(st, "navigation", navigation):
            at = AppTest.from_file(str(app_path), default_timeout=30).run()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not recorded:
        problems = [e.message for e in at.exception] if at.exception else "no exception"
        raise RuntimeError(f"{app_path.name} never reached st.navigation: {problems}")
    declared = recorded[-1]
    flat = [p for section in declared.values() for p in section] if isinstance(declared, dict) else list(declared)
    pages = []
    for p in flat:
        if getattr(p, "_external_url", None):
            continue
        pages.append(AppPage(title=p.title, url_path=p.url_path, name=p._url_path or p.url_path,
                             default=bool(p._default), visible=p.visibility == "visible"))
    if pages and not any(p.default for p in pages):
        # st.navigation makes the first page the default when none is marked.
        first = pages[0]
        pages[0] = AppPage(first.title, "", first.name, True, first.visible)
    return pages


def discover_pages() -> list[AppPage]:
    """The pages app.py registers (ui/pages_spec.py, the one list), in menu order, then the hidden addresses that
    forward to a page (pages_spec.FORWARDS: the home page's old /panoramica)."""
    from ui.pages_spec import FORWARDS, PAGES, by_url_path

    return [AppPage(title=p.title, url_path="" if p.default else p.url_path, name=p.url_path, default=p.default,
                    visible=True) for p in PAGES] + \
        [AppPage(title=by_url_path(target).title, url_path=address, name=address, default=False, visible=False)
         for address, target in FORWARDS.items()]


# ------------------------------------------------------------------------------------------------------ the server
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerFailed(RuntimeError):
    pass


class StreamlitServer:
    """`streamlit run SCRIPT` on a free port against the store at `db_path`; a context manager that always stops it."""

    def __init__(self, script: Path = APP, db_path: Path | None = None, log_dir: Path | None = None,
                 extra_env: dict[str, str] | None = None):
        self.script = Path(script)
        self.db_path = db_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log_dir = Path(log_dir or tempfile.mkdtemp(prefix="e2e-server-"))
        self.log_path = self._log_dir / f"streamlit-{self.port}.log"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None

    def start(self) -> "StreamlitServer":
        env = dict(os.environ)
        env.update(self.extra_env)
        if self.db_path is not None:
            env["CRUSCOTTO_DB"] = str(self.db_path)
        env["PYTHONUNBUFFERED"] = "1"
        command = [
            sys.executable, "-m", "streamlit", "run", str(self.script),
            "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
            # Other developers edit files while the tests run: no watcher, no "source changed" prompt.
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
        ]
        log = open(self.log_path, "wb")
        try:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"streamlit exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            time.sleep(0.1)  # polling the health endpoint, not waiting for the page
        raise ServerFailed(f"streamlit did not answer on {self.url} within {SERVER_START_TIMEOUT_S}s:\n{self.log_tail()}")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def page_url(self, url_path: str = "", query: str = "") -> str:
        url = f"{self.url}/{url_path}"
        return f"{url}?{query.lstrip('?')}" if query else url

    def __enter__(self) -> "StreamlitServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def editor_server(shipped_store: Path, tmp_path_factory, name: str) -> StreamlitServer:
    """A server of its own, in local single-user mode (everyone may upload), on a private copy of the shipped store:
    for the journeys that write (`with harness.editor_server(...) as server:`)."""
    store = temporary_store(shipped_store, tmp_path_factory.mktemp(f"e2e-{name}-store"))
    return StreamlitServer(APP, db_path=store, log_dir=tmp_path_factory.mktemp(f"e2e-{name}-logs"), extra_env=LOCAL_MODE)


def temporary_store(source: Path | None = None, folder: Path | None = None) -> Path:
    """A private store: a copy of `source`, or built from data/ with cruscotto.pipeline.build."""
    folder = Path(folder or tempfile.mkdtemp(prefix="e2e-store-"))
    path = folder / "cruscotto.duckdb"
    if source is not None:
        shutil.copy(source, path)
    else:
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        result = pipeline.build(path)
        if not result.ok:
            raise RuntimeError(f"pipeline.build failed: {[str(p) for p in result.validated.errors]}")
    return path


# ----------------------------------------------------------------------------------------------------- the browser
def launch_browser(playwright):
    """Debian's chromium with a fresh profile (Playwright's launch() always starts from a new temporary user-data dir)."""
    return playwright.chromium.launch(executable_path=chromium_path() or CHROMIUM, args=LAUNCH_ARGS, headless=True)


# Installed in every document before the app's own scripts: counts finished script runs and timestamps the moments
# new plotly SVGs appear (performance.now(), i.e. milliseconds since the navigation started).
#
# Runs are counted from the protocol, not from the DOM: every message the server sends on the websocket is a
# ForwardMsg (protobuf), and a run ends with one whose field 6, `script_finished`, is set (a varint; a oneof member,
# so present even when 0). Watching `data-test-script-state` go from «running» to «notRunning» missed runs: React may
# apply both in one batch for a quick run, the attribute never changes, and the harness waited 60 s on an idle page
# (seen in CI on a click, a selection and a page switch). FINISHED_EARLY_FOR_RERUN (2) is not counted: another run
# follows at once. The frontend handles a message a little after it arrives, so a run counts as shown only
# SHOWN_AFTER_MS after its end arrived (see _IDLE_JS), on top of the DOM's own signs of idleness.
SCRIPT_FINISHED_FIELD = 6
FINISHED_EARLY_FOR_RERUN = 2
SHOWN_AFTER_MS = 60
INIT_SCRIPT = r"""
(() => {
  if (window.__e2e) return;
  const e2e = window.__e2e = {runsDone: 0, finishedAt: [], svgTimes: [], seen: new WeakSet()};
  // The value of the top-level varint field FIELD of a protobuf message, or null.
  const topLevelVarint = (buffer, field) => {
    const bytes = new Uint8Array(buffer);
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = bytes[i++]; value += (byte & 0x7f) * scale; scale *= 128; } while ((byte & 0x80) && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const tag = varint(), number = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const value = varint(); if (number === field) return value; }
      else if (wire === 2) { const length = varint(); i += length; }  // not `i += varint()`: i would be read first
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return null;
    }
    return null;
  };
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (!(event.data instanceof ArrayBuffer)) return;
        const status = topLevelVarint(event.data, %(field)d);
        if (status !== null && status !== %(early)d) { e2e.runsDone += 1; e2e.finishedAt.push(performance.now()); }
      });
    }
  };
  new MutationObserver(() => {
    let fresh = false;
    for (const svg of document.querySelectorAll('.main-svg')) {
      if (!e2e.seen.has(svg)) { e2e.seen.add(svg); fresh = true; }
    }
    if (fresh) e2e.svgTimes.push(performance.now());
  }).observe(document, {subtree: true, childList: true});
})();
""" % {"field": SCRIPT_FINISHED_FIELD, "early": FINISHED_EARLY_FOR_RERUN}

_STATE_JS = r"""() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    script: app ? app.getAttribute('data-test-script-state') : null,
    connection: app ? app.getAttribute('data-test-connection-state') : null,
    statusWidget: !!document.querySelector('[data-testid="stStatusWidget"]'),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    runsDone: window.__e2e ? window.__e2e.runsDone : -1,
    url: location.href,
  };
}"""

# Idle: the run waited for has ended (protocol count, see INIT_SCRIPT) at least SHOWN_AFTER_MS ago, and the page
# says so too: connected, not running, no running indicator, nothing stale, something in the main area. `heading`:
# when the run is a page switch, the new page's title must also be the one shown.
_IDLE_JS = r"""([minRuns, heading, shownAfter]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const e2e = window.__e2e;
  if (!app || !e2e || e2e.runsDone < minRuns) return false;
  if (minRuns > 0 && performance.now() - e2e.finishedAt[minRuns - 1] < shownAfter) return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (heading) {
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    if (!h1 || h1.innerText.trim() !== heading) return false;
  }
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  return !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]');
}"""

_UNDRAWN_JS = r"""() => {
  const visible = (el) => el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null;
  const label = (el) => {
    const block = el.closest('[data-testid="stElementContainer"]');
    let prev = block, heading = '';
    for (let i = 0; i < 12 && prev && !heading; i++) {
      prev = prev.previousElementSibling;
      const h = prev && prev.querySelector('h1, h2, h3, h4');
      if (h) heading = h.innerText.trim();
    }
    return heading ? ` (after «${heading}»)` : '';
  };
  const out = [];
  // Components load lazily: until their code arrives, an element shows a skeleton, and no chart or grid exists yet.
  document.querySelectorAll('[data-testid="stSkeleton"]').forEach((el, i) => {
    if (visible(el)) out.push(`element${label(el)} still loading (skeleton)`);
  });
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((el, i) => {
    if (visible(el) && !el.querySelector('.main-svg')) out.push(`plotly chart #${i + 1}${label(el)} has no SVG`);
  });
  // An empty dataframe still draws one placeholder row of empty cells: a row counts when a cell has text.
  const hasRow = (el) => Array.from(el.querySelectorAll('tbody [role="row"]')).some(
    row => Array.from(row.querySelectorAll('[role="gridcell"]')).some(cell => cell.textContent.trim() !== ''));
  document.querySelectorAll('[data-testid="stDataFrame"]').forEach((el, i) => {
    if (visible(el) && !hasRow(el)) out.push(`dataframe #${i + 1}${label(el)} has no rows`);
  });
  document.querySelectorAll('[data-testid="stTable"], [data-testid="stMarkdownContainer"] > table').forEach((el, i) => {
    if (visible(el) && (!el.querySelector('tbody tr') || el.querySelector('[data-testid="stTableStyledEmptyTableCell"]')))
      out.push(`table #${i + 1}${label(el)} has no rows`);
  });
  return out;
}"""

_ERRORS_JS = r"""() => {
  const text = (el) => (el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 600);
  const out = [];
  document.querySelectorAll('[data-testid="stException"]').forEach(el => out.push('exception box: ' + text(el)));
  document.querySelectorAll('[data-testid="stAlertContentError"]').forEach(el => out.push('error alert: ' + text(el)));
  return out;
}"""

_COUNTS_JS = r"""() => ({
  charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
  dataframes: document.querySelectorAll('[data-testid="stDataFrame"]').length,
  tables: document.querySelectorAll('[data-testid="stTable"], [data-testid="stMarkdownContainer"] > table').length,
  svgTimes: window.__e2e ? window.__e2e.svgTimes.slice() : [],
})"""


class ConsoleLog:
    """Browser console errors and uncaught page errors of one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        location = message.location or {}
        if any(re.search(pattern, f"{text} @ {location.get('url', '')}") for pattern, _why in IGNORED_CONSOLE):
            return
        where = f" ({location.get('url', '')}:{location.get('lineNumber', '')})" if location.get("url") else ""
        self.errors.append(f"console error: {text[:600]}{where}")

    def _on_pageerror(self, error) -> None:
        self.errors.append(f"uncaught page error: {str(error)[:600]}")

    def clear(self) -> None:
        self.errors.clear()


def new_page(context):
    """A page with the init script installed and its console recorded (`page.console`)."""
    page = context.new_page()
    page.console = ConsoleLog(page)
    return page


def _state(page) -> dict:
    try:
        return page.evaluate(_STATE_JS)
    except Exception as exc:  # the page may be gone; the message must still be useful
        return {"error": str(exc)}


def runs_done(page) -> int:
    return page.evaluate("() => window.__e2e ? window.__e2e.runsDone : 0")


def wait_idle(page, min_runs: int = 1, timeout_ms: int = IDLE_TIMEOUT_MS, heading: str | None = None) -> None:
    """Wait until at least `min_runs` script runs finished in this document (and, with `heading`, the page titled so is
    shown) and the app is idle: connected, not running, no running indicator, nothing stale, something in the main
    area."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_IDLE_JS, arg=[min_runs, heading, SHOWN_AFTER_MS], timeout=timeout_ms, polling="raf")
    except PlaywrightTimeout:
        raise AssertionError(f"the app did not become idle within {timeout_ms} ms; state: {_state(page)}; "
                             f"problems so far: {page_problems(page)}") from None


def undrawn(page) -> list[str]:
    return page.evaluate(_UNDRAWN_JS)


def wait_drawn(page, timeout_ms: int = DRAWN_TIMEOUT_MS) -> None:
    """Wait until every visible plotly chart has drawn its SVG and every visible table has rows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"() => ({_UNDRAWN_JS})().length === 0", timeout=timeout_ms, polling="raf")
    except PlaywrightTimeout:
        problems = page_problems(page)
        raise AssertionError(f"not drawn within {timeout_ms} ms: {undrawn(page)}"
                             + (f"; problems: {problems}" if problems else "")) from None


def page_problems(page) -> list[str]:
    """Exception boxes, error alerts, console errors and uncaught errors seen on this page."""
    found = []
    try:
        found.extend(page.evaluate(_ERRORS_JS))
    except Exception as exc:
        found.append(f"could not inspect the page: {exc}")
    console = getattr(page, "console", None)
    found.extend(console.errors if console is not None else [])
    return found


def assert_no_problems(page, where: str = "") -> None:
    problems = page_problems(page)
    if problems:
        raise AssertionError(f"{where or page.url}: " + " | ".join(problems))


def counts(page) -> dict:
    return page.evaluate(_COUNTS_JS)


def check_page(page, where: str = "", drawn_timeout_ms: int = DRAWN_TIMEOUT_MS) -> dict:
    """The generic check, once the app is idle: no problems, everything drawn, and still no problems (a chart that
    fails in JavaScript logs while drawing). Returns what the page shows."""
    assert_no_problems(page, where)
    wait_drawn(page, timeout_ms=drawn_timeout_ms)
    settle(page)
    assert_no_problems(page, where)
    return counts(page)


def settle(page) -> None:
    """Let the browser paint twice and run what it queued (effects of freshly mounted components, e.g. scripts)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0))))")


@dataclass
class Visit:
    """One navigation: what the page shows and how long it took (milliseconds)."""
    url: str
    charts: int = 0
    dataframes: int = 0
    tables: int = 0
    first_chart_ms: float | None = None   # navigation start → first plotly SVG in the DOM (browser clock)
    drawn_ms: float | None = None         # navigation start → idle and everything drawn (test clock)
    extra: dict = field(default_factory=dict)


def wait_settled(page, min_runs: int, check: bool = True, drawn: bool = True, where: str = "",
                 drawn_timeout_ms: int = DRAWN_TIMEOUT_MS, heading: str | None = None) -> dict:
    """Wait until `min_runs` runs finished and the app is idle, then (with `check`) drawn and clean; if meanwhile
    another run started (a page that reruns itself: st.rerun, st.switch_page, a direct link that goes through app.py
    again), do it again, so that what is checked is the last run's page. Returns `counts`."""
    for _ in range(20):
        wait_idle(page, min_runs=min_runs, heading=heading)
        runs = runs_done(page)
        if check and drawn:
            shown = check_page(page, where, drawn_timeout_ms)
        else:
            if check:
                assert_no_problems(page, where)
            settle(page)
            shown = counts(page)
        state = _state(page)
        if state.get("runsDone") == runs and state.get("script") == "notRunning":
            return shown
        min_runs = runs + 1
    raise AssertionError(f"{where}: the app kept rerunning (20 runs in a row); state: {_state(page)}")


def open_page(page, url: str, drawn_timeout_ms: int = DRAWN_TIMEOUT_MS) -> Visit:
    """Navigate to `url` in a new document, wait idle and drawn, check it. Timings are measured, never asserted."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    shown = wait_settled(page, min_runs=1, where=url, drawn_timeout_ms=drawn_timeout_ms)
    drawn_ms = (time.perf_counter() - started) * 1000
    svg_times = shown.pop("svgTimes")
    return Visit(url=url, **shown, first_chart_ms=round(svg_times[0], 1) if svg_times else None,
                 drawn_ms=round(drawn_ms, 1))


def rerun_and_wait(page, action, drawn: bool = True, where: str = "", check: bool = True,
                   expect_path: str | None = None, heading: str | None = None) -> dict:
    """Do `action()` (a click, a selection…) that makes the app rerun, then wait for that new run to finish and, with
    `check`, for the page to be drawn and clean. Returns timings in ms: `first_chart_ms` (action → first new plotly
    SVG, browser clock, None when no chart was redrawn) and `drawn_ms` (action → idle and drawn, test clock).

    `check=False` is for journeys that expect an error on screen (a bad upload): they assert what they expect.
    `expect_path`: the action opens another page (a menu link, a button that calls st.switch_page, which takes a
    second run): wait for the URL to reach that path before waiting for the run to end. `heading`: the title of the
    page the action opens (see _IDLE_JS)."""
    before = runs_done(page)
    clicked_at = page.evaluate("() => performance.now()")
    started = time.perf_counter()
    action()
    if expect_path is not None:
        wanted = "/" + expect_path.strip("/")
        page.wait_for_url(lambda url: _path_of(url).rstrip("/") == wanted.rstrip("/") or _path_of(url) == wanted,
                          timeout=IDLE_TIMEOUT_MS, wait_until="commit")
    shown = wait_settled(page, min_runs=before + 1, check=check, drawn=drawn, where=where or page.url,
                         heading=heading)
    drawn_ms = (time.perf_counter() - started) * 1000
    later = [t for t in shown.get("svgTimes", []) if t >= clicked_at]
    return {"first_chart_ms": round(later[0] - clicked_at, 1) if later else None, "drawn_ms": round(drawn_ms, 1)}


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"


NAV_LINKS = '[data-testid="stSidebarNavLink"], [data-testid="stTopNavLink"], [data-testid="stTopNavDropdownLink"]'


def nav_link(page, app_page: AppPage):
    """The menu link to `app_page` (sidebar or top navigation)."""
    links = page.locator(NAV_LINKS)
    target = "/" + app_page.url_path if app_page.url_path else None
    for i in range(links.count()):
        link = links.nth(i)
        href = link.get_attribute("href") or ""
        path = "/" + href.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0].rstrip("/") if "://" in href else href
        if (target and path.rstrip("/").endswith(target)) or (not target and path in ("", "/")):
            return link
    return links.filter(has_text=app_page.title).first


def menu_titles(page) -> list[str]:
    """The page titles the menu shows, in order (without their icons)."""
    return [text.strip().splitlines()[-1].strip() if text.strip() else "" for text in page.locator(NAV_LINKS).all_inner_texts()]


def current_menu_title(page) -> str:
    current = ", ".join(f'{selector}[aria-current="page"]' for selector in NAV_LINKS.split(", "))
    text = page.locator(current).first.inner_text()
    return text.strip().splitlines()[-1].strip()


def switch_page(page, app_page: AppPage) -> dict:
    """Click the menu link to `app_page` and wait until it is shown and drawn. Returns timings (see rerun_and_wait)."""
    link = nav_link(page, app_page)
    return rerun_and_wait(page, link.click, where=f"page «{app_page.title}»", expect_path=app_page.url_path,
                          heading=app_page.title)


def full_page_screenshot(page, path: Path, width: int = VIEWPORT["width"]) -> None:
    """Streamlit scrolls inside its main area, so grow the viewport to the content, wait for the redraw, shoot."""
    height = page.evaluate("""() => {
      const main = document.querySelector('[data-testid="stMain"]');
      const block = document.querySelector('[data-testid="stMainBlockContainer"]');
      return Math.ceil(Math.max(main ? main.scrollHeight : 0, block ? block.getBoundingClientRect().bottom : 0));
    }""")
    page.set_viewport_size({"width": width, "height": max(int(height) + 40, 600)})
    wait_drawn(page)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # one painted frame
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    page.set_viewport_size(VIEWPORT)


# ------------------------------------------------------------------------------------------------------ interaction
def expand_all(page) -> int:
    """Open every collapsed expander of the main area, so that the charts and tables in them are drawn and checked
    too. Opening most is a frontend action; opening a section on demand (ui/sections.on_demand: its content runs only
    when opened) reruns the page, and that run is waited for. Returns how many were opened."""
    from ui.sections import ON_DEMAND

    summaries = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary')
    opened = 0
    for _ in range(100):  # an opened section may hold more expanders
        if not summaries.count():
            return opened
        summary = summaries.first  # the opened one leaves the selection
        # the key is on the expander's own wrapper: an expander inside an opened section on demand (a chart's «Dati
        # del grafico») is not one, and opening it runs nothing
        key = summary.evaluate(f"""s => {{
          const wrapper = s.closest('[data-testid="stExpander"]').parentElement;
          return wrapper ? Array.from(wrapper.classList).find(c => c.startsWith('st-key-{ON_DEMAND}')) || null : null;
        }}""")
        if key:
            _rerun_until(page, summary.click, _OPENED_JS, key, f"section on demand {key}")
        else:
            summary.click()
            # What it opens may grow for a while (a quoted code block loads its highlighter): the next summary moved
            # under a click that Playwright had aimed before, the click opened nothing, and the section on demand it
            # was meant for never ran (2 of 30 openings of Verifica, and a fresh-clone CI). A person clicks what they
            # see where it has come to rest: so does the test.
            wait_layout_still(page)
        opened += 1
    raise AssertionError("expanders kept appearing: 100 opened")


_STILL_JS = """(frames) => new Promise(resolve => {
  const size = () => {
    const block = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!block) return '';
    const box = block.getBoundingClientRect();
    return box.height + ':' + box.width;
  };
  let last = size(), same = 0;
  const step = () => {
    const now = size();
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= frames) resolve(true); else requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
})"""


def wait_layout_still(page, frames: int = 10, timeout_ms: int = DRAWN_TIMEOUT_MS) -> None:
    """Wait until the main area's size has not changed for `frames` painted frames in a row (about 160 ms)."""
    page.evaluate(f"([frames, timeout]) => Promise.race([({_STILL_JS})(frames), "
                  "new Promise((_, reject) => setTimeout(() => reject(new Error('layout still moving')), timeout))])",
                  [frames, timeout_ms])


def open_on_demand(page, key: str) -> None:
    """Open the section on demand whose key is `key` (without ui.sections.ON_DEMAND; ui/sections.on_demand) and wait
    for the run that draws its content. Nothing to do when it is open already."""
    from ui.sections import ON_DEMAND

    css = f"st-key-{ON_DEMAND}{key}"
    summary = page.locator(f'[data-testid="stMain"] .{css} details:not([open]) > summary')
    if summary.count():
        _rerun_until(page, summary.first.click, _OPENED_JS, css, f"section on demand {key}")


# A section on demand (its key's class) drew its content; a tab is chosen and its panel drew its content.
_OPENED_JS = """(key) => !!document.querySelector('.' + key + ' details[open] [data-testid="stElementContainer"]')"""
_TAB_SHOWN_JS = """([selector, label]) => {
  const tab = Array.from(document.querySelectorAll(selector)).find(t => t.innerText.trim() === label);
  if (!tab || tab.getAttribute('aria-selected') !== 'true') return false;
  return Array.from(document.querySelectorAll('[data-testid="stMain"] [role="tabpanel"]')).some(
    p => p.checkVisibility() && p.querySelector('[data-testid="stElementContainer"]'));
}"""


def _rerun_until(page, action, shown_js: str, arg, where: str) -> None:
    """Do `action` (it reruns the page), wait until `shown_js(arg)` says its result is drawn, then until the run it
    caused has ended and the app is idle. Its content shows while the run is still going: without waiting for that
    run's end (counted from the protocol, see INIT_SCRIPT), the next click landed during it, the end of the run put
    the section it opened back as the server had it, closed, and the click was lost (seen in a fresh-clone CI)."""
    before = runs_done(page)
    action()
    try:
        if shown_js == _OPENED_JS:
            _click_again_if_lost(page, action, arg, before)
        page.wait_for_function(shown_js, arg=arg, timeout=IDLE_TIMEOUT_MS, polling="raf")
    except Exception:
        raise AssertionError(f"{where}: not shown within {IDLE_TIMEOUT_MS} ms; runs done before the action: {before}; "
                             f"state: {_state(page)}; expanders: {_expanders(page)}") from None
    wait_settled(page, min_runs=before + 1, check=False, where=where)


# The section is still closed and no run started or is going: the click reached nothing.
_LOST_JS = """([key, before]) => !document.querySelector('.' + key + ' details[open]') && window.__e2e.runsDone === before &&
  !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')"""


def _click_again_if_lost(page, action, key: str, before: int, after_ms: int = 5000) -> None:
    """A click on a section's summary while the page still settled (the first page of a session, whose browser is
    also fetching and compiling the grid's code ahead: ui/documento.py) now and then opened nothing and started no
    run (a fresh-clone CI on Panoramica). After `after_ms` with nothing opened and no run, click once more, as a person
    who saw nothing happen would; a click that did register is never repeated (it would close the section)."""
    try:
        page.wait_for_function(_OPENED_JS, arg=key, timeout=after_ms, polling="raf")
    except Exception:
        if page.evaluate(_LOST_JS, [key, before]):
            wait_layout_still(page)
            action()


def _expanders(page) -> list:
    """Each expander of the main area: its wrapper's key class (if any), open or not, whether it holds content."""
    try:
        return page.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stMain"] [data-testid="stExpander"]')).map(e => {
          const key = e.parentElement ? Array.from(e.parentElement.classList).find(c => c.startsWith('st-key-')) : null;
          const details = e.querySelector('details');
          return [key, details ? details.open : null, !!e.querySelector('[data-testid="stElementContainer"]')];
        })""")
    except Exception as exc:
        return [f"could not inspect: {exc}"]


TABS = '[data-testid="stMain"] [role="tab"]'


def tab_labels(page) -> list[str]:
    """The labels of the tabs in the main area, in order."""
    return [t.strip() for t in page.locator(TABS).all_inner_texts()]


def open_tab(page, label: str) -> None:
    """Click the tab `label` and wait until its content is drawn and the app idle, then check the page (drawn and
    clean): the app's tabs are bound to the URL and run only the chosen one (pages/andamenti.py)."""
    tab = page.locator(TABS).filter(has_text=label).first
    if tab.get_attribute("aria-selected") != "true":  # a click on the tab already chosen runs nothing
        _rerun_until(page, tab.click, _TAB_SHOWN_JS, [TABS, label], f"tab «{label}»")
    check_page(page, f"tab «{label}»")


def select_option(page, label: str, option: "str | re.Pattern", search: str | None = None) -> dict:
    """Choose `option` (exact text or a pattern) in the selectbox labelled `label`; waits for the rerun and the redraw
    (see rerun_and_wait). The list only renders the options in view, so type `search` (default: the option's text)
    to bring it up, as a person would."""
    # Streamlit 1.67 draws selectboxes as react-aria comboboxes: address them by role and accessible name.
    box = page.get_by_role("combobox", name=label, exact=True).first
    search = search if search is not None else (option if isinstance(option, str) else None)

    def choose():
        box.click()
        if search:
            box.fill(search)
        page.get_by_role("listbox", name=label).get_by_role("option", name=option, exact=True).click()

    return rerun_and_wait(page, choose, where=f"selectbox «{label}» = {getattr(option, 'pattern', option)}")


def selected(page, label: str) -> str:
    """The text the selectbox labelled `label` shows ("" when nothing is chosen)."""
    return page.get_by_role("combobox", name=label, exact=True).first.input_value()


def click_button(page, name: "str | re.Pattern", **kwargs) -> dict:
    """Click the button named `name` (exact text or pattern) and wait for the rerun (see rerun_and_wait)."""
    button = page.get_by_role("button", name=name, exact=isinstance(name, str)).first
    return rerun_and_wait(page, button.click, where=f"button «{getattr(name, 'pattern', name)}»", **kwargs)


def download(page, name: "str | re.Pattern") -> tuple[str, bytes]:
    """Click the download button whose text matches `name` and return (file name, content) of what the browser saved.
    Download buttons carry an icon name in their text ("downloadCSV · 3 righe"): match with a pattern."""
    button = page.locator('[data-testid="stDownloadButton"]').get_by_role("button", name=name).first
    with page.expect_download(timeout=DRAWN_TIMEOUT_MS) as info:
        button.click()
    saved = info.value
    failure = saved.failure()
    if failure:
        raise AssertionError(f"download of «{saved.suggested_filename}» failed: {failure}")
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def headings(page, level: str = "h2") -> list[str]:
    """The headings of the main area (not the sidebar)."""
    return [t.strip() for t in page.locator(f'[data-testid="stMain"] {level}').all_inner_texts()]


def table_row_count(page, index: int = 0) -> int | None:
    """How many rows the `index`-th dataframe holds (all of them, also those scrolled out of view)."""
    return page.evaluate("""(index) => {
      const grid = document.querySelectorAll('[data-testid="stDataFrame"]')[index];
      const table = grid && grid.querySelector('table[role="grid"]');
      return table ? Number(table.getAttribute('aria-rowcount')) - 1 : null;
    }""", index)


def _cells_js(tables: str, rows: str, cells: str) -> str:
    """JS: the texts of the `cells` of each of the `rows` of the index-th element matching `tables` (null if none)."""
    return (f"(index) => {{ const table = document.querySelectorAll('{tables}')[index]; if (!table) return null; "
            f"return Array.from(table.querySelectorAll('{rows}')).map(row => "
            f"Array.from(row.querySelectorAll('{cells}')).map(cell => cell.innerText.trim())); }}")


_TABLE_CELLS_JS = _cells_js('[data-testid="stDataFrame"]', 'tbody [role="row"]', '[role="gridcell"]')
_PLAIN_TABLE_CELLS_JS = _cells_js('[data-testid="stMarkdownContainer"] > table', "tbody tr", "td")

_CHART_TEXTS_JS = r"""(index) => {
  const chart = document.querySelectorAll('[data-testid="stPlotlyChart"]')[index];
  if (!chart) return null;
  return Array.from(chart.querySelectorAll('svg text')).map(t => t.textContent.trim()).filter(Boolean);
}"""

_CHART_SIGNATURE_JS = r"""(index) => {
  const chart = document.querySelectorAll('[data-testid="stPlotlyChart"]')[index];
  if (!chart) return null;
  const marks = Array.from(chart.querySelectorAll('.plot path, .plot rect, .plot circle')).map(
    m => m.getAttribute('d') || [m.getAttribute('x'), m.getAttribute('y'), m.getAttribute('width'),
                                  m.getAttribute('height')].join(','));
  const texts = Array.from(chart.querySelectorAll('svg text')).map(t => t.textContent.trim());
  return JSON.stringify([texts, marks]);
}"""


_COLUMN_JS = r"""(a) => {
  const grid = document.querySelectorAll('[data-testid="stDataFrame"]')[a.index];
  if (!grid) return null;
  const headers = Array.from(grid.querySelectorAll('thead [role="columnheader"]')).map(
    h => h.innerText.trim().replace(/^[↑↓] /, ''));  // a sorted column's heading carries its arrow
  const position = headers.indexOf(a.name);
  if (position < 0) return null;
  return Array.from(grid.querySelectorAll('tbody [role="row"]')).map(
    row => (row.querySelectorAll('[role="gridcell"]')[position] || {innerText: ''}).innerText.trim());
}"""


def column(page, name: str, index: int = 0) -> list[str] | None:
    """The values of the column headed `name` in the `index`-th dataframe, as far as the grid renders them (the rows
    and columns in view; None when the column is not in view)."""
    return page.evaluate(_COLUMN_JS, {"index": index, "name": name})


def sort_ascending(page, name: str, index: int = 0) -> None:
    """Click the heading `name` of the `index`-th dataframe, as a person sorts a column. The grid draws its headings
    on a canvas: step along the heading row until that column is the one sorted, ascending (its first click)."""
    grid = page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    sorted_heading = """(a) => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')[a.index]
        .querySelectorAll('thead [role="columnheader"]')).map(h => h.innerText.trim()).find(t => /^[↑↓] /.test(t)) || null"""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for x in range(12, int(box["width"]), 30):
        before = page.evaluate(sorted_heading, {"index": index})
        page.mouse.click(box["x"] + x, box["y"] + 17)
        try:  # a click on the border between two headings sorts nothing
            page.wait_for_function(f"(a) => ({sorted_heading})(a) !== a.before",
                                   arg={"index": index, "before": before}, timeout=2_000, polling="raf")
        except PlaywrightTimeout:
            continue
        now = page.evaluate(sorted_heading, {"index": index})
        if now == f"↑ {name}":
            return
    raise AssertionError(f"no heading «{name}» to sort in table #{index + 1}")


def wait_column(page, name: str, expected: list[str], index: int = 0, timeout_ms: int = DRAWN_TIMEOUT_MS) -> None:
    """After a rerun the grid shows its new rows a moment later: wait until column `name` reads `expected`."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(f"(a) => JSON.stringify(({_COLUMN_JS})(a)) === JSON.stringify(a.expected)",
                               arg={"index": index, "name": name, "expected": expected}, timeout=timeout_ms,
                               polling="raf")
    except PlaywrightTimeout:
        raise AssertionError(f"column «{name}» of table #{index + 1} reads {column(page, name, index)}, "
                             f"expected {expected}") from None


def wait_row_count(page, expected: int, index: int = 0, timeout_ms: int = DRAWN_TIMEOUT_MS) -> None:
    """Wait until the `index`-th dataframe holds `expected` rows (see table_row_count)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("""(a) => {
          const grid = document.querySelectorAll('[data-testid="stDataFrame"]')[a.index];
          const table = grid && grid.querySelector('table[role="grid"]');
          return !!table && Number(table.getAttribute('aria-rowcount')) - 1 === a.expected;
        }""", arg={"index": index, "expected": expected}, timeout=timeout_ms, polling="raf")
    except PlaywrightTimeout:
        raise AssertionError(f"table #{index + 1} has {table_row_count(page, index)} rows, expected {expected}") from None


def table_cells(page, index: int = 0) -> list[list[str]] | None:
    """The rendered rows of the `index`-th dataframe (the grid's accessible table: the rows in view)."""
    return page.evaluate(_TABLE_CELLS_JS, index)


def plain_table_cells(page, index: int = 0) -> list[list[str]] | None:
    """The rows of the `index`-th plain table (ui/tables.plain: a Markdown table), as a person reads them."""
    return page.evaluate(_PLAIN_TABLE_CELLS_JS, index)


def chart_texts(page, index: int = 0) -> list[str] | None:
    """The texts drawn in the `index`-th plotly chart (ticks, legend, annotations): what a person reads on it."""
    return page.evaluate(_CHART_TEXTS_JS, index)


def chart_signature(page, index: int = 0) -> str | None:
    """A fingerprint of what the `index`-th chart draws (texts and mark geometry), to see that it changed."""
    return page.evaluate(_CHART_SIGNATURE_JS, index)


def _wait_changed(page, getter_js: str, index: int, before, what: str, timeout_ms: int) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            f"(a) => {{ const now = ({getter_js})(a.index); "
            f"return now !== null && JSON.stringify(now) !== JSON.stringify(a.before); }}",
            arg={"index": index, "before": before}, timeout=timeout_ms, polling="raf")
    except PlaywrightTimeout:
        raise AssertionError(f"{what} #{index + 1} did not change within {timeout_ms} ms") from None


def wait_table_changed(page, before, index: int = 0, timeout_ms: int = DRAWN_TIMEOUT_MS) -> list[list[str]]:
    """After a rerun the grid redraws its rows a little later: wait until they differ from `before`, return them."""
    _wait_changed(page, _TABLE_CELLS_JS, index, before, "table", timeout_ms)
    return table_cells(page, index)


def wait_chart_changed(page, before, index: int = 0, timeout_ms: int = DRAWN_TIMEOUT_MS) -> str:
    """Wait until the `index`-th chart's signature differs from `before` (see chart_signature); return it."""
    _wait_changed(page, _CHART_SIGNATURE_JS, index, before, "chart", timeout_ms)
    return chart_signature(page, index)


# --------------------------------------------------------------------------------------------------- accessibility
# axe-core (bundled by axe-playwright-python) with the rules of WCAG 2.1 A and AA, what Legge 4/2004 asks of a public
# administration's software.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}


def axe_violations(page, impacts=SERIOUS) -> list[str]:
    """axe-core's violations of WCAG 2.1 A/AA on the page as drawn now, one line each (rule, impact, where)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in impacts:
            where = "; ".join(str(node["target"][-1])[-80:] for node in violation["nodes"][:3])
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): {violation['help']} — {where}")
    return found


def url_query(page) -> dict[str, str]:
    """The query parameters of the page's address (the link a person would copy)."""
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


# Plotly draws its words as SVG <text>: two that overlap, or one that sticks out of its chart, is what a person sees as
# an unreadable label. Rotated texts are measured by their bounding box too.
_OVERLAPS_JS = r"""(tolerance) => {
  const out = [];
  document.querySelectorAll('[data-testid="stPlotlyChart"]').forEach((chart, index) => {
    const svg = chart.querySelector('.main-svg');
    if (!svg) return;
    const frame = svg.getBoundingClientRect();
    const boxes = Array.from(chart.querySelectorAll('svg text')).filter(t => t.textContent.trim() &&
        getComputedStyle(t).visibility !== 'hidden' && getComputedStyle(t).opacity !== '0')
      .map(t => ({text: t.textContent.trim(), box: t.getBoundingClientRect()}))
      .filter(({box}) => box.width > 0 && box.height > 0);
    // a legend cuts an entry to its own box (a clip path): a name wider than the box is cut
    const legend = chart.querySelector('.legend rect.bg');
    const legendBox = legend ? legend.getBoundingClientRect() : null;
    for (const t of chart.querySelectorAll('.legend text')) {
      const box = t.getBoundingClientRect();
      if (legendBox && box.width > 0 && box.right > legendBox.right + tolerance)
        out.push(`chart #${index + 1}: legend entry «${t.textContent.trim()}» is cut by the legend's edge`);
    }
    for (const {text, box} of boxes) {
      if (box.left < frame.left - tolerance || box.right > frame.right + tolerance ||
          box.top < frame.top - tolerance || box.bottom > frame.bottom + tolerance)
        out.push(`chart #${index + 1}: «${text}» sticks out of the chart`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].box, b = boxes[j].box;
        const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (x > tolerance && y > tolerance)
          out.push(`chart #${index + 1}: «${boxes[i].text}» overlaps «${boxes[j].text}»`);
      }
    }
  });
  return out;
}"""


def overlapping_chart_texts(page, tolerance: float = 1.0) -> list[str]:
    """Every pair of words drawn over each other in a plotly chart, every word cut by its chart's edge, every legend
    entry cut by the legend's."""
    return page.evaluate(_OVERLAPS_JS, tolerance)
