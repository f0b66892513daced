"""The CLI as a script would use it: same functions as the app, exit codes that automation can rely on."""
import csv
import io
import json
import re
import subprocess
import sys

import pandas as pd
import pytest

from cruscotto import paths, pipeline, store
from cruscotto.cli import main
from cruscotto.present.workbook import to_xlsx


def test_query_json_gives_the_report_figures(db_path, capsys):
    assert main(["query", "andamento_imprese_internazionalizzazione", "--format", "json"]) == 0
    rows = {r["anno"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[2019]["imprese"] == 865 and rows[2018]["imprese"] == 621
    assert round(rows[2019]["percentuale_anno_precedente"], 2) == 139.29  # 865 / 621 * 100


def test_query_csv_with_bound_params(db_path, capsys):
    assert main(["query", "scheda_indicatori", "--param", "area=2019_04", "--param", "tipo=OPERATIVO", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # area 04 operational indicators: OIV referti, costi postali, costi consulenze
    assert sorted(r["codice"] for r in rows) == ["2019_04_01_NC-I1", "2019_04_02_2-I1", "2019_04_02_2-I2"]


def test_query_table_and_listing(db_path, capsys):
    assert main(["query", "andamento_pratiche_evase"]) == 0
    out = capsys.readouterr().out
    assert "89.14" in out and "2014" not in out  # 2014-2015 absent, not invented
    assert main(["query"]) == 0
    assert "riepilogo_aree" in capsys.readouterr().out


def test_query_errors_exit_2(db_path, capsys):
    assert main(["query", "non_esiste"]) == 2
    assert "inesistente" in capsys.readouterr().err
    assert main(["query", "riepilogo_aree", "--param", "anno=duemila"]) == 2


def test_validate_and_import(db_path, tmp_path, capsys):
    frames = {n: pd.read_csv(paths.DATA_DIR / f"{n}.csv", dtype=str, keep_default_na=False)
              for n in ("aree", "obiettivi", "indicatori")}
    for frame in frames.values():
        frame["anno"] = "2020"
    good = tmp_path / "relazione_2020.xlsx"
    good.write_bytes(to_xlsx(frames))
    assert main(["validate", str(good)]) == 0
    assert "Nessun errore" in capsys.readouterr().out
    assert main(["import", str(good), "--utente", "ufficio performance"]) == 0
    con = store.connect(db_path)
    years = [r[0] for r in con.execute("SELECT DISTINCT anno FROM indicatori ORDER BY 1").fetchall()]
    assert years == [2019, 2020]  # the new year sits beside the old one
    assert con.execute("SELECT utente FROM versioni ORDER BY versione DESC LIMIT 1").fetchone()[0] == "ufficio performance"
    con.close()

    frames["indicatori"].loc[0, "tipo"] = "IMPORTANTE"
    bad = tmp_path / "relazione_errata.xlsx"
    bad.write_bytes(to_xlsx(frames))
    assert main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "File relazione_errata.xlsx, foglio indicatori, riga 2, colonna tipo: 'IMPORTANTE' non è tra i valori ammessi" in err
    assert "il database non è stato modificato" in err


def test_build_creates_the_store_from_data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CRUSCOTTO_DB", str(tmp_path / "nuovo.duckdb"))
    assert main(["build"]) == 0
    assert (tmp_path / "nuovo.duckdb").exists()


def test_help_for_every_command():
    for command in ("build", "query", "validate", "import"):
        result = subprocess.run([sys.executable, "-m", "cruscotto", command, "--help"], capture_output=True, text=True, cwd=paths.ROOT)
        assert result.returncode == 0 and "usage" in result.stdout.lower()


def _copy_data(tmp_path):
    import shutil
    folder = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, folder, ignore=shutil.ignore_patterns("*.duckdb*", "*.archivio", "README.md"))
    return folder


def test_a_changed_data_folder_is_reloaded_on_start_unless_people_edited_those_years(tmp_path):
    folder = _copy_data(tmp_path)
    con = store.connect(tmp_path / "s.duckdb")
    assert pipeline.import_directory(con, folder).ok
    assert pipeline.refresh_shipped_data(con, folder) is None  # same data/: nothing written
    # a software update corrects a figure in data/: the next start reloads it
    path = folder / "indicatori.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",4,33,", ",4,30,"), encoding="utf-8")
    assert pipeline.refresh_shipped_data(con, folder) is not None
    assert con.execute("SELECT vr_numero FROM indicatori WHERE codice = '2019_01_02_2-I1'").fetchone()[0] == 30
    # the office uploads its own correction of 2019; a later change of data/ does not overwrite it
    frames = {n: pd.read_csv(folder / f"{n}.csv", dtype=str, keep_default_na=False) for n in ("indicatori",)}
    frames["indicatori"].loc[frames["indicatori"]["codice"] == "2019_01_02_2-I1", "valore_raggiunto"] = "31"
    assert pipeline.import_bytes(con, to_xlsx(frames), "correzione.xlsx").ok
    path.write_text(path.read_text(encoding="utf-8").replace(",4,30,", ",4,29,"), encoding="utf-8")
    assert pipeline.refresh_shipped_data(con, folder) is None
    assert con.execute("SELECT vr_numero FROM indicatori WHERE codice = '2019_01_02_2-I1'").fetchone()[0] == 31
    con.close()


def test_validate_a_one_table_csv_shows_the_preview_as_the_page_does(db_path, tmp_path, capsys):
    frame = pd.read_csv(paths.DATA_DIR / "indicatori.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["codice"] == "2019_01_02_2-I1", "valore_raggiunto"] = "30"
    path = tmp_path / "indicatori.csv"
    frame.to_csv(path, sep=";", index=False)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out
    assert "indicatori: 0 aggiunte, 1 modificata, 0 rimosse, 25 invariate" in out
    assert "Il file non ha il foglio «aree»: restano le 4 righe già caricate" in out


def test_a_missing_file_is_a_message_not_a_traceback(db_path, capsys):
    assert main(["validate", "non_esiste.xlsx"]) == 1
    assert main(["import", "non_esiste.xlsx"]) == 1
    assert capsys.readouterr().err.count("non esiste") == 2


# --- what the CLI prints is text: no formula in a CSV, no escape code on the terminal ---------------------------------

FORMULA = '=HYPERLINK("http://evil.example/","clic")'
ESCAPES = "\x1b[2J\x1b]0;titolo\x07\x9b31m"  # clear the screen, set the window title, 8-bit CSI


def _write(db_path, sql: str, *params) -> None:
    """Straight into the store, as data stored before validation refused such text (or written by another tool)."""
    con = store.connect(db_path)
    try:
        con.execute(sql, list(params))
        store.recompute(con)  # the derived tables follow the rows, as after an import
    finally:
        con.close()


def test_query_csv_neutralises_formulas_and_keeps_numbers(db_path, capsys):
    _write(db_path, "UPDATE indicatori SET descrizione = ?, va_numero = -5 WHERE codice = '2019_02_01-I1'", FORMULA)
    assert main(["query", "scheda_indicatori", "--param", "area=2019_02", "--format", "csv"]) == 0
    rows = {r["codice"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["2019_02_01-I1"]["descrizione"] == "'" + FORMULA  # was written raw
    assert rows["2019_02_01-I1"]["va_numero"] == "-5.0"  # a negative number stays a number
    assert rows["2019_02_01-I2"]["valore_raggiunto"].startswith("'=")  # '= 100%' as the report writes it


def test_check_csv_neutralises_declared_values(db_path, capsys):
    main(["check", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    declared = [r["valore_dichiarato"] for r in rows if r["valore_dichiarato"]]
    # the report's own «= 137,56%» came out raw: a formula for Excel
    assert declared and not [v for v in declared if v[:1] in "=+-@"]
    assert "'= 137,56%" in declared


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_output_carries_no_terminal_escape_codes(db_path, capsys, fmt):
    _write(db_path, "UPDATE indicatori SET descrizione = ? || descrizione WHERE codice = '2019_02_01-I1'", ESCAPES)
    assert main(["query", "scheda_indicatori", "--param", "area=2019_02", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), repr(out[:200])
    assert "[2J" in out and "Tasso di evasione" in out  # the rest of the text is still there
    if fmt == "json":
        json.loads(out)


def test_check_output_carries_no_terminal_escape_codes(db_path, capsys):
    _write(db_path, "UPDATE indicatori SET descrizione = ? || descrizione", ESCAPES)
    main(["check"])
    out = capsys.readouterr().out
    assert "«" + "[2J" in out  # findings quote the description...
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)  # ...without its escape codes


def test_problems_printed_by_validate_carry_no_escape_codes(db_path, tmp_path, capsys):
    path = tmp_path / f"aree{ESCAPES}.csv"
    path.write_text("colonna_sconosciuta\nvalore\x1b[31m\n", encoding="utf-8")
    main(["validate", str(path)])
    captured = capsys.readouterr()
    assert captured.err and not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", captured.out + captured.err)


def test_check_survives_infinities_in_the_store(db_path, capsys):
    _write(db_path, "UPDATE serie_storiche SET valore = 'inf'::DOUBLE WHERE serie = 'pratiche_evase_5gg'")
    _write(db_path, "UPDATE indicatori SET vr_numero = 'inf'::DOUBLE WHERE codice = '2019_02_01-I1'")
    assert main(["check"]) == 1  # a traceback before (ValueError: cannot convert float NaN to integer)
    assert "Rilievi:" in capsys.readouterr().out
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out, parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    assert findings


def test_a_progress_line_may_still_return_to_its_start(capsys):
    from cruscotto.present import text
    with text.clean_output():
        print("\r3/10 CCIAA\x1b[2K di prova\rX", end="", file=sys.stderr)
    assert capsys.readouterr().err == "\r3/10 CCIAA[2K di provaX"  # only the opening \r is the program's
