"""The plotly figures (opaque to AppTest, so tested here): values from the report, gaps kept, one status palette,
Italian separators."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from cruscotto.present import browser_figure, charts
from cruscotto.store import queries


@pytest.fixture
def run(con):
    return lambda name, **params: queries.run(con, name, params)


def _is_gap(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_status_palette_is_okabe_ito_and_every_status_has_a_word():
    assert charts.STATUS_COLOURS == {"raggiunto": "#0072B2", "non raggiunto": "#E69F00", "qualitativo": "#009E73",
                                     "non rilevato": "#999999", "senza target": "#CC79A7"}
    assert set(charts.STATUS_BADGE_COLOURS) == set(charts.STATUS_COLOURS) == set(charts.STATUS_MEANING)
    assert charts.status_badge("non raggiunto") == ":orange-badge[non raggiunto]"  # the word is always there
    assert charts.status_cell_style("raggiunto") == "background-color: #0072B259"


def test_theme_badges_use_the_same_status_colours_in_light_and_dark():
    from pathlib import Path

    import tomllib

    theme = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())["theme"]
    for mode in ("light", "dark"):
        for stato, name in charts.STATUS_BADGE_COLOURS.items():
            assert theme[mode][f"{name}Color"] == charts.STATUS_COLOURS[stato], (mode, stato)


def test_area_chart_counts_per_area_in_status_colours(run):
    fig = charts.area_achievement(run("riepilogo_aree"))
    assert fig.layout.separators == ",."
    bars = {t.name: t for t in fig.data}
    assert [t.marker.color for t in fig.data] == [charts.STATUS_COLOURS[s] for s in
                                                 ("raggiunto", "non raggiunto", "qualitativo", "non rilevato")]
    # Per area (indicatori.csv): reached 7, 3, 2, 2; qualitative 8, 0, 1, 1; without value 0, 0, 0, 2.
    assert list(bars["Raggiunto"].x) == [7, 3, 2, 2]
    assert list(bars["Qualitativo"].x) == [8, 0, 1, 1]
    assert list(bars["Senza valore"].x) == [0, 0, 0, 2]
    assert list(bars["Raggiunto"].customdata) == ["2019_01", "2019_02", "2019_03", "2019_04"]  # a click opens the area


def test_pratiche_chart_keeps_2014_2015_as_a_gap_and_draws_the_target(run):
    fig = charts.pratiche_evase(run("andamento_pratiche_evase"), target_indice=100.0)
    rate = next(t for t in fig.data if t.name == "% evase entro 5 giorni")
    assert list(rate.x) == [2013, 2014, 2015, 2016, 2017, 2018, 2019]
    assert rate.connectgaps is False
    assert _is_gap(rate.y[1]) and _is_gap(rate.y[2])
    # 20212 / 31192 = 64,80%; 18235 / 20456 = 89,14%.
    assert rate.y[0] == pytest.approx(64.7987, abs=1e-4) and rate.y[-1] == pytest.approx(89.1426, abs=1e-4)
    index = next(t for t in fig.data if t.name.startswith("Indice"))
    assert index.y[0] == pytest.approx(100.0) and index.y[-1] == pytest.approx(137.57, abs=0.01)
    evase = next(t for t in fig.data if t.name == "Evase entro 5 giorni")
    assert evase.y[-1] == 18235
    assert [s.y0 for s in fig.layout.shapes] == [100.0] and fig.layout.shapes[0].line.dash == "dash"


def test_pratiche_chart_draws_each_public_reference_named_with_its_source_in_the_hover(run):
    references = run("riferimenti", ente="CCIAA di Cremona", riferimento="pratiche_evase_5gg")
    fig = charts.pratiche_evase(run("andamento_pratiche_evase"), 100.0, references)
    drawn = {t.name: t for t in fig.data if t.legendgroup == "riferimenti"}
    assert sorted(drawn) == sorted([  # data/riferimenti.csv (issue 16)
        "CCIAA di Pisa 2019: 99,3%", "Toscana 2019: 80,8%", "Italia 2019: 75,4%", "CCIAA di Cosenza 2018: 99%",
        "CCIAA di Salerno 2013: 42,32%"])
    italia = drawn["Italia 2019: 75,4%"]
    assert list(italia.x) == [2018.55, 2019, 2019.45] and list(italia.y) == [75.4] * 3  # a dash across its year
    rate = next(t for t in fig.data if t.name == "% evase entro 5 giorni")
    assert italia.line.dash == "dash" and italia.yaxis == rate.yaxis  # the panel of the rate, where 89,14% is drawn
    # each reference is told apart by its own shape, in the chart and in the legend
    assert len({t.marker.symbol for t in drawn.values()}) == 5
    source = "fonte: pubblicazioni delle camere di commercio e stampa"
    assert source in italia.hovertemplate and "4.082.172 pratiche, 5,8 giorni medi" in italia.hovertemplate
    # a reference with an address and a date says both
    row = references.iloc[[2]].assign(url="https://example.org/a", consultato_il="15/03/2020")
    assert charts.reference_source(next(row.itertuples())) == (
        "fonte: pubblicazioni delle camere di commercio e stampa (https://example.org/a, consultata il 15/03/2020)")


def test_year_axes_write_whole_years_only():
    """Up to nine years every year is written; over a longer span plotly picks the step from the width it has
    (a phone gets every second year instead of eleven years written over each other)."""
    short = charts.imprese_internazionalizzazione(pd.DataFrame({"anno": [2015, 2016, 2017], "imprese": [1, 2, 3],
                                                                "percentuale_anno_precedente": [None, 200.0, 150.0]}))
    assert (short.layout.xaxis.tickmode, short.layout.xaxis.dtick) == ("linear", 1)
    long = charts.imprese_internazionalizzazione(pd.DataFrame({"anno": list(range(2011, 2021)), "imprese": [1] * 10,
                                                               "percentuale_anno_precedente": [None] + [100.0] * 9}))
    assert long.layout.xaxis.tickmode == "auto" and long.layout.xaxis.tickformat == "d"


def test_imprese_chart_percent_of_previous_year_against_70(run):
    fig = charts.imprese_internazionalizzazione(run("andamento_imprese_internazionalizzazione"), target=70.0)
    bars, line = fig.data
    assert list(bars.x) == list(range(2011, 2020))
    assert list(bars.y) == [344, 390, 517, 660, 495, 627, 447, 621, 865]
    # 2011 has no previous year; 2019: 865 / 621 * 100 = 139,29%; 2015: 495 / 660 = 75,00%.
    assert _is_gap(line.y[0])
    assert line.y[-1] == pytest.approx(139.2915, abs=1e-4) and line.y[4] == pytest.approx(75.0)
    assert fig.layout.shapes[0].y0 == 70.0


def test_cost_chart_as_percent_of_2011(run):
    fig = charts.cost_containment(run("contenimento_costi"))
    postali = next(t for t in fig.data if t.name.startswith("Costi postali"))
    # 18.978,38 / 38.475,85 * 100 = 49,33%; 2011 = 100%.
    assert list(postali.x) == ["2011", "2019"]
    assert list(postali.y) == pytest.approx([100.0, 49.3254], abs=1e-4)
    consulenze = next(t for t in fig.data if t.name.startswith("Costi delle consulenze"))
    assert list(consulenze.y) == pytest.approx([100.0, 0.0])  # 0 / 5.242,72


def test_objective_tree_colours_each_indicator_by_status(run):
    area = "2019_04"
    fig = charts.objective_tree(run("nodi_piano", area=area), run("scheda_indicatori", area=area))
    tree = fig.data[0]
    colours = dict(zip(tree.ids, tree.marker.colors))
    parents = dict(zip(tree.ids, tree.parents))
    assert parents["2019_04"] == "" and parents["2019_04_02"] == "2019_04" and parents["2019_04_02_2"] == "2019_04_02"
    assert parents["2019_04_02_2-I1"] == "2019_04_02_2"
    assert colours["2019_04_02_2-I1"] == charts.STATUS_COLOURS["raggiunto"]
    assert colours["2019_04_01-I1"] == charts.STATUS_COLOURS["non rilevato"]
    assert colours["2019_04_01_NC-I1"] == charts.STATUS_COLOURS["qualitativo"]
    # 1 area + 2 strategici + 4 operativi + 5 indicators
    assert len(tree.ids) == 12
    # one trace, no hidden plot: the page's legend under the chart says what each colour means (ui/banner.legend)
    assert len(fig.data) == 1


def test_small_multiples_one_panel_per_series_with_gaps(run):
    values = run("valori_serie")
    fig = charts.small_multiples(values)
    assert len(fig.data) == values["serie"].nunique() == 7
    pratiche = next(t for t in fig.data if t.name == "pratiche_evase_5gg")
    assert list(pratiche.x) == list(range(2013, 2020)) and _is_gap(pratiche.y[1])
    assert fig.layout.separators == ",."


def test_series_line_gaps_and_italian_hover(run):
    values = run("valori_serie", serie="pratiche_evase_5gg")
    fig = charts.series_line(values, "Pratiche", "%")
    line = fig.data[0]
    assert line.connectgaps is False and _is_gap(line.y[1])
    assert "%{y:,.2f}%" in line.hovertemplate and fig.layout.separators == ",."


# --- readable by everyone (issue 14, items 2 and 4) ---------------------------------------------------------------

def _axes(fig):
    layout = fig.layout.to_plotly_json()
    return {k: v for k, v in layout.items() if k.startswith(("xaxis", "yaxis"))}


def test_numeric_axes_are_written_the_italian_way_and_years_without_a_thousands_dot(run):
    figs = [charts.pratiche_evase(run("andamento_pratiche_evase")),
            charts.imprese_internazionalizzazione(run("andamento_imprese_internazionalizzazione")),
            charts.cost_containment(run("contenimento_costi")), charts.small_multiples(run("valori_serie")),
            charts.area_achievement(run("riepilogo_aree"))]
    for fig in figs:
        assert fig.layout.separators == ",."  # 4.000 and 22,5, not 4,000 and 22.5
        for name, axis in _axes(fig).items():
            if axis.get("type") == "category" or axis.get("showticklabels") is False:
                continue
            # never plotly's default «50k» / «2.013»: a d3 format with thousands for numbers, «d» for years
            assert axis.get("tickformat") in {charts.NUMBER, charts.YEAR, ",d"}, (name, axis)


def test_trend_charts_have_no_second_axis_and_the_target_is_written_on_its_line(run):
    for fig, words in ((charts.pratiche_evase(run("andamento_pratiche_evase"), 100.0), "obiettivo indice ≥ 100"),
                       (charts.imprese_internazionalizzazione(run("andamento_imprese_internazionalizzazione"), 70.0), "obiettivo ≥ 70%")):
        assert not any(axis.get("overlaying") for axis in _axes(fig).values())  # two panels, never two scales in one
        label = next(a for a in fig.layout.annotations if a.text == words)
        line = fig.layout.shapes[0]
        assert label.y == line.y0 and label.yanchor in ("bottom", "top")  # on the line, above or below it
        assert label.font.color == charts.TARGET_TEXT


def test_a_target_label_moves_below_its_line_when_the_data_sit_just_above_it(run):
    # imprese 2017: 447 / 627 = 71,29%, just above the 70% target at the right end where the words go: below it
    fig = charts.imprese_internazionalizzazione(run("andamento_imprese_internazionalizzazione"), 70.0)
    assert next(a for a in fig.layout.annotations if a.text == "obiettivo ≥ 70%").yanchor == "top"
    # pratiche: the index (133-140) is well above 100, the rate (86-91%) just below it: the words go above
    fig = charts.pratiche_evase(run("andamento_pratiche_evase"), 100.0)
    assert next(a for a in fig.layout.annotations if a.text == "obiettivo indice ≥ 100").yanchor == "bottom"


def test_a_zero_cost_is_a_bar_with_its_value_written(run):
    fig = charts.cost_containment(run("contenimento_costi"))
    consulenze = next(t for t in fig.data if t.name.startswith("Costi delle consulenze"))
    # 2019: 0 / 5.242,72 = 0%: no height, so the value is written on the bar's place
    assert list(consulenze.text) == ["100%", "0%"]
    assert list(consulenze.textposition) == ["inside", "outside"] and consulenze.cliponaxis is False


def test_areas_are_named_in_words_above_their_bars(run):
    fig = charts.area_achievement(run("riepilogo_aree"))
    texts = [a.text.replace("<br>", " ") for a in fig.layout.annotations]  # wrapped on two lines on a phone
    # aree.csv: missione_descrizione, the code after it
    assert texts == ["Competitività e sviluppo delle imprese (2019_01)", "Regolazione del mercato (2019_02)",
                     "Commercio internazionale e internazionalizzazione del sistema produttivo (2019_03)",
                     "Servizi istituzionali e generali delle Amministrazioni Pubbliche (2019_04)"]
    assert fig.layout.yaxis.showticklabels is False  # no tick labels eating 60% of a phone's width


def test_sunburst_sectors_carry_readable_names(run):
    fig = charts.objective_tree(run("nodi_piano", area="2019_04"), run("scheda_indicatori", area="2019_04"))
    labels = dict(zip(fig.data[0].ids, fig.data[0].labels))
    assert labels["2019_04_01"] == "Indirizzo politico"  # obiettivi.csv: its title, not the code
    assert not any(label == code for code, label in labels.items())


def test_contrast_is_wcag_s_formula():
    assert charts.contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert charts.contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # WCAG's known AA grey


def test_chart_words_reach_4_5_to_1_on_the_white_card_and_inside_coloured_sectors(run):
    for colour in (charts.TEXT, charts.AXIS_TEXT, charts.TARGET_TEXT):
        assert charts.contrast(colour, charts.PAPER) >= 4.5, colour
    # words inside the sunburst's sectors: each in black or white, whichever reads on the status colour
    tree = charts.objective_tree(run("nodi_piano", area="2019_01"), run("scheda_indicatori", area="2019_01")).data[0]
    for fill, words in zip(tree.marker.colors, tree.insidetextfont.color):
        assert charts.contrast(words, fill) >= 4.5, (fill, words)


def test_plotly_toolbar_speaks_italian():
    assert charts.PLOTLY_CONFIG["locale"] == "it"
    words = charts.PLOTLY_CONFIG["locales"]["it"]["dictionary"]
    assert words["Download plot as a PNG"] == "Scarica il grafico (PNG)"
    assert charts.PLOTLY_CONFIG["locales"]["it"]["format"]["decimal"] == ","


def test_the_figure_sent_to_the_browser_carries_no_template_and_no_typed_arrays(run):
    # what makes plotly.js redraw a chart whole when Streamlit hands it a copy (cruscotto/present/browser_figure.py;
    # that it draws the same is checked in plotly.js by tests/e2e/test_browser_figure.py)
    built = charts.pratiche_evase(run("andamento_pratiche_evase"), 100.0)
    assert "template" in built.to_dict()["layout"] and '"bdata"' in built.to_json()
    sent = browser_figure.drawn_once(built, "v1")
    assert "template" not in sent.to_dict()["layout"] and '"bdata"' not in sent.to_json()
    assert sent.layout.datarevision == "v1"
    # the template's values are written into the figure where it sets none: the years axis keeps its own labels
    # colour, and takes the template's white zero line width
    assert sent.layout.xaxis.tickfont.color == built.layout.xaxis.tickfont.color
    assert sent.layout.xaxis.zerolinewidth == built.layout.template.layout.xaxis.zerolinewidth
    rate = next(t for t in sent.data if t.name == "% evase entro 5 giorni")
    assert list(rate.x) == [2013, 2014, 2015, 2016, 2017, 2018, 2019] and _is_gap(rate.y[1])
