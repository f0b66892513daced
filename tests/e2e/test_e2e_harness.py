"""The harness itself: it must fail a broken page, for the right reason, and pass a healthy one.

Runs against tests/e2e/fixtures/broken_app.py (one healthy page, one page per way of breaking), on its own server.
"""
from __future__ import annotations

import urllib.error
import urllib.request

import harness
import pytest

BROKEN_APP = harness.FIXTURES / "broken_app.py"


@pytest.fixture(scope="module")
def broken_server(chromium, tmp_path_factory):
    with harness.StreamlitServer(BROKEN_APP, log_dir=tmp_path_factory.mktemp("broken-logs")) as server:
        yield server


def test_discovers_the_pages_an_app_registers():
    pages = harness.recorded_pages(BROKEN_APP)
    assert [(p.title, p.url_path, p.default) for p in pages] == [
        ("Sano", "", True), ("Eccezione", "eccezione", False), ("Errore", "errore", False),
        ("Console", "console", False), ("Tabella vuota", "tabella_vuota", False),
    ]


def test_app_py_registers_exactly_the_listed_pages():
    pages = harness.discover_pages()  # ui/pages_spec.py
    assert pages and sum(p.default for p in pages) == 1
    assert harness.recorded_pages(harness.APP) == pages


def test_healthy_page_passes_and_is_measured(broken_server, page):
    visit = harness.open_page(page, broken_server.page_url(""))
    assert (visit.charts, visit.dataframes) == (1, 1)
    assert harness.table_cells(page) == [["2019", "89.1"]]
    assert visit.first_chart_ms is not None and visit.drawn_ms is not None  # measured, not judged


@pytest.mark.parametrize(("url_path", "reason"), [
    # .streamlit/config.toml sets showErrorDetails = "none": the box shows a generic message, never the traceback
    ("eccezione", "exception box: "),
    ("errore", "error alert: Il file non è valido"),
    ("console", "console error: rotto apposta nella console"),
    ("tabella_vuota", "dataframe #1 .*has no rows"),
])
def test_broken_page_fails_for_the_right_reason(broken_server, page, url_path, reason):
    with pytest.raises(AssertionError, match=reason):
        harness.open_page(page, broken_server.page_url(url_path), drawn_timeout_ms=3_000)
    page.console.clear()  # seen and expected: the page fixture must not report it again


def test_a_changed_filter_is_waited_for(broken_server, page):
    """rerun_and_wait waits for the new run and its drawing, not for the state the page was already in."""
    harness.open_page(page, broken_server.page_url(""))
    table, chart = harness.table_cells(page), harness.chart_signature(page)
    harness.select_option(page, "Anno", "2018")
    assert harness.wait_table_changed(page, table) == [["2018", "88.9"]]
    harness.wait_chart_changed(page, chart)
    assert "anno 2018" in harness.chart_texts(page)


def test_runs_are_counted_from_the_protocol_once_each(broken_server, page):
    """The count the waits rely on: one per finished run, read from the websocket (a DOM-based count once missed a
    quick run, and a test waited 60 s on an idle page)."""
    harness.open_page(page, broken_server.page_url(""))
    assert harness.runs_done(page) == 1
    harness.select_option(page, "Anno", "2018")  # waits for the run it causes
    assert harness.runs_done(page) == 2
    assert harness.selected(page, "Anno") == "2018"


def test_the_protocol_constants_are_streamlits():
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    field = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"]
    assert field.number == harness.SCRIPT_FINISHED_FIELD and field.containing_oneof is not None
    assert ForwardMsg.FINISHED_EARLY_FOR_RERUN == harness.FINISHED_EARLY_FOR_RERUN


def test_menu_switch_to_a_broken_page_fails(broken_server, page):
    pages = harness.recorded_pages(BROKEN_APP)
    harness.open_page(page, broken_server.page_url(""))
    assert harness.menu_titles(page) == [p.title for p in pages]
    with pytest.raises(AssertionError, match="exception box"):
        harness.switch_page(page, pages[1])
    page.console.clear()
    assert page.url.rstrip("/").endswith("/eccezione")


def test_server_is_stopped_whatever_happens(chromium, tmp_path):
    """An exception inside the `with` still stops the server and frees its port."""
    server = harness.StreamlitServer(BROKEN_APP, log_dir=tmp_path)
    with pytest.raises(RuntimeError, match="test failed here"):
        with server:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5) as response:
                assert response.status == 200
            process = server.process
            raise RuntimeError("test failed here")
    assert process.poll() is not None
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2)


def test_missing_browser_skips_with_instructions_but_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setattr(harness, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.delenv("CI", raising=False)
    action, message = harness.missing_browser()
    assert action == "skip" and "apt-get install chromium" in message
    monkeypatch.setenv("CI", "true")
    action, message = harness.missing_browser()
    assert action == "fail" and "apt-get install chromium" in message
