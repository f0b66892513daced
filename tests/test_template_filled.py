"""«Scarica i dati attuali come modello compilato» (issue 16): the upload workbook filled with a chamber-year uploads
back as a no-op, and moved to the next year it is the next plan, which uploaded with its new values extends every
trend without retyping anything."""
from __future__ import annotations

import io

import openpyxl
import pytest

from cruscotto import pipeline
from cruscotto.cli import main
from cruscotto.ingest import template
from cruscotto.ingest.reader import read_bytes
from cruscotto.store import queries, versions

ENTE = "CCIAA di Cremona"


def sheet_rows(book, name: str) -> list[dict]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r)) for r in rows[1:] if any(v is not None for v in r)]


def test_the_filled_workbook_uploaded_unchanged_changes_nothing(con):
    data = template.current_workbook(con, ENTE, 2019)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert len(sheet_rows(book, "indicatori")) == 26 and len(sheet_rows(book, "cifre_chiave")) == 79  # data/README
    assert not [r for r in sheet_rows(book, "aree") if str(r["ente"]).startswith("(esempio)")]  # no example row
    checked = pipeline.check(con, data, "cremona_2019.xlsx")
    assert checked.ok and checked.preview.empty  # the page says «Nessuna modifica»
    # every row of every table unchanged: 4 aree, 31 obiettivi, 26 indicatori, 24 serie, 79 cifre, 16 metodi,
    # 2 codici ripetuti, 826 righe della fonte, 5 riferimenti (data/README)
    assert sum(t.unchanged for t in checked.preview.tables) == 4 + 31 + 26 + 24 + 79 + 16 + 2 + 826 + 5
    result = pipeline.import_bytes(con, data, "cremona_2019.xlsx", utente="ufficio")
    assert result.ok and result.unchanged and result.version is None
    assert versions.current_version(con) == 1  # no version that changes nothing


def test_cli_writes_the_filled_workbook_and_its_import_is_a_no_op(db_path, tmp_path, capsys):
    path = tmp_path / "cremona_2019.xlsx"
    assert main(["template", str(path), "--ente", ENTE, "--anno", "2019"]) == 0
    assert f"Modello compilato con i dati di {ENTE} per il 2019" in capsys.readouterr().out
    assert main(["validate", str(path)]) == 0
    assert "Nessuna modifica" in capsys.readouterr().out
    assert main(["import", str(path), "--utente", "ufficio"]) == 0
    assert "Nessuna modifica: il file contiene esattamente i dati attuali. Nessuna nuova versione." in capsys.readouterr().out
    assert main(["versions"]) == 0
    assert "\n        2 " not in capsys.readouterr().out


def test_without_ente_the_template_stays_the_empty_one(tmp_path):
    path = tmp_path / "modello.xlsx"
    assert main(["template", str(path)]) == 0
    assert path.read_bytes()[:2] == b"PK"
    aree = sheet_rows(openpyxl.load_workbook(path), "aree")
    assert len(aree) == 1 and aree[0]["ente"].startswith("(esempio)")


def test_cli_refuses_a_chamber_year_the_store_lacks(tmp_path, capsys):
    assert main(["template", str(tmp_path / "x.xlsx"), "--ente", "CCIAA di Roma", "--anno", "2019"]) == 1
    assert "non ci sono dati di «CCIAA di Roma» per il 2019" in capsys.readouterr().err
    assert main(["template", str(tmp_path / "x.xlsx"), "--ente", ENTE]) == 1
    assert not (tmp_path / "x.xlsx").exists()


def test_moved_to_2020_renames_every_code_and_reference_and_empties_the_results(con):
    book = openpyxl.load_workbook(io.BytesIO(template.current_workbook(con, ENTE, 2019, anno_nuovo=2020)))
    indicatori = {r["codice"]: r for r in sheet_rows(book, "indicatori")}
    assert len(indicatori) == 26 and all(code.startswith("2020_") for code in indicatori)
    moved = indicatori["2020_02_01-I1"]  # was 2019_02_01-I1: pratiche evase entro 5 giorni
    assert moved["anno"] == 2020 and moved["codice_obiettivo"] == "2020_02_01"
    assert moved["valore_atteso"] == ">=100%" and moved["target_triennale"]  # the target is kept, to edit
    assert all(r["valore_raggiunto"] is None and r["esito_dichiarato"] is None and r["risultato"] is None
               for r in indicatori.values())
    obiettivi = sheet_rows(book, "obiettivi")
    assert {r["codice_padre"][:5] for r in obiettivi} == {"2020_"}
    serie = sheet_rows(book, "serie_storiche")
    assert len(serie) == 24 and {r["anno"] for r in serie} == {2020}  # carried over, values and years as they were
    assert {r["codice_indicatore"] for r in serie if r["serie"] == "pratiche_evase_5gg"} == {"2020_02_01-I1"}
    assert sorted(r["anno_valore"] for r in serie if r["serie"] == "pratiche_evase_5gg") == [2013, 2016, 2017, 2018, 2019]
    assert sheet_rows(book, "cifre_chiave") == [] and sheet_rows(book, "fonte_righe") == []
    metodi = sheet_rows(book, "metodi_calcolo")
    assert metodi and {r["oggetto"] for r in metodi} == {"valore raggiunto"}
    assert {r["codice_indicatore"][:5] for r in metodi} == {"2020_"} and all(r["dichiarato"] is None for r in metodi)
    riferimenti = sheet_rows(book, "riferimenti")
    assert {(r["territorio"], r["anno_valore"], r["valore"]) for r in riferimenti} >= {("Italia", 2019, 75.4)}


