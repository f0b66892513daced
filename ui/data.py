"""The store as the pages see it: one connection per server process, a cursor per query, results cached on the
data version so that switching pages re-runs nothing and an import refreshes everything.

The connection comes from cruscotto.opening: a missing store is rebuilt from its archive or refused, never silently
replaced by data/ alone; a failure to open it (locked, corrupt, unreadable) is shown here in Italian and the page
stops. What the user must know about the store (rebuilt, newly created, read-only) is shown on every page by
ui/store_status.py.

Any page but «Carica dati» can show the data as they were at an earlier version (sidebar «Dati come alla versione»,
ui/versione.py): `query` and `reading_connection` then read an in-memory copy of that state (store.snapshot), so a
Relazione as approved can be shown again after later corrections. Nothing can be written to it.
"""
from __future__ import annotations

import contextvars
import hashlib
import pickle
from contextlib import contextmanager

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


# One run of a page reads one version (one_version_per_run): a read transaction is opened at the run's first read
# and every query the run needs that is not cached runs in it, so the sidebar, the page and the cache key all see the
# same version even when an import commits meanwhile (DuckDB gives a transaction a snapshot). Without it a page of
# 30 people at once mixed the old year range with the new series during an import (bench/bench_load.py), and
# could cache the new version's rows under the old version's key. Every write in the app (an import, a rollback, an
# annotation) is followed by st.rerun(), so the next run reads the new version.
_RUN: contextvars.ContextVar[list | None] = contextvars.ContextVar("lettura_della_esecuzione", default=None)


@contextmanager
def one_version_per_run():
    """Within it (one run of a page: ui.page.run), every read of the current data happens in one read transaction,
    opened on first use, and the version is asked once."""
    token = _RUN.set([])
    try:
        yield
    finally:
        opened_here = _RUN.get()
        _RUN.reset(token)
        if opened_here:
            _close(opened_here[1])


def _close(cur) -> None:
    try:
        cur.execute("ROLLBACK")
    except Exception:  # noqa: BLE001 - the store was closed or replaced meanwhile: nothing left to end
        pass
    finally:
        cur.close()


def _run_reading() -> tuple[int, object] | None:
    """(version, cursor in its read transaction) of this run, opened now if needed; None outside a run."""
    run = _RUN.get()
    if run is None:
        return None
    if not run:
        cur = connection().cursor()
        cur.execute("BEGIN TRANSACTION")
        run.extend([store.data_version(cur), cur])
    return run[0], run[1]


def current_version() -> int:
    """The latest version of the store (what «Carica dati» writes on); within a run, the one the run reads."""
    reading = _run_reading()
    if reading is not None:
        return reading[0]
    cur = connection().cursor()
    try:
        return store.data_version(cur)
    finally:
        cur.close()


# ------------------------------------------------------------------ «come alla versione N» (issue 16)

VIEWED = "versione"  # key (and URL parameter) of the sidebar's «Dati come alla versione»; 0 = the current data


def viewed_version() -> int | None:
    """The earlier version the pages show, read-only, when one is chosen in the sidebar (ui/versione.py); None: the
    current data."""
    chosen = st.session_state.get(VIEWED)
    if not isinstance(chosen, int) or chosen <= 0:
        return None
    return chosen if chosen < current_version() else None


def data_version() -> int:
    """The version the pages show: the chosen earlier one, or the latest. Every cached result is keyed on it (the
    state at version N never changes, so the same key serves the current data and a look back at it)."""
    return viewed_version() or current_version()


def reading_connection():
    """Where the pages read: the store (within a run, the run's read transaction: queries.run accepts it), or (a
    version chosen) the store as it was then, in memory."""
    version = viewed_version()
    if version is not None:
        return _snapshot(str(store.db_path()), version)
    return current_reading_connection()


def current_reading_connection():
    """The current data as this run reads them (its read transaction, which every function taking a connection
    accepts: queries.InTransaction), whatever version the sidebar shows: what «Carica dati» reads, so that its list
    of versions, its previews and the version it writes on are one version (only the write itself goes to
    `connection()`). Outside a run, the store."""
    reading = _run_reading()
    return connection() if reading is None else queries.InTransaction(reading[1])


@st.cache_resource(show_spinner="Ricostruzione dei dati della versione scelta…", max_entries=3)
def _snapshot(path: str, version: int):
    return store.snapshot(connection(), version)


def query(name: str, **params) -> pd.DataFrame:
    """Run queries/NAME.sql with bound parameters on the data the pages show; cached until the data change. The
    caller may change what it gets: it is its own copy (pandas copies on write), the cached rows stay as they were."""
    return _cached(name, tuple(sorted(params.items())), data_version(), str(store.db_path())).copy(deep=False)


# One frame per query, parameters and version, shared by every session: each call gets a shallow copy (copy on write:
# a change made by a page copies what it changes, never the cached frame). st.cache_data would unpickle a new frame
# on every call, and every page calls 10-25 queries (bench/bench_load.py: server CPU per page).
@st.cache_resource(show_spinner=False, max_entries=512)
def _cached(name: str, params: tuple, version: int, path: str) -> pd.DataFrame:
    return queries.run(reading_connection(), name, dict(params))


def fingerprint(*values) -> str:
    """A digest of what `values` hold (frames included), for the key of a cache that must not hash them itself.

    Streamlit hashes a frame argument of a cached function cell by cell (pandas' hash_pandas_object): 1,3-2,8 ms even
    for the 4-26 rows of a page here, on every call; pickling it and digesting the bytes takes 0,06-0,3 ms. Equal
    digests mean equal pickles, so equal contents: a cache never gives the result of other inputs. Equal contents laid
    out differently in memory may give two digests: then the cache builds the same thing twice, nothing worse."""
    return hashlib.blake2b(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).hexdigest()
