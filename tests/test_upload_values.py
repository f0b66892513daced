"""Values that cannot be true are refused (issue 10, item 2), and an empty sheet deletes nothing unless confirmed.

The corpus in tests/bad_files/ (see test_upload_bad_files.py) holds one workbook per class of impossible value; the
tests here follow single cases through the page's functions, the CLI and the SQL that reads the stored values.
"""
from __future__ import annotations

import hashlib
import math
import unicodedata

import pandas as pd
import pytest
from builders.reports import O1, ind, make_store, metodo, recomputed, serie
from builders.workbooks import assert_same_tables, shipped_frames, snapshot

from cruscotto import paths, pipeline, store
from cruscotto.cli import main
from cruscotto.ingest.parsing import NUMERO_MAX, NUMERO_MIN, plain_number_text
from cruscotto.present.workbook import to_xlsx
from cruscotto.store import queries

CIFRE_2019 = 79  # rows of data/cifre_chiave.csv, all of CCIAA di Cremona 2019


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def errors(checked) -> list[str]:
    return [checked.error] if checked.error else [str(p) for p in checked.validated.errors]


def workbook(change=None) -> bytes:
    frames = shipped_frames()
    if change:
        change(frames)
    return to_xlsx(frames)


# ------------------------------------------------------------------ one value at a time, store untouched

def _set(sheet, column, value, row=0):
    def change(frames):
        frames[sheet].loc[row, column] = value
    return change


REFUSED = [
    # (what, change, expected message fragment): spreadsheet row = index + 2
    ("infinity", _set("serie_storiche", "valore", "inf"), "riga 2, colonna valore: 'inf' non è un numero"),
    ("minus infinity", _set("cifre_chiave", "valore", "-inf"), "riga 2, colonna valore: '-inf' non è un numero"),
    ("overflow", _set("serie_storiche", "valore", "1e309"), "'1e309' è un numero troppo grande"),
    ("not a number", _set("serie_storiche", "numeratore", "nan", row=1), "riga 3, colonna numeratore: 'nan' non è un numero"),
    ("beyond a thousand billion", _set("cifre_chiave", "valore", "2e12"), "'2e12' è un numero troppo grande"),
    ("a subtraction's residue", _set("serie_storiche", "valore", "5,551115123125783e-17"), "è troppo vicino a zero"),
    ("year as exponent", _set("serie_storiche", "anno_valore", "2e3"), "'2e3' non è un anno scritto con quattro cifre"),
    ("year with decimals", _set("aree", "anno", "2019,0"), "'2019,0' non è un anno scritto con quattro cifre"),
    ("infinite weight", _set("indicatori", "peso", "inf"), "colonna peso: 'inf' non è un numero"),
    ("negative weight", _set("indicatori", "peso", "-2"), "colonna peso: '-2' deve essere maggiore di 0"),
    ("negative count", _set("serie_storiche", "denominatore", "-20456"), "'-20456' deve essere maggiore di 0"),
    ("huge target", _set("indicatori", "valore_raggiunto", "= 5.000.000.000.000%"), "è un numero troppo grande"),
    ("Excel error as text", _set("serie_storiche", "valore", "#DIV/0!"), "contiene l'errore di Excel #DIV/0!"),
    ("NUL", _set("indicatori", "descrizione", "Tasso\x00"), "contiene il carattere invisibile U+0000"),
    ("C1 control", _set("indicatori", "note", "nota\x85"), "contiene il carattere invisibile U+0085 (carattere di controllo)"),
    ("zero-width joiner", _set("indicatori", "codice", "2019_01-\u200dI1"), "U+200D (unione a larghezza zero)"),
    ("word joiner", _set("obiettivi", "titolo", "Titolo\u2060"), "U+2060"),
    ("bidi isolate", _set("aree", "descrizione", "\u2066testo\u2069"), "U+2066 (segno invisibile di direzione del testo)"),
    ("Greek omicron in a code", _set("indicatori", "codice", "2019_01-I1\u03bf"), "contiene la lettera greca «\u03bf» (U+03BF)"),
    ("Cyrillic in a key phrase", _set("cifre_chiave", "voce", "Spesa t\u043etale"), "mescola lettere latine e la lettera cirillica"),
    # a currency or percent sign alone is no number (the check used to crash on it: «errore imprevisto»)
    ("a euro sign alone", _set("cifre_chiave", "valore", "€"), "riga 2, colonna valore: '€' non è un numero"),
    ("a percent sign alone", _set("serie_storiche", "valore", " % "), "riga 2, colonna valore: ' % ' non è un numero"),
]


