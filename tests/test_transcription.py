"""The shipped data/ is the whole report, each element exactly once (counts in data/README.md)."""
import re
from pathlib import Path

import pandas as pd
import pytest

from cruscotto import paths, pipeline, store
from cruscotto.ingest import fonte
from cruscotto.ingest.reader import read_directory
from cruscotto.ingest.validate import validate
from cruscotto.present.workbook import csv_folder_as_xlsx

DATA = paths.DATA_DIR


def test_shipped_data_validates_without_problems():
    validated = validate(read_directory(DATA))
    assert [str(p) for p in validated.problems] == []


def test_counts_per_level_match_the_report(con):
    # Counted by hand in the source: 4 areas; 7 strategic objectives (2019_01_01..03, 2019_02_01, 2019_03_01,
    # 2019_04_01..02); 24 operational (6+6+2 in area 01, 3 in 02, 3 in 03, 1 uncoded + 3 in 04);
    # 26 indicators (see data/README.md, table 'Conteggi').
    counts = dict(con.execute("""
        SELECT 'aree', count(*) FROM aree UNION ALL
        SELECT livello, count(*) FROM obiettivi GROUP BY livello UNION ALL
        SELECT 'indicatori', count(*) FROM indicatori""").fetchall())
    assert counts == {"aree": 4, "strategico": 7, "operativo": 24, "indicatori": 26}


def test_every_code_is_unique_and_the_odd_codes_are_kept_as_written(con):
    codes = [r[0] for r in con.execute("SELECT codice FROM obiettivi").fetchall()]
    assert len(codes) == len(set(codes))
    # 2019_01_02_4 and 2019_01_02_04 are two different objectives in the report (r. 700 and r. 731)
    assert {"2019_01_02_4", "2019_01_02_04"} <= set(codes)
    # 2019_01_02_05 appears twice (r. 819, r. 865) but is one objective with two indicators
    assert codes.count("2019_01_02_05") == 1
    n = con.execute("SELECT count(*) FROM indicatori WHERE codice_obiettivo = '2019_01_02_05'").fetchone()[0]
    assert n == 2
    # the operational objective under 2019_04_01 has no code in the report: ours is marked, the document's is empty
    row = con.execute("SELECT codice_documento, codice_padre FROM obiettivi WHERE codice = '2019_04_01_NC'").fetchone()
    assert row == (None, "2019_04_01")


def test_every_row_says_where_in_the_source_it_comes_from(con):
    for table in ("aree", "obiettivi", "indicatori", "serie_storiche", "cifre_chiave"):
        missing = con.execute(f"SELECT count(*) FROM {table} WHERE riga_fonte IS NULL").fetchone()[0]
        assert missing == 0, table


_SEED = Path("shared") / "seeds" / "000_88a6cea765695105.txt"
# the source report sits in shared/ beside the checkout (or beside the folder of worktrees)
SOURCE = next((p / _SEED for p in Path(__file__).resolve().parents if (p / _SEED).exists()), Path("/") / _SEED)


@pytest.mark.skipif(not SOURCE.exists(), reason="the source report is not beside this checkout")
def test_quoted_source_text_is_on_the_cited_line(con):
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    fold = lambda s: re.sub(r"\s+", " ", s).strip()
    rows = con.execute("SELECT riga_fonte, testo_originale FROM serie_storiche UNION ALL "
                       "SELECT riga_fonte, testo_originale FROM cifre_chiave").fetchall()
    for line, quote in rows:
        assert fold(lines[line - 1]) in fold(quote), (line, quote)


def _source_lines() -> list[str]:
    return SOURCE.read_text(encoding="utf-8").split("\n")


@pytest.mark.skipif(not SOURCE.exists(), reason="the source report is not beside this checkout")
def test_va_and_vr_are_printed_on_their_cited_lines(con):
    lines = _source_lines()
    rows = con.execute("SELECT codice, valore_atteso, va_tipo, va_numero, riga_va, valore_raggiunto, vr_tipo, vr_numero, "
                       "riga_vr FROM indicatori").fetchall()
    for codice, va, va_tipo, va_n, riga_va, vr, vr_tipo, vr_n, riga_vr in rows:
        # a number as printed (VA 4 on r. 604, VR 33 on r. 606, not on the title line r. 598), or the first word of
        # a milestone written over several lines (VA «Rispetto delle tempistiche …» from r. 249)
        assert riga_va is not None, codice
        if va_tipo == "numerico":
            assert va_n in fonte.numbers_in(lines[riga_va - 1]), (codice, riga_va)
        else:
            assert va.split()[0] in lines[riga_va - 1], (codice, riga_va)
        if vr_tipo == "numerico":
            assert vr_n in fonte.numbers_in(lines[riga_vr - 1]), (codice, riga_vr)
        elif vr_tipo != "assente":
            assert vr.split()[0] in lines[riga_vr - 1].split(), (codice, riga_vr)
        else:
            assert riga_vr is None, codice  # 2019_04_01-I1 and -I2: no valore raggiunto, no line