def _set(sheet, code_column: str, code: str, column: str, value) -> None:
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index(code_column)].value == code:
            cell = row[header.index(column)]
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text as typed: '= 141,81%' is how the report writes a value, not a formula
            return
    raise AssertionError(f"{code} not in {sheet.title}")


def _add_year(sheet, serie: str, from_year: int, year: int, **values) -> None:
    """A row of the series for `year`, copied from its `from_year` row with `values` changed."""
    header = [c.value for c in sheet[1]]
    source = next(r for r in sheet.iter_rows(min_row=2, values_only=True)
                  if r[header.index("serie")] == serie and r[header.index("anno_valore")] == from_year)
    row = dict(zip(header, source)) | {"anno_valore": year, "riga_fonte": None, "testo_originale": None} | values
    sheet.append([row[h] for h in header])


def test_2019_moved_to_2020_edited_and_uploaded_extends_every_trend(con):
    book = openpyxl.load_workbook(io.BytesIO(template.current_workbook(con, ENTE, 2019, anno_nuovo=2020)))
    _set(book["indicatori"], "codice", "2020_02_01-I1", "valore_raggiunto", "= 141,81%")
    _set(book["indicatori"], "codice", "2020_02_01-I1", "esito_dichiarato", "OBIETTIVO CONSEGUITO")
    serie = book["serie_storiche"]
    # 2020: 17.000 evase su 18.500 -> 17000 / 18500 * 100 = 91,8919%; index 91,8919 / 64,7987 (2013) * 100 = 141,81
    _add_year(serie, "pratiche_evase_5gg", 2019, 2020, valore=91.89, numeratore=17000, denominatore=18500)
    _add_year(serie, "imprese_internazionalizzazione", 2019, 2020, valore=900)
    _add_year(serie, "costi_postali", 2019, 2020, valore=17000)
    _add_year(serie, "costi_consulenze", 2019, 2020, valore=0)
    _add_year(serie, "soddisfazione_arbitrato_conciliazione", 2019, 2020, valore=98.5)
    _add_year(serie, "bando_export_imprese", 2019, 2020, valore=20)
    _add_year(serie, "bando_export_contributi", 2019, 2020, valore=100000)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    checked = pipeline.check(con, data, "piano_2020.xlsx")
    assert checked.ok, [str(p) for p in checked.validated.errors]
    assert checked.preview.partitions == [(ENTE, 2020)]
    version = pipeline.commit(con, checked, data, utente="ufficio performance")

    pratiche = queries.run(con, "andamento_pratiche_evase", {"ente": ENTE}).set_index("anno")
    assert list(pratiche.index) == [2013, 2016, 2017, 2018, 2019, 2020]
    assert round(pratiche.loc[2020, "tasso_calcolato"], 2) == 91.89 and round(pratiche.loc[2020, "indice_base"], 2) == 141.81
    assert pratiche.loc[2020, "indice_dichiarato"] == 141.81  # the 2020 indicator, found by its renamed code
    imprese = queries.run(con, "andamento_imprese_internazionalizzazione", {"ente": ENTE}).set_index("anno")
    assert round(imprese.loc[2020, "percentuale_anno_precedente"], 2) == 104.05  # 900 / 865 * 100
    costi = queries.run(con, "contenimento_costi", {"ente": ENTE})
    postali = costi[(costi["serie"] == "costi_postali") & (costi["anno"] == 2020)].iloc[0]
    assert round(postali["percentuale_base"], 2) == 44.18  # 17000 / 38475,85 * 100
    every = queries.run(con, "valori_serie", {"ente": ENTE})
    assert {s: 2020 in set(g["anno"]) for s, g in every.groupby("serie")} == {s: True for s in set(every["serie"])}
    assert len(set(every["serie"])) == 7
    scorecard = queries.run(con, "scheda_indicatori", {"ente": ENTE, "anno": 2020}).set_index("codice")
    assert scorecard.loc["2020_02_01-I1", "valore_raggiunto"] == "= 141,81%"
    assert versions.list_versions(con)[0].versione == version == 2


@pytest.mark.parametrize("anno_nuovo", [None, 2020])
def test_the_filled_workbook_reads_back_as_the_template_does(con, anno_nuovo):
    sheets = {s.name: s for s in read_bytes(template.current_workbook(con, ENTE, 2019, anno_nuovo), "x.xlsx")}
    empty = {s.name: list(s.frame.columns) for s in read_bytes(template.build_template(), "modello.xlsx")}
    assert {name: list(sheet.frame.columns) for name, sheet in sheets.items() if name in empty} == empty
