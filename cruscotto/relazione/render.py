"""The Relazione as one self-contained HTML file (Jinja2: inline CSS, inline SVG, no network) and as a PDF (WeasyPrint:
A4, tagged PDF/UA-1 with the document language, fonts embedded, table headers repeated on every page).

User text reaches the HTML only through Jinja2's autoescaping; the only markup not escaped is the SVG of the charts,
which plotly writes (its text nodes are escaped by the browser that serialised them).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from cruscotto.present import charts

from .content import Content

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
CHART_URL = "grafico:"  # <img src="grafico:KEY">: the chart, handed to WeasyPrint by _Charts when it asks for it
# Bullets pasted from Word keep the Symbol font's private code points (the 2019 report's «\uf0b7»): no font has a
# glyph for them, so they would print as empty boxes. They are bullets: print them as bullets.
SYMBOL_FONT_BULLETS = str.maketrans({"\uf0b7": "•", "\uf0a7": "▪"})

_ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)
_ENV.filters["data"] = lambda d: f"{d:%d/%m/%Y}"
_ENV.filters["ora"] = lambda d: f"{d:%H:%M}"
_ENV.filters["svg"] = lambda svg: Markup(svg)  # noqa: S704 - plotly's SVG, see the module docstring


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the system library Pango it needs) is missing: the message says so in Italian."""


def pdf_problem() -> str | None:
    """Why a PDF cannot be produced on this machine (Italian), or None."""
    try:
        import weasyprint  # noqa: F401  (OSError: the Pango library is missing)
    except (ImportError, OSError) as exc:
        return (f"il PDF non si può produrre su questo computer: manca WeasyPrint o la libreria Pango "
                f"({type(exc).__name__}). Installare con «pip install -r requirements.txt» (Pango: apt-get install "
                "libpango-1.0-0); intanto si può scaricare la versione HTML e stamparla dal browser.")
    return None


def html(content: Content, svgs: dict[str, str], notes: list[str], *, images: bool = False) -> str:
    """The whole document: one HTML string with its stylesheet inline. Charts are inline SVG from `svgs` (a missing
    one says so in words), or with `images` <img src="grafico:KEY"> for WeasyPrint to ask for (see pdf())."""
    template = _ENV.get_template("relazione.html.j2")
    return template.render(
        c=content, svgs=svgs, notes=notes, images=images, chart_url=CHART_URL,
        css=(TEMPLATES / "relazione.css").read_text(encoding="utf-8"),
        status_colours=charts.STATUS_COLOURS, status_meaning=charts.STATUS_MEANING).translate(SYMBOL_FONT_BULLETS)


def pdf(document: str, chart_svg: Callable[[str], str] | None = None) -> bytes:
    """The HTML document as PDF bytes. Raises PdfUnavailable when WeasyPrint cannot run here.

    `chart_svg(key)` gives the SVG of each <img src="grafico:KEY"> when WeasyPrint reaches it, so that the charts can
    still be drawing while WeasyPrint parses and styles the document. Nothing else is fetched (no network)."""
    why = pdf_problem()
    if why:
        raise PdfUnavailable(why)
    import logging

    import weasyprint

    # WeasyPrint logs at WARNING what it cannot use (an image that failed, a CSS property it does not know): the
    # document says itself what is missing, so keep its log for errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    fetcher = _charts_fetcher(chart_svg)
    return weasyprint.HTML(string=document, base_url=str(TEMPLATES), url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)


def _charts_fetcher(chart_svg):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Charts(URLFetcher):
        def fetch(self, url, headers=None):
            if chart_svg is None or not url.startswith(CHART_URL):
                raise ValueError(f"la Relazione non carica risorse esterne: {url}")
            body = chart_svg(url[len(CHART_URL):]).encode("utf-8")
            return URLFetcherResponse(url, body, {"Content-Type": "image/svg+xml"})

    return Charts()
