"""The dashboard's plotly figures as vector graphics (SVG) for the Relazione, drawn by kaleido in a headless Chromium.

kaleido 1.x drives a Chrome it finds on the machine (Debian's /usr/bin/chromium here; CRUSCOTTO_CHROMIUM, the same
variable the browser tests read, names another one) and takes plotly.js from the installed plotly package, so nothing
is fetched from the network (MathJax, which it would fetch, is turned off). Starting Chromium is most of the cost
(about two seconds), so one browser is shared by every Relazione of the process: `warm_up()` starts it in the
background while the data are read, and it closes itself after ten idle minutes and at exit.

Each SVG gets a <title> (its alternative text: WeasyPrint writes it as the /Alt of the tagged figure, screen readers
read it in the HTML) and is scaled to the width of the text by the stylesheet (viewBox and aspect ratio kept).
"""
from __future__ import annotations

import asyncio
import atexit
import html
import logging
import os
import re
import threading
import warnings
from concurrent.futures import Future

from .content import Chart

WIDTH = 760  # px: drawn at this width, printed at the text width (about 170 mm), so 12 px text prints at ~8,5 pt
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"  # the document's font, embedded in the PDF
TIMEOUT_S = 60  # for the browser to start
CHART_TIMEOUT_S = 20  # for one chart (about 0,2 s when all is well)
TABS = 1  # charts drawn at once (one per tab); two tabs gain little on two cores and hung now and then


# Chromium's temporary profile is sometimes still in use when the browser closes: choreographer retries, then warns
# and logs with a traceback. Nothing for a user to read (the profile is in the system's temporary folder).
logging.getLogger("choreographer").setLevel(logging.ERROR)
logging.getLogger("kaleido").setLevel(logging.ERROR)
warnings.filterwarnings("ignore", message="The temporary directory could not be deleted")


class ChartsUnavailable(RuntimeError):
    """kaleido or Chromium is missing or failed: the message says so in Italian."""


def problem() -> str | None:
    """Why charts cannot be drawn on this machine (Italian), or None when kaleido and a Chromium are there."""
    try:
        import kaleido  # noqa: F401
        from choreographer.browsers.chromium import Chromium
    except ImportError:
        return ("mancano i grafici: il pacchetto kaleido non è installato (pip install -r requirements.txt); "
                "la Relazione riporta i dati in tabella.")
    if _chromium() is None and Chromium.find_browser(skip_local=False) is None:
        return ("mancano i grafici: non c'è un browser Chromium per disegnarli (apt-get install chromium); "
                "la Relazione riporta i dati in tabella.")
    return None


def _chromium() -> str | None:
    path = os.environ.get("CRUSCOTTO_CHROMIUM")
    return path if path and os.access(path, os.X_OK) else None


def for_print(figure):
    """The figure dressed for paper: white background, the document's font, no hover layer. In place: the charts of
    a Relazione are built for it (content.py), nobody else holds them."""
    fig = figure
    fig.update_layout(template="plotly_white", font=dict(family=FONT, size=12), paper_bgcolor="white",
                      plot_bgcolor="white", hovermode=False)
    return fig


def to_svg(charts: list[Chart], progress=None) -> dict[str, str]:
    """{chart key: accessible SVG} for every chart, drawn by the shared browser. Raises ChartsUnavailable.

    `progress(i, n)` is called in the caller's thread after each chart (Streamlit widgets cannot be updated from
    another thread)."""
    drawing = Drawing(charts)
    out = {}
    for i, chart in enumerate(charts):
        out[chart.key] = drawing.svg(chart.key)
        if progress:
            progress(i + 1, len(charts))
    return out


class Drawing:
    """The charts being drawn, one after the other, in a thread of their own: the caller goes on (WeasyPrint parses
    the document meanwhile) and takes each SVG when it needs it with `svg(key)`."""

    def __init__(self, charts: list[Chart]):
        why = problem()
        if why:
            raise ChartsUnavailable(why)
        self._jobs: dict[str, Future] = {c.key: Future() for c in charts}
        threading.Thread(target=self._run, args=(charts,), name="relazione-grafici", daemon=True).start()

    def _run(self, charts: list[Chart]) -> None:
        """Draw every chart; if the browser fails or hangs (kaleido's tab sometimes never comes back from its reload
        on a busy machine), start a fresh one and draw what is left, once."""
        failure: Exception | None = None
        for _ in range(2):
            left = [c for c in charts if not self._jobs[c.key].done()]
            if not left:
                return
            try:
                self._draw(left)
                return
            except Exception as exc:  # noqa: BLE001 - a browser that does not start, a chart that never comes back
                failure = exc
                BROWSER.close()
        message = failure if isinstance(failure, ChartsUnavailable) else ChartsUnavailable(
            f"i grafici non si sono potuti disegnare ({type(failure).__name__}: {failure}); la Relazione riporta i "
            "dati in tabella.")
        for job in self._jobs.values():
            if not job.done():
                job.set_exception(message)

    def _draw(self, charts: list[Chart]) -> None:
        """Hand the charts to the browser at once (it draws TABS at a time), collect them in order."""
        pending = []
        for chart in charts:
            fig = for_print(chart.figure)
            pending.append((chart, BROWSER.submit(fig, WIDTH, chart.height or fig.layout.height or 400)))
        for chart, drawn in pending:  # each waited for after the one before: about one chart's time
            self._jobs[chart.key].set_result(accessible(drawn.result(timeout=CHART_TIMEOUT_S), chart.alt))

    def svg(self, key: str) -> str:
        """The chart's SVG (waits for it). Raises ChartsUnavailable."""
        try:
            return self._jobs[key].result(timeout=2 * (TIMEOUT_S + CHART_TIMEOUT_S))  # two tries at worst
        except TimeoutError:  # concurrent.futures.TimeoutError is TimeoutError since Python 3.11
            raise ChartsUnavailable("i grafici non si sono potuti disegnare in tempo; la Relazione riporta i dati in "
                                    "tabella.") from None

    def drawn(self) -> dict[str, str]:
        """Every chart drawn without error (waits for all)."""
        out = {}
        for key in self._jobs:
            try:
                out[key] = self.svg(key)
            except ChartsUnavailable:
                pass
        return out


