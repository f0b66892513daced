"""Public references in chromium (issue 16, item 3): the trend of the pratiche evase entro 5 giorni on «Andamenti»
draws Italia 2019 75,4% (data/riferimenti.csv) as a dashed line with its own shape, named in the legend, with its
source under the chart."""
from __future__ import annotations

import harness

SOURCE = "fonte: pubblicazioni delle camere di commercio e stampa"


def test_the_pratiche_trend_shows_italia_2019_as_a_reference_with_its_source(app_server, page):
    harness.open_page(page, app_server.page_url("andamenti"))
    drawn = harness.chart_texts(page, 0)  # the first chart of the page: pratiche evase entro 5 giorni
    assert "Italia 2019: 75,4%" in drawn  # the legend names it, beside its shape
    assert "Riferimenti pubblici (fonti sotto il grafico)" in drawn
    caption = page.get_by_text("Linee tratteggiate nere: valori di riferimento pubblici").inner_text()
    assert f"Italia 2019: 75,4% ({SOURCE})" in caption
