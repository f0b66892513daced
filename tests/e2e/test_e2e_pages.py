"""Every page registered in app.py, as a person sees it in chromium.

The pages are discovered from app.py's st.navigation (conftest.pytest_generate_tests), so a new page is covered as
soon as it is registered. Each page must: finish its run, show no exception box, no error alert and no browser console
error, and draw every chart (plotly SVG) and every table (at least one row). Timings are recorded, never asserted.
"""
from __future__ import annotations

import harness


def test_page_opens_drawn_and_clean(app_server, page, app_page, timings):
    visit = harness.open_page(page, app_server.page_url(app_page.url_path))
    assert page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').count() > 0, \
        f"{app_page.title}: empty page"
    if harness.expand_all(page):  # what the expanders hold must draw too (sections on demand included)
        shown = harness.check_page(page, f"{app_page.title}, expanders open")
        visit.charts, visit.dataframes, visit.tables = shown["charts"], shown["dataframes"], shown["tables"]
    timings["pages"][app_page.name] = {"title": app_page.title, "first_chart_ms": visit.first_chart_ms,
                                        "drawn_ms": visit.drawn_ms, "charts": visit.charts,
                                        "dataframes": visit.dataframes, "tables": visit.tables}
    for label in harness.tab_labels(page)[1:]:  # every other tab, each drawn when chosen
        harness.open_tab(page, label)
        if harness.expand_all(page):
            harness.check_page(page, f"{app_page.title}, tab «{label}», expanders open")


def test_page_is_italian_accessible_and_its_url_names_ente_and_anno(app_server, page, app_page):
    """Issue 14, item 6: lang="it" (Streamlit serves lang="en": ui/documento.py), no serious or critical axe-core
    violation of WCAG 2.1 A/AA with every expander open, in every tab, and an address that keeps its meaning after new
    data (ente and anno of data/: CCIAA di Cremona, 2019). The hidden «panoramica» page is the home page's old
    address."""
    harness.open_page(page, app_server.page_url(app_page.url_path))
    for label in [None] + harness.tab_labels(page)[1:]:
        if label:
            harness.open_tab(page, label)
        harness.expand_all(page)
        harness.wait_drawn(page)
        assert page.evaluate("() => document.documentElement.lang") == "it"
        assert harness.axe_violations(page) == [], label
        query = harness.url_query(page)
        assert query.get("ente") == "CCIAA di Cremona" and query.get("anno") == "2019", page.url
    assert "Page not found" not in page.locator("body").inner_text()


def test_menu_lists_every_page_and_each_switch_draws(app_server, page, app_pages, timings):
    """One session, as a user moves around: open the default page, then click each menu entry in turn."""
    default = next(p for p in app_pages if p.default)
    harness.open_page(page, app_server.page_url(default.url_path))
    menu = [p for p in app_pages if p.visible]
    if len(menu) < 2:
        # Streamlit shows no menu for a single page; nothing to switch to yet.
        assert page.locator(harness.NAV_LINKS).count() == 0
        return
    assert harness.menu_titles(page) == [p.title for p in menu], "the menu does not list the pages app.py registers"

    previous = default
    for target in menu[1:] + [default]:
        result = harness.switch_page(page, target)
        expected = app_server.page_url(target.url_path).rstrip("/")
        assert page.url.split("?", 1)[0].rstrip("/") == expected, f"clicked «{target.title}», got {page.url}"
        assert harness.current_menu_title(page) == target.title
        timings["page_switches"][f"{previous.name}->{target.name}"] = result
        previous = target


# --- a laptop screen, tables that sort (issue 14, item 1) --------------------------------------------------------
LAPTOP = {"width": 1366, "height": 768}
_CUT_FIGURES_JS = r"""() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).flatMap(metric => {
  const parts = [metric.querySelector('[data-testid="stMetricLabel"]'), metric.querySelector('[data-testid="stMetricValue"]')];
  return parts.filter(part => part && [part, ...part.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
              .map(part => part.innerText.trim());
})"""


def test_figures_are_never_cut_on_a_laptop(app_server, page, app_page):
    """On a 1366 × 768 laptop no headline figure cuts its label or value («Indicatori da gua…», «3 error…»)."""
    page.set_viewport_size(LAPTOP)
    harness.open_page(page, app_server.page_url(app_page.url_path))
    assert page.evaluate(_CUT_FIGURES_JS) == [], f"{app_page.title}: figures cut at 1366 px"
    if app_page.name == "indicatori":
        # tests/test_pages.py fits the key columns of this table in 906 px
        assert page.locator('[data-testid="stDataFrame"]').first.bounding_box()["width"] >= 906


def test_costs_sort_as_numbers(app_server, page):
    harness.open_page(page, app_server.page_url("andamenti", "andamento=Costi"))
    grids = page.locator('[data-testid="stDataFrame"]')
    index = next(i for i in range(grids.count()) if harness.column(page, "Costo", i) is not None)
    harness.sort_ascending(page, "Costo", index)
    # 0 · 5.242,72 · 18.978,38 · 38.475,85 (contenimento_costi; the grid's accessible cells hold the numbers themselves)
    assert [float(v) for v in harness.column(page, "Costo", index)] == [0, 5242.72, 18978.38, 38475.85]
