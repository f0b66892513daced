"""Shared fixtures: every test works on its own copy of a store built from data/, never on data/cruscotto.duckdb;
`app` is the one way tests open a page under AppTest (helpers to read it: tests/builders/apptest.py)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cruscotto import auth, pipeline, store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shipped_store(tmp_path_factory) -> Path:
    """A store built once per test session from the shipped data/ (read it, do not write it)."""
    path = tmp_path_factory.mktemp("shipped") / "cruscotto.duckdb"
    result = pipeline.build(path)
    assert result.ok, [str(p) for p in result.validated.errors]
    return path


@pytest.fixture
def db_path(shipped_store, tmp_path, monkeypatch) -> Path:
    """A private copy of the shipped store; CRUSCOTTO_DB points at it (for the CLI and the app)."""
    path = tmp_path / "cruscotto.duckdb"
    shutil.copy(shipped_store, path)
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    return path


@pytest.fixture
def con(db_path):
    connection = store.connect(db_path)
    yield connection
    connection.close()


@pytest.fixture
def app(db_path, monkeypatch, tmp_path):
    """open(page=None, **query_params) -> AppTest after one run of that page (pages/x.py, or None for the default),
    through app.py, as if the URL had been typed; Streamlit's exception box fails the test.

    The store is `db_path` (a test module may override that fixture to give another store). The editor works in
    local single-user mode as `make run` sets it; a test that sets a password hash gets the login form."""
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    from builders.apptest import RecordingManager, RecordingStorage, run

    # AppTest resets PagesManager.uses_pages_directory on every run and, because a pages/ folder exists, would run a
    # switched-to page on its own (Streamlit's old multipage mode). The real server leaves that mode as soon as
    # app.py calls st.navigation (ui/page.leave_old_multipage_mode); do the same here so every run goes through app.py.
    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", RecordingStorage)
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingManager)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")
    monkeypatch.setattr(auth, "SECRETS_PATH", tmp_path / "secrets.toml")  # not the developer's own secrets
    # failed logins of one test never slow down the next (the counters are process-wide)
    monkeypatch.setattr(auth, "SESSION_THROTTLE", auth.LoginThrottle(free=3))
    monkeypatch.setattr(auth, "GLOBAL_THROTTLE", auth.LoginThrottle(free=10))
    monkeypatch.setattr(auth, "USER_THROTTLE", auth.LoginThrottle(free=5))

    def open_page(page: str | None = None, **query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params.update(query)
        if page:
            at.switch_page(page)
        return run(at)

    return open_page