@pytest.mark.parametrize("what, change, expected", REFUSED, ids=[r[0] for r in REFUSED])
def test_an_impossible_value_is_refused_and_the_store_is_unchanged(what, change, expected, con, db_path):
    data = workbook(change)
    before = snapshot(con)
    checked = pipeline.check(con, data, "relazione_2019.xlsx")
    assert not checked.ok
    assert any(m.startswith("File relazione_2019.xlsx, foglio ") and expected in m for m in errors(checked)), errors(checked)
    with pytest.raises(ValueError):
        pipeline.commit(con, checked, data)
    assert not pipeline.import_bytes(con, data, "relazione_2019.xlsx").ok
    assert_same_tables(before, snapshot(con))


def test_cli_import_refuses_an_impossible_value_and_leaves_the_file_as_it_was(db_path, tmp_path, capsys):
    path = tmp_path / "relazione_2019.xlsx"
    path.write_bytes(workbook(_set("serie_storiche", "valore", "inf")))
    before = digest(db_path)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "foglio serie_storiche, riga 2, colonna valore: 'inf' non è un numero" in err and "Traceback" not in err
    assert digest(db_path) == before


def test_values_that_can_be_true_are_kept(con):
    # a series value may be negative (a balance, a change), a numerator zero; years and line numbers as digits
    def change(frames):
        s = frames["serie_storiche"]
        s.loc[0, "valore"], s.loc[1, "numeratore"] = "-3,5", "0"
        frames["aree"].loc[0, "riga_fonte"] = "1.085"  # Italian thousands: line 1085
    checked = pipeline.check(con, workbook(change), "relazione_2019.xlsx")
    assert checked.ok, errors(checked)
    frame = checked.validated.tables["serie_storiche"]
    assert (frame["valore"][0], frame["numeratore"][1]) == (-3.5, 0.0)
    assert checked.validated.tables["aree"]["riga_fonte"][0] == 1085


# ------------------------------------------------------------------ text normalised before keys are compared

def test_text_is_nfc_and_single_spaced_before_keys_are_compared(con):
    decomposed = unicodedata.normalize("NFD", "Competitività e sviluppo delle imprese")
    def change(frames):
        frames["aree"].loc[0, "missione_descrizione"] = decomposed  # 'a' + combining grave, as some Mac tools write
        frames["aree"].loc[0, "codice"] = "  2019_01 "
        frames["cifre_chiave"].loc[0, "voce"] = frames["cifre_chiave"].loc[0, "voce"].replace(" ", " \t ", 1)
    checked = pipeline.check(con, workbook(change), "relazione_2019.xlsx")
    assert checked.ok, errors(checked)
    assert checked.preview.empty  # exactly the stored data: same codes, same text
    assert checked.validated.tables["aree"]["missione_descrizione"][0] == "Competitività e sviluppo delle imprese"


def test_a_chamber_differing_from_the_stored_one_only_by_case_is_refused(con):
    def change(frames):
        for frame in frames.values():
            frame["ente"], frame["anno"] = "cciaa di cremona", "2020"
    checked = pipeline.check(con, workbook(change), "relazione_2020.xlsx")
    found = errors(checked)
    assert any("foglio aree, riga 2, colonna ente: 'cciaa di cremona' è quasi uguale a 'CCIAA di Cremona' già nel cruscotto"
               in m and "scriverlo esattamente come 'CCIAA di Cremona'" in m for m in found), found


