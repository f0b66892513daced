"""The store as the pages see it: one connection per server process, a cursor per query, results cached on the
data version so that switching pages re-runs nothing and an import refreshes everything.

The connection comes from cruscotto.opening: a missing store is rebuilt from its archive or refused, never silently
replaced by data/ alone; a failure to open it (locked, corrupt, unreadable) is shown here in Italian and the page
stops. What the user must know about the store (rebuilt, newly created, read-only) is shown on every page by
ui/store_status.py.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cruscotto import store
from cruscotto.pipeline import opening
from cruscotto.store import queries, versions
from cruscotto.store.errors import StoreError
from ui.store_status import stop_with


def connection():
    """The shared connection to the store named by CRUSCOTTO_DB (or the default)."""
    return opened().con


def opened() -> opening.Opened:
    """The store as opened for this server process; opened again when its file was deleted or replaced meanwhile
    (so that a deleted store is rebuilt and said, not served from a file that no longer exists)."""
    path = str(store.db_path())
    try:
        result = _opened(path)
        if not result.still_there():
            with versions.WRITE_LOCK:  # not in the middle of another session's upload
                _opened.clear()
                # Close it now: closing checkpoints into the deleted file and removes its log (.wal) BY NAME, which
                # must happen before a new store with its own log stands at the same path.
                result.close()
            result = _opened(path)
    except StoreError as exc:
        stop_with(str(exc))
    return result


@st.cache_resource(show_spinner=False)
def _opened(path: str) -> opening.Opened:
    return opening.open_for_app(path)


def data_version() -> int:
    cur = connection().cursor()
    try:
        return store.data_version(cur)
    finally:
        cur.close()


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/NAME.sql with bound parameters; cached until the data change."""
    return _cached(name, tuple(sorted(params.items())), data_version(), str(store.db_path())).copy()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    return queries.run(connection(), name, dict(params))
