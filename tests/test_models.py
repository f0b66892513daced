"""The SQL models of queries/ (cruscotto/store/models.py): created in the order their SQL implies, a broken one named
with DuckDB's own message, and the derived tables always equal to what their SQL computes from the current rows:
after the shipped data, an upload of a new year, the correction of a year, and a rollback."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
from builders.workbooks import CHANGED_INDICATOR, commit_file, workbook_2019_corrected, workbook_2020

from cruscotto import paths, store, synth, verifica
from cruscotto.store import models, queries, versions
from cruscotto.verifica import stored

TABLES = [m for m in models.models() if m.materialized == "table"]


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a stable order whatever the column types (lists and structs sorted by their text)."""
    keys = frame.map(lambda v: repr(v.tolist() if hasattr(v, "tolist") else v))
    return frame.loc[keys.sort_values(list(keys.columns)).index].reset_index(drop=True)


def assert_tables_equal_their_sql(con) -> None:
    assert_findings_equal_a_live_run(con)
    for model in TABLES:
        cur = con.cursor()
        try:
            stored = cur.execute(f'SELECT * FROM "{model.name}"').df()
            live = cur.execute(model.sql).df()
        finally:
            cur.close()
        assert len(stored) > 0, model.name
        pd.testing.assert_frame_equal(_ordered(stored), _ordered(live), check_exact=False, rtol=1e-12, obj=model.name)


def assert_findings_equal_a_live_run(con) -> None:
    """The findings stored with the data (int_rilievi) are those a run of every check gives now, in the same order,
    for everything and for each chamber and year."""
    assert verifica.findings(con) == verifica.run_checks(con)
    for ente, anno in queries.run(con, "scelte_periodi", {})[["ente", "anno"]].itertuples(index=False):
        assert verifica.findings(con, ente, anno) == verifica.run_checks(con, ente, anno), (ente, anno)


def test_derived_tables_equal_their_sql_on_the_shipped_data(con):
    assert_tables_equal_their_sql(con)
    # the Verifica of the 2019 report: 2 errori, 29 avvisi, 13 informazioni (docs/verifica.md, README)
    assert verifica.counts(verifica.findings(con, "CCIAA di Cremona", 2019)) == {"errore": 2, "avviso": 29, "info": 13}


def test_derived_tables_follow_an_upload_a_correction_and_a_rollback(con):
    commit_file(con, workbook_2020(), "relazione_2020.xlsx")  # version 2: a new year, partitions (Cremona, 2020)
    assert_tables_equal_their_sql(con)
    assert set(queries.run(con, "grado_aree", {})["anno"]) == {2019, 2020}
    commit_file(con, workbook_2019_corrected("= 60%"), "relazione_2019.xlsx")  # version 3: 2019 replaced
    assert_tables_equal_their_sql(con)
    # 60% against a target of >= 100%: the 2019 grado of the indicator follows the correction
    grado = queries.run(con, "grado_indicatori", {"anno": 2019}).set_index("codice").loc[CHANGED_INDICATOR, "grado"]
    assert grado == pytest.approx(60)
    versions.rollback(con, 1, utente="test")  # version 4: the shipped data alone again
    assert_tables_equal_their_sql(con)
    assert set(queries.run(con, "grado_aree", {})["anno"]) == {2019}
    assert queries.run(con, "grado_indicatori", {}).set_index("codice").loc[CHANGED_INDICATOR, "grado"] == pytest.approx(100)


def test_stored_findings_follow_an_upload_of_most_chambers_and_one_of_a_single_chamber(con, monkeypatch):
    """The findings of an upload that holds at least half of the store's chambers come from one run of the checks
    over all of them (cheaper than a run per chamber: verifica/stored.model_rows), those of a smaller upload from a
    run per chamber; both store what a live run gives."""
    runs = []
    live = stored.run_rows
    monkeypatch.setattr(stored, "run_rows", lambda con, ente=None: runs.append(ente) or live(con, ente))
    three = synth.generate(3, (2019, 2019), seed=1)
    commit_file(con, synth.write_xlsx(three), "tre_enti.xlsx")  # 3 chambers of the 4 now stored (with Cremona)
    assert runs == [None]
    assert_tables_equal_their_sql(con)
    runs.clear()
    one = synth.generate_chamber(0, 3, (2019, 2020), seed=2)  # the first of them again, corrected, and a new year
    others = "SELECT ente, descrizione, posizione, enti FROM int_confronto_enti WHERE anno = 2019 AND ente <> ?"
    before = con.execute(others, [one["indicatori"]["ente"].iloc[0]]).fetchall()
    commit_file(con, synth.write_xlsx(one), "un_ente.xlsx")  # 1 chamber of 4
    assert runs == list(one["indicatori"]["ente"].unique())
    # the upload of one chamber moved the 2019 ranks of the others (Confronto enti): recomputed for every chamber
    assert set(con.execute(others, [one["indicatori"]["ente"].iloc[0]]).fetchall()) != set(before)
    assert_tables_equal_their_sql(con)


