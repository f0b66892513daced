"""The Relazione as one self-contained HTML file (Jinja2: inline CSS, inline SVG, no network) and as a PDF (WeasyPrint:
A4, tagged PDF/UA-1 with the document language, fonts embedded, table headers repeated on every page).

User text reaches the HTML only through Jinja2's autoescaping; the only markup not escaped is the SVG of the charts,
which plotly writes (its text nodes are escaped by the browser that serialised them).
"""
from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import charts
from .content import Content

TEMPLATES = Path(__file__).resolve().parent / "templates"
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "optimize_images": True}
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


def html(content: Content, svgs: dict[str, str], notes: list[str]) -> str:
    """The whole document: one HTML string with its stylesheet inline."""
    template = _ENV.get_template("relazione.html.j2")
    return template.render(
        c=content, svgs=svgs, notes=notes, css=(TEMPLATES / "relazione.css").read_text(encoding="utf-8"),
        status_colours=charts.STATUS_COLOURS, status_meaning=charts.STATUS_MEANING).translate(SYMBOL_FONT_BULLETS)


def pdf(document: str) -> bytes:
    """The HTML document as PDF bytes. Raises PdfUnavailable when WeasyPrint cannot run here."""
    why = pdf_problem()
    if why:
        raise PdfUnavailable(why)
    import logging

    import weasyprint

    # WeasyPrint logs every CSS property it does not know (Streamlit-style vendor prefixes, none here) at WARNING;
    # the document is checked by the tests, so keep the log for errors only.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint.HTML(string=document, base_url=str(TEMPLATES)).write_pdf(**PDF_OPTIONS)
