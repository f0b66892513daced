"""The store's state on every page, in Italian: what happened when it was opened (rebuilt from the archive, created
new, read-only), and a store failure met while a page runs (a damaged block, a full disk) as a message with what to
do instead of Streamlit's generic English error. app.py wraps the pages in `guard()`."""
from __future__ import annotations

import contextlib

import duckdb
import streamlit as st

from cruscotto import store
from cruscotto.present import text
from cruscotto.store.errors import StoreError, describe


def stop_with(message: str) -> None:
    st.error(text.md(message), icon="🛑")
    st.stop()


@contextlib.contextmanager
def guard():
    """Show the store's notices, then run the block; a store failure inside it becomes an Italian message."""
    from ui.data import opened  # ui.data imports this module

    for notice in opened().notices:
        (st.warning if notice.level == "warning" else st.info)(text.md(notice.text))
    try:
        yield
    except StoreError as exc:
        stop_with(str(exc))
    except duckdb.Error as exc:
        message = describe(exc, store.db_path(), "la lettura dei dati")
        if message is None:
            raise
        stop_with(message)
