"""Shared fixtures: every test works on its own copy of a store built from data/, never on data/cruscotto.duckdb."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cruscotto import pipeline, store

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
