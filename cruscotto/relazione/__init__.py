"""La Relazione: the state of the performance plan for one chamber and year (optionally one area strategica) as a
print-ready document, for the Giunta, the OIV and Amministrazione trasparente.

    from cruscotto import relazione
    pdf = relazione.build_pdf(con, "CCIAA di Cremona", 2019)          # bytes (raises PdfUnavailable)
    html = relazione.build_html(con, "CCIAA di Cremona", 2019)        # one self-contained file
    out = relazione.build(con, ente, anno, area, pdf=True, progress=callback)   # both at once, with notes

Stages: content.gather (queries/ and the Verifica, Italian text) → figures.Drawing (the dashboard's plotly figures,
drawn as SVG by kaleido with the system Chromium, in the background) → render.html (Jinja2 template) → render.pdf
(WeasyPrint, tagged PDF/UA-1; it takes each chart when its layout reaches it, so drawing and parsing overlap).
The app page «Relazione» and `python -m cruscotto relazione` call `build`. No streamlit here.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from cruscotto.store import queries

from . import content as _content
from . import figures as _figures
from . import render as _render
from .content import NoData
from .figures import ChartsUnavailable
from .render import PdfUnavailable

__all__ = ["Output", "NoData", "PdfUnavailable", "ChartsUnavailable", "build", "build_html", "build_pdf",
           "default_period", "file_name", "missing_renderers"]

Progress = Callable[[float, str], None]


@dataclass
class Output:
    html: str
    pdf: bytes | None
    notes: list[str] = field(default_factory=list)  # what is missing from this copy, in Italian (no charts, no PDF)
    ente: str = ""
    anno: int = 0
    area: str | None = None
    prodotta_il: datetime | None = None

    def file_name(self, ext: str) -> str:
        return file_name(self.ente, self.anno, self.area, ext, self.prodotta_il)


def missing_renderers() -> dict[str, str]:
    """{'pdf': why, 'grafici': why} for what cannot run on this machine (Italian); empty when everything can."""
    out = {}
    if why := _render.pdf_problem():
        out["pdf"] = why
    if why := _figures.problem():
        out["grafici"] = why
    return out


def build(con, ente: str, anno: int, area: str | None = None, *, pdf: bool = True, progress: Progress | None = None,
          now: datetime | None = None, attuale: int | None = None) -> Output:
    """The Relazione as HTML and (with `pdf`, when WeasyPrint can run) PDF. Missing charts or PDF renderer are not
    errors: the document says so and `notes` lists them. Raises NoData for an ente, anno or area the store lacks.
    `con` may be the store as it was at an earlier version (store.snapshot); `attuale`, the current version, then
    lets the cover say that the document shows the data «come alla versione N»."""
    say = progress or (lambda fraction, text: None)
    say(0.02, "Lettura dei dati e verifica di attendibilità…")
    _figures.warm_up()  # Chromium starts while the data are read
    cover_notes, notes = [], []
    drawings = []

    def start_drawing(charts) -> None:  # the charts are drawn in the background from now on
        try:
            drawings.append(_figures.Drawing(charts))
        except ChartsUnavailable as exc:
            cover_notes.append(f"Grafici: {exc}")

    doc = _content.gather(con, ente, anno, area, now, on_charts=start_drawing, attuale=attuale)
    charts = doc.charts
    drawing = drawings[0] if drawings else None
    failed: list[str] = []

    def chart_svg(key: str) -> str:
        """For WeasyPrint, in this thread: each chart when the layout reaches it."""
        try:
            svg = drawing.svg(key)
        except ChartsUnavailable as exc:
            failed.append(str(exc))
            raise
        done = [c.key for c in charts].index(key) + 1
        say(0.3 + 0.3 * done / len(charts), f"Impaginazione del PDF (A4), grafici {done} di {len(charts)}…")
        return svg

    data = None
    if pdf and (why := _render.pdf_problem()):
        notes.append(f"PDF: {why}")
    elif pdf:
        say(0.3, "Impaginazione del PDF (A4) e disegno dei grafici…")
        data = _render.pdf(_render.html(doc, {}, cover_notes, images=drawing is not None),
                           chart_svg if drawing else None)
    elif drawing:
        for i, chart in enumerate(charts):
            say(0.3 + 0.6 * i / len(charts), f"Disegno dei grafici ({i} di {len(charts)})…")
            try:
                drawing.svg(chart.key)
            except ChartsUnavailable as exc:
                failed.append(str(exc))
    svgs = drawing.drawn() if drawing else {}
    if failed:
        cover_notes.append(f"Grafici: {failed[0]}")
    say(0.97, "Versione HTML…")
    html = _render.html(doc, svgs, cover_notes)
    say(1.0, "Relazione pronta.")
    return Output(html, data, cover_notes + notes, ente, int(anno), area, doc.prodotta_il)


def build_html(con, ente: str, anno: int, area: str | None = None, **kwargs) -> str:
    return build(con, ente, anno, area, pdf=False, **kwargs).html


def build_pdf(con, ente: str, anno: int, area: str | None = None, **kwargs) -> bytes:
    """The PDF; raises PdfUnavailable when WeasyPrint cannot run here."""
    out = build(con, ente, anno, area, pdf=True, **kwargs)
    if out.pdf is None:
        raise PdfUnavailable(_render.pdf_problem() or "PDF non prodotto")
    return out.pdf


def default_period(con, ente: str | None = None, anno: int | None = None) -> tuple[str, int]:
    """The chosen ente and anno, or the app's defaults: the installation's chamber, the ente's latest year."""
    periods = queries.run(con, "scelte_periodi")
    if periods.empty:
        raise NoData("Nessun dato nel database: caricarne con «python -m cruscotto build» o «import FILE».")
    ente = ente or periods["ente"].iloc[0]
    years = periods.loc[periods["ente"] == ente, "anno"]
    if years.empty:
        raise NoData(f"L'ente «{ente}» non è nel database (enti: {', '.join(dict.fromkeys(periods['ente']))}).")
    return ente, int(anno if anno is not None else years.max())


def file_name(ente: str, anno: int, area: str | None, ext: str, when: datetime | None = None) -> str:
    """«Relazione_CCIAA-di-Cremona_2019_2026-12-01.pdf» (with the area: «…_2019_area-2019_02_2026-12-01.pdf»)."""
    def slug(text: str) -> str:
        plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
        return re.sub(r"[^A-Za-z0-9_]+", "-", plain).strip("-") or "ente"

    parts = ["Relazione", slug(ente), str(int(anno))]
    if area:
        parts.append(f"area-{slug(area)}")
    parts.append(f"{(when or datetime.now()):%Y-%m-%d}")
    return "_".join(parts) + f".{ext}"
