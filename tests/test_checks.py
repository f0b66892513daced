"""Each check of the Verifica on small hand-made data (expected values computed in the comments), and the exact
findings on the shipped 2019 data (each confirmed in the source and explained in data/README.md)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from builders.reports import O1, O2, A, S, cifra, ind, make_store, metodo, obiettivi_base, serie
from test_verifica_per_colonne import assert_same_as_row_by_row

from cruscotto import store, verifica
from cruscotto.store import queries

ROOT = Path(__file__).resolve().parent.parent


def found(con, controllo=None):
    findings = verifica.run_checks(con)
    assert_same_as_row_by_row(con)  # the findings by column, as the store keeps them, are those of the row path
    return [f for f in findings if controllo in (None, f.controllo)]


def one(con, controllo):
    result = found(con, controllo)
    assert len(result) == 1, [f.spiegazione for f in result]
    return result[0]


# ------------------------------------------------------------------ recomputation

def test_declared_vr_beyond_rounding_is_an_error(tmp_path):
    con = make_store(tmp_path, [ind("C-I1", O1, "<=100%", "= 30%", riga_fonte=11)],
                     serie=[serie("costi", 2011, 200, unita="€", riga=21), serie("costi", 2020, 50, unita="€", riga=22)],
                     metodi=[metodo("C-I1", "rapporto_anno_base", serie="costi", anno_base=2011)])
    f = one(con, "vr_ricalcolato")
    # 50 / 200 * 100 = 25 against 30 declared: 5 points, far beyond 0 decimals' tolerance of 1
    assert f.gravita == verifica.ERRORE and f.valore_ricalcolato == pytest.approx(25)
    assert "50 (r. 22) / 200 (r. 21) × 100 = 25%" in f.spiegazione and "Differenza: 5" in f.spiegazione
    assert "sarebbe comunque raggiunto" in f.spiegazione  # 25% is still <= 100%
    assert f.righe_fonte == "11, 21, 22, 40"


def test_declared_vr_right_only_within_rounding_is_info_and_exact_is_nothing(tmp_path):
    rows = [serie("costi", 2011, 38475.85, unita="€"), serie("costi", 2020, 18978.38, unita="€")]
    con = make_store(tmp_path, [ind("C-I1", O1, "<=100%", "= 49,32%"), ind("C-I2", O2, "<=100%", "= 49,33%")],
                     serie=rows, metodi=[metodo("C-I1", "rapporto_anno_base", serie="costi", anno_base=2011),
                                         metodo("C-I2", "rapporto_anno_base", serie="costi", anno_base=2011)])
    result = found(con, "vr_ricalcolato")
    # 18978,38 / 38475,85 * 100 = 49,3254 -> rounds to 49,33: 49,32 is truncated (difference 0,0054 <= 0,01)
    assert [(f.codice_indicatore, f.gravita) for f in result] == [("C-I1", verifica.INFO)]
    assert "troncato" in result[0].spiegazione and "49,33" in result[0].spiegazione


def test_rate_printed_against_its_own_counts(tmp_path):
    con = make_store(tmp_path, [ind("T-I1", O1, ">=100%", "=100%")],
                     serie=[serie("tasso", 2016, 84.43, 16344, 19537, riga=1155),
                            serie("tasso", 2019, 89.14, 18235, 20456, riga=1152)])
    f = one(con, "tasso_incoerente")
    # 16344 / 19537 * 100 = 83,6567 against 84,43 printed; 89,14 = 18235 / 20456 rounded is right
    assert f.gravita == verifica.ERRORE and f.righe_fonte == "1155" and f.valore_ricalcolato == pytest.approx(83.6567, abs=1e-4)
    # 16344 / 19357 * 100 = 84,4346 -> 84,43: the digits 5 and 3 of the denominator swapped
    assert "denominatore 19.357 al posto di 19.537" in f.spiegazione


def test_rate_cited_in_the_text_against_its_parts(tmp_path):
    # a total printed in the text («100% of the answers: 62% yes, 35% no») against the parts it is made of
    con = make_store(tmp_path, [ind("Q-I1", O1, ">=80%", "=100%")],
                     metodi=[metodo("Q-I1", "somma", oggetto="risposte A", dichiarato="100%", numeratore="62; 35"),
                             metodo("Q-I1", "somma", oggetto="risposte B", dichiarato="100%", numeratore="86; 14")])
    f = one(con, "tasso_incoerente")
    # 62 + 35 = 97, not 100; 86 + 14 = 100 is fine
    assert f.gravita == verifica.ERRORE and "62 + 35 = 97" in f.spiegazione and "Differenza: 3 punti" in f.spiegazione
    assert "1. Metodo «somma»: 62 + 35 = 97" in f.calcolo and "Dichiarato 100%" in f.calcolo


def test_an_item_declared_met_whose_data_miss_the_threshold(tmp_path):
    # «Festival 100% (69% molto, 28% abbastanza)»: the 100% is the item's score, the condition is that its positive
    # answers reach the indicator's target (>= 80%)
    con = make_store(tmp_path, [ind("Q-I1", O1, ">=80%", "=100%")],
                     metodi=[metodo("Q-I1", "somma", oggetto="pubblico", dichiarato=">= 80%", numeratore="69; 28"),
                             metodo("Q-I1", "somma", oggetto="imprese", dichiarato=">= 80%", numeratore="50; 20")])
    f = one(con, "voce_sotto_soglia")
    # 69 + 28 = 97 >= 80: consistent, no finding; 50 + 20 = 70 < 80: the item cannot be at 100%
    assert f.gravita == verifica.ERRORE and "«imprese»" in f.spiegazione and "50 + 20 = 70" in f.spiegazione
    assert "Condizione >= 80%: 70 NON la rispetta" in f.calcolo
    assert found(con, "tasso_incoerente") == []


def test_literal_reading_that_changes_the_result_is_an_error(tmp_path):
    con = make_store(tmp_path, [ind("T-I1", O1, ">=100%", "= 120%")],
                     serie=[serie("tasso", 2013, 25, 50, 200), serie("tasso", 2020, 30, 45, 150)],
                     metodi=[metodo("T-I1", "rapporto_anno_base", serie="tasso", grandezza="tasso", anno_base=2013),
                             metodo("T-I1", "rapporto_anno_base", "letterale", serie="tasso", grandezza="numeratore", anno_base=2013)])
    f = one(con, "modalita_letterale")
    # principale: (45/150 = 30%) / (50/200 = 25%) * 100 = 120 = declared; letterale: 45 / 50 * 100 = 90 < 100
    assert f.gravita == verifica.ERRORE and f.valore_ricalcolato == pytest.approx(90)
    assert "segue invece la lettura principale" in f.spiegazione and "NON sarebbe raggiunto" in f.spiegazione
    assert found(con, "vr_ricalcolato") == []


def test_literal_reading_that_does_not_change_the_result_is_a_warning(tmp_path):
    con = make_store(tmp_path, [ind("T-I1", O1, ">=80%", "= 120%")],
                     serie=[serie("tasso", 2013, 25, 50, 200), serie("tasso", 2020, 30, 45, 150)],
                     metodi=[metodo("T-I1", "rapporto_anno_base", "letterale", serie="tasso", grandezza="numeratore", anno_base=2013)])
    f = one(con, "modalita_letterale")
    # letterale 90 >= 80 and declared 120 >= 80: both meet the target
    assert f.gravita == verifica.AVVISO and "Con entrambe le letture" in f.spiegazione


def test_count_in_the_narrative(tmp_path):
    con = make_store(tmp_path, [ind("D-I1", O1, "4", "33"), ind("D-I2", O2, "32", "33")],
                     cifre=[cifra("masterclass", 30, indicatore="D-I1"), cifra("masterclass bis", 30, obiettivo=O2, indicatore="D-I2")],
                     metodi=[metodo("D-I1", "valore_diretto", numeratore="masterclass"),
                             metodo("D-I2", "valore_diretto", numeratore="masterclass bis")])
    result = {f.codice_indicatore: f for f in found(con, "conteggio_narrativa")}
    # D-I1: 33 and 30 are both >= 4 -> avviso; D-I2: 33 >= 32 but 30 < 32 -> errore
    assert result["D-I1"].gravita == verifica.AVVISO and "l'esito non cambia" in result["D-I1"].spiegazione
    assert result["D-I2"].gravita == verifica.ERRORE and "NON sarebbe raggiunto" in result["D-I2"].spiegazione


# ------------------------------------------------------------------ esito and scostamento

def test_declared_esito_against_the_rule(tmp_path):
    con = make_store(tmp_path, [
        ind("E-I1", O1, ">=100%", "=50%", risultato="Calo dovuto al blocco dei bandi"),  # 50% -> non raggiunto
        ind("E-I2", O1, ">=100%", "=95%", esito="OBIETTIVO CONSEGUITO"),  # 95% -> raggiunto by the bands
    ])
    f = one(con, "esito_contraddice_regola")
    assert f.codice_indicatore == "E-I1" and f.gravita == verifica.ERRORE
    assert "«OBIETTIVO NON CONSEGUITO»" in f.spiegazione and "50%" in f.spiegazione


def test_missing_esito(tmp_path):
    con = make_store(tmp_path, [ind("E-I1", O1, ">=80%", "=100%", esito="")])
    f = one(con, "esito_mancante")
    assert f.gravita == verifica.AVVISO and "«OBIETTIVO CONSEGUITO»" in f.spiegazione


def test_missed_target_needs_a_stated_reason(tmp_path):
    con = make_store(tmp_path, [
        ind("M-I1", O1, ">=100%", "=95%"),  # missed, no reason
        ind("M-I2", O1, ">=100%", "=95%", risultato="Scostamento dovuto alla chiusura dello sportello"),  # reason given
        ind("M-I3", O2, "Rispetto delle tempistiche", "Il progetto non è stato completato", esito="OBIETTIVO NON CONSEGUITO"),
        # 80 / 100 = 80%: partly achieved by the bands (70-90%), declared so, no reason
        ind("M-I4", O2, ">=100%", "=80%", esito="OBIETTIVO PARZIALMENTE CONSEGUITO"),
    ])
    result = {f.codice_indicatore: f for f in found(con, "scostamento_senza_motivo")}
    assert sorted(result) == ["M-I1", "M-I3", "M-I4"]
    # a missing reason is a gap the OIV asks about, not a contradiction: a warning
    assert {f.gravita for f in result.values()} == {verifica.AVVISO}
    assert "raggiunge solo in parte" in result["M-I4"].spiegazione
    assert "Grado = valore raggiunto / valore atteso × 100 = 80 / 100 × 100 = 80%" in result["M-I4"].calcolo


def test_missing_vr_and_missing_or_referred_target(tmp_path):
    con = make_store(tmp_path, [ind("V-I1", O1, "Implementazione delle fasi", "", esito="", risultato="Si veda relazione iniziale"),
                                ind("V-I2", O1, "", "=10", esito=""),
                                ind("V-I3", O2, "Si rimanda ai documenti di progetto", "Il progetto risulta pienamente realizzato")])
    f = one(con, "valore_raggiunto_mancante")
    assert f.codice_indicatore == "V-I1" and "Si veda relazione iniziale" in f.spiegazione
    targets = {f.codice_indicatore: f.gravita for f in found(con, "indicatore_senza_target")}
    assert targets == {"V-I2": verifica.AVVISO, "V-I3": verifica.INFO}


def test_year_named_in_the_description(tmp_path):
    con = make_store(tmp_path, [ind("Y-I1", O1, "1", "1", descrizione="Festa edizione 2019"),
                                ind("Y-I2", O2, "1", "1", descrizione="Progetto fase 2020 (D.Lgs 219 del 2016)")])
    f = one(con, "anno_nella_descrizione")
    # 2019 in the 2020 report; 'del 2016' is not an edizione, fase or anno
    assert f.codice_indicatore == "Y-I1" and f.gravita == verifica.INFO


# ------------------------------------------------------------------ structure

def test_objectives_without_indicators(tmp_path):
    extra = obiettivi_base() + [
        {"codice": "2020_01_02", "codice_documento": "2020_01_02", "livello": "strategico", "codice_padre": A, "titolo": "Vuoto", "riga_fonte": 5},
    ]
    con = make_store(tmp_path, [ind("O1-I1", O1, "1", "1")], obiettivi=extra)
    result = {(f.codice_obiettivo, f.gravita) for f in found(con, "obiettivo_senza_indicatori")}
    # O2 operational without indicators; 2020_01_02 has none at all; S has none of its own but O1 has one
    assert result == {(O2, verifica.AVVISO), ("2020_01_02", verifica.AVVISO), (S, verifica.INFO)}


def test_codes(tmp_path):
    objs = [
        {"codice": S, "codice_documento": S, "livello": "strategico", "codice_padre": A, "titolo": "S", "riga_fonte": 2},
        {"codice": "2020_01_01_01", "codice_documento": "2020_01_01_01", "livello": "operativo", "codice_padre": S, "titolo": "uno", "riga_fonte": 3},
        {"codice": "2020_01_01_03", "codice_documento": "2020_01_01_03", "livello": "operativo", "codice_padre": S, "titolo": "", "riga_fonte": 4},
        {"codice": "2020_01_01_3", "codice_documento": "2020_01_01_3", "livello": "operativo", "codice_padre": S, "titolo": "tre bis", "riga_fonte": 5},
        {"codice": "2020_01_01_NC", "codice_documento": "", "livello": "operativo", "codice_padre": S, "titolo": "senza codice", "riga_fonte": 6},
        {"codice": "2020_09_01_01", "codice_documento": "2020_09_01_01", "livello": "operativo", "codice_padre": S, "titolo": "altrove", "riga_fonte": 7},
    ]
    indicators = [ind(f"{o['codice']}-I1", o["codice"], "1", "1") for o in objs[1:]]
    con = make_store(tmp_path, indicators, obiettivi=objs)
    assert [f.codice_obiettivo for f in found(con, "codici_ambigui")] == ["2020_01_01_3"]  # 03 and 3: one finding
    gap = one(con, "numerazione_saltata")
    assert "manca 2020_01_01_02" in gap.spiegazione and gap.gravita == verifica.INFO  # 01, then 03
    assert one(con, "codice_mancante").codice_obiettivo == "2020_01_01_NC"
    assert one(con, "codice_fuori_ramo").codice_obiettivo == "2020_09_01_01"
    assert one(con, "obiettivo_senza_titolo").codice_obiettivo == "2020_01_01_03"
    assert found(con, "codice_duplicato") == []
    # the import refuses duplicate codes; a store written by other means is still checked
    con.execute("INSERT INTO obiettivi SELECT * FROM obiettivi WHERE codice = ?", ["2020_01_01_01"])
    con.execute("INSERT INTO indicatori SELECT * FROM indicatori WHERE codice = ?", ["2020_01_01_01-I1"])
    store.recompute(con)  # rows written outside an import: the derived tables follow them when recomputed
    dup = {(f.codice_obiettivo, f.codice_indicatore) for f in found(con, "codice_duplicato")}
    assert dup == {("2020_01_01_01", None), ("2020_01_01_01", "2020_01_01_01-I1")}


# ------------------------------------------------------------------ configuration

def test_method_without_data_and_bad_rules(tmp_path):
    con = make_store(tmp_path, [ind("X-I1", O1, "<=100%", "=25%")],
                     metodi=[metodo("X-I1", "rapporto_anno_base", serie="inesistente", anno_base=2011)],
                     # the import refuses inverted bands and unreadable rules (tests/test_upload_values.py); a store
                     # written before it did may still hold them, and the Verifica must say so
                     unchecked=[("regole", {"regola": "tetto_grado", "valore": "tanto"}),
                                ("regole", {"regola": "soglia_raggiunto", "valore": "60"}),
                                ("regole", {"regola": "soglia_parziale", "valore": "75"})])
    f = one(con, "metodo_non_applicabile")
    assert f.gravita == verifica.ERRORE and "serie «inesistente», anno 2020" in f.spiegazione
    rules = found(con, "regola_non_valida")
    assert len(rules) == 2 and {r.gravita for r in rules} == {verifica.ERRORE}
    assert any("«tanto»" in r.spiegazione for r in rules) and any("più alta" in r.spiegazione for r in rules)


def test_a_clean_report_has_no_findings(tmp_path):
    # 15 days against a ceiling of 20 (20 / 15 = 1,33 times, under the default soglia_ambizione of 3), written in
    # its narrative; 90% recomputed from the series
    con = make_store(tmp_path, [ind("S-I1", S, ">=80%", "=90%"),
                                ind("O1-I1", O1, "<=20 giorni", "=15 giorni", risultato="Tempo medio al 31/12: 15 giorni."),
                                ind("O2-I1", O2, "Rispetto delle tempistiche", "Il progetto si è svolto regolarmente")],
                     serie=[serie("costi", 2011, 200, unita="€"), serie("costi", 2020, 180, unita="€")],
                     metodi=[metodo("S-I1", "rapporto_anno_base", serie="costi", anno_base=2011)])  # 180 / 200 = 90%
    assert verifica.run_checks(con) == []


# ------------------------------------------------------------------ codes printed twice, targets, evidence

def test_code_printed_for_two_blocks(tmp_path):
    con = make_store(tmp_path, [ind("O1-I1", O1, "3", "3", risultato="3 incontri"),
                                ind("O1-I2", O1, "Rispetto delle tempistiche", "Il progetto si è svolto regolarmente")],
                     codici=[{"codice": O1, "riga_fonte": 19, "note": "prima stampa"},
                             {"codice": O1, "riga_fonte": 65, "note": "seconda stampa, senza titolo"}])
    f = one(con, "codice_stampato_piu_volte")
    # one objective in the store, printed on r. 19 and r. 65 of the document
    assert (f.gravita, f.codice_obiettivo, f.righe_fonte) == (verifica.AVVISO, O1, "19, 65")
    assert "stampato 2 volte" in f.spiegazione and "un solo obiettivo operativo con 2 indicatori" in f.spiegazione
    assert found(con, "codice_duplicato") == []  # the store itself has the code once


def test_target_far_below_the_result(tmp_path):
    con = make_store(tmp_path, [
        ind("A-I1", O1, "3", "34", risultato="34 incontri"),     # 34 / 3 = 11,33 times >= 3: unambitious
        ind("A-I2", O1, "4", "8", risultato="8 masterclass"),    # 8 / 4 = 2 times < 3: fine by default
        ind("A-I3", O2, "<=20 giorni", "=3 giorni", risultato="3 giorni"),  # ceiling 20 / 3 = 6,67 times the result
    ])
    result = {f.codice_indicatore: f for f in found(con, "target_poco_ambizioso")}
    assert sorted(result) == ["A-I1", "A-I3"] and {f.gravita for f in result.values()} == {verifica.AVVISO}
    assert result["A-I1"].valore_ricalcolato == pytest.approx(34 / 3)
    assert "11,33 volte il valore atteso" in result["A-I1"].spiegazione
    assert "Valore raggiunto / valore atteso = 34 / 3 = 11,33 volte (soglia 3)" in result["A-I1"].calcolo
    assert "soglia_ambizione" in result["A-I1"].regola
    assert "il tetto è 6,67 volte il valore raggiunto" in result["A-I3"].spiegazione


def test_the_ambition_threshold_is_a_rule(tmp_path):
    con = make_store(tmp_path, [ind("A-I2", O1, "4", "8", risultato="8 masterclass")],
                     regole=[{"regola": "soglia_ambizione", "valore": "2"}])
    # 8 / 4 = 2 times, at the threshold set to 2 in the sheet «regole»
    f = one(con, "target_poco_ambizioso")
    assert "2 volte il valore atteso" in f.spiegazione and "soglia_ambizione»): 2 volte" in f.regola


def test_target_already_met_the_year_before(tmp_path):
    con = make_store(tmp_path, [ind("C-I1", O1, "<=100%", "= 90%"), ind("P-I1", O2, ">= 70%", "= 110%")],
                     serie=[serie("costi", 2011, 200, unita="€", riga=21), serie("costi", 2019, 150, unita="€", riga=22),
                            serie("costi", 2020, 180, unita="€", riga=23),
                            serie("imprese", 2018, 100, unita="numero", riga=31),
                            serie("imprese", 2019, 60, unita="numero", riga=32),
                            serie("imprese", 2020, 66, unita="numero", riga=33)],
                     metodi=[metodo("C-I1", "rapporto_anno_base", serie="costi", anno_base=2011),
                             metodo("P-I1", "rapporto_anno_precedente", serie="imprese")])
    f = one(con, "target_poco_ambizioso")
    # costs: 2020 180 / 200 = 90%, declared; the year before, 150 / 200 = 75%, already under the ceiling of 100%.
    # imprese: 2020 66 / 60 = 110%; the year before 60 / 100 = 60%, not yet >= 70%: no finding
    assert f.codice_indicatore == "C-I1" and f.gravita == verifica.AVVISO
    assert "nel 2019, l'anno prima del piano, l'indicatore era già a 75%" in f.spiegazione
    assert "r. 22" in f.calcolo and f.righe_fonte.endswith("22")


def test_time_read_as_more_is_better(tmp_path):
    con = make_store(tmp_path, [
        ind("T-I1", O1, "5", "5", descrizione="Tempo medio di pubblicazione delle indagini", risultato="5 giorni"),
        ind("T-I2", O1, "5", "7", descrizione="Tempo medio di risposta", risultato="7 giorni"),
        ind("T-I3", O2, "<=100%", "= 49%", descrizione="Contenimento costi postali", risultato="49%"),
        ind("T-I4", O2, ">= € 1.000", "€ 1.200", descrizione="Contributi erogati alle imprese", risultato="€ 1.200"),
        ind("T-I5", O2, ">=100%", "= 110%", descrizione="Tasso di evasione delle pratiche entro 5 giorni", risultato="110%"),
    ])
    result = {f.codice_indicatore: f for f in found(con, "direzione_tempo_costo")}
    # T-I1: VA 5 read as >= 5; VR 5 meets both >= 5 and <= 5 -> warning. T-I2: 7 >= 5 met as read, but 7 > 5 with
    # the ceiling -> the esito depends on the wrong reading -> error. T-I3 is a ceiling already; T-I4 an amount to
    # reach (€ alone is not a cost); T-I5 names «giorni» but is a rate, not a time.
    assert {c: f.gravita for c, f in result.items()} == {"T-I1": verifica.AVVISO, "T-I2": verifica.ERRORE}
    assert "non ha operatore ed è letto come «>=»" in result["T-I1"].spiegazione and "«<= 5»" in result["T-I1"].spiegazione
    assert "NON raggiunto con il tetto" in result["T-I2"].spiegazione


def test_vr_without_anything_behind_it(tmp_path):
    con = make_store(tmp_path, [
        ind("E-I1", O1, "3", "34 (come da calendario agli atti)"),             # nothing at all -> avviso
        ind("E-I2", O1, "8", "17", risultato="Diffusi i rapporti trimestrali"),  # narrative without 17 -> info
        ind("E-I3", O2, "8", "12", risultato="Sono stati diffusi 12 rapporti"),  # the number is told
        ind("E-I4", O2, "4", "30"),                                            # a key figure of 30
    ], cifre=[cifra("masterclass", 30, obiettivo=O2, indicatore="E-I4")])
    result = {f.codice_indicatore: f.gravita for f in found(con, "vr_senza_riscontro")}
    assert result == {"E-I1": verifica.AVVISO, "E-I2": verifica.INFO}
    f = next(f for f in found(con, "vr_senza_riscontro") if f.codice_indicatore == "E-I1")
    assert "rinvia a un documento che la relazione non riporta" in f.spiegazione


def test_a_finding_quotes_its_source_line(tmp_path):
    fonte = [{"riga": 1154, "testo": "Al 31/12/2017: evase 15701 su 18210 (86,22%)"},
             {"riga": 1155, "testo": "Al 31/12/2016: evase 16344 su 19537 (84,43%)"}]
    con = make_store(tmp_path, [ind("T-I1", O1, ">=100%", "=100%", risultato="100%")],
                     serie=[serie("tasso", 2016, 84.43, 16344, 19537, riga=1155)], fonte=fonte)
    f = one(con, "tasso_incoerente")
    assert f.citazione == "r. 1155: Al 31/12/2016: evase 16344 su 19537 (84,43%)"


# ------------------------------------------------------------------ the shipped 2019 data

# Every finding on the 2019 report, as (controllo, gravità, oggetto). Each one is confirmed by reading the source
# and explained, with its line numbers, in data/README.md («Rilievi della verifica»).
SHIPPED = {
    ("modalita_letterale", "errore", "2019_02_01-I1"),        # r. 1148: evase/evase 2013 = 90,22% < 100%
    ("tasso_incoerente", "errore", "2019_02_01-I1"),          # r. 1155: 16344/19537 = 83,66%, printed 84,43%
    ("conteggio_narrativa", "avviso", "2019_01_02_2-I1"),     # r. 606 VR 33, r. 619 'n° 30 Masterclass'
    ("esito_mancante", "avviso", "2019_03_01-I1"),            # r. 1366: only '-'
    ("valore_raggiunto_mancante", "avviso", "2019_04_01-I1"),  # r. 1652-1659
    ("valore_raggiunto_mancante", "avviso", "2019_04_01-I2"),  # r. 1674-1682
    ("codici_ambigui", "avviso", "2019_01_02_04"),            # r. 700 and 731
    ("codice_mancante", "avviso", "2019_04_01_NC"),           # r. 1692, 1732-1742
    *{("obiettivo_senza_indicatori", "avviso", c) for c in (
        "2019_01_01_3", "2019_01_01_4", "2019_01_01_5", "2019_01_01_6", "2019_01_02_1", "2019_01_02_4",
        "2019_01_03_01", "2019_02_01_01", "2019_02_01_03", "2019_03_01_1", "2019_03_01_2", "2019_04_02_1",
        "2019_04_02_3")},
    ("codice_stampato_piu_volte", "avviso", "2019_01_02_05"),  # r. 819 and 865
    ("target_poco_ambizioso", "avviso", "2019_01_02_05-I1"),  # SUAP: VA 3 (r. 852), VR 34 (r. 854): 11,33 times
    ("target_poco_ambizioso", "avviso", "2019_01_02_2-I1"),   # Masterclass: VA 4 (r. 604), VR 33 (r. 606): 8,25 times
    ("target_poco_ambizioso", "avviso", "2019_02_01_02-I1"),  # protesti: <= 20 giorni (r. 1267), 3 giorni: 6,67 times
    ("target_poco_ambizioso", "avviso", "2019_02_01-I1"),     # 2018: (16839/18528)/(20212/31192) = 140,26% >= 100%
    ("target_poco_ambizioso", "avviso", "2019_02_01-I2"),     # 2018: 99,2% (r. 1182) >= 80%
    ("target_poco_ambizioso", "avviso", "2019_03_01_3-I1"),   # 2018: 621/447 = 138,93% >= 70%
    ("direzione_tempo_costo", "avviso", "2019_01_02_04-I1"),  # 'Tempo medio di pubblicazione', VA 5 read as >= 5
    ("vr_senza_riscontro", "avviso", "2019_01_02_05-I1"),     # VR 34 'come da calendario agli atti', nothing else
    ("vr_senza_riscontro", "avviso", "2019_01_03-I2"),        # VR = 100% (r. 971), no narrative, no data
    ("vr_senza_riscontro", "info", "2019_01_02_2-I2"),        # VR 1 (Festa del Torrone): narrative, no 1
    ("vr_senza_riscontro", "info", "2019_01_02_04-I1"),       # VR 5 giorni: 'ampio rispetto del tempo medio'
    ("vr_senza_riscontro", "info", "2019_01_02_04-I2"),       # VR 17 rapporti: eight kinds named, no 17
    ("obiettivo_senza_indicatori", "info", "2019_04_02"),     # r. 1752-1772: none of its own
    ("vr_ricalcolato", "info", "2019_02_01-I1"),              # 137,5685 from the counts; 89,14/64,80 = 137,56
    ("vr_ricalcolato", "info", "2019_04_02_2-I1"),            # 49,3254 truncated to 49,32
    ("numerazione_saltata", "info", "2019_01_03"),            # 2019_01_03_01 then 2019_01_03_03
    ("obiettivo_senza_titolo", "info", "2019_01_01_3"),       # r. 335-347
    ("obiettivo_senza_titolo", "info", "2019_01_02_3"),       # r. 653-667
    ("indicatore_senza_target", "info", "2019_01_01-I1"),     # 'Si rimanda ai documenti di progetto' r. 180
    ("indicatore_senza_target", "info", "2019_01_02-I1"),     # r. 516
    ("indicatore_senza_target", "info", "2019_01_03-I1"),     # r. 936
    ("anno_nella_descrizione", "info", "2019_01_01_1-I1"),    # r. 245 'edizione 2018'
}


def test_shipped_findings_are_exactly_the_real_ones(con):
    result = verifica.run_checks(con)
    assert {(f.controllo, f.gravita, f.oggetto) for f in result} == SHIPPED
    assert len(result) == len(SHIPPED) == 44
    assert verifica.counts(result) == {"errore": 2, "avviso": 29, "info": 13}
    by_key = {(f.controllo, f.oggetto): f for f in result}
    # the two real contradictions, with their hand calculations
    rate = by_key[("tasso_incoerente", "2019_02_01-I1")]
    # 16344 / 19537 * 100 = 83,6567 -> 83,66 against 84,43 printed; 16344 / 19357 = 84,4346 -> 84,43 (5 and 3 swapped)
    assert "2. 16.344 / 19.537 × 100 = 83,6567%" in rate.calcolo and "83,66%" in rate.calcolo
    assert "denominatore 19.357 al posto di 19.537" in rate.spiegazione
    assert rate.citazione == "r. 1155: Al 31/12/2016: evase nei 5 giorni lavorativi 16344 su pratiche complessive 19537 (84,43%)"
    literal = by_key[("modalita_letterale", "2019_02_01-I1")]
    # 18235 / 20212 * 100 = 90,2187 -> 90,22 < 100; (18235/20456) / (20212/31192) * 100 = 137,5685
    assert "90,2187%" in literal.spiegazione and "137,5685%" in literal.spiegazione
    assert "90,22%" in literal.calcolo and "con la lettura letterale NON raggiunto" in literal.calcolo
    assert "r. 1148: Modalità di calcolo: (numero di pratiche evase" in literal.citazione
    assert "89,14% / 64,80% × 100 = 137,5617%" in by_key[("vr_ricalcolato", "2019_02_01-I1")].spiegazione
    # the code printed twice is one objective with both lines; the SUAP and Masterclass targets; the time's direction
    assert by_key[("codice_stampato_piu_volte", "2019_01_02_05")].righe_fonte == "819, 865"
    assert by_key[("target_poco_ambizioso", "2019_01_02_05-I1")].valore_ricalcolato == pytest.approx(34 / 3)  # 11,33
    assert by_key[("target_poco_ambizioso", "2019_01_02_2-I1")].valore_ricalcolato == pytest.approx(33 / 4)  # 8,25
    direction = by_key[("direzione_tempo_costo", "2019_01_02_04-I1")]
    assert "«<= 5»" in direction.spiegazione and direction.righe_fonte == "778, 779"
    # every finding says the rule it applied, and quotes the source when it cites a line
    assert all(f.regola for f in result) and all(f.citazione for f in result if f.righe_fonte)


def test_shipped_consistent_figures_stay_unflagged(con):
    result = verifica.run_checks(con)
    problems = {(f.codice_indicatore, f.controllo) for f in result if f.gravita != verifica.INFO}
    # 865 / 621 * 100 = 139,2915 -> 139,29 as declared (2019_03_01_3-I1)
    # 18978,38 / 38475,85 * 100 = 49,3254 -> 49,32 declared: truncated, within the tolerance of 0,01 (info only)
    # 4,1 / 5 * 100 = 82 as printed, and 82 >= 80, so «Incontri PID 100%» (2019_01-I1)
    # 69 + 28 = 97 >= 80 and 86 + 14 = 100 >= 80: «Festival della Mostarda 100%» is the item's score, consistent
    # Music China 8 + 12 = 20 of 20 participants, Artigiano in Fiera 7 + 7 = 14 of 14 (2019_03_01-I1: 44 / 44)
    for codice in ("2019_03_01_3-I1", "2019_04_02_2-I1", "2019_01-I1", "2019_03_01-I1"):
        assert {c for i, c in problems if i == codice} <= {"esito_mancante", "target_poco_ambizioso"}, codice
    assert not [f for f in result if f.controllo in ("vr_ricalcolato", "tasso_incoerente", "voce_sotto_soglia")
                and f.codice_indicatore in ("2019_03_01_3-I1", "2019_01-I1", "2019_03_01-I1")]
    assert [f.gravita for f in result if f.controllo == "vr_ricalcolato" and f.codice_indicatore == "2019_04_02_2-I1"] == ["info"]
    rows = {(r.codice_indicatore, r.oggetto): r for r in queries.run(con, "ricalcolo_indicatori", {}).itertuples()}
    assert rows[("2019_03_01_3-I1", "valore raggiunto")].valore_ricalcolato == pytest.approx(139.2915, abs=1e-4)
    assert rows[("2019_01-I1", "Incontri PID: valutazione media in percentuale")].valore_ricalcolato == pytest.approx(82)
    assert rows[("2019_01-I1", "Festival della Mostarda: quota di giudizi positivi del pubblico")].valore_ricalcolato == 97


def test_cli_check_exits_1_on_an_error(db_path):
    run = subprocess.run([sys.executable, "-m", "cruscotto", "check", "--gravita", "errore"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    assert run.stdout.count("ERRORE ") == 2
    assert "Rilievi: 2 errori, 29 avvisi, 13 informazioni." in run.stdout
    # the quoted source line and the calculation, for a reader without the app
    assert "r. 1155: Al 31/12/2016: evase nei 5 giorni lavorativi 16344 su pratiche complessive 19537 (84,43%)" in run.stdout
    assert "3. Arrotondato a 2 decimali come la percentuale stampata: 83,66%" in run.stdout
def test_cli_check_exits_0_without_errors(tmp_path, monkeypatch):
    con = make_store(tmp_path, [ind("S-I1", S, ">=80%", "=90%")])
    con.close()
    run = subprocess.run([sys.executable, "-m", "cruscotto", "check", "--format", "csv"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300,
                         env={**__import__("os").environ, "CRUSCOTTO_DB": str(tmp_path / "prova.duckdb")})
    # O1 and O2 have no indicators: two warnings, no error
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[0].startswith("controllo,gravita,ente,anno,oggetto,titolo")
    assert run.stdout.count("obiettivo_senza_indicatori") == 2
