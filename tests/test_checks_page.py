"""The Verifica page and the pieces other pages use, driven with AppTest on a private copy of the shipped store."""
from __future__ import annotations

from builders.apptest import grids, open_on_demand, quotations, rendered

from cruscotto.present import verifica_charts
from cruscotto.store import queries

def test_verifica_page_lists_the_findings_and_the_rule(app):
    at = app("pages/verifica.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"⛔ Errori": "2", "⚠️ Avvisi": "29", "ℹ️ Informazioni": "13"}
    assert any("Regola in vigore per il grado di raggiungimento: tetto 100% · raggiunto ≥ 90%, parzialmente "
               "raggiunto 70–90%, non raggiunto < 70% · media semplice · aggregazione gerarchica (valori predefiniti)"
               in rendered(c.value) for c in at.caption)
    findings = grids(at)[0]
    assert len(findings) == 44 and list(findings["Gravità"][:3]) == ["⛔ errore"] * 2 + ["⚠️ avviso"]
    link = findings.loc[findings["Oggetto"] == "2019_01_02_2-I1", "Indicatore"].iloc[0]
    assert link == "indicatori?ente=CCIAA+di+Cremona&anno=2019&dettaglio=2019_01_02_2-I1"


def test_verifica_page_filters_by_url(app):
    at = app("pages/verifica.py", gravita="errore")
    assert len(grids(at)[0]) == 2
    at = app("pages/verifica.py", indicatore="2019_02_01-I1")
    shown = grids(at)[0]
    # letterale, 2016 rate, rounding, and the target already met in 2018 (140,26% >= 100%)
    assert set(shown["Oggetto"]) == {"2019_02_01-I1"} and len(shown) == 4
    assert any(b.label.startswith("CSV · 4 righe") for b in at.get("download_button"))


def test_grado_chart_builder(con):
    areas = queries.run(con, "grado_aree", {})
    fig = verifica_charts.grado_per_area(areas, 90, 70)
    assert list(fig.data[0].x) == [100, 100, 100, 100]
    assert fig.data[0].y[0] == "2019_01" and list(fig.data[0].customdata)[0] == "2019_01"  # a click opens the area
    # the area by its readable name (aree.csv, missione_descrizione), the code after it, written above its bar
    assert "Competitività e sviluppo delle imprese (2019_01)" in [a.text.replace("<br>", " ") for a in fig.layout.annotations]
    assert [s.x0 for s in fig.layout.shapes] == [90, 70]
    assert verifica_charts.fascia_badge(None) == "⬜ non valutabile"


def test_panoramica_shows_findings_and_grado_per_area(app):
    at = app("pages/panoramica.py")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rilievi della verifica"] == "2 errori · 29 avvisi"
    captions = [rendered(c.value) for c in at.caption]
    # default rule, tetto 100%: every area at 100%; 2019_04 rests on 3 of its 5 indicators (04_01-I1/I2 have no VR)
    assert any("2019_01: 100,00% (🟦 raggiunto, 15 indicatori valutabili su 15)" in c and
               "2019_04: 100,00% (🟦 raggiunto, 3 indicatori valutabili su 5)" in c for c in captions)
    assert any(c.startswith("Regola in vigore per il grado di raggiungimento: tetto 100%") for c in captions)


def test_aree_strategiche_shows_the_grado_of_the_area(app):
    at = app("pages/aree_strategiche.py", area="2019_04 · M.032-SERV.IST/GENERALI P.A.")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Grado di raggiungimento dell'area"] == "100,00%"
    # obiettivi.csv: each strategic objective by its title (shortened to 40 characters), the code after it
    assert any(rendered(c.value).startswith("Obiettivi strategici: Indirizzo politico (2019_04_01) 100,00% · "
                                            "Valorizzare le competenze delle… (2019_04_02) 100,00%")
               for c in at.caption)


def test_indicator_detail_lists_its_findings(app):
    # 2019_02_01-I1 (pratiche evase): the 2016 rate 84,43% against 16344/19537 = 83,6567% and the literal modalità
    # 18235/20212 = 90,2187% are errors of the Verifica; its detail on Indicatori shows them with a link to Verifica
    at = app("pages/indicatori.py", dettaglio="2019_02_01-I1")
    assert any(m.value.startswith("**Rilievi della verifica (") for m in at.markdown)
    details = "\n".join(t.value for t in at.text)
    assert "83,6567%" in details and "90,2187%" in details
    # an indicator with nothing to report says so (consulenze: 0 / 5.242,72 = 0% under <= 100%)
    at = app("pages/indicatori.py", dettaglio="2019_04_02_2-I2")
    assert "Verifica: nessun rilievo su questo indicatore." in [c.value for c in at.caption]


def test_verifica_detail_panel_of_a_finding(app):
    # the two errors of 2019_02_01-I1: the literal modalità (first) and the 2016 rate (second)
    at = app("pages/verifica.py", indicatore="2019_02_01-I1", gravita="errore")
    assert [t.value for t in at.text][0].startswith("La modalità di calcolo (r. 1148: «(numero di pratiche evase")
    # the step by step: 18235 / 20212 * 100 = 90,2187 -> 90,22%, short of >= 100%
    assert any("2. Arrotondato a 2 decimali come il valore dichiarato: 90,22%" in t.value for t in at.text)
    assert any(t.value.startswith("Tolleranza di arrotondamento") for t in at.text)  # the rule applied
    quoted = quotations(at)[0]
    assert "▶ 1141  VA >=100%" in quoted and "▶ 1142  VR = 137,56%" in quoted
    assert {rendered(p.label) for p in at.get("page_link")} >= {"Indicatore 2019_02_01-I1",
                                                       "Obiettivo strategico 2019_02_01 nella pagina Aree strategiche"}
    at.selectbox(key="rilievo_errore_None_None_None_2019_02_01-I1").set_value(1).run()
    # the whole explanation (the table's cell cuts it), and the printed line with two lines of context each side
    explanation = next(t.value for t in at.text if t.value.startswith("Per il 2016"))
    assert explanation.endswith("probabile inversione di due cifre nel testo.")
    assert quotations(at)[0].splitlines() == [
        "  1153  Al 31/12/2018: evase nei 5 giorni lavorativi 16839 su pratiche complessive 18528 (90,88%)",
        "  1154  Al 31/12/2017: evase nei 5 giorni lavorativi 15701 su pratiche complessive 18210 (86,22%)",
        "▶ 1155  Al 31/12/2016: evase nei 5 giorni lavorativi 16344 su pratiche complessive 19537 (84,43%)",
        "  1156  Al 31/12/13: evase nei 5 giorni lavorativi 20212 su 31192 pratiche complessive (64,80%)",
        "  1161  Percezione del livello di qualità e adeguatezza delle"]
    # the rest of the indicator's block, on request
    passage = next(e for e in at.expander if e.label.startswith("Tutto il passaggio"))
    assert passage.label == "Tutto il passaggio (righe 1129–1160)"
    # a recomputation quotes the line of its method too: the literal one, r. 1148 (modalità di calcolo); the
    # recomputations are drawn when opened («Mostra i ricalcoli», ui/sections.on_demand)
    at = open_on_demand(at)
    box = at.selectbox(key="ricalcolo_citato")
    literal = next(i for i, label in enumerate(box.options) if label == "2019_02_01-I1 · valore raggiunto (letterale, r. 1148)")
    at = box.set_value(literal).run()
    assert any("▶ 1148  Modalità di calcolo: (numero di pratiche evase" in q for q in quotations(at))


def test_indicator_detail_quotes_its_values_and_its_findings(app):
    at = app("pages/indicatori.py", dettaglio="2019_01_02_2-I1")
    quotes = quotations(at)
    # VA 4 on r. 604 and VR 33 on r. 606, not on the title line r. 598
    assert "▶ 604  VA 4" in quotes[0] and "▶ 606  VR 33" in quotes[0]
    # the finding on the masterclass count quotes «con n° 30 Masterclass» (r. 619)
    assert any("▶ 619  ammonta a circa 3.000, con n° 30 Masterclass" in q for q in quotes)
    assert any(e.label.startswith("Tutto il passaggio (righe 598–") for e in at.expander)


def test_key_figures_quote_their_line(app):
    at = app("pages/aree_strategiche.py", area="2019_01 · M.011 COMPETITIVITA' SVIL.IMP.")
    at.session_state["su_richiesta_cifre_area"] = True  # «Mostra le cifre chiave»
    at = at.run()
    box = at.selectbox(key="cifra_area")  # options as shown: «voce: valore (r. N)»
    chosen = next(i for i, label in enumerate(box.options)
                  if label.startswith("Contributi concessi alle imprese: € 466.187,71"))
    at = box.set_value(chosen).run()
    # 466.187,71 is printed on r. 199 (the transcription said 198)
    assert any("▶ 199  466.187,71 a fronte di circa € 1.024.000 investiti" in q for q in quotations(at))
