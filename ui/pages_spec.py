"""The dashboard's pages, listed once: app.py registers them in this order, the sidebar reads where the plan filters
apply, the tests open every one of them. No streamlit here, so the tests read the list without running the app.

Adding a page = a script under pages/ + a line here (+ its test and a paragraph in the README).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str                   # the script, relative to the project root (what st.Page and st.switch_page take)
    title: str                  # in the menu and as the page's title
    icon: str
    url_path: str               # /indicatori, the page's address
    plan_filters: bool = False  # whether «Area strategica» and «Obiettivo strategico» narrow this page
    default: bool = False       # the page at /
    current_data: bool = False  # shows and changes the current data whatever version the sidebar shows


PAGES: tuple[PageSpec, ...] = (
    # The Panoramica is served at the app's root; its own name stays a valid address (FORWARDS).
    PageSpec("pages/panoramica.py", "Panoramica", "🏠", "inizio", default=True),
    PageSpec("pages/aree_strategiche.py", "Aree strategiche", "🎯", "aree_strategiche", plan_filters=True),
    PageSpec("pages/indicatori.py", "Indicatori", "📋", "indicatori", plan_filters=True),
    PageSpec("pages/andamenti.py", "Andamenti", "📈", "andamenti"),
    PageSpec("pages/responsabili.py", "Responsabili", "👤", "responsabili", plan_filters=True),
    PageSpec("pages/confronto_enti.py", "Confronto enti", "🏛️", "confronto_enti"),
    PageSpec("pages/verifica.py", "Verifica", "🔎", "verifica", plan_filters=True),
    PageSpec("pages/relazione.py", "Relazione", "📄", "relazione", plan_filters=True),
    PageSpec("pages/carica_dati.py", "Carica dati", "📤", "carica_dati", current_data=True),
)
# Addresses that are no page of their own but forward to one with the same query (a hidden page each), so that an old
# link such as /panoramica never shows Streamlit's English «Page not found»: {address: url_path of the page}.
FORWARDS: dict[str, str] = {"panoramica": "inizio"}
_BY_URL_PATH = {p.url_path: p for p in PAGES}


def by_url_path(url_path: str | None) -> PageSpec:
    """The page at that address; the default page for '' (the root) or an address that is not a page."""
    return _BY_URL_PATH.get(url_path or "", next(p for p in PAGES if p.default))


def path(url_path: str) -> str:
    """The script of a page by its address: path("aree_strategiche") -> "pages/aree_strategiche.py"."""
    return _BY_URL_PATH[url_path].path


def plan_pages() -> list[PageSpec]:
    """The pages the shared «Area strategica» and «Obiettivo strategico» filters narrow."""
    return [p for p in PAGES if p.plan_filters]