def test_a_code_differing_from_another_year_only_by_case_is_refused(con):
    def change(frames):
        for frame in frames.values():
            frame["anno"] = "2020"
        frames["indicatori"].loc[1, "codice"] = frames["indicatori"].loc[1, "codice"].lower()
    checked = pipeline.check(con, workbook(change), "relazione_2020.xlsx")
    code = shipped_frames()["indicatori"].loc[1, "codice"]
    assert any(f"foglio indicatori, riga 3, colonna codice: '{code.lower()}' è quasi uguale a '{code}' già nel cruscotto "
               "(indicatori, anno 2019)" in m for m in errors(checked)), errors(checked)


def test_a_reference_differing_only_by_case_says_which_code_exists(con):
    found = errors(pipeline.check(con, workbook(_set("cifre_chiave", "codice_indicatore", "2019_01-i1")), "relazione_2019.xlsx"))
    assert any("foglio cifre_chiave, riga 2, colonna codice_indicatore: '2019_01-i1' non esiste" in m
               and "C'è '2019_01-I1', che cambia solo per maiuscole/minuscole" in m for m in found), found


# ------------------------------------------------------------------ Excel error cells

def test_an_excel_error_cell_is_named_not_reported_as_missing_nor_stored_as_empty(con):
    import io

    import xlsxwriter

    frames = shipped_frames()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    for name, frame in frames.items():
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, list(frame.columns))
        for r, row in enumerate(frame.itertuples(index=False), start=1):
            sheet.write_row(r, 0, list(row))
    book.get_worksheet_by_name("serie_storiche").write_formula(1, 8, "=H2/0", None, "#DIV/0!")  # I2: denominatore (optional)
    book.get_worksheet_by_name("indicatori").write_formula(2, 4, "=VLOOKUP(1,Z1:Z2,2)", None, "#N/A")  # E3: descrizione
    book.close()
    found = errors(pipeline.check(con, buffer.getvalue(), "relazione.xlsx"))
    assert "File relazione.xlsx, foglio serie_storiche, riga 2, colonna denominatore: la cella I2 contiene l'errore di Excel " \
           "#DIV/0! (risultato della formula =H2/0): correggere il dato o la formula da cui viene e scrivere il valore " \
           "(lasciare la cella vuota se il valore manca)." in found, found
    assert any("riga 3, colonna descrizione: la cella E3 contiene l'errore di Excel #N/A" in m for m in found), found
    assert not any("mancante" in m or "contiene una formula" in m for m in found), found  # one message per cell


def test_an_excel_error_exported_to_csv_is_named(con):
    frame = pd.read_csv(paths.DATA_DIR / "indicatori.csv", dtype=str, keep_default_na=False)
    frame.loc[4, "peso"] = "#VALUE!"
    found = errors(pipeline.check(con, frame.to_csv(sep=";", index=False).encode("utf-8-sig"), "indicatori.csv"))
    assert any(m.startswith("File indicatori.csv, foglio indicatori, riga 6, colonna peso: la cella contiene l'errore di "
                            "Excel #VALUE!") for m in found), found


# ------------------------------------------------------------------ rules of the SMVP

def _rules(*rows) -> callable:
    def change(frames):
        frames["regole"] = pd.DataFrame([{"ente": "CCIAA di Cremona", "anno": "2019", "regola": r, "valore": v} for r, v in rows])
    return change


@pytest.mark.parametrize("rows, expected", [
    ((("soglia_raggiunto", "60"),), "soglia_parziale = 70 (valore predefinito) è più alta di soglia_raggiunto = 60"),
    ((("soglia_raggiunto", "80"), ("soglia_parziale", "85")), "soglia_parziale = 85 è più alta di soglia_raggiunto = 80"),
    ((("grado_traguardo_non_raggiunto", "50"), ("grado_traguardo_raggiunto", "40")),
     "grado_traguardo_non_raggiunto = 50 è più alta di grado_traguardo_raggiunto = 40"),
    ((("tetto_grado", "90"),), "90 fuori dai valori ammessi per la regola tetto_grado: da 100 a 1000."),
    ((("soglia_raggiunto", "-5"),), "-5 fuori dai valori ammessi per la regola soglia_raggiunto: da 0 a 100."),
    ((("tolleranza_arrotondamento", "inf"),), "'inf' non è un numero: la regola tolleranza_arrotondamento vuole un numero"),
    # a rule name misspelled, with its value: named as not admitted (the check used to crash on it)
    ((("soglia_raggiunta", "80"),), "colonna regola: 'soglia_raggiunta' non è tra i valori ammessi"),
])
def test_rules_out_of_range_or_inverted_are_refused(rows, expected, con):
    found = errors(pipeline.check(con, workbook(_rules(*rows)), "regole.xlsx"))
    assert any("foglio regole, riga " in m and expected in m for m in found), found