def warm_up() -> None:
    """Start the browser now, in the background, if charts can be drawn here."""
    if problem() is None:
        BROWSER.start()


class _Browser:
    """One kaleido (one headless Chromium with plotly.js loaded) on an event loop in a thread of its own, shared by
    every Relazione of this process: the app pays the start once, not at every document. It closes itself after
    IDLE_S seconds without work and at exit, taking Chromium with it."""

    IDLE_S = 600

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready: Future | None = None
        self._thread: threading.Thread | None = None
        self._idle = None
        atexit.register(self.close)

    def start(self) -> None:
        """Open the browser if it is not open; returns at once (draw() waits for it)."""
        with self._lock:
            if self._loop is not None:
                return
            self._loop, self._ready = asyncio.new_event_loop(), Future()
            self._thread = threading.Thread(target=self._run, args=(self._loop, self._ready),
                                            name="relazione-kaleido", daemon=True)
            self._thread.start()

    def _run(self, loop: asyncio.AbstractEventLoop, ready: Future) -> None:
        import kaleido

        asyncio.set_event_loop(loop)
        options = {"path": _chromium()} if _chromium() else {}
        try:
            k = kaleido.Kaleido(n=TABS, timeout=CHART_TIMEOUT_S, mathjax=False, **options)
            loop.run_until_complete(k.open())
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits for the browser
            ready.set_exception(exc)
            loop.close()
            return
        ready.set_result(k)
        loop.run_forever()  # until close() stops it
        try:
            loop.run_until_complete(k.close())
        finally:
            loop.close()

    def submit(self, figure, width: int, height: int) -> Future:
        """Start drawing the figure; the future gives its SVG bytes. Waits for the browser to be open."""
        self.start()
        with self._lock:
            loop, ready = self._loop, self._ready
        k = ready.result(timeout=TIMEOUT_S)
        loop.call_soon_threadsafe(self._cancel_idle)
        job = asyncio.run_coroutine_threadsafe(
            k.calc_fig(figure, opts={"format": "svg", "width": width, "height": height}), loop)
        job.add_done_callback(lambda _: loop.call_soon_threadsafe(self._close_when_idle, loop))
        return job

    def _cancel_idle(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None

    def _close_when_idle(self, loop) -> None:
        self._cancel_idle()
        self._idle = loop.call_later(self.IDLE_S, self._stop, loop)

    def _stop(self, loop) -> None:
        """On the loop's thread: forget this loop (unless a newer one replaced it) and stop it."""
        with self._lock:
            if self._loop is loop:
                self._loop, self._ready = None, None
        loop.stop()

    def close(self) -> None:
        """Stop the browser and wait for Chromium to exit (at most a few seconds)."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop, self._ready = None, None
        if loop is None:
            return
        try:
            loop.call_soon_threadsafe(loop.stop)
        except RuntimeError:  # the loop is already closed (the browser never started)
            return
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)


BROWSER = _Browser()


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def accessible(svg: bytes, alt: str) -> str:
    """The SVG with a <title> (its alternative text) and role="img"."""
    text = svg.decode("utf-8")
    match = _SVG_OPEN.search(text)
    if match is None:
        raise ChartsUnavailable("i grafici non si sono potuti disegnare (SVG non valido); la Relazione riporta i dati "
                                "in tabella.")
    # width and height stay (they give the aspect ratio); the stylesheet sets width: 100%, height: auto
    opened = match.group(0).replace("<svg", f'<svg role="img" aria-label="{html.escape(alt)}"', 1)
    return f"{text[:match.start()]}{opened}<title>{html.escape(alt, quote=False)}</title>{text[match.end():]}"
