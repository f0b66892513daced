"""User text stays text: data holding Markdown images and links, HTML, Streamlit colours or LaTeX is shown exactly as
written, in every Markdown element of every page (AppTest) and in every chart (the figure builders). The browser
check (no request leaves, no <img> from data) is tests/e2e/test_e2e_user_text.py."""
from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest
from builders.hostile import (
    ANCHOR,
    COLOUR,
    ENTE,
    FILE_NAME,
    FORMULA,
    HOSTILE,
    HTML_IMAGE,
    IMAGE,
    LINK,
    hostile_store,
)
from builders.apptest import every_view, open_on_demand, rendered
from builders.apptest import run as run_page

from cruscotto.present import charts, confronto, text, verifica_charts
from cruscotto.store import queries
from ui import pages_spec

PAYLOADS = [IMAGE, LINK, ANCHOR, HTML_IMAGE, COLOUR, FORMULA]
PAGES = [p.path for p in pages_spec.PAGES]


# --- the helpers --------------------------------------------------------------------------------------------------

def test_md_escapes_every_markdown_construct():
    assert text.md("![x](http://a.b/c.png)") == "\\!\\[x\\]\\(http\u2060\\:\\/\\/a\\.b\\/c\\.png\\)"
    assert text.md(":red[x] $x$ :material/home: <b>") == "\\:red\\[x\\] \\$x\\$ \\:material\\/home\\: \\<b\\>"
    assert text.md("# titolo\n- voce\n\n1. uno") == "\\# titolo \\- voce 1\\. uno"  # one line, nothing to start a block
    assert text.md(None) == text.md(float("nan")) == ""


@pytest.mark.parametrize("bare", ["http://evil.example/a", "HTTPS://evil.example", "www.evil.example",
                                  "WWW.evil.example", "nome@evil.example"])
def test_md_breaks_bare_addresses_that_markdown_would_link(bare):
    # GitHub Markdown links these after escapes are resolved: an invisible word joiner breaks the pattern
    assert text.WORD_JOINER in text.md(bare) and rendered(text.md(bare)) == bare


@pytest.mark.parametrize("value", [HOSTILE, ENTE, FILE_NAME, "CCIAA di Cremona", "M.012-REGOLAZIONE DEL MERCATO",
                                   "100% · ≥ 90 € «sì» l'ente", "a\\b `c` ~d~ |e| *f* _g_ {h} #i +j =k"])
def test_md_reads_back_as_the_text_itself(value):
    assert rendered(text.md(value)) == value


def test_html_escapes_the_three_characters_plotly_reads():
    assert text.html('<a href="x">y & z</a>') == '&lt;a href="x"&gt;y &amp; z&lt;/a&gt;'
    assert text.html(None) == "" and text.html(12) == "12"


def test_terminal_strips_control_characters_but_keeps_lines_and_tabs():
    assert text.terminal("a\x1b[31mrosso\x1b[0m\tb\nc\x07\x9b2J\r\u202edx") == "a[31mrosso[0m\tb\nc2Jdx"


# --- charts -------------------------------------------------------------------------------------------------------

def _drawn_strings(fig) -> list[str]:
    """Every string plotly may draw: titles, labels, names, hover text, annotations; customdata only when a template
    of its trace refers to it (plotly never draws it otherwise)."""
    out = []

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "customdata" or "customdata" in json.dumps([value.get("hovertemplate"), value.get("texttemplate")]):
                    walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            out.append(value)

    walk(json.loads(fig.to_json()))
    return out


def assert_inert(fig) -> None:
    strings = [s.replace("<br>", " ") for s in _drawn_strings(fig)]  # a label wrapped on two lines reads as one
    assert not [s for s in strings if re.search(r"<\s*(a|img)\b", s, re.I)], "HTML from the data in the figure"
    assert any("&lt;a href=" in s or "&lt;img src=" in s for s in strings), "the data never reached the figure"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return hostile_store(tmp_path_factory.mktemp("ostile") / "cruscotto.duckdb")


@pytest.fixture
def run(hostile, tmp_path):
    from cruscotto import store
    path = tmp_path / "c.duckdb"
    shutil.copy(hostile, path)
    con = store.connect(path)
    yield lambda name, **params: queries.run(con, name, params)
    con.close()


def test_dashboard_charts_show_html_from_the_data_as_text(run):
    period = {"ente": ENTE, "anno": 2019}
    assert_inert(charts.area_achievement(run("riepilogo_aree", **period)))
    scorecard = run("scheda_responsabili", **period, per="responsabile")
    assert_inert(charts.status_bars(scorecard, scorecard["nome"], ids=scorecard["nome"]))
    area = run("riepilogo_aree", **period)["codice_area"].iloc[0]
    assert_inert(charts.objective_tree(run("nodi_piano", **period, area=area),
                                       run("scheda_indicatori", **period, area=area)))
    series = run("valori_serie", ente=ENTE)
    assert_inert(charts.small_multiples(series.assign(titolo=ANCHOR + series["titolo"])))  # titles are cut at 55
    one = series[series["serie"] == series["serie"].iloc[0]]
    assert_inert(charts.series_line(one, one["titolo"].iloc[0], one["unita"].iloc[0]))
    assert_inert(charts.cost_containment(run("contenimento_costi", ente=ENTE)))
    assert_inert(verifica_charts.grado_per_area(run("grado_aree", **period), 90, 70))


