"""Upload flow on a private store: preview, commit of a new year, correction of a figure, versions and rollback."""
import json

import pandas as pd
import pytest
from builders.workbooks import (
    CHANGED_INDICATOR,
    EVASE_2020,
    NEW_OBJECTIVE,
    TOTALI_2020,
    assert_same_tables,
    commit_file,
    shipped_frames,
    snapshot,
    workbook_2019_corrected,
    workbook_2020,
)

from cruscotto import pipeline, store
from cruscotto.cli import main
from cruscotto.ingest import diff
from cruscotto.store import queries, versions
from cruscotto.store.schema import TABLES


def counts(con, table):
    return dict(con.execute(f'SELECT anno, count(*) FROM "{table}" GROUP BY anno').fetchall())


def test_2020_workbook_preview_then_commit_shows_both_years_and_extends_the_trend(con):
    data = workbook_2020()
    shipped = {name: len(frame) for name, frame in shipped_frames().items()}
    checked = pipeline.check(con, data, "relazione_2020.xlsx")
    assert checked.ok and checked.preview.partitions == [("CCIAA di Cremona", 2020)]
    by_table = {t.table: t for t in checked.preview.tables}
    # a new year: everything is added, nothing changed or removed; the new objective is one row more than 2019
    assert len(by_table["obiettivi"].added) == shipped["obiettivi"] + 1
    assert NEW_OBJECTIVE in set(by_table["obiettivi"].added["codice"])
    assert len(by_table["serie_storiche"].added) == shipped["serie_storiche"] + 1  # + the 2020 value
    assert all(t.changed_rows == 0 and len(t.removed) == 0 for t in checked.preview.tables)
    assert store.data_version(con) == 1  # the preview wrote nothing

    version = pipeline.commit(con, checked, data, utente="ufficio performance")
    assert version == 2
    assert counts(con, "obiettivi") == {2019: shipped["obiettivi"], 2020: shipped["obiettivi"] + 1}
    assert counts(con, "indicatori") == {2019: shipped["indicatori"], 2020: shipped["indicatori"]}
    vr = dict(con.execute("SELECT anno, valore_raggiunto FROM indicatori WHERE codice = ?", [CHANGED_INDICATOR]).fetchall())
    assert vr == {2019: "= 137,56%", 2020: "= 141,81%"}

    trend = queries.run(con, "andamento_pratiche_evase", {})
    assert list(trend["anno"]) == [2013, 2016, 2017, 2018, 2019, 2020]  # 2014-2015 still absent
    assert set(trend["anno_relazione"]) == {2020}  # the newest report wins for every year it gives
    last = trend.iloc[-1]
    assert (last["evase"], last["totali"]) == (EVASE_2020, TOTALI_2020)
    assert round(last["tasso_calcolato"], 2) == 91.89  # 17000 / 18500 * 100 = 91,8919
    assert round(last["indice_base"], 2) == 141.81  # 91,8919 / (20212 / 31192 * 100 = 64,7987) * 100

    record = versions.list_versions(con)[0]
    assert (record.versione, record.operazione, record.utente, record.file_name) == (2, "import", "ufficio performance", "relazione_2020.xlsx")
    assert record.sha256 == store.sha256_of(data) and record.partizioni == [["CCIAA di Cremona", 2020]]
    assert record.righe["obiettivi"] == shipped["obiettivi"] + 1
    assert versions.archived_file(con, 2) == ("relazione_2020.xlsx", data)  # the file is kept, by its sha256


