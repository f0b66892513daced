"""Browser-test fixtures: one Streamlit server and one chromium per test session, a fresh browser context per test.

- No chromium: the browser tests skip and say how to enable them; under CI (`CI=true`) that is a failure.
- The server runs `app.py` against a private copy of the store built from data/ (fixture `shipped_store`), with
  usage stats off, and is stopped at the end whatever happens.
- Timings (navigation → first chart, page switches) are collected in `timings`, printed at the end of the run and
  written to tests/e2e/timings.json (git-ignored). They are reported, never asserted.
"""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

import harness
import pytest

E2E_DIR = Path(__file__).resolve().parent
TIMINGS_FILE = E2E_DIR / "timings.json"
FAILURES_DIR = harness.ROOT / "test-results" / "e2e"

TIMINGS: dict = {"pages": {}, "page_switches": {}, "journeys": {}}


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser test (chromium + a Streamlit server); deselect with -m 'not e2e'")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


_DISCOVERED: list = []


def _discovered():
    """app.py's pages, discovered once per run; the exception instead when app.py cannot even declare them."""
    if not _DISCOVERED:
        try:
            _DISCOVERED.append(harness.discover_pages())
        except Exception as exc:  # reported by the tests that need the pages, not as a collection error
            _DISCOVERED.append(exc)
    return _DISCOVERED[0]


def pytest_generate_tests(metafunc):
    """Every page registered in app.py becomes one case of any test taking `app_page`."""
    if "app_page" in metafunc.fixturenames:
        pages = _discovered()
        if isinstance(pages, Exception):
            metafunc.parametrize("app_page", [pages], ids=["app-py-broken"], indirect=True)
        else:
            metafunc.parametrize("app_page", pages, ids=[p.name for p in pages], indirect=True)


@pytest.fixture
def app_page(request):
    if isinstance(request.param, Exception):
        pytest.fail(f"cannot list the pages of app.py: {request.param}", pytrace=False)
    return request.param


@pytest.fixture(scope="session")
def app_pages():
    pages = _discovered()
    if isinstance(pages, Exception):
        pytest.fail(f"cannot list the pages of app.py: {pages}", pytrace=False)
    return pages


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# --------------------------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def chromium() -> str:
    missing = harness.missing_browser()
    if missing is not None:
        action, message = missing
        if action == "fail":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return harness.chromium_path()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = harness.launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser, tmp_path):
    context = _new_context(browser)
    try:
        yield context
    finally:
        context.close()


def _new_context(browser):
    context = browser.new_context(viewport=harness.VIEWPORT, locale="it-IT", timezone_id="Europe/Rome",
                                  accept_downloads=True)
    context.add_init_script(harness.INIT_SCRIPT)
    return context


@pytest.fixture
def other_browser(browser):
    """A factory of pages in a new browser context each: another person, who received a link (no shared state)."""
    contexts = []

    def open_other():
        contexts.append(_new_context(browser))
        return harness.new_page(contexts[-1])

    yield open_other
    for context in contexts:
        errors = [e for p in context.pages for e in getattr(p, "console", None).errors] if context.pages else []
        context.close()
        if errors:
            pytest.fail("browser console errors in the other browser: " + " | ".join(errors), pytrace=False)


@pytest.fixture
def page(context, request):
    page = harness.new_page(context)
    yield page
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False) for when in ("setup", "call"))
    if not failed and page.console.errors:
        # Errors logged after the test's last check (late scripts, a failing download…) still fail the test.
        pytest.fail("browser console errors during the test: " + " | ".join(page.console.errors), pytrace=False)
    if failed and not page.is_closed():
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        try:
            page.screenshot(path=str(FAILURES_DIR / f"{name}.png"), full_page=True)
        except Exception:
            pass


# ---------------------------------------------------------------------------------------------------------- server
@pytest.fixture(scope="session")
def app_store(shipped_store, tmp_path_factory) -> Path:
    """The server's own copy of the store built from data/ (the tests never touch data/cruscotto.duckdb)."""
    path = tmp_path_factory.mktemp("e2e-store") / "cruscotto.duckdb"
    shutil.copy(shipped_store, path)
    return path


@pytest.fixture(scope="session")
def app_server(chromium, app_store, tmp_path_factory):
    """`streamlit run app.py` for the whole session (started only if a browser is there to use it)."""
    server = harness.StreamlitServer(harness.APP, db_path=app_store, log_dir=tmp_path_factory.mktemp("e2e-logs"),
                                     extra_env=harness.LOCAL_MODE)
    with server:
        yield server
    if server.log_path.exists():
        text = server.log_path.read_text(errors="replace")
        if "Traceback" in text:
            print(f"\n[e2e] the app server logged a traceback:\n{server.log_tail(60)}")


# --------------------------------------------------------------------------------------------------------- timings
@pytest.fixture(scope="session")
def timings():
    return TIMINGS


def _versions() -> dict:
    versions = {"python": platform.python_version()}
    for module in ("streamlit", "playwright", "plotly"):
        try:
            from importlib.metadata import version

            versions[module] = version(module)
        except Exception:
            pass
    return versions


def pytest_sessionfinish(session, exitstatus):
    if not any(TIMINGS.values()):
        return
    document = {
        "note": "Measured by the browser tests (tests/e2e); reported, never asserted. Milliseconds.",
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(), "chromium": harness.CHROMIUM},
        "versions": _versions(),
        **TIMINGS,
    }
    TIMINGS_FILE.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def pytest_terminal_summary(terminalreporter):
    if not any(TIMINGS.values()):
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser timings (ms, reported not asserted)")
    for name, visit in TIMINGS["pages"].items():
        write(f"open    {name:<36} first chart {_ms(visit.get('first_chart_ms'))}  drawn {_ms(visit.get('drawn_ms'))}")
    for name, switch in TIMINGS["page_switches"].items():
        write(f"switch  {name:<36} first chart {_ms(switch.get('first_chart_ms'))}  drawn {_ms(switch.get('drawn_ms'))}")
    for name, value in TIMINGS["journeys"].items():
        write(f"journey {name:<36} first chart {_ms(value.get('first_chart_ms'))}  drawn {_ms(value.get('drawn_ms'))}")
    write(f"written to {TIMINGS_FILE.relative_to(harness.ROOT)}")


def _ms(value) -> str:
    return f"{value:>8.0f}" if isinstance(value, (int, float)) else f"{'—':>8}"