def test_comparison_charts_show_html_from_chamber_names_as_text():
    frame = pd.DataFrame({"ente": [f"{HTML_IMAGE} {i}" for i in range(3)], "valore": [1.0, 2.0, 3.0],
                          "posizione": [3, 2, 1], "e_ente": [True, False, False], "unita": ["%"] * 3,
                          "mediana": [2.0] * 3})
    assert_inert(confronto.ranking(frame, title=ANCHOR + HTML_IMAGE))
    assert_inert(confronto.distribution(frame, frame["ente"].iloc[0]))
    assert_inert(confronto.overview(frame, frame["ente"].iloc[0]))


# --- pages --------------------------------------------------------------------------------------------------------

@pytest.fixture
def db_path(hostile, tmp_path, monkeypatch):
    path = tmp_path / "cruscotto.duckdb"
    shutil.copy(hostile, path)
    monkeypatch.setenv("CRUSCOTTO_DB", str(path))
    return path


def _fields(message, kind: str):
    """(field, string) of every string in an element's protobuf, nested messages included."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if field.type == field.TYPE_MESSAGE:
                yield from _fields(item, kind)
            elif field.type == field.TYPE_STRING:
                yield field.name, item


# Strings Streamlit reads as Markdown (body of markdown, captions, headings, alerts; labels and help of widgets,
# buttons, expanders, metrics; a metric's value is its body; radio options). Plain-text elements are left out:
# st.text, st.code, dataframes, selectbox options; and st.html, which is HTML, not Markdown (html_strings).
_MARKDOWN_FIELDS = {"body", "label", "help"}
_PLAIN_ELEMENTS = {"Text", "Code", "Dataframe", "Html"}


def _own_script(node) -> bool:
    """ui/documento.py's script (lang="it"): fixed text of the product, no data in it."""
    from ui import documento

    proto = getattr(node, "proto", None)
    return proto is not None and proto.DESCRIPTOR.name == "Html" and proto.body.strip() == documento.script().strip()


def markdown_strings(at) -> list[str]:
    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None or type(node).__name__ in _PLAIN_ELEMENTS or _own_script(node):
            continue
        for name, value in _fields(proto, type(node).__name__):
            if name in _MARKDOWN_FIELDS or (type(node).__name__ == "Radio" and name == "options"):
                out.append(value)
    return out


def html_strings(at) -> list[str]:
    """The bodies of st.html (the copy of each table that only the printer sees, ui/printing.py)."""
    return [node.proto.body for node in at._tree if type(node).__name__ == "Html"]


def chart_strings(at) -> list[str]:
    import plotly.io

    out = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is not None and proto.DESCRIPTOR.name == "PlotlyChart":
            out += _drawn_strings(plotly.io.from_json(proto.spec, skip_invalid=True))
    return out


def unescaped(markdown: str) -> str:
    """The characters Markdown would read as syntax: what is left once every backslash escape is taken out."""
    return re.sub(r"\\.", "", markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_text_as_text(app, page):
    views = every_view(app, page)  # every tab and section on demand too
    for at in views:
        for s in markdown_strings(at):
            bare = unescaped(s)
            assert not any(p in s for p in PAYLOADS), f"data as Markdown: {s[:200]}"
            assert not any(syntax in bare for syntax in ("![", "](", "<", "://", ":red[", "$")), s[:200]
        for s in chart_strings(at):
            assert not re.search(r"<\s*(a|img)\b", s, re.I), f"HTML from the data in a chart: {s[:200]}"
        for s in html_strings(at):  # data in printed tables: escaped HTML, never an element of its own
            assert not re.search(r"<\s*(a|img)\b", s, re.I) and not any(p in s for p in (ANCHOR, HTML_IMAGE)), s[:200]
    at = views[0]
    if page != "pages/carica_dati.py":
        # the banner: the chamber and the file name, escaped, read back exactly
        banner = rendered(at.caption[0].value)
        assert banner.startswith(f"Ente: {ENTE} · anno: 2019") and f"({FILE_NAME})" in banner


def test_hostile_text_reaches_the_markdown_escaped(app):
    at = open_on_demand(app("pages/aree_strategiche.py"))  # the objectives, opened
    strings = markdown_strings(at)
    assert text.md(HOSTILE) in " ".join(strings)  # titles, responsabili, descriptions: there, escaped
    # the area by its readable name (missione_descrizione, hostile too), the code after it
    assert rendered(at.header[0].value).startswith("Competitività e sviluppo delle imprese " + IMAGE)


def test_an_uploaded_file_name_is_text_in_the_status_line(app):
    from builders.workbooks import workbook_2019_corrected

    at = app("pages/carica_dati.py")
    name = "![f](http://192.0.2.1/f.png) :red[x].xlsx"
    at.file_uploader[0].set_value((name, workbook_2019_corrected(), "application/octet-stream"))
    run_page(at)
    labels = [s.label for s in at.status]
    assert labels and all(label.startswith(text.md(name)) for label in labels)


def test_a_plain_table_is_one_markdown_table_whose_cells_stay_cells():
    """ui/tables.plain: a «|» in the data is escaped (unescaped it would split the row into one more cell), numbers
    right-aligned, a missing number «—», a status as the legend's badge (its theme colour, charts.STATUS_BADGE_COLOURS)."""
    from cruscotto.present import labels
    from ui import tables

    frame = pd.DataFrame({"denominazione": ["M.011 | COMPETITIVITA'"], "indicatori": [15],
                          "quota_raggiunti": [float("nan")], "stato": ["non rilevato"]})
    assert tables.markdown_table(frame, labels.of(frame, None)).splitlines() == [
        r"| Denominazione | Indicatori | \% raggiunti | Stato |",
        "| --- | ---: | ---: | --- |",
        r"| M\.011 \| COMPETITIVITA\' | 15 | — | :gray-badge[non rilevato] |"]
