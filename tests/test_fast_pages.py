"""Pages that draw fast (issue 15, item 2): a figure is built once per data version and inputs, a rerun that changed
nothing builds none, secondary parts run only when asked, one run asks the store for the data version once.
Speed itself is measured by bench/bench_pages.py and bench/bench_browser.py, never here."""
from __future__ import annotations

import base64
import functools
import json

import numpy as np
import pytest
from builders.apptest import every_view, open_on_demand, rendered, run
from builders.workbooks import workbook_2019_corrected

from cruscotto import pipeline, store
from cruscotto.present import charts, verifica_charts
from ui import grafici
from ui.pages_spec import PAGES


def counted(monkeypatch, module, name: str) -> list:
    """Replace module.name with a wrapper that records each call (the figure cache keys on the builder's name, which
    the wrapper keeps); every figure built before is forgotten."""
    calls, original = [], getattr(module, name)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    grafici._built.clear()
    return calls


def test_a_rerun_or_another_session_with_the_same_inputs_builds_no_figure_again(app, monkeypatch):
    built = counted(monkeypatch, charts, "pratiche_evase")
    at = app("pages/andamenti.py")
    assert len(built) == 1
    run(at)  # the same inputs: the figure it already has
    at.switch_page("pages/indicatori.py").run()
    at.switch_page("pages/andamenti.py").run()  # the page seen again
    app("pages/andamenti.py")  # someone else opens it
    assert len(built) == 1
    at.sidebar.slider(key="anni").set_value((2016, 2019)).run()  # other years: another figure
    assert len(built) == 2 and list(built[-1][0]["anno"]) == [2016, 2017, 2018, 2019]
    at.sidebar.slider(key="anni").set_value((2013, 2019)).run()  # back to the first one, still there
    assert len(built) == 2


def _bars(at, key: str, trace: str) -> list:
    """The values of one trace of the chart drawn with `key`, as the browser receives them."""
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith(key))
    values = next(t["x"] for t in json.loads(chart.proto.spec)["data"] if t.get("name") == trace)
    if isinstance(values, dict):  # plotly's typed array: {"dtype": "i1", "bdata": base64 of the numbers}
        values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return list(values)


def test_after_an_import_the_chart_shows_the_new_data(app, db_path):
    at = app()
    # indicatori.csv, area 2019_02: 2019_02_01-I1 (= 137,56% against >= 100%), -I2 and 2019_02_01_02-I1 reached
    assert _bars(at, "grafico_aree", "Raggiunto")[1] == 3
    con = store.connect(db_path)
    try:  # version 2: the valore raggiunto of 2019_02_01-I1 corrected to 90,22%, below its 100%
        assert pipeline.import_bytes(con, workbook_2019_corrected("= 90,22%"), "correzione.xlsx", "ufficio").version == 2
    finally:
        con.close()
    run(at)
    assert _bars(at, "grafico_aree", "Raggiunto")[1] == 2
    assert _bars(at, "grafico_aree", "Non raggiunto")[1] == 1


def test_andamenti_draws_one_view_at_a_time_each_opened_by_the_url(app):
    at = app("pages/andamenti.py")
    assert [t.label for t in at.tabs] == ["Pratiche evase", "Imprese servite", "Costi", "Tutte le serie"]
    assert [c.key for c in at.get("plotly_chart")] == ["grafico_pratiche"]
    for tab, chart in (("Imprese servite", "grafico_imprese"), ("Costi", "grafico_costi"), ("Tutte le serie", "grafico_serie")):
        at = app("pages/andamenti.py", andamento=tab)
        assert [c.key for c in at.get("plotly_chart")] == [chart]
    # «Scarica la vista» holds the tables of the view shown: the costs, both years of both series (contenimento_costi)
    assert [b.label for b in at.get("download_button")][-1].startswith("Scarica la vista · 1 tabella")


