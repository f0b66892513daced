"""Links that keep their meaning (issue 14, item 3): every URL names ente and anno, codes are accepted and written
as codes, a page's own filter never follows a person to another page, and an active filter is said next to the
results with a button that clears it. Driven with AppTest on the shipped 2019 report (data/)."""
from __future__ import annotations

from builders.apptest import rendered, shown


def url(at) -> dict[str, str]:
    """The query string the app leaves in the address bar after the run."""
    return {k: at.query_params[k] for k in at.query_params}


def test_every_page_writes_ente_and_anno_in_the_url_even_when_they_are_the_defaults(app):
    # The defaults are the only ente and year of data/: a link without them would open another year once 2020 is
    # loaded, so they are written anyway.
    for page in (None, "pages/andamenti.py", "pages/indicatori.py", "pages/verifica.py"):
        at = app(page)
        assert url(at)["ente"] == "CCIAA di Cremona" and url(at)["anno"] == "2019", page


def test_a_bare_code_and_an_old_label_open_the_area_and_the_url_keeps_the_code(app):
    for link in ("2019_02", "2019_02 · M.012-REGOLAZIONE DEL MERCATO"):
        at = app("pages/indicatori.py", area=link)
        assert at.sidebar.selectbox(key="area").value == "2019_02"
        assert len(shown(at)) == 3  # area 2019_02 has 3 indicators (indicatori.csv)
        assert url(at)["area"] == "2019_02"  # copied again, the link still says the area


def test_area_applies_only_to_plan_pages_and_comes_back_there(app):
    at = app("pages/indicatori.py", area="2019_03")
    at.switch_page("pages/andamenti.py").run()
    assert "area" not in url(at)  # Andamenti does not apply it: the URL does not pretend it does
    assert not [s for s in at.sidebar.selectbox if s.key == "area"]
    at.switch_page("pages/indicatori.py").run()
    assert at.sidebar.selectbox(key="area").value == "2019_03" and url(at)["area"] == "2019_03"
    assert len(shown(at)) == 3


def test_a_link_to_a_year_that_is_not_there_says_so(app):
    at = app("pages/indicatori.py", anno="2018")
    assert any("L'anno 2018 del collegamento non è nei dati" in w.value for w in at.warning)
    assert url(at)["anno"] == "2019"


def test_the_indicator_chosen_on_indicatori_does_not_narrow_verifica(app):
    at = app("pages/indicatori.py", dettaglio="2019_02_01-I1")
    at.switch_page("pages/verifica.py").run()
    assert len(at.dataframe[0].value) == 44  # every finding of 2019 (data/README.md: 2 errori, 29 avvisi, 13 info)
    assert not [b for b in at.button if b.key == "togli_filtri"]


def test_an_active_filter_is_said_next_to_the_results_and_one_click_clears_it(app):
    at = app("pages/verifica.py", indicatore="2019_02_01-I1", gravita="errore")
    line = next(rendered(m.value) for m in at.markdown if "Filtri attivi" in rendered(m.value))
    assert "gravità errore" in line and "indicatore 2019_02_01-I1" in line
    assert len(at.dataframe[0].value) == 2
    at.button(key="togli_filtri").click().run()
    assert len(at.dataframe[0].value) == 44
    assert not any("Filtri attivi" in rendered(m.value) for m in at.markdown)


def test_the_shared_objective_is_a_filter_on_indicatori_with_its_clear_button(app):
    at = app("pages/indicatori.py", area="2019_02", obiettivo="2019_02_01")
    line = next(rendered(m.value) for m in at.markdown if "Filtri attivi" in rendered(m.value))
    assert "area Regolazione del mercato (2019_02)" in line and "obiettivo " in line
    at.button(key="togli_filtri").click().run()
    assert at.sidebar.selectbox(key="area").value is None and "area" not in url(at)
    assert len(shown(at)) == 26  # every indicator of 2019


def test_a_narrowed_range_of_years_is_said_on_andamenti_and_cleared_in_one_click(app):
    at = app("pages/andamenti.py")
    assert not [b for b in at.button if b.key == "togli_filtri"]  # every year: nothing to say
    at.sidebar.slider(key="anni").set_value((2016, 2019)).run()
    line = next(rendered(m.value) for m in at.markdown if "Filtro attivo" in rendered(m.value))
    assert "anni 2016–2019" in line
    at.button(key="togli_filtri").click().run()
    # serie_storiche.csv: the series run from 2011 to 2019
    assert at.sidebar.slider(key="anni").value == (2011, 2019)
