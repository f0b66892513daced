"""What management notices in the first minute (issue 14), in chromium on the shipped 2019 report (data/):
a bar opens what it stands for, charts stay readable on a 390 px phone.

Expected names come from data/aree.csv (missione_descrizione, the readable name of each area strategica).
"""
from __future__ import annotations

import harness
import pytest

PHONE = {"width": 390, "height": 844}
# data/aree.csv: 2019_02 «Regolazione del mercato» (M.012-REGOLAZIONE DEL MERCATO)
AREA_02 = "Regolazione del mercato (2019_02)"


def _click_bar(page, chart_index: int, row: int) -> None:
    """Click, with the mouse, the middle of the `row`-th bar (top to bottom) of the first trace of the
    `chart_index`-th plotly chart (plotly hears clicks on its drag layer, over the bars: a real mouse click there)."""
    chart = page.locator('[data-testid="stPlotlyChart"]').nth(chart_index)
    bar = chart.locator(".trace.bars .point path").nth(row)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def _chart_index(page, heading_text: str) -> int:
    """The position among the page's plotly charts of the first chart after the heading `heading_text`."""
    return page.evaluate("""(heading) => {
      const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
      const h = Array.from(document.querySelectorAll('[data-testid="stMain"] h2, [data-testid="stMain"] h3'))
        .find(e => e.innerText.trim() === heading);
      return charts.findIndex(c => h && (h.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING));
    }""", heading_text)


def test_clicking_a_grado_bar_opens_its_area(app_server, page):
    harness.open_page(page, app_server.page_url(""))
    harness.open_on_demand(page, "grado_aree_tutte")  # «Mostra il grafico del grado»: drawn when asked
    index = _chart_index(page, "Grado di raggiungimento per area")
    assert index >= 0, "no chart under «Grado di raggiungimento per area»"
    # the second area of data/aree.csv: 2019_02
    harness.rerun_and_wait(page, lambda: _click_bar(page, index, 1), expect_path="aree_strategiche",
                           heading="Aree strategiche")
    assert harness.current_menu_title(page) == "Aree strategiche"
    assert harness.headings(page)[0] == AREA_02
    query = harness.url_query(page)
    assert query["area"] == "2019_02" and query["anno"] == "2019" and query["ente"] == "CCIAA di Cremona"


def test_clicking_an_area_bar_opens_its_area(app_server, page):
    harness.open_page(page, app_server.page_url(""))
    index = _chart_index(page, "Indicatori per area strategica")
    # «Raggiunto» of 2019_02
    harness.rerun_and_wait(page, lambda: _click_bar(page, index, 1), expect_path="aree_strategiche",
                           heading="Aree strategiche")
    assert harness.headings(page)[0] == AREA_02


def test_the_area_links_open_it_by_keyboard(app_server, page):
    """The keyboard equivalent of a click on a bar: the link of the area, reached with Tab, followed with Enter."""
    harness.open_page(page, app_server.page_url(""))
    link = page.get_by_role("link", name="Regolazione del mercato (2019_02)")
    link.focus()  # (Tab through the page reaches it too; focus() only saves counting the stops before it)
    harness.rerun_and_wait(page, lambda: page.keyboard.press("Enter"), expect_path="aree_strategiche",
                           heading="Aree strategiche")
    assert harness.headings(page)[0] == AREA_02


# Panoramica: areas, grado, and the series when «Andamenti principali» is opened; Andamenti: one chart in each tab.
@pytest.mark.parametrize("path, charts", [("", 3), ("andamenti", 4)], ids=["panoramica", "andamenti"])
def test_on_a_phone_no_chart_label_overlaps_another_or_leaves_its_chart(app_server, browser, path, charts):
    context = browser.new_context(viewport=PHONE, locale="it-IT", timezone_id="Europe/Rome", device_scale_factor=1)
    context.add_init_script(harness.INIT_SCRIPT)
    try:
        phone = harness.new_page(context)
        harness.open_page(phone, app_server.page_url(path))
        seen = 0
        for label in [None] + harness.tab_labels(phone)[1:]:  # every tab, every section on demand
            if label:
                harness.open_tab(phone, label)
            harness.expand_all(phone)
            harness.wait_drawn(phone)
            seen += harness.counts(phone)["charts"]
            assert harness.overlapping_chart_texts(phone) == [], label
        assert seen == charts
        assert phone.console.errors == []
    finally:
        context.close()


def test_clicking_a_responsabile_bar_shows_that_name_s_indicators(app_server, page):
    """Responsabili: a click on a name's bar (names as written above the bars, data/obiettivi.csv) chooses it in
    «Indicatori di un responsabile», the selectbox that does the same by keyboard, and the URL says it."""
    harness.open_page(page, app_server.page_url("responsabili"))
    before = harness.selected(page, "Responsabile")
    names = page.evaluate("""() => Array.from(document.querySelectorAll(
        '[data-testid="stPlotlyChart"] .annotation-text')).map(t => t.textContent.trim())""")
    target = next(i for i, name in enumerate(names) if name != before)
    harness.rerun_and_wait(page, lambda: _click_bar(page, 0, target))
    assert harness.selected(page, "Responsabile") == names[target] != before
    assert harness.url_query(page)["nome"] == names[target]
