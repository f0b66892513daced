"""The store as the pages see it: one connection per server process, a cursor per query, results cached on the
data version so that switching pages re-runs nothing and an import refreshes everything."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cruscotto import queries, store


def connection():
    """The shared connection to the store named by CRUSCOTTO_DB (or the default), built from data/ if empty."""
    return _connection(str(store.db_path()))


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    con = store.connect(path)
    store.ensure_built(con)
    return con


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