def test_a_failed_import_leaves_the_derived_tables_as_they_were(con, monkeypatch):
    before = {name: store.read_table(con, name) for name in [m.name for m in TABLES] + list(models.PYTHON_MODELS)}

    def broken(*args):
        raise RuntimeError("rottura a metà dell'importazione")

    monkeypatch.setattr(models, "_write_python_model", broken)  # the SQL tables are written, then this fails
    with pytest.raises(RuntimeError):
        commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    assert store.data_version(con) == 1
    for name, frame in before.items():
        pd.testing.assert_frame_equal(store.read_table(con, name), frame, obj=name)


# ------------------------------------------------------------------ order and errors

@pytest.fixture
def queries_copy(tmp_path, monkeypatch):
    """A copy of queries/ the test may change; the models read it."""
    folder = tmp_path / "queries"
    shutil.copytree(paths.QUERIES_DIR, folder)
    monkeypatch.setattr(models, "QUERIES_DIR", folder)
    return folder


def test_models_are_created_after_the_models_they_read(queries_copy, tmp_path):
    # 'int_aaa' sorts before every model it reads: it is created after them, found from its SQL, not by retrying
    (queries_copy / "intermediate" / "int_aaa.sql").write_text(
        "-- purpose: test\n-- materialized: table\n-- partition: ente, anno\n"
        "SELECT ente, anno, count(*) AS n FROM int_valutazione GROUP BY ALL\n", encoding="utf-8")
    order = [m.name for m in models.models()]
    assert order.index("int_aaa") > order.index("int_valutazione") > order.index("int_indicatori") > order.index("stg_indicatori")
    con = store.connect(tmp_path / "nuovo.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM int_aaa").fetchone() == (0,)
    finally:
        con.close()


def test_a_broken_model_names_its_file_and_quotes_duckdb(queries_copy, tmp_path):
    (queries_copy / "intermediate" / "int_valutazione.sql").write_text(
        "-- purpose: broken\n-- materialized: table\nSELECT colonna_inesistente FROM int_indicatori\n", encoding="utf-8")
    with pytest.raises(models.ModelError) as error:
        store.connect(tmp_path / "nuovo.duckdb")
    message = str(error.value)
    assert message.startswith("queries/intermediate/int_valutazione.sql: BinderException")
    assert 'column "colonna_inesistente"' in message.lower() or "colonna_inesistente" in message


def test_a_cycle_between_models_is_named(queries_copy):
    (queries_copy / "intermediate" / "int_nodi.sql").write_text(
        "-- purpose: cycle\nSELECT * FROM int_indicatori\n", encoding="utf-8")
    with pytest.raises(models.ModelError, match="dipendenza circolare.*int_(nodi|indicatori).sql"):
        models.models()


def test_a_new_verifica_program_recomputes_the_stored_findings_on_open(db_path, monkeypatch, tmp_path):
    """The findings depend on the checks' Python code: the store's digest covers it, so a store whose findings were
    computed by another program (here: emptied, and marked with another digest) gets them anew when opened."""
    con = store.connect(db_path)
    con.execute("DELETE FROM int_rilievi")
    con.execute("UPDATE schema_info SET valore = 'programma precedente' WHERE chiave = ?", [models.DIGEST_KEY])
    con.close()
    con = store.connect(db_path)
    try:
        assert len(verifica.findings(con, "CCIAA di Cremona", 2019)) == 44  # 2 errori + 29 avvisi + 13 info
    finally:
        con.close()
    # and a change to a check's file is a change of digest
    check_file = tmp_path / "esiti.py"
    check_file.write_text("# una regola\n", encoding="utf-8")
    monkeypatch.setattr(models, "python_model_files", lambda: [check_file])
    before = models.digest()
    check_file.write_text("# una regola cambiata\n", encoding="utf-8")
    assert models.digest() != before


def test_a_check_that_breaks_says_so_and_the_upload_still_goes_in(con, monkeypatch):
    """The findings are computed inside every import: a check whose code breaks on unforeseen data becomes one errore
    per report that names it, the other checks still run, and the data are stored."""
    from dataclasses import replace

    from cruscotto.verifica import registry
    from cruscotto.verifica.fatti import NODI

    def broken(nodi: list = NODI):
        raise KeyError("colonna imprevista")

    check = registry.CHECKS["codici_ambigui"]
    monkeypatch.setitem(registry._CHECKS, check.id, replace(check, fn=broken))
    commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    assert store.data_version(con) == 2
    found = verifica.findings(con, "CCIAA di Cremona", 2020)
    said = [f for f in found if f.controllo == "codici_ambigui"]
    assert len(said) == 1 and said[0].gravita == "errore" and "KeyError" in said[0].spiegazione
    assert "Questo controllo non è stato eseguito" in said[0].spiegazione
    assert any(f.controllo != "codici_ambigui" for f in found)  # the others ran
