"""A schema that grows: a store written before a column was added to schema.py opens, upgrades and loses nothing."""
from __future__ import annotations

import pytest
from builders.workbooks import commit_file, workbook_2020

from cruscotto import cli, store
from cruscotto.store import migrations, schema, versions

NEW_COLUMN = schema.Column("nota_oiv", "text", False, "Nota dell'OIV (colonna di prova aggiunta dopo).")


def _counts(con) -> dict[str, int]:
    counts = {}
    for table in schema.TABLES:
        counts[table.name] = con.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
        counts[f"storia.{table.name}"] = con.execute(f'SELECT count(*) FROM storia."{table.name}"').fetchone()[0]
    return counts


def _columns(con, schema_name: str, table: str) -> list[str]:
    return [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = ? "
                                      "AND table_name = ? ORDER BY ordinal_position", [schema_name, table]).fetchall()]


@pytest.fixture
def old_store(db_path):
    """The shipped store plus the 2020 upload (versions 1 and 2), written with today's schema: «before the change»."""
    con = store.connect(db_path)
    commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    before = (_counts(con), [(v.versione, v.operazione) for v in versions.list_versions(con)],
              con.execute("SELECT count(*) FROM indicatori WHERE anno = 2020").fetchone()[0])
    con.close()
    return db_path, before


@pytest.fixture
def indicatori_with_new_column():
    """schema.py as it would be after adding an optional column to indicatori (the Table objects are shared by every
    module, so the declaration is changed in place and put back afterwards)."""
    table = schema.TABLES_BY_NAME["indicatori"]
    original = table.columns
    object.__setattr__(table, "columns", original + (NEW_COLUMN,))
    try:
        yield table
    finally:
        object.__setattr__(table, "columns", original)


def test_an_added_column_upgrades_the_store_on_open_and_keeps_every_row_and_version(old_store, indicatori_with_new_column):
    path, (counts, history, _) = old_store
    con = store.connect(path)
    try:
        assert "nota_oiv" in _columns(con, "main", "indicatori")
        assert "nota_oiv" in _columns(con, "storia", "indicatori")
        assert _counts(con) == counts
        assert [(v.versione, v.operazione) for v in versions.list_versions(con)] == history
        # the new column is empty in the old rows, and the old versions stay restorable through the new schema
        assert con.execute("SELECT count(*) FROM indicatori WHERE nota_oiv IS NOT NULL").fetchone()[0] == 0
        version_1_rows = con.execute("SELECT count(*) FROM storia.indicatori WHERE versione_da <= 1 "
                                     "AND (versione_a IS NULL OR versione_a > 1)").fetchone()[0]
        new = versions.rollback(con, 1, utente="test")
        assert new == max(v for v, _ in history) + 1
        assert con.execute("SELECT count(*) FROM indicatori").fetchone()[0] == version_1_rows
    finally:
        con.close()


def test_build_on_a_store_made_before_the_change_upgrades_it(old_store, indicatori_with_new_column, capsys):
    path, (_, _, indicatori_2020) = old_store
    assert indicatori_2020 > 0
    assert cli.main(["build"]) == 0  # CRUSCOTTO_DB points at the old store (fixture db_path)
    con = store.connect(path, read_only=True)
    try:
        assert "nota_oiv" in _columns(con, "main", "indicatori")
        # build reloaded data/ (2019) as a new version; the 2020 upload is still there, row for row
        assert con.execute("SELECT count(*) FROM indicatori WHERE anno = 2020").fetchone()[0] == indicatori_2020
    finally:
        con.close()


def test_a_current_store_needs_no_upgrade(db_path):
    con = store.connect(db_path, read_only=True)
    try:
        assert not migrations.needs_upgrade(con)
    finally:
        con.close()


def test_a_named_migration_runs_once_and_is_recorded(old_store, monkeypatch):
    path, _ = old_store
    runs = []

    def fill_notes(cur):
        runs.append(1)
        cur.execute("UPDATE indicatori SET note = coalesce(note, '') || '' WHERE false")

    monkeypatch.setattr(migrations, "MIGRATIONS", [("0001_prova", fill_notes)])
    for _ in range(2):
        con = store.connect(path)
        con.close()
    assert runs == [1]
    con = store.connect(path, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM schema_info WHERE chiave = 'migrazione:0001_prova'").fetchone()[0] == 1
    finally:
        con.close()


def test_a_failing_migration_leaves_the_store_as_it_was(old_store, monkeypatch, indicatori_with_new_column):
    path, (counts, _, _) = old_store

    def broken(cur):
        raise RuntimeError("migrazione rotta")

    monkeypatch.setattr(migrations, "MIGRATIONS", [("0002_rotta", broken)])
    with pytest.raises(RuntimeError):
        store.connect(path)
    con = store.connect(path, read_only=True)
    try:
        # all or nothing: the column added in the same upgrade was rolled back with it
        assert "nota_oiv" not in _columns(con, "main", "indicatori")
        assert _counts(con) == counts
    finally:
        con.close()



def test_rules_of_a_store_made_before_their_number_was_stored_get_it_on_open(tmp_path):
    # regole.numero (the number the import reads, which the SQL uses) is filled in for the rows already there
    from test_methods import O1, grades, ind, make_store
    con = make_store(tmp_path, [ind("G1", O1, ">=80%", "=100%")], regole=[{"regola": "tetto_grado", "valore": "1.000"}])
    con.execute("UPDATE regole SET numero = NULL")
    store.recompute(con)  # the derived tables as an older store has them: no number, the default cap of 100%
    assert grades(con)["G1"].grado == 100
    for table in ("regole", "storia.regole"):
        con.execute(f"ALTER TABLE {table} DROP COLUMN numero")  # as the store was before the column existed
    con.execute("DELETE FROM schema_info WHERE chiave = 'migrazione:0001_regole_numero'")
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    con.close()
    con = store.connect(path)
    try:
        assert con.execute("SELECT numero FROM regole").fetchall() == [(1000.0,)]
        assert con.execute("SELECT numero FROM storia.regole").fetchall() == [(1000.0,)]
        assert grades(con)["G1"].grado == 125  # 100 / 80 = 125%, under the cap of 1000%: recomputed after the upgrade
    finally:
        con.close()
