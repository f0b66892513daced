"""The filters in the sidebar, and the URL that says them: a filtered view is a link one can send, and keeps its
meaning after new data arrive.

The shared filters (ente, anno, area strategica, obiettivo strategico) are drawn by app.py before the page runs, so
they belong to the main script and survive a change of page. They cascade: the ente narrows the years, the area
narrows the objectives, and a value that no longer fits falls back to the default (the ente and year with data,
every area, every objective), saying so when it came from a link.

The URL always carries ente and anno, even when they are the defaults (Streamlit's `bind="query-params"` drops a
default from the URL, so a link without the year would open another year once the next one is loaded): this module
writes them itself, as codes (`?ente=…&anno=2019&area=2019_02`). A link may also name an area or an objective by
its old label («2019_02 · M.012-…»): the code is read from it and the URL is rewritten with the code alone. Area and
obiettivo apply to the plan pages of ui/pages_spec.py only: there they are drawn and written in the URL; on the other pages they are not
drawn, not applied, and come back when one returns to a plan page.

Which wins, the URL or what the person chose? A value the URL brings that this session did not write itself (a link
just opened, a link to another page with its own parameters, the browser's back button) is adopted; otherwise the
choice stays and the URL is rewritten to say it.

Pages read the choice with `current()`; page-specific filters use `choice()`, `text()` and `year_range()` (bound to
the URL by Streamlit, for as long as one stays on that page; each page's keys are its own, so a filter never follows
a person to another page), and `active()` says next to the results which filters are in force, with a button that
clears them.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import asdict, dataclass

import streamlit as st

from ui import pages_spec
from cruscotto.present import formatting
from cruscotto.present.text import md
from ui.data import query

# Query-parameter names (also the widgets' keys): short, stable, Italian.
ENTE, ANNO, AREA, OBIETTIVO = "ente", "anno", "area", "obiettivo"
_GO_TO = "_cruscotto_vai_a"
SHARED = (ENTE, ANNO, AREA, OBIETTIVO)
PLAN = (AREA, OBIETTIVO)
_STATE = "_cruscotto_selezione"      # the Selection of this run (read by current())
_CHOSEN = "_cruscotto_scelta"        # {ente, anno, area, obiettivo}: what the person chose, kept across pages
_WRITTEN = "_cruscotto_url_scritto"  # what this session last wrote in the URL


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

    def link(self, **extra) -> dict[str, str]:
        """The query parameters of a link that opens this view (ente and anno always; area and obiettivo when
        chosen), plus `extra` (None values left out): for st.page_link and LinkColumn URLs."""
        values = {ENTE: self.ente, ANNO: self.anno, AREA: self.area, OBIETTIVO: self.obiettivo} | extra
        return {k: str(v) for k, v in values.items() if v is not None}

    def describe(self, with_plan: bool = True) -> dict[str, object]:
        """The filters in words, for the «Filtri» sheet of an export."""
        out: dict[str, object] = {"Ente": self.ente, "Anno": self.anno}
        if with_plan:
            out["Area strategica"] = self.area_label
            out["Obiettivo strategico"] = self.obiettivo_label
        return out


def _periods():
    """One row per (ente, anno), with the latest import of each (for the banner: ui.banner.data_line)."""
    return query("scelte_periodi")


# ----------------------------------------------------------------------------------------------------------- the URL
def code_in_link(value: str | None) -> str | None:
    """The code a link names: '2019_02' as is, and '2019_02 · M.012-…' (the label older links carry) as '2019_02'."""
    if value is None:
        return None
    code = str(value).split(" · ", 1)[0].strip()
    return code or None


def _from_url() -> dict[str, str]:
    """The shared filters the URL brings and this session did not write there itself (a link just opened, a link
    with its own parameters, the browser's back button). An area that arrives brings its obiettivo with it (none
    when the link names none), so an objective of another view never stays behind."""
    written = st.session_state.get(_WRITTEN, {})
    arrived = {}
    for key in SHARED:
        value = st.query_params.get(key)
        if value and value != written.get(key):
            arrived[key] = value
    if AREA in arrived and OBIETTIVO not in arrived:
        arrived[OBIETTIVO] = ""
    return arrived


def _write_url(selection: Selection, plan_page: bool) -> None:
    """The URL says the view: ente and anno always, area and obiettivo on the pages they apply to."""
    wanted = {ENTE: selection.ente, ANNO: None if selection.anno is None else str(selection.anno)}
    if plan_page:
        wanted |= {AREA: selection.area, OBIETTIVO: selection.obiettivo}
    else:
        wanted |= {AREA: None, OBIETTIVO: None}
    for key, value in wanted.items():
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value
    st.session_state[_WRITTEN] = {k: v for k, v in wanted.items() if v is not None}


# ------------------------------------------------------------------------------------------------------ the sidebar
def _remember(key: str) -> None:
    """Widget callback: the person chose a value; it is the choice from now on."""
    st.session_state.setdefault(_CHOSEN, {})[key] = st.session_state.get(key)


def _select(label: str, options: list, key: str, chosen, *, format_func=str, placeholder: str | None = None,
            help: str | None = None):
    """A selectbox showing `chosen` (the widget is told before it is drawn, so the choice survives pages where it
    is not drawn). With a placeholder it can be emptied (= all); without, it always holds a value."""
    if st.session_state.get(key) != chosen:
        st.session_state[key] = chosen
    return st.selectbox(label, options, index=None if placeholder else 0, key=key, format_func=format_func, help=help,
                        placeholder=placeholder, on_change=_remember, args=(key,))


def _fits(value, options: list, what: str, fallback, notices: list[str], from_link: bool):
    """`value` when it is one of `options`, else `fallback` (and a notice, when a link asked for it)."""
    if value in options:
        return value
    if from_link and value not in (None, ""):
        notices.append(what.format(value=md(value)))
    return fallback


def _plan_pages_text() -> str:
    """'Aree strategiche, Indicatori, … e Relazione': the pages area and obiettivo narrow (ui/pages_spec.py)."""
    titles = [p.title for p in pages_spec.plan_pages()]
    return f"{', '.join(titles[:-1])} e {titles[-1]}"


def sidebar(page: pages_spec.PageSpec) -> Selection:
    """Draw the shared filters in the sidebar (before the page runs: ui/page.run) and remember the choice. Area and
    obiettivo narrow only the pages whose spec says so; elsewhere they are not drawn and keep their value."""
    plan_page = page.plan_filters
    periods = _periods()
    chosen = st.session_state.setdefault(_CHOSEN, {})
    arrived = _from_url()
    for key, value in arrived.items():
        chosen[key] = code_in_link(value) if key in PLAN else value
    notices: list[str] = []
    with st.sidebar:
        st.header("Filtri")
        if periods.empty:
            st.info("Nessun dato caricato: i filtri compariranno dopo il primo caricamento.")
            selection = Selection()
            st.session_state[_STATE] = selection
            return selection
        enti = list(dict.fromkeys(periods["ente"]))
        ente = _fits(chosen.get(ENTE), enti, "L'ente «{value}» del collegamento non è nei dati: è mostrato il primo.",
                     enti[0], notices, ENTE in arrived)
        chosen[ENTE] = _select("Ente", enti, ENTE, ente, help="La camera di commercio di cui mostrare i dati.")
        anni = sorted({int(a) for a in periods.loc[periods["ente"] == chosen[ENTE], "anno"]}, reverse=True)
        anno = _fits(_year(chosen.get(ANNO)), anni, "L'anno {value} del collegamento non è nei dati di questo ente: "
                     "è mostrato l'ultimo.", anni[0], notices, ANNO in arrived)
        chosen[ANNO] = _select("Anno della relazione", anni, ANNO, anno,
                               help="L'anno del ciclo della performance (l'ultimo per primo).")
        # One query for both selectors: the areas and the strategic objectives of this ente and year.
        nodes = query("scelte_nodi", ente=chosen[ENTE], anno=chosen[ANNO])
        aree = nodes[nodes["livello"] == "area"]
        area_labels = {r.codice: formatting.named(r.nome, r.codice) for r in aree.itertuples()}
        chosen[AREA] = _fits(chosen.get(AREA), list(area_labels), "L'area «{value}» del collegamento non è tra le "
                             "aree di quest'anno: sono mostrate tutte.", None, notices, AREA in arrived)
        strategici = nodes[(nodes["livello"] == "strategico")
                           & ((chosen[AREA] is None) | (nodes["codice_area"] == chosen[AREA]))]
        obiettivo_labels = {r.codice: formatting.named(r.nome, r.codice) for r in strategici.itertuples()}
        chosen[OBIETTIVO] = _fits(chosen.get(OBIETTIVO), list(obiettivo_labels), "L'obiettivo «{value}» del "
                                  "collegamento non è tra quelli dell'area: sono mostrati tutti.", None, notices,
                                  OBIETTIVO in arrived)
        if plan_page:
            chosen[AREA] = _select("Area strategica", list(area_labels), AREA, chosen[AREA],
                                   format_func=area_labels.get, placeholder="Tutte le aree",
                                   help="Restringe la vista a un'area; gli obiettivi offerti sotto seguono l'area.")
            chosen[OBIETTIVO] = _select("Obiettivo strategico", list(obiettivo_labels), OBIETTIVO, chosen[OBIETTIVO],
                                        format_func=obiettivo_labels.get, placeholder="Tutti gli obiettivi",
                                        help="Restringe la vista a un obiettivo strategico e ai suoi operativi.")
        else:
            st.caption(f"Area strategica e obiettivo si scelgono nelle pagine {_plan_pages_text()}.")
    for notice in notices:
        st.warning(notice, icon=":material/link_off:")
    if plan_page:
        selection = Selection(chosen[ENTE], chosen[ANNO], chosen[AREA], chosen[OBIETTIVO],
                              area_labels.get(chosen[AREA]), obiettivo_labels.get(chosen[OBIETTIVO]))
    else:
        selection = Selection(chosen[ENTE], chosen[ANNO])
    st.session_state[_STATE] = selection
    _write_url(selection, plan_page)
    return selection


def _year(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def current() -> Selection:
    """The shared filters as chosen in the sidebar (defaults when the sidebar has not been drawn)."""
    selection = st.session_state.get(_STATE)
    if selection is not None:
        return selection
    periods = _periods()
    if periods.empty:
        return Selection()
    return Selection(periods["ente"].iloc[0], int(periods["anno"].iloc[0]))


def choice(label: str, options, key: str, *, placeholder: str = "Tutti", format_func=None, help: str | None = None,
           in_sidebar: bool = True):
    """A page filter: one value or none (= all), bound to the URL under `key`; in the sidebar, or where the page is
    writing (`in_sidebar=False`) when it filters one view of the page only."""
    options = [o for o in options if o is not None and o == o]
    with st.sidebar if in_sidebar else nullcontext():
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


def _clear(resets: dict[str, object]) -> None:
    """Callback of «Togli i filtri»: every filter named back to «all»."""
    chosen = st.session_state.setdefault(_CHOSEN, {})
    for key, value in resets.items():
        if key in PLAN:
            chosen[key] = None
        st.session_state[key] = value


def active(selection: Selection, page_filters: dict[str, tuple[str, object, object]] | None = None, *,
           shared: tuple[str, ...] = PLAN, resets: dict[str, object] | None = None, key: str = "togli_filtri") -> bool:
    """Next to the results: the filters in force on this page, in words, and a button that clears them all.

    `page_filters`: {widget key: (label, value shown, value that means «all»)}; a filter whose value is None or
    equal to its «all» value is not in force. The shared area and obiettivo (`shared`) are included when chosen. Returns
    whether any filter is in force (nothing is drawn otherwise). `resets` gives the «all» value of a widget when
    it is not the value shown as «all» (a range of years: its first and last year)."""
    entries = []
    overrides = resets or {}
    resets = {}
    for name, label, value in ((AREA, "area", selection.area_label), (OBIETTIVO, "obiettivo", selection.obiettivo_label)):
        if value and name in shared:
            entries.append(f"{label} {md(value)}")
            resets[name] = None
    for name, (label, value, everything) in (page_filters or {}).items():
        if value is None or value == everything or value == "":
            continue
        entries.append(f"{label} {md(value)}")
        resets[name] = overrides.get(name, everything)
    if not entries:
        return False
    shown, button = st.columns([5, 1], vertical_alignment="center")
    shown.markdown(f":material/filter_alt: **{formatting.plural(len(entries), 'Filtro attivo', 'Filtri attivi', number=False)}:** "
                   + " · ".join(entries))
    button.button("Togli i filtri", key=key, on_click=_clear, args=(resets,), icon=":material/filter_alt_off:",
                  help="Torna a tutte le righe: toglie i filtri elencati qui accanto.")
    return True


# ------------------------------------------------------------------------------------------------------ navigation
def go_to_area(codice: str) -> None:
    """Callback: choose an area in the shared filter and ask the page to open «Aree strategiche»."""
    chosen = st.session_state.setdefault(_CHOSEN, {})
    chosen[AREA], chosen[OBIETTIVO] = codice, None
    st.session_state[_GO_TO] = pages_spec.path("aree_strategiche")


def go_to_page(path: str) -> None:
    st.session_state[_GO_TO] = path


def follow_pending_navigation() -> None:
    """Open the page a callback asked for (st.switch_page cannot run inside a callback)."""
    target = st.session_state.pop(_GO_TO, None)
    if target:
        # query_params={} instead of None: the page's own bound filters stay behind; app.py writes the shared ones.
        st.switch_page(target, query_params={})


def forward_to(page) -> None:
    """A page that only forwards to `page` with the same query (the old address of the home page)."""
    st.switch_page(page, query_params=st.query_params.to_dict())
