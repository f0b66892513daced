"""User text stays text in chromium. This module's server runs on a store whose every free-text field, the ente, an
area code and the uploaded file's name hold a Markdown image and link, raw HTML (<a href>, <img onerror>), a
Streamlit colour and a LaTeX formula (tests/hostile_data.py), imported as a user would. On every page of app.py,
expanders open: no request leaves for another address, no image, link, formula or colour from the data is drawn,
and the text reads exactly as written."""
from __future__ import annotations

import sys

import harness
import pytest

sys.path.insert(0, str(harness.ROOT / "tests"))
import hostile_data  # noqa: E402

# Elements that would mean the data became markup: an image or a link to the outside, KaTeX, a colour directive,
# an <a> inside a plotly SVG.
_MARKUP_FROM_DATA_JS = r"""(addresses) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const out = [];
  for (const el of document.querySelectorAll('img, image, a[href], iframe, video, audio, source')) {
    const where = el.getAttribute('src') || el.getAttribute('href') || el.getAttribute('xlink:href') || '';
    // a link to a page of the app itself carries the ente in its query string, URL-encoded: a link of ours, inert
    const ours = el.matches('a[href]') && new URL(where, location.href).origin === location.origin;
    if (!ours && addresses.some(a => where.includes(a))) out.push(el.outerHTML.slice(0, 200));
  }
  main.querySelectorAll('.katex, .stMarkdownColoredText').forEach(el => out.push(el.outerHTML.slice(0, 200)));
  document.querySelectorAll('.main-svg a').forEach(el => out.push('plotly link: ' + el.outerHTML.slice(0, 200)));
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_server(chromium, tmp_path_factory):
    store = hostile_data.hostile_store(tmp_path_factory.mktemp("e2e-ostile") / "cruscotto.duckdb")
    with harness.StreamlitServer(harness.APP, db_path=store,
                                 log_dir=tmp_path_factory.mktemp("e2e-ostile-logs")) as server:
        yield server


def test_page_shows_hostile_text_as_text_and_loads_nothing_from_outside(hostile_server, page, app_page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    harness.open_page(page, hostile_server.page_url(app_page.url_path))
    if harness.expand_all(page):
        harness.check_page(page, f"{app_page.title}, expanders open")
    harness.settle(page)

    outside = [url for url in requests if not url.startswith(hostile_server.url + "/")]
    assert not outside, f"{app_page.title}: requests for other addresses: {outside}"
    markup = page.evaluate(_MARKUP_FROM_DATA_JS, list(hostile_data.LEAK_ADDRESSES))
    assert not markup, f"{app_page.title}: data drawn as markup: {markup}"
    if app_page.name not in ("carica_dati",):
        # the line under the title reads the chamber and the file name exactly as written
        shown = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
        shown = shown.replace(hostile_data.WORD_JOINER, "")
        assert hostile_data.ENTE in shown and hostile_data.FILE_NAME in shown, shown
