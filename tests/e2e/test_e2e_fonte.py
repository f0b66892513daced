"""The report's own sentence beside a finding, as a person sees it on a laptop (1366 px) and on a phone (390 px).

The finding: the 2016 rate of 2019_02_01-I1, printed 84,43% on r. 1155 of the source while 16.344 / 19.537 × 100 =
83,66% (data/README.md, «Rilievi della verifica»). The Verifica page shows it in the detail panel of the finding, the
Indicatori page in the detail of the indicator; both must show the whole line, wrapped, nothing cut at the edge.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import harness
import pytest

SENTENCE = "Al 31/12/2016: evase nei 5 giorni lavorativi 16344 su pratiche complessive 19537 (84,43%)"
CITED = re.compile(r"▶ 1155\s+" + re.escape(SENTENCE))  # the line marked as the one cited
# the bound «Controllo» filter carries the check's title in the URL
VERIFICA_QUERY = urlencode({"indicatore": "2019_02_01-I1", "gravita": "errore",
                            "controllo": "Percentuale nel testo diversa dai suoi dati"})

_FULLY_SHOWN_JS = """(el) => {
  const box = el.getBoundingClientRect();
  const pre = el.querySelector('pre') || el;
  return {left: box.left, right: box.right, width: window.innerWidth,
          clipped: pre.scrollWidth > pre.clientWidth + 1, text: el.innerText};
}"""


@pytest.fixture(params=[1366, 390], ids=["laptop-1366", "phone-390"])
def sized_page(request, browser):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="it-IT",
                                  timezone_id="Europe/Rome")
    context.add_init_script(harness.INIT_SCRIPT)
    page = harness.new_page(context)
    try:
        yield page, width
        assert not page.console.errors, page.console.errors
    finally:
        context.close()


def _quoted_line(page, width: int):
    """The plain text that quotes the sentence as the cited line: visible, inside the window, wrapped, not cut."""
    block = page.locator('[data-testid="stMain"] [data-testid="stText"]:visible', has_text=CITED).first
    block.scroll_into_view_if_needed()
    assert block.is_visible()
    shown = block.evaluate(_FULLY_SHOWN_JS)
    assert shown["left"] >= 0 and shown["right"] <= width + 1, shown
    assert not shown["clipped"], f"the quoted line is cut at {width} px"
    assert CITED.search(shown["text"]), shown["text"]
    return shown


def test_the_quoted_sentence_of_a_finding_on_verifica_and_on_the_indicator(app_server, sized_page):
    page, width = sized_page
    harness.open_page(page, app_server.page_url("verifica", VERIFICA_QUERY))
    panel = page.locator('[data-testid="stMain"]').get_by_text("Dettaglio del rilievo", exact=True)
    assert panel.count() == 1
    _quoted_line(page, width)
    # the full explanation is on screen too (not only in the table's cut cell), wrapped within the window
    explanation = page.locator('[data-testid="stMain"] [data-testid="stText"]',
                               has_text="probabile inversione di due cifre nel testo").first
    explanation.scroll_into_view_if_needed()
    shown = explanation.evaluate(_FULLY_SHOWN_JS)
    assert explanation.is_visible() and shown["right"] <= width + 1 and not shown["clipped"], shown

    harness.open_page(page, app_server.page_url("indicatori", "dettaglio=2019_02_01-I1"))
    _quoted_line(page, width)
