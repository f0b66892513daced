"""Printing from chromium (issue 12, item 5): Panoramica and Verifica printed to A4 have no sidebar and every row of
every table, although Streamlit's grid draws only the rows in view (ui/printing.py)."""
from __future__ import annotations

import io
import re
import unicodedata

import harness
import pytest

pypdf = pytest.importorskip("pypdf")


def _printed_text(page, url: str, *, opened: bool = False) -> str:
    """The page as chromium prints it (print stylesheet, A4), as text without whitespace (table cells wrap); with
    `opened`, after opening every section (what is drawn on request prints once drawn)."""
    harness.open_page(page, url)
    if opened:
        harness.expand_all(page)
    page.emulate_media(media="print")
    harness.wait_drawn(page)
    harness.settle(page)
    data = page.pdf(format="A4", print_background=True)
    page.emulate_media(media="screen")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(_squeezed(p.extract_text()) for p in reader.pages)


def _squeezed(text) -> str:
    """Without whitespace and with ligatures spelt out (the font prints «ﬀ» for «ff»)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


# The sidebar: its header, the shared filters (label and placeholders) and the export button.
SIDEBAR = ["Filtri", "Annodellarelazione", "Tuttelearee", "Tuttigliobiettivi", "Scaricalavista"]


def test_panoramica_prints_without_sidebar_and_with_every_row(app_server, page, shipped_store):
    from cruscotto import store
    from cruscotto.store import queries
    con = store.connect(shipped_store, read_only=True)  # the same data as the server's copy
    try:
        period = {"ente": "CCIAA di Cremona", "anno": 2019}
        weak = queries.run(con, "punti_deboli", period)
        areas = queries.run(con, "riepilogo_aree", period)
    finally:
        con.close()
    text = _printed_text(page, app_server.page_url(""))  # Panoramica is the home page, at the root

    assert "Panoramica" in text and "Insintesi." in text
    for label in SIDEBAR:
        assert label not in text, f"sidebar text «{label}» printed"
    # «Da guardare»: 2019_04_01-I1 and -I2 without valore raggiunto, 2019_03_01-I1 without declared esito (data/).
    assert {"2019_04_01-I1", "2019_04_01-I2", "2019_03_01-I1"} <= set(weak["codice"])
    for row in weak.itertuples():
        assert _squeezed(row.codice) in text and _squeezed(row.motivo) in text
    for row in areas.itertuples():  # the four areas of the table «Indicatori per area strategica»
        assert _squeezed(row.denominazione) in text


def test_verifica_prints_every_finding(app_server, page, shipped_store):
    from cruscotto import store, verifica
    from cruscotto.store import queries
    con = store.connect(shipped_store, read_only=True)  # the same data as the server's copy
    try:
        findings = verifica.run_checks(con, "CCIAA di Cremona", 2019)
        gradi = queries.run(con, "grado_obiettivi", {"ente": "CCIAA di Cremona", "anno": 2019})
    finally:
        con.close()
    # the grado per obiettivo is drawn on request («Mostra il grado di ogni obiettivo»): opened, it prints too
    text = _printed_text(page, app_server.page_url("verifica"), opened=True)

    for label in SIDEBAR + ["Tutteleggravità", "Tuttiicontrolli"]:  # and the page's own filters
        assert label not in text, f"sidebar text «{label}» printed"
    # 2 errors + 29 warnings + 13 notes (data/README.md, «Rilievi della verifica»): far more than the grid shows.
    assert len(findings) == 44
    for f in findings:  # each finding's object and the start of its explanation, on paper
        assert _squeezed(f.oggetto) in text and _squeezed(f.spiegazione[:60]) in text, f.oggetto
    for row in gradi.itertuples():  # «Grado di raggiungimento per obiettivo»: every area and objective
        assert _squeezed(row.codice) in text