def test_an_area_and_an_objective_both_without_code_are_named_not_a_crash(con):
    # both codes missing for the same ente and anno: the check of codes shared by an area and an objective compared
    # the two missing codes and crashed («errore imprevisto»); each missing code is named instead
    def change(frames):
        frames["aree"].loc[0, "codice"] = ""
        frames["obiettivi"].loc[0, "codice"] = ""
    found = errors(pipeline.check(con, workbook(change), "relazione_2019.xlsx"))
    for sheet in ("aree", "obiettivi"):
        assert any(m.startswith(f"File relazione_2019.xlsx, foglio {sheet}, riga 2, colonna codice: valore obbligatorio "
                                "mancante") for m in found), found


def test_a_rule_reads_the_same_number_in_the_validation_and_in_the_sql(con):
    # '1.000' is a thousand the Italian way (parse_number); the SQL's cast read the text as written and made it 1
    rows = (("tetto_grado", "1.000"), ("soglia_raggiunto", "92.5"), ("soglia_parziale", "70%"))
    data = workbook(_rules(*rows))
    checked = pipeline.check(con, data, "regole.xlsx")
    assert checked.ok, errors(checked)
    pipeline.commit(con, checked, data)
    numbers = queries.run(con, "regole_in_vigore", {}).set_index("regola")["numero"]
    assert (numbers["tetto_grado"], numbers["soglia_raggiunto"], numbers["soglia_parziale"]) == (1000, 92.5, 70)


def test_method_operands_read_the_same_number_in_the_validation_and_in_the_sql(tmp_path):
    # '2.5' was 25 for the SQL (dot as thousands) and 2,5 for parse_number: now both 2,5 -> 2,5 + 1,5 = 4
    con = make_store(tmp_path, [ind("D-I1", O1, "4", "4")],
                     metodi=[metodo("D-I1", "somma", dichiarato="4.0", numeratore="2.5; 1,5")])
    row = recomputed(con)[("D-I1", "valore raggiunto", "principale")]
    assert (row.valore_ricalcolato, row.dichiarato_numero) == (4, 4)


def test_the_largest_and_smallest_figures_accepted_give_finite_results(tmp_path):
    # the bounds exist so that no ratio the SQL computes overflows to infinity (which no page can show): the largest
    # accepted value over the smallest, 100 * 1e12 / 1e-6 = 1e20, is still a number
    con = make_store(tmp_path, [ind("R-I1", O1, ">=100%", "=100%")],
                     serie=[serie("s", 2019, plain_number_text(NUMERO_MAX), unita="numero"),
                            serie("s", 2013, plain_number_text(NUMERO_MIN), unita="numero")],
                     metodi=[metodo("R-I1", "rapporto_anno_base", serie="s", anno_valore=2019, anno_base=2013)])
    value = recomputed(con)[("R-I1", "valore raggiunto", "principale")].valore_ricalcolato
    assert math.isfinite(value) and value == pytest.approx(100 * NUMERO_MAX / NUMERO_MIN)


# ------------------------------------------------------------------ an empty sheet never deletes rows unconfirmed

def _empty_cifre(frames):
    frames["cifre_chiave"] = frames["cifre_chiave"].iloc[0:0]