# Figures the text writes in words or with a typo: the number cannot be found as digits on their line.
WRITTEN_OTHERWISE = {
    "Relazioni congiunturali trimestrali pubblicate": "'quattro' (r. 789)",
    "Seconda finestra, Misura A: domande liquidate": "'nessuna ancora liquidata' (r. 1432)",
    "Indotto stimato del progetto Masterclass 2019 (circa)": "'circa 1 milione di euro' (r. 629)",
    "Contributi concessi alle imprese|2019_01_02": "'€ 60,464,10' with two commas (r. 528)",
}


@pytest.mark.skipif(not SOURCE.exists(), reason="the source report is not beside this checkout")
def test_every_figure_is_printed_on_its_cited_line(con):
    lines = _source_lines()
    rows = con.execute("SELECT voce, codice_obiettivo, valore, riga_fonte FROM cifre_chiave UNION ALL "
                       "SELECT serie || ' ' || anno_valore, NULL, valore, riga_fonte FROM serie_storiche").fetchall()
    for voce, obiettivo, valore, riga in rows:
        if voce in WRITTEN_OTHERWISE or f"{voce}|{obiettivo}" in WRITTEN_OTHERWISE:
            continue
        # 466.187,71 is printed on r. 199 (not 198), 1.050 on r. 619 (not 620), 93.219,15 on r. 1425 (not 1424)
        assert valore in fonte.numbers_in(lines[riga - 1].replace("n.", "n. ")), (voce, riga)


def test_modalita_di_calcolo_is_the_formula_alone(con):
    # the label «Modalità di calcolo:» belongs to the document's layout, not to the formula (2019_01_02_04-I1 kept it)
    assert con.execute("SELECT count(*) FROM indicatori WHERE modalita_calcolo ILIKE 'modalità di calcolo%'").fetchone()[0] == 0


def test_code_printed_twice_is_recorded_with_both_lines(con):
    # 2019_01_02_05 is printed on r. 819 and on r. 865 (scelta 4 of data/README.md)
    rows = con.execute("SELECT codice, riga_fonte FROM codici_ripetuti ORDER BY riga_fonte").fetchall()
    assert rows == [("2019_01_02_05", 819), ("2019_01_02_05", 865)]
    lines = _source_lines() if SOURCE.exists() else None
    if lines:
        assert lines[818].strip() == lines[864].strip() == "2019_01_02_05"


def test_xlsx_path_and_csv_path_give_identical_tables(tmp_path):
    csv_db, xlsx_db = tmp_path / "csv.duckdb", tmp_path / "xlsx.duckdb"
    assert pipeline.build(csv_db).ok
    con = store.connect(xlsx_db)
    result = pipeline.import_bytes(con, csv_folder_as_xlsx(DATA), "relazione_2019.xlsx")
    assert result.ok, [str(p) for p in result.validated.errors]
    other = store.connect(csv_db)
    for table in ("aree", "obiettivi", "indicatori", "serie_storiche", "cifre_chiave", "metodi_calcolo",
                  "codici_ripetuti", "fonte_righe"):
        a, b = store.read_table(other, table), store.read_table(con, table)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    con.close(), other.close()


def test_indicator_counts_by_type_and_level_match_data_readme(con):
    # data/README.md 'Conteggi': OUTCOME 1, STRATEGICO 9, OPERATIVO 12, EFFICACIA 4; 1 area-level, 9 strategic, 16 operational
    by_type = dict(con.execute("SELECT tipo, count(*) FROM indicatori GROUP BY tipo").fetchall())
    assert by_type == {"OUTCOME": 1, "STRATEGICO": 9, "OPERATIVO": 12, "EFFICACIA": 4}
    by_level = dict(con.execute("SELECT livello_nodo, count(*) FROM int_indicatori GROUP BY ALL").fetchall())
    assert by_level == {"area": 1, "strategico": 9, "operativo": 16}
    # 14 numeric VA and VR, 10 qualitative milestones, 2 without valore raggiunto
    kinds = dict(con.execute("""SELECT CASE WHEN va_tipo = 'numerico' AND vr_tipo = 'numerico' THEN 'numerico'
                                            WHEN vr_tipo = 'assente' THEN 'assente' ELSE 'qualitativo' END, count(*)
                                FROM indicatori GROUP BY ALL""").fetchall())
    assert kinds == {"numerico": 14, "qualitativo": 10, "assente": 2}