def test_cli_query_sees_2020_after_import(db_path, capsys):
    path = db_path.parent / "relazione_2020.xlsx"
    path.write_bytes(workbook_2020())
    assert main(["import", str(path), "--utente", "cli"]) == 0
    capsys.readouterr()
    assert main(["query", "andamento_pratiche_evase", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["anno"] for r in rows][-1] == 2020 and rows[-1]["evase"] == 17000


def test_corrected_figure_preview_shows_one_changed_cell(con):
    data = workbook_2019_corrected("= 137,60%")
    checked = pipeline.check(con, data, "relazione_2019_corretta.xlsx")
    assert checked.ok
    indicatori = next(t for t in checked.preview.tables if t.table == "indicatori")
    assert (len(indicatori.added), indicatori.changed_rows, len(indicatori.removed)) == (0, 1, 0)
    change = indicatori.changed.iloc[0]
    assert (change["codice"], change["colonna"], change["prima"], change["dopo"]) == (CHANGED_INDICATOR, "valore_raggiunto", "= 137,56%", "= 137,60%")
    assert all(t.empty for t in checked.preview.tables if t.table != "indicatori")


def test_rollback_returns_exactly_to_the_previous_state_table_by_table(con):
    before = snapshot(con)
    commit_file(con, workbook_2020(), "r2020.xlsx")
    commit_file(con, workbook_2019_corrected(), "r2019.xlsx")
    after_imports = snapshot(con)
    assert store.data_version(con) == 3

    preview = diff.preview_rollback(con, 1)
    by_table = {t.table: t for t in preview.tables}
    assert len(by_table["obiettivi"].removed) == len(before["obiettivi"]) + 1  # the whole of 2020 goes
    assert by_table["indicatori"].changed_rows == 1  # and the corrected 2019 figure returns

    assert versions.rollback(con, 1, utente="test") == 4
    assert_same_tables(before, snapshot(con))
    assert versions.list_versions(con)[0].operazione == "rollback"
    # the rollback is itself a version: rolling back to 3 restores both imports
    assert versions.rollback(con, 3) == 5
    assert_same_tables(after_imports, snapshot(con))
    # the current tables always equal the open rows of their history
    for table in TABLES:
        state = versions.state_at(con, table.name, 5)
        pd.testing.assert_frame_equal(state, store.read_table(con, table.name), obj=table.name)


def test_rollback_preview_reads_only_what_changed_yet_counts_every_row_even_after_a_rollback(con):
    """The preview of a rollback compares only the rows written or replaced since the target (a rollback writes
    every row anew, and a later import writes a row back as it was): the counts must still be those of the whole
    tables."""
    shipped = {name: len(frame) for name, frame in shipped_frames().items()}
    commit_file(con, workbook_2020(), "r2020.xlsx")  # 2: 2020 added
    versions.rollback(con, 1)  # 3: 2019 alone again, every row written anew in the history
    commit_file(con, workbook_2019_corrected("= 137,60%"), "r2019.xlsx")  # 4: one 2019 figure corrected

    by_table = {t.table: t for t in diff.preview_rollback(con, 2).tables}
    # restoring 2: the whole of 2020 comes back (31 objectives of 2019 moved + 1 new = 32), 2019 stays as it is but
    # for the corrected figure, which goes back to what it was
    obiettivi = by_table["obiettivi"]
    assert (obiettivi.added_rows, obiettivi.changed_rows, obiettivi.removed_rows, obiettivi.unchanged) == \
        (shipped["obiettivi"] + 1, 0, 0, shipped["obiettivi"])
    indicatori = by_table["indicatori"]
    assert (indicatori.added_rows, indicatori.changed_rows, indicatori.removed_rows, indicatori.unchanged) == \
        (shipped["indicatori"], 1, 0, shipped["indicatori"] - 1)
    change = indicatori.changed.iloc[0]
    assert (change["codice"], change["prima"], change["dopo"]) == (CHANGED_INDICATOR, "= 137,60%", "= 137,56%")
    # every current row is counted once: unchanged, changed or removed
    for table in by_table.values():
        assert table.unchanged + table.changed_rows + table.removed_rows == counts_all(con, table.table), table.table
    # restoring 3 (the state before the correction) changes that one cell alone
    assert [(t.table, t.changed_rows) for t in diff.preview_rollback(con, 3).tables if not t.empty] == [("indicatori", 1)]
    assert versions.chambers_changed_by_rollback(con, 2) == {"CCIAA di Cremona"}
    assert versions.chambers_changed_by_rollback(con, 3) == {"CCIAA di Cremona"}


def test_rollback_refused_when_the_store_changed_after_its_preview(con):
    commit_file(con, workbook_2020(), "r2020.xlsx")
    preview = diff.preview_rollback(con, 1)  # a person sees it at version 2 ...
    commit_file(con, workbook_2019_corrected(), "r2019.xlsx")  # ... another session imports meanwhile
    with pytest.raises(versions.VersionError, match="cambiati dopo l'anteprima"):
        versions.rollback(con, 1, utente="test", expected_version=preview.base_version)
    assert store.data_version(con) == 3 and versions.list_versions(con)[0].operazione == "import"
    assert versions.rollback(con, 1, expected_version=3) == 4  # confirmed on what is there now: done


def counts_all(con, table: str) -> int:
    return con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def test_rollback_refuses_unknown_or_current_version(con):
    with pytest.raises(versions.VersionError, match="non esiste"):
        versions.rollback(con, 7)
    with pytest.raises(versions.VersionError, match="già quella corrente"):
        versions.rollback(con, 1)


def test_commit_refused_when_the_store_changed_after_the_preview(con):
    data = workbook_2020()
    checked = pipeline.check(con, data, "r2020.xlsx")
    commit_file(con, workbook_2019_corrected(), "r2019.xlsx")
    with pytest.raises(versions.VersionError, match="cambiati dopo l'anteprima"):
        pipeline.commit(con, checked, data)
    assert store.data_version(con) == 2


def test_reupload_of_a_year_replaces_that_year_only(con):
    commit_file(con, workbook_2020(), "r2020.xlsx")
    before_2020 = con.execute("SELECT * FROM indicatori WHERE anno = 2020 ORDER BY ALL").fetchall()
    commit_file(con, workbook_2019_corrected(), "r2019.xlsx")
    assert con.execute("SELECT * FROM indicatori WHERE anno = 2020 ORDER BY ALL").fetchall() == before_2020
    assert con.execute("SELECT valore_raggiunto FROM indicatori WHERE anno = 2019 AND codice = ?", [CHANGED_INDICATOR]).fetchone() == ("= 137,60%",)


def test_cli_versions_and_rollback(db_path, capsys):
    path = db_path.parent / "relazione_2020.xlsx"
    path.write_bytes(workbook_2020())
    assert main(["import", str(path)]) == 0
    assert main(["versions"]) == 0
    out = capsys.readouterr().out
    assert "relazione_2020.xlsx" in out and "2020 (CCIAA di Cremona)" in out
    assert main(["rollback", "1", "--utente", "cli"]) == 0
    assert "ora è la versione 3" in capsys.readouterr().out
    assert main(["rollback", "99"]) == 1
    assert "non esiste" in capsys.readouterr().err
    con = store.connect(db_path)
    try:
        assert counts(con, "indicatori").keys() == {2019}
    finally:
        con.close()


def test_a_store_without_history_gets_its_current_state_as_the_first_restorable(tmp_path):
    path = tmp_path / "vecchio.duckdb"
    pipeline.build(path)
    con = store.connect(path)
    con.execute("DROP SCHEMA storia CASCADE")  # as a store made before versions.py existed
    con.close()
    con = store.connect(path)
    try:
        assert versions.first_restorable(con) == 1
        commit_file(con, workbook_2020(), "r2020.xlsx")
        versions.rollback(con, 1)
        assert counts(con, "indicatori").keys() == {2019}
    finally:
        con.close()