def test_a_sheet_with_its_header_only_deletes_nothing_unless_confirmed(con):
    data = workbook(_empty_cifre)
    before = snapshot(con)
    checked = pipeline.check(con, data, "relazione_2019.xlsx")
    assert not checked.ok and checked.awaits_emptying_confirmation
    assert checked.emptied == {"cifre_chiave": CIFRE_2019}
    assert errors(checked) == [
        "File relazione_2019.xlsx, foglio cifre_chiave: il foglio ha solo l'intestazione, nessuna riga: caricandolo si "
        f"cancellerebbero le {CIFRE_2019} righe di cifre_chiave già nel cruscotto per CCIAA di Cremona 2019. Se è voluto, "
        "confermarlo (casella «Confermo di svuotare» nella pagina Carica dati; da riga di comando: import "
        "--sostituisci-tabelle-vuote); altrimenti togliere il foglio dal file (le righe restano come sono) oppure compilarlo."]
    with pytest.raises(ValueError):
        pipeline.commit(con, checked, data)
    assert not pipeline.import_bytes(con, data, "relazione_2019.xlsx").ok
    assert_same_tables(before, snapshot(con))

    confirmed = pipeline.check(con, data, "relazione_2019.xlsx", svuota_tabelle_vuote=True)
    assert confirmed.ok
    cifre = next(t for t in confirmed.preview.tables if t.table == "cifre_chiave")
    assert (len(cifre.removed), len(cifre.added), cifre.unchanged) == (CIFRE_2019, 0, 0)
    assert confirmed.preview.emptied == {"cifre_chiave": CIFRE_2019}
    assert any(f"confermando si cancellano le {CIFRE_2019} righe" in n for n in confirmed.notes)
    pipeline.commit(con, confirmed, data)
    assert con.execute("SELECT count(*) FROM cifre_chiave").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM indicatori").fetchone()[0] == 26  # the other tables as they were


def test_an_empty_sheet_for_a_year_the_store_lacks_needs_no_confirmation(con):
    def change(frames):
        _empty_cifre(frames)
        for frame in frames.values():
            frame["anno"] = "2020"
    checked = pipeline.check(con, workbook(change), "relazione_2020.xlsx")
    assert checked.ok and not checked.emptied  # nothing stored for 2020: nothing to lose


def test_cli_import_refuses_an_empty_sheet_without_the_flag(db_path, tmp_path, capsys):
    path = tmp_path / "relazione_2019.xlsx"
    path.write_bytes(workbook(_empty_cifre))
    before = digest(db_path)
    assert main(["import", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"caricandolo si cancellerebbero le {CIFRE_2019} righe di cifre_chiave" in err
    assert "--sostituisci-tabelle-vuote" in err and "il database non è stato modificato" in err
    assert digest(db_path) == before

    assert main(["import", str(path), "--sostituisci-tabelle-vuote"]) == 0
    assert f"Tabella cifre_chiave svuotata come richiesto: {CIFRE_2019} righe cancellate" in capsys.readouterr().out
    con = store.connect(db_path)
    try:
        assert con.execute("SELECT count(*) FROM cifre_chiave").fetchone()[0] == 0
    finally:
        con.close()


def test_cli_help_explains_the_flag(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps the lines
    assert "--sostituisci-tabelle-vuote" in out and "Un foglio con la sola intestazione svuoterebbe la sua tabella" in out


def test_not_available_written_as_a_target_value_is_absent_in_xlsx_and_csv(con):
    # the reader keeps 'N/A' as written (so that 'nan' in a number column is refused); as a VR it means no value,
    # never a milestone reached (a text VR is judged in words, and 'N/A' has no word of failure)
    frames = shipped_frames()
    frames["indicatori"].loc[0, "valore_raggiunto"] = "N/A"
    for data, name in ((to_xlsx(frames), "relazione.xlsx"),
                       (frames["indicatori"].to_csv(sep=";", index=False).encode("utf-8-sig"), "indicatori.csv")):
        checked = pipeline.check(con, data, name)
        assert checked.ok, errors(checked)
        assert checked.validated.tables["indicatori"]["vr_tipo"][0] == "assente", name
