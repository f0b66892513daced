"""The Relazione (issue 12): what a reader of the PDF finds in it, that the PDF is accessible and publishable, that
an uploaded year gives that year's document, and what happens when a renderer is missing.

Expected figures come from the 2019 report as transcribed in data/ (see the comments); the lists of codes and
findings are read from the store, since the document must hold every one of them.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import unicodedata
from datetime import datetime

import pytest
from builders.apptest import download
from builders.workbooks import CHANGED_INDICATOR, NEW_OBJECTIVE, commit_file, workbook_2020

from cruscotto import pipeline, relazione, store, verifica
from cruscotto.cli import main
from cruscotto.relazione import figures, render
from cruscotto.store import queries

pypdf = pytest.importorskip("pypdf")
ENTE = "CCIAA di Cremona"
INDICATORE = "2019_02_01-I1"  # tasso di evasione delle pratiche entro 5 giorni
REASON = "Il valore segue la modalità di calcolo come è scritta: evase nel 2019 su evase nel 2013."


def squeezed(text) -> str:
    """Text without whitespace (a table cell or a long value wraps over lines) and with ligatures spelt out."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def pdf_text(data: bytes) -> str:
    return "".join(squeezed(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def needs_charts() -> None:
    """The charts need kaleido and chromium: required under CI (as the browser tests), skipped elsewhere without."""
    why = figures.problem()
    if why:
        if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
            pytest.fail(f"CI=true and no charts: {why}", pytrace=False)
        pytest.skip(why)


@pytest.fixture(scope="module")
def module_store(shipped_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("relazione") / "cruscotto.duckdb"
    shutil.copy(shipped_store, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CRUSCOTTO_DB", str(path))
        yield path


@pytest.fixture(scope="module")
def pdf_2019(module_store, tmp_path_factory) -> bytes:
    """`python -m cruscotto relazione --ente "CCIAA di Cremona" --anno 2019 --formato pdf`, as the issue asks."""
    out = tmp_path_factory.mktemp("pdf") / "relazione.pdf"
    assert main(["relazione", "--ente", ENTE, "--anno", "2019", "--formato", "pdf", "--out", str(out)]) == 0
    return out.read_bytes()


@pytest.fixture(scope="module")
def store_2019(module_store):
    con = store.connect(module_store, read_only=True)
    yield con
    con.close()


def test_pdf_holds_every_indicator_with_its_values_and_the_report_figures(pdf_2019, store_2019):
    text = pdf_text(pdf_2019)
    scorecard = queries.run(store_2019, "scheda_indicatori", {"ente": ENTE, "anno": 2019})
    assert len(scorecard) == 26  # 15 + 3 + 3 + 5 indicators in the four areas (data/indicatori.csv)
    for row in scorecard.itertuples():  # valore atteso and raggiunto as the dashboard shows them (the report's text)
        assert squeezed(row.codice) in text, row.codice
        for value in (row.valore_atteso, row.valore_raggiunto):
            if isinstance(value, str):
                assert squeezed(value) in text, (row.codice, value)
    # 18235 / 20456 = 89,14% pratiche evase entro 5 giorni in 2019; 2019_02_01-I1 declares «= 137,56%»;
    # imprese internazionalizzazione 865 / 621 = 139,29% of the year before.
    assert "89,14%" in text and "137,56" in text and "139,29%" in text
    assert "Relazionesullaperformance2019" in text and "CCIAAdiCremona" in text
    assert "pagina1di" not in text and re.search(r"pagina2di\d+", text)  # footer from page 2 (the cover has none)


def test_pdf_allegato_oiv_holds_every_finding(pdf_2019, store_2019):
    text = pdf_text(pdf_2019)
    findings = verifica.run_checks(store_2019, ENTE, 2019)
    assert verifica.counts(findings) == {"errore": 2, "avviso": 29, "info": 13}  # data/README.md, «Rilievi»
    for f in findings:
        assert squeezed(f.oggetto) in text and squeezed(f.spiegazione[:80]) in text, f.oggetto
    assert "AllegatoOIV" in text
    for check in verifica.CHECKS.values():  # the checklist of what was checked
        assert squeezed(check.titolo) in text


def test_pdf_is_tagged_italian_with_embedded_fonts_and_small(pdf_2019):
    needs_charts()
    reader = pypdf.PdfReader(io.BytesIO(pdf_2019))
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "it"
    assert catalog["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in catalog
    fonts = _fonts(reader)
    assert fonts, "no font found"
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object()), f"font {name} not embedded"
    figures_alt = [node for node in _struct_nodes(catalog["/StructTreeRoot"]) if node.get("/S") == "/Figure"]
    assert len(figures_alt) >= 8 and all(node.get("/Alt") for node in figures_alt)  # every chart has its words
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert len(pdf_2019) <= 3 * 1024 * 1024


def _fonts(reader) -> dict:
    found = {}

    def walk(resources):
        resources = resources.get_object() if resources is not None else {}
        for name, font in (resources.get("/Font") or {}).items():
            font = font.get_object()
            found[font.get("/BaseFont", name)] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                walk(xobject["/Resources"])

    for page in reader.pages:
        walk(page.get("/Resources"))
    return found


def _struct_nodes(node, depth=0):
    node = node.get_object()
    if isinstance(node, dict):
        yield node
        kids = node.get("/K")
        if kids is not None and depth < 60:
            for kid in kids if isinstance(kids, list) else [kids]:
                kid = kid.get_object() if hasattr(kid, "get_object") else kid
                if isinstance(kid, dict):
                    yield from _struct_nodes(kid, depth + 1)


def test_pdf_draws_the_public_references_with_their_source(pdf_2019):
    """Issue 16: Italia 2019 75,4% (data/riferimenti.csv) on the trend of pratiche evase, with its source said."""
    text = pdf_text(pdf_2019)
    sources = text[text.index("Fontideiriferimenti:"):]
    assert sources.startswith("Fontideiriferimenti:CCIAAdiPisa2019:99,3%")
    assert squeezed("Italia 2019: 75,4% (fonte: pubblicazioni delle camere di commercio e stampa)") in sources


def test_a_motivazione_is_under_its_indicator_and_in_the_allegato_oiv(module_store, tmp_path):
    """Issue 16: «A motivazione entered for 2019_02_01-I1 appears … in the Relazione»."""
    path = tmp_path / "cruscotto.duckdb"
    shutil.copy(module_store, path)
    con = store.connect(path)
    try:
        assert pipeline.annotate(con, ENTE, 2019, INDICATORE, "motivazione", REASON, utente="ufficio").ok
        text = pdf_text(relazione.build(con, ENTE, 2019, "2019_02").pdf)
    finally:
        con.close()
    reason = squeezed(REASON)
    first = text.index(INDICATORE, text.index("Area2019_02·"))  # its card in chapter 2, up to the next indicator
    card = text[first:text.index("2019_02_01-I2", first)]
    assert "Motivazionedelloscostamento(ufficio," in card and reason in card
    allegato = text[text.rindex(squeezed("Motivazioni degli scostamenti e note dell'OIV")):]
    assert f"{INDICATORE}Motivazionedelloscostamento{reason}ufficio" in allegato  # indicator, kind, text, author


def test_the_relazione_as_at_version_1_after_the_2020_upload(app, db_path):
    """«Dati come alla versione 1» (?versione=1): the page's Relazione reads the data as they were then (no 2020, no
    motivazione written later) and its cover says so."""
    con = store.connect(db_path)
    try:
        assert commit_file(con, workbook_2020(), "relazione_2020.xlsx") == 2
        assert pipeline.annotate(con, ENTE, 2019, INDICATORE, "motivazione", REASON, utente="ufficio").version == 3
    finally:
        con.close()
    at = app("pages/relazione.py", versione="1")
    assert any("Dati come alla versione 1" in w.value for w in at.warning)
    at.button[0].click().run()  # «Prepara la Relazione»
    assert not at.exception, [e.message for e in at.exception]
    html = download(at, "Scarica l'HTML").decode("utf-8")
    assert "Relazione sulla performance <span class=\"anno-testata\">2019</span>" in html  # 2020 is not offered
    assert "<dt>Dati come alla versione</dt><dd>1 (in sola lettura; la versione attuale del database è la 3)</dd>" in html
    assert NEW_OBJECTIVE not in html and "relazione_2020.xlsx" not in html and REASON not in html
    assert "Nessuna motivazione o nota dell'OIV registrata" in html


def test_html_is_one_self_contained_file(store_2019):
    needs_charts()
    html = relazione.build_html(store_2019, ENTE, 2019)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="it">' in html
    assert html.count("<svg") >= 8 and "<title>Grafico" in html  # the charts, inline, with their alternative text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)  # nothing fetched from the network
    assert "<script" not in html and "<link" not in html
    assert "2019_02_01-I1" in html and "= 137,56%" in html


def test_user_text_is_escaped_in_the_html(module_store, tmp_path):
    """A title with markup stays text (a store someone filled by hand, or a malicious upload)."""
    path = tmp_path / "cruscotto.duckdb"
    shutil.copy(module_store, path)
    con = store.connect(path)
    try:
        con.execute("UPDATE obiettivi SET titolo = '<script>alert(1)</script> & co.' WHERE codice = '2019_02_01_01'")
        store.recompute(con)  # a row written by hand: the derived tables follow, as after an import
        html = relazione.build_html(con, ENTE, 2019, "2019_02")
    finally:
        con.close()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co." in html


def test_the_2020_workbook_gives_a_2020_relazione(module_store, tmp_path):
    path = tmp_path / "cruscotto.duckdb"
    shutil.copy(module_store, path)
    con = store.connect(path)
    try:
        commit_file(con, workbook_2020(), "relazione_2020.xlsx")
        out = relazione.build(con, ENTE, 2020)
    finally:
        con.close()
    text = pdf_text(out.pdf)
    assert "Relazionesullaperformance2020" in text and "relazione_2020.xlsx" in text  # cover: year and data file
    # the changed indicator's 2020 value, and no longer its 2019 one
    assert squeezed(f"{CHANGED_INDICATOR}") in text and "=141,81%" in text and "=137,56%" not in text
    # 2020: 17.000 evase su 18.500 = 91,8919 -> 91,89%; the new objective of 2020 with its title
    assert "91,89%" in text and NEW_OBJECTIVE in text and squeezed("Digitalizzare l'archivio delle pratiche") in text
    assert out.file_name("pdf").startswith("Relazione_CCIAA-di-Cremona_2020_")


def test_one_area_only(store_2019):
    html = relazione.build_html(store_2019, ENTE, 2019, "2019_02")
    assert "Area 2019_02 · M.012-REGOLAZIONE DEL MERCATO" in html and "Area 2019_01" not in html
    assert "2019_02_01-I1" in html and "2019_03_01_3-I1" not in html
    assert "Pratiche del Registro imprese evase entro 5 giorni" in html  # its series belongs to 2019_02
    assert "Imprese che usufruiscono" not in html  # 2019_03's series does not


def test_without_pdf_renderer_the_html_is_still_made_and_the_reason_given(store_2019, monkeypatch):
    monkeypatch.setattr(render, "pdf_problem", lambda: "il PDF non si può produrre su questo computer: manca WeasyPrint.")
    monkeypatch.setattr(figures, "problem", lambda: "mancano i grafici: il pacchetto kaleido non è installato.")
    out = relazione.build(store_2019, ENTE, 2019)
    assert out.pdf is None and out.html
    assert any("manca WeasyPrint" in n for n in out.notes) and any("kaleido" in n for n in out.notes)
    assert "Grafico non disponibile in questa copia" in out.html and "<svg" not in out.html
    assert set(relazione.missing_renderers()) == {"pdf", "grafici"}


def test_cli_says_in_italian_what_is_missing_or_wrong(module_store, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(render, "pdf_problem", lambda: "il PDF non si può produrre su questo computer: manca WeasyPrint.")
    assert main(["relazione", "--anno", "2019", "--out", str(tmp_path / "r.pdf")]) == 1
    assert "--formato html" in capsys.readouterr().err and not (tmp_path / "r.pdf").exists()
    monkeypatch.undo()
    assert main(["relazione", "--anno", "2018", "--formato", "html"]) == 1
    err = capsys.readouterr().err
    assert "Nessun dato per CCIAA di Cremona, anno 2018" in err and "Traceback" not in err
    assert main(["relazione", "--area", "2019_09", "--formato", "html"]) == 1
    assert "L'area strategica 2019_09 non esiste" in capsys.readouterr().err


def test_file_name_says_ente_anno_and_date():
    when = datetime(2026, 3, 5, 10, 0)
    assert relazione.file_name("CCIAA di Cremona", 2019, None, "pdf", when) == "Relazione_CCIAA-di-Cremona_2019_2026-03-05.pdf"
    assert relazione.file_name("CCIAA di Forlì-Cesena", 2020, "2020_02", "html", when) == \
        "Relazione_CCIAA-di-Forli-Cesena_2020_area-2020_02_2026-03-05.html"


def test_page_prepares_the_relazione_for_the_sidebar_filters(app):
    at = app("pages/relazione.py", area="2019_02")
    assert "Relazione" in at.title[0].value
    at.button[0].click().run()  # «Prepara la Relazione»
    assert not at.exception, [e.message for e in at.exception]
    buttons = {b.label.split(" · ")[0]: b for b in at.get("download_button")}
    assert {"Scarica il PDF", "Scarica l'HTML"} <= set(buttons)
    pdf = download(at, "Scarica il PDF")
    assert pdf.startswith(b"%PDF") and "Area2019_02" in pdf_text(pdf) and "Area2019_01" not in pdf_text(pdf)
    html = download(at, "Scarica l'HTML").decode("utf-8")
    assert "Area 2019_02 · M.012-REGOLAZIONE DEL MERCATO" in html


def test_a_chart_that_never_comes_back_is_drawn_by_a_fresh_browser(store_2019, monkeypatch):
    """kaleido's tab sometimes hangs on a busy machine: the chart is drawn again by a new browser, not lost."""
    needs_charts()
    from concurrent.futures import Future

    from cruscotto.relazione import content

    charts = content.gather(store_2019, ENTE, 2019, "2019_02").charts
    real_submit, hung = figures.BROWSER.submit, []

    def submit(figure, width, height):
        if not hung:  # the first chart of the first browser never comes back
            hung.append(Future())
            return hung[0]
        return real_submit(figure, width, height)

    monkeypatch.setattr(figures.BROWSER, "submit", submit)
    monkeypatch.setattr(figures, "CHART_TIMEOUT_S", 1)
    drawn = figures.Drawing(charts).drawn()
    assert set(drawn) == {c.key for c in charts} and all("<svg" in svg for svg in drawn.values())


def test_print_copy_of_a_table_is_escaped_complete_and_capped():
    """ui/printing.table: the rows the printer gets instead of the grid (issue 12, item 5)."""
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd

        from ui import printing

        printing.table(pd.DataFrame({"Indicatore": [f"I{i}" for i in range(1200)],
                                     "Descrizione": ["<b>grassetto</b> & co."] + [None] * 1199,
                                     "Nascosta": ["x"] * 1200}), {"Nascosta": None})

    at = AppTest.from_function(page).run()
    body = at.get("html")[0].proto.body
    assert "&lt;b&gt;grassetto&lt;/b&gt; &amp; co." in body and "<b>grassetto" not in body
    assert "<td>I999</td>" in body and "<td>I1000</td>" not in body  # the first 1.000 rows, and a note says so
    assert "Stampate le prime 1.000 righe di 1.200" in body
    assert "Nascosta" not in body and "&lt;NA&gt;" not in body and "None" not in body


def test_print_copy_is_built_once_for_the_same_rows_and_anew_when_a_value_changes(monkeypatch):
    """ui/printing.table shares the HTML of the same rows across runs and sessions (to_html was 1-7 ms a table on
    every run); a table whose rows changed (another filter, new data) prints its own rows."""
    import pandas as pd
    from streamlit.testing.v1 import AppTest

    built = []
    original = pd.DataFrame.to_html
    monkeypatch.setattr(pd.DataFrame, "to_html", lambda self, *a, **k: built.append(1) or original(self, *a, **k))

    def page():
        import pandas as pd
        import streamlit as st

        from ui import printing

        value = st.session_state.get("valore", "89,14%")
        printing.table(pd.DataFrame({"Indicatore": ["prova di stampa condivisa"], "Valore": [value]}))

    at = AppTest.from_function(page).run()
    assert "<td>89,14%</td>" in at.get("html")[0].proto.body and len(built) == 1
    at.run()
    AppTest.from_function(page).run()  # another session, the same rows
    assert len(built) == 1
    at.session_state["valore"] = "90,22%"
    at.run()
    assert "<td>90,22%</td>" in at.get("html")[0].proto.body and len(built) == 2