def test_an_area_s_objectives_are_drawn_when_opened(app):
    at = app("pages/aree_strategiche.py")  # 2019_01: three obiettivi strategici, closed
    links = [p for p in at.get("page_link") if p.proto.page == "indicatori"]
    assert not links  # the links to each indicator are inside the objectives
    at = open_on_demand(at)
    links = [rendered(p.label) for p in at.get("page_link") if p.proto.page == "indicatori"]
    # indicatori.csv: area 2019_01 has 15 indicators; 14 belong to its objectives (2019_01-I1 to the area itself)
    assert len(links) == 14 and links[0] == "Dettaglio di 2019_01_01-I1 nella pagina Indicatori"


def test_the_panoramica_draws_the_grado_chart_and_the_series_when_asked(app, monkeypatch):
    built = counted(monkeypatch, charts, "small_multiples")
    grades = counted(monkeypatch, verifica_charts, "grado_per_area")
    at = app()
    # from the menu: the areas' chart only; the grades are a line of text (tests/test_checks_page.py), their chart and
    # the series are sections on demand
    assert [c.key for c in at.get("plotly_chart")] == ["grafico_aree"] and not built and not grades
    labels = [e.label for e in at.expander]
    assert "Mostra il grafico del grado" in labels
    assert "Mostra i grafici (7 serie storiche)" in labels  # serie_storiche.csv: 7 series of Cremona
    at = open_on_demand(at)
    assert [c.key for c in at.get("plotly_chart")][:2] == ["grafico_aree", "grado_aree_tutte"]
    assert len(at.get("plotly_chart")) == 3 and len(built) == 1 and len(grades) == 1


def test_every_view_reaches_the_tabs_and_the_sections_on_demand(app):
    """The helper other tests use to see all of a page (tests/builders/apptest.py)."""
    andamenti = every_view(app, "pages/andamenti.py")
    assert [[c.key for c in at.get("plotly_chart")] for at in andamenti] == [
        ["grafico_pratiche"], ["grafico_imprese"], ["grafico_costi"], ["grafico_serie"]]
    aree = every_view(app, "pages/aree_strategiche.py")
    assert len(aree) == 1 and len([p for p in aree[0].get("page_link") if p.proto.page == "indicatori"]) == 14


def test_one_run_asks_the_store_for_the_data_version_once(app, monkeypatch):
    asked = []
    original = store.data_version
    monkeypatch.setattr(store, "data_version", lambda con: asked.append(1) or original(con))
    at = app()
    asked.clear()
    run(at)
    assert len(asked) == 1


def _after_each_chart(node) -> list:
    """For each plotly chart under `node`, in page order, the element drawn right after it."""
    found, children = [], list(getattr(node, "children", {}).values())
    for i, child in enumerate(children):
        if child.type == "plotly_chart":
            found.append(children[i + 1] if i + 1 < len(children) else None)
        found.extend(_after_each_chart(child))
    return found


@pytest.mark.parametrize("page", [p.path for p in PAGES])
def test_every_chart_in_every_view_keeps_its_sentence(app, page):
    """Issue 14: a chart's text alternative (ui/grafici.py) is the caption right after it; cached figures, tabs and
    sections on demand keep it."""
    for at in every_view(app, page):
        for after in _after_each_chart(at.main):
            assert after is not None and after.type == "caption" and len(after.value) > 20, page


def test_a_cached_figure_counts_its_frames_by_content():
    """grafici.figure keys on ui.data.fingerprint (cheaper than Streamlit's hashing of frames): equal rows in another
    frame object give the same key (the figure is reused: the test above), one cell changed another, and so do the
    same number as another type and the same columns in another order."""
    import pandas as pd

    from ui.data import fingerprint

    frame = pd.DataFrame({"area": ["2019_01", "2019_02"], "valore": [89.14, 137.56]})
    same = pd.DataFrame({"area": ["2019_01", "2019_02"], "valore": [89.14, 137.56]})
    assert fingerprint(frame, "titolo") == fingerprint(same, "titolo")
    assert fingerprint(frame.assign(valore=[89.14, 90.22]), "titolo") != fingerprint(frame, "titolo")
    assert fingerprint(frame, "titolo") != fingerprint(frame, "altro titolo")
    assert fingerprint(1) != fingerprint(1.0) and fingerprint(frame[["valore", "area"]]) != fingerprint(frame)
