"""What every page does before its own content, written once: app.py registers the pages (ui/pages_spec.py) and
runs the chosen one with `run()`; the page starts with `selection = page.start()`.

`start()` follows a page change a callback asked for, reads the shared filters, draws the page's title and the line
that says which data it shows, and stops the page when the store holds no data yet; `areas()` is the next step of the
pages about the plan (the areas of the chosen year, or a message and a stop).
"""
from __future__ import annotations

import contextlib
import contextvars
import functools

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from cruscotto.present import text
from ui import banner, data, filters, sections, versione
from ui.pages_spec import FORWARDS, PAGES, PageSpec, by_url_path

_RESTARTED = "_cruscotto_riavviata"
_FURNISHED = "_cruscotto_arredata"  # a run of this session has ended with the document's scripts sent
_RUNNING: contextvars.ContextVar[PageSpec | None] = contextvars.ContextVar("pagina_in_corso", default=None)


@contextlib.contextmanager
def first_run_of_session():
    """`with page.first_run_of_session() as first:` around app.py's run; `first` is whether the document's own scripts
    (ui/documento.py, ui/printing.py) must be sent: at the session's first run, and again until one run has ended.

    What they install (lang="it", the Italian words, the print stylesheet and listeners) stays in the browser's window
    for the whole session, each guarded by its own flag there. Sent at every run they were three more elements that
    the browser drew again at every page switch (its Html element sanitises each with DOMPurify, then React mounts
    it). A run interrupted by another (st.rerun, st.switch_page, a click during the run: Streamlit's
    RerunException) may not have reached the browser, so only a run that ended (normally or with st.stop) counts."""
    first = not st.session_state.get(_FURNISHED, False)
    try:
        yield first
    except StopException:  # st.stop(): the run ended as the page meant
        st.session_state[_FURNISHED] = True
        raise
    st.session_state[_FURNISHED] = True


def navigation():
    """st.navigation over the pages of ui/pages_spec.py, in that order (call once, from app.py)."""
    pages = {p.url_path: st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
             for p in PAGES}
    forwards = [st.Page(functools.partial(filters.forward_to, pages[target]), title=by_url_path(target).title,
                        url_path=address, visibility="hidden") for address, target in FORWARDS.items()]
    return st.navigation([*pages.values(), *forwards])


def run(current) -> None:
    """Draw the sidebar's choices for the chosen page (the data version first: the filters read the data it chooses),
    then run the page (an Italian message if it fails); the whole run reads one data version, asked once."""
    spec = by_url_path(current.url_path)
    with data.one_version_per_run():
        versione.sidebar(spec)
        filters.sidebar(spec)
        token = _RUNNING.set(spec)
        try:
            sections.run_page(current)
        finally:
            _RUNNING.reset(token)


def start(*, needs_data: bool = True) -> filters.Selection:
    """The top of a page: its title, and the data line under it; stop here when there are no data (`needs_data`)."""
    spec = _RUNNING.get()
    if spec is None:  # the script runs without app.py: see leave_old_multipage_mode
        leave_old_multipage_mode()
    filters.follow_pending_navigation()
    selection = filters.current()
    st.title(spec.title if spec else "")
    if needs_data and not banner.show(selection):
        st.stop()
    return selection


def areas(selection: filters.Selection) -> pd.DataFrame:
    """The areas strategiche of the chosen ente and anno with their counts (queries/riepilogo_aree.sql); when there
    are none the page says so and stops."""
    summary = data.query("riepilogo_aree", **selection.params("ente", "anno"))
    if summary.empty:
        st.info(f"Nessuna area strategica per {text.md(selection.ente)}, anno {selection.anno}: scegliere un altro "
                "anno o ente.")
        st.stop()
    return summary


def leave_old_multipage_mode() -> None:
    """The page ran without app.py: run again through it, once per session.

    Because the folder is called pages/, a fresh server process starts in Streamlit's old multipage mode and a link
    straight to a page (/indicatori?area=...) runs that file alone, without app.py's navigation and filters, until
    some run of app.py calls st.navigation. Leave that mode (what st.navigation itself does) and rerun: the page has
    the same script hash in both modes (st.Page hashes the url_path, which is the file name), and the URL's query
    parameters then seed the filters. This is the one place that touches Streamlit's internal flag.
    """
    if st.session_state.get(_RESTARTED):
        return
    st.session_state[_RESTARTED] = True
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def figures():
    """A row of headline figures (`figure()` inside `with page.figures():`) that wraps onto a new line instead of
    cutting a label or a value: each card is as wide as its text, on a 1366 px laptop and on a phone alike."""
    return st.container(horizontal=True, gap="small")


def figure(label: str, value, *, help: str | None = None) -> None:
    st.metric(label, value, help=help, border=True, width="content")
