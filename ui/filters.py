"""The filters in the sidebar, bound to the URL (`bind="query-params"`): a filtered view is a link one can send.

The shared filters (ente, anno, area strategica, obiettivo strategico) are drawn by app.py before the page runs, so
they belong to the main script and survive a change of page. They cascade: the ente narrows the years, the area
narrows the objectives, and a value that no longer fits falls back to the default. Defaults are never empty: the
ente and year with data, every area, every objective.

Pages read the choice with `current()`; page-specific filters use `choice()`, `text()` and `year_range()` (bound to
the URL too, for as long as one stays on that page).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import streamlit as st

from ui import pages_spec
from ui.data import query

# Query-parameter names (also the widgets' keys): short, stable, Italian.
ENTE, ANNO, AREA, OBIETTIVO = "ente", "anno", "area", "obiettivo"
_STATE = "_cruscotto_selezione"
_GO_TO = "_cruscotto_vai_a"


@dataclass(frozen=True)
class Selection:
    ente: str | None = None
    anno: int | None = None
    area: str | None = None
    obiettivo: str | None = None
    area_label: str | None = None
    obiettivo_label: str | None = None

    @property
    def empty(self) -> bool:
        """True when the store holds no data at all."""
        return self.ente is None

    def params(self, *names: str) -> dict:
        """Query parameters for ui.data.query: params('ente', 'anno', 'area')."""
        values = asdict(self)
        return {name: values[name] for name in (names or (ENTE, ANNO, AREA, OBIETTIVO))}

    def describe(self, with_plan: bool = True) -> dict[str, object]:
        """The filters in words, for the «Filtri» sheet of an export."""
        out: dict[str, object] = {"Ente": self.ente, "Anno": self.anno}
        if with_plan:
            out["Area strategica"] = self.area_label
            out["Obiettivo strategico"] = self.obiettivo_label
        return out


def _periods():
    """One row per (ente, anno), with the latest import of each (for the banner: ui.banner.data_line)."""
    return query("filter_periods")


def _accept_code_in_link(key: str, labels: dict[str, str]) -> None:
    """A bound selectbox writes its label in the URL (?area=2019_02+·+M.012-…); a link written by hand, or kept
    from before a label changed, may carry the bare code (?area=2019_02). Choose that code once, on arrival."""
    value = st.query_params.get(key)
    if value in labels and st.session_state.get(key) != value and not st.session_state.get(f"_codice_letto_{key}"):
        st.session_state[f"_codice_letto_{key}"] = True
        st.session_state[key] = value


def _plan_note() -> str:
    titles = [p.title for p in pages_spec.plan_pages()]
    return f"Si applica alle pagine {', '.join(titles[:-1])} e {titles[-1]}."


def sidebar(page: pages_spec.PageSpec) -> Selection:
    """Draw the shared filters in the sidebar (before the page runs: ui/page.run) and remember the choice. Area and
    obiettivo narrow only the pages whose spec says so; elsewhere they stay visible, disabled, keeping their value."""
    plan_page = page.plan_filters
    periods = _periods()
    with st.sidebar:
        st.header("Filtri")
        if periods.empty:
            st.info("Nessun dato caricato: i filtri compariranno dopo il primo caricamento.")
            selection = Selection()
            st.session_state[_STATE] = selection
            return selection
        enti = list(dict.fromkeys(periods["ente"]))
        ente = st.selectbox("Ente", enti, index=0, key=ENTE, bind="query-params",
                            help="La camera di commercio di cui mostrare i dati.")
        anni = sorted({int(a) for a in periods.loc[periods["ente"] == ente, "anno"]}, reverse=True)
        anno = st.selectbox("Anno della relazione", anni, index=0, key=ANNO, bind="query-params",
                            format_func=str, help="L'anno del ciclo della performance (l'ultimo per primo).")
        # One query for both selectors: the areas and the strategic objectives of this ente and year.
        nodes = query("filter_nodes", ente=ente, anno=anno)
        aree = nodes[nodes["livello"] == "area"]
        area_labels = {r.codice: f"{r.codice} · {r.etichetta}" for r in aree.itertuples()}
        _accept_code_in_link(AREA, area_labels)
        note = None if plan_page else _plan_note()
        area = st.selectbox("Area strategica", list(area_labels), index=None, key=AREA, bind="query-params",
                            format_func=area_labels.get, placeholder="Tutte le aree", disabled=not plan_page,
                            help=note or "Restringe la vista a un'area; gli obiettivi offerti sotto seguono l'area.")
        strategici = nodes[(nodes["livello"] == "strategico") & ((area is None) | (nodes["codice_area"] == area))]
        obiettivo_labels = {r.codice: f"{r.codice} · {r.etichetta}" for r in strategici.itertuples()}
        _accept_code_in_link(OBIETTIVO, obiettivo_labels)
        obiettivo = st.selectbox("Obiettivo strategico", list(obiettivo_labels), index=None, key=OBIETTIVO,
                                 bind="query-params", format_func=obiettivo_labels.get,
                                 placeholder="Tutti gli obiettivi", disabled=not plan_page,
                                 help=note or "Restringe la vista a un obiettivo strategico e ai suoi operativi.")
    selection = Selection(ente, anno, area, obiettivo, area_labels.get(area), obiettivo_labels.get(obiettivo))
    st.session_state[_STATE] = selection
    return selection


def current() -> Selection:
    """The shared filters as chosen in the sidebar (defaults when the sidebar has not been drawn)."""
    selection = st.session_state.get(_STATE)
    if selection is not None:
        return selection
    periods = _periods()
    if periods.empty:
        return Selection()
    return Selection(periods["ente"].iloc[0], int(periods["anno"].iloc[0]))


def choice(label: str, options, key: str, *, placeholder: str = "Tutti", format_func=None, help: str | None = None):
    """A page filter in the sidebar: one value or none (= all), bound to the URL under `key`."""
    options = [o for o in options if o is not None and o == o]
    with st.sidebar:
        return st.selectbox(label, options, index=None, key=key, bind="query-params", placeholder=placeholder,
                            format_func=format_func or str, help=help)


def text(label: str, key: str, *, help: str | None = None) -> str | None:
    with st.sidebar:
        value = st.text_input(label, key=key, bind="query-params", help=help, placeholder="parole da cercare")
    value = (value or "").strip()
    return value or None


def year_range(label: str, first: int, last: int, key: str) -> tuple[int, int]:
    if first >= last:
        return first, last
    with st.sidebar:
        low, high = st.slider(label, min_value=first, max_value=last, value=(first, last), step=1, key=key,
                              bind="query-params", format="%d")
    return int(low), int(high)


def go_to_area(codice: str) -> None:
    """Callback: choose an area in the shared filter and ask the page to open «Aree strategiche»."""
    st.session_state[AREA] = codice
    st.session_state[OBIETTIVO] = None
    st.session_state[_GO_TO] = pages_spec.path("aree_strategiche")


def follow_pending_navigation() -> None:
    """Open the page a callback asked for (st.switch_page cannot run inside a callback)."""
    target = st.session_state.pop(_GO_TO, None)
    if target:
        # query_params={} instead of None: bound parameters may not be cleared through st.query_params; the bound
        # widgets then put their own values back in the URL on the new page.
        st.switch_page(target, query_params={})
