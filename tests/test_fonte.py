"""The source document as data: the report's text in fonte_righe, loaded like any table, quoted beside the values."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from builders.reports import O1, ind, make_store

from cruscotto import paths, pipeline, store
from cruscotto.ingest import fonte
from cruscotto.store import queries

ROOT = Path(__file__).resolve().parent.parent
_SEED = Path("shared") / "seeds" / "000_88a6cea765695105.txt"
# the source report sits in shared/ beside the checkout (or beside the folder of worktrees)
SOURCE = next((p / _SEED for p in Path(__file__).resolve().parents if (p / _SEED).exists()), Path("/") / _SEED)
CREMONA = {"ente": "CCIAA di Cremona", "anno": 2019}


def test_source_lines_keep_the_file_numbering_and_skip_blank_lines():
    text = "Titolo  \n\n   \nVA>=80%\nVR=100%  con   spazi\n"
    # lines 2, 3 and 6 are blank: not stored; spaces run together as the import does with every text cell
    assert fonte.source_lines(text) == [(1, "Titolo"), (4, "VA>=80%"), (5, "VR=100% con spazi")]


def test_numbers_in_italian_text():
    assert fonte.numbers_in("n. 98 questionari, 4,1 su 5, € 1.024.000 e 13,49/°°°") == [98, 4.1, 5, 1024000, 13.49]


@pytest.mark.skipif(not SOURCE.exists(), reason="the source report is not beside this checkout")
def test_shipped_text_is_the_source_file_as_the_command_writes_it(tmp_path):
    out = tmp_path / "fonte_righe.csv"
    run = subprocess.run([sys.executable, "-m", "cruscotto", "fonte", str(SOURCE), "--ente", "CCIAA di Cremona",
                          "--anno", "2019", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    # the source has 1.901 lines, 826 of them with text
    assert "Scritte 826 righe" in run.stdout
    assert out.read_text(encoding="utf-8") == (paths.DATA_DIR / "fonte_righe.csv").read_text(encoding="utf-8")


def test_fonte_command_refuses_what_it_cannot_read(tmp_path):
    run = subprocess.run([sys.executable, "-m", "cruscotto", "fonte", str(tmp_path / "manca.txt"), "--ente", "X",
                          "--anno", "2019"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "non esiste" in run.stderr and "Traceback" not in run.stderr
    source = tmp_path / "relazione.txt"
    source.write_text("VA 4\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "cruscotto", "fonte", str(source), "--ente", "X", "--anno", "2019",
                          "--out", str(tmp_path / "manca" / "fonte_righe.csv")], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 1 and "non si può scrivere" in run.stderr and "Traceback" not in run.stderr


def test_every_cited_line_of_the_shipped_data_has_its_text(con):
    # riga_fonte of every table, and the VA / VR lines of the indicators, point at a line with text
    missing = con.execute("""
        WITH citate AS (
            SELECT ente, anno, riga_fonte AS riga FROM aree UNION ALL SELECT ente, anno, riga_fonte FROM obiettivi
            UNION ALL SELECT ente, anno, riga_fonte FROM indicatori UNION ALL SELECT ente, anno, riga_va FROM indicatori
            UNION ALL SELECT ente, anno, riga_vr FROM indicatori UNION ALL SELECT ente, anno, riga_fonte FROM serie_storiche
            UNION ALL SELECT ente, anno, riga_fonte FROM cifre_chiave UNION ALL SELECT ente, anno, riga_fonte FROM metodi_calcolo
            UNION ALL SELECT ente, anno, riga_fonte FROM codici_ripetuti)
        SELECT c.riga FROM citate AS c
        LEFT JOIN fonte_righe AS f ON f.ente = c.ente AND f.anno = c.anno AND f.riga = c.riga
        WHERE c.riga IS NOT NULL AND f.riga IS NULL""").fetchall()
    assert missing == []


def _report(con):
    return queries.run(con, "fonte_relazione", CREMONA)


def test_quotation_of_a_line_with_two_lines_of_context(con):
    excerpt = fonte.excerpt(_report(con), [1155])
    # r. 1155 with r. 1153-1154 before and r. 1156 and r. 1161 after (r. 1157-1160 are blank in the source)
    assert list(excerpt["riga"]) == [1153, 1154, 1155, 1156, 1161]
    assert list(excerpt["citata"]) == [False, False, True, False, False]
    text = fonte.quotation([excerpt], [1155])
    assert "▶ 1155  Al 31/12/2016: evase nei 5 giorni lavorativi 16344 su pratiche complessive 19537 (84,43%)" in text
    assert "  1153  Al 31/12/2018: evase nei 5 giorni lavorativi 16839" in text


def test_quotation_of_several_lines_joins_the_excerpts_and_marks_the_gaps(con):
    cited = [1141, 1142, 1155]
    excerpts = [fonte.excerpt(_report(con), cited)]
    lines = fonte.quotation(excerpts, cited).splitlines()
    # 1141 and 1142 share their context (1129 ... 1149); 1155's (1153 ... 1161) is further on: «…» between
    assert [line.split()[0] for line in lines if line.startswith("▶")] == ["▶", "▶", "▶"]
    assert [line.strip() for line in lines].count("…") == 1
    assert lines[0].strip().startswith("1129") and lines[-1].strip().startswith("1161")


def test_a_blank_cited_line_is_said_in_its_place(con):
    excerpt = fonte.excerpt(_report(con), [1150])
    text = fonte.quotation([excerpt], [1150])
    assert "▶ 1150  (riga vuota nel testo della relazione)" in text
    assert text.index("1149") < text.index("1150") < text.index("1151")


def test_the_whole_passage_is_the_block_of_the_cited_line(con):
    passage = fonte.passage(_report(con), 144)
    # r. 144 belongs to the area indicator (r. 119) and the next block is the strategic objective 2019_01_01 (r. 157);
    # r. 148-156 are blank, so the last line with text is r. 147 («Bando Artigiano in Fiera 100%»)
    assert (passage["inizio"].iloc[0], passage["fine"].iloc[0]) == (119, 156)
    assert (passage["riga"].iloc[0], passage["riga"].iloc[-1]) == (119, 147)
    # a code printed a second time starts a block of its own: the SUAP indicator (r. 849) ends before r. 865
    suap = fonte.passage(_report(con), 852, 854)
    assert suap["riga"].iloc[0] == 849 and suap["riga"].iloc[-1] < 865


def test_one_reading_of_the_text_quotes_every_line_and_passage(con):
    report = _report(con)
    # stored lines 1129, 1135, 1141, 1142, 1148, 1149, ..., 1155, 1156, 1161, 1162, 1167 (the others are blank):
    # r. 1141 (VA of 2019_02_01-I1) has 1129 ... 1148 around it, r. 1161 has 1155 ... 1167; cited together, each
    # keeps the context it has alone
    both = fonte.excerpt(report, [1141, 1161])
    assert list(both["riga"]) == [1129, 1135, 1141, 1142, 1148, 1155, 1156, 1161, 1162, 1167]
    assert set(both["riga"]) == set(fonte.excerpt(report, [1141])["riga"]) | set(fonte.excerpt(report, [1161])["riga"])
    assert list(both.loc[both["citata"], "riga"]) == [1141, 1161]
    # a line before the first stored one has no context; a report without text gives nothing to quote
    assert fonte.excerpt(report, [0]).empty
    nothing = report.iloc[0:0]
    assert fonte.excerpt(nothing, [1155]).empty and fonte.passage(nothing, 1155).empty


def test_the_text_is_optional_and_travels_with_an_upload(tmp_path):
    con = make_store(tmp_path, [ind("O1-I1", O1, ">=1", "2", risultato="2")])
    assert con.execute("SELECT count(*) FROM fonte_righe").fetchone()[0] == 0  # a report without its text
    csv = "ente,anno,riga,testo\nCCIAA di Prova,2020,10,VA >=1\nCCIAA di Prova,2020,11,VR 2\n"
    result = pipeline.import_bytes(con, csv.encode(), "fonte_righe.csv")
    assert result.ok, [str(p) for p in result.validated.errors]
    # the text alone replaces only the text: the indicators stay
    assert con.execute("SELECT count(*) FROM fonte_righe").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM indicatori").fetchone()[0] == 1


def test_a_store_made_before_the_new_columns_gets_them(tmp_path):
    path = tmp_path / "vecchio.duckdb"
    con = store.connect(path)
    for schema in ("main", "storia"):  # as an older version left it: no riga_va / riga_vr
        con.execute(f"ALTER TABLE {schema}.indicatori DROP COLUMN riga_va")
        con.execute(f"ALTER TABLE {schema}.indicatori DROP COLUMN riga_vr")
    con.close()
    con = store.connect(path)
    assert pipeline.import_directory(con).ok  # the shipped data, with the new columns, load into it
    assert con.execute("SELECT riga_va, riga_vr FROM indicatori WHERE codice = '2019_02_01-I1'").fetchone() == (1141, 1142)
    con.close()
