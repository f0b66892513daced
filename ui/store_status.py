"""The store's state on every page, in Italian: what happened when it was opened (rebuilt from the archive, created
new, read-only), and a store failure met while a page runs (a damaged block, a full disk) as a message with what to
do instead of Streamlit's generic English error. app.py wraps the pages in `guard()`."""
from __future__ import annotations

import contextlib
import re

import duckdb
import streamlit as st

from cruscotto import store
from cruscotto.store_errors import StoreError, describe


def plain(text: str) -> str:
    """Paths and file names shown as they are, not as markdown (an underscore would start italics)."""
    return re.sub(r"([\\`*_\[\]<>~$|#])", r"\\\1", text)


def stop_with(text: str) -> None:
    st.error(plain(text), icon="🛑")
    st.stop()


@contextlib.contextmanager
def guard():
    """Show the store's notices, then run the block; a store failure inside it becomes an Italian message."""
    from ui.data import opened  # ui.data imports this module

    for notice in opened().notices:
        (st.warning if notice.level == "warning" else st.info)(plain(notice.text))
    try:
        yield
    except StoreError as exc:
        stop_with(str(exc))
    except duckdb.Error as exc:
        text = describe(exc, store.db_path(), "la lettura dei dati")
        if text is None:
            raise
        stop_with(text)
