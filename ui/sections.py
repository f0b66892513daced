"""Each part of a page stands alone: an error while drawing one section (data nobody foresaw, a bug) replaces that
section with an Italian message and the rest of the page still draws. The error goes to the server log.

    with sections.section("Andamenti principali"):
        st.plotly_chart(...)

`run_page` does the same for a whole page (app.py), so that no traceback and no English message reaches a user.

`on_demand` is a collapsed section whose content runs only when a person opens it: the parts of a page that cost
time to draw and that not everyone reads (a page switch then draws only what is open).

    if (box := sections.on_demand("Andamenti principali", key="andamenti")).open:
        with box:
            grafici.show(...)
"""
from __future__ import annotations

import logging
from contextlib import contextmanager

import streamlit as st

from cruscotto.present import text

log = logging.getLogger("cruscotto.pagine")

SECTION_FAILED = ("Questa sezione non si può mostrare: i dati contengono qualcosa che non è stato previsto. Il resto "
                  "della pagina è corretto. Il dettaglio è nel registro del server: se si ripete, avvisare chi "
                  "gestisce il cruscotto.")
PAGE_FAILED = ("Questa pagina non si può mostrare: i dati contengono qualcosa che non è stato previsto. Le altre "
               "pagine restano consultabili. Il dettaglio è nel registro del server: se si ripete, avvisare chi "
               "gestisce il cruscotto.")


@contextmanager
def section(title: str | None = None):
    """A subheader (if given) and the section drawn under it; on any error the section becomes one st.error.

    st.stop(), st.rerun() and st.switch_page() pass through (they are not errors: Streamlit raises BaseException)."""
    if title:
        st.subheader(title)
    slot = st.empty()
    try:
        with slot.container():
            yield
    except Exception:
        log.exception("sezione non mostrata: %s", title)
        slot.error(SECTION_FAILED, icon=":material/error:")


def run_page(page) -> None:
    """page.run() with an Italian message, not Streamlit's English error box, if the page fails outside a section."""
    try:
        page.run()
    except Exception:
        log.exception("pagina non mostrata: %s", text.terminal(getattr(page, "title", "")))
        st.error(PAGE_FAILED, icon=":material/error:")


# The key of every on-demand section starts with this: opening one reruns the page, and tests/e2e/harness.py waits for
# that run before it checks what the section shows.
ON_DEMAND = "su_richiesta_"


def on_demand(label: str, key: str, *, expanded: bool = False, icon: str | None = None):
    """st.expander that reruns the page when it is opened or closed: its `.open` says whether to run its content
    (st.expander alone sends its content to the browser even while collapsed). Keyboard and screen readers open it
    like any expander."""
    return st.expander(label, expanded=expanded, key=ON_DEMAND + key, icon=icon, on_change="rerun")


def open_on_demand(key: str, *, unless_chosen: bool = False) -> None:
    """Open the section on demand `key` at its next drawing: a choice made elsewhere (a row, a bar, a link) asks for
    its content. `unless_chosen`: only if the person has not opened or closed it yet in this session."""
    if unless_chosen:
        st.session_state.setdefault(ON_DEMAND + key, True)
    else:
        st.session_state[ON_DEMAND + key] = True
