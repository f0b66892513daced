"""A rollback writes only what differs between now and the version it restores (versions._restore_differences), and
still leaves every table exactly as it was at that version, whatever history of imports, corrections and rollbacks
came before; the derived tables follow, and the record of the rollback is what it always was."""
from __future__ import annotations

import pandas as pd
from builders.workbooks import assert_same_tables, commit_file, snapshot, workbook_2019_corrected, workbook_2020
from test_models import assert_tables_equal_their_sql

from cruscotto import store, synth
from cruscotto.ingest import diff
from cruscotto.store import versions
from cruscotto.store.schema import TABLES


def history_rows(con) -> dict[str, tuple[int, int]]:
    """Per table: (rows in its history, of which still open)."""
    return {t.name: tuple(con.execute(f"SELECT count(*), count(*) FILTER (versione_a IS NULL) FROM "
                                      f"{versions.history_table(t.name)}").fetchone()) for t in TABLES}


def rows_of(frame: pd.DataFrame) -> set[tuple]:
    return set(frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None))


def partitions(frame: pd.DataFrame) -> set[tuple[str, int]]:
    return {(e, int(a)) for e, a in zip(frame["ente"], frame["anno"])}


def assert_current_tables_are_the_open_history(con) -> None:
    now = store.data_version(con)
    for table in TABLES:
        pd.testing.assert_frame_equal(versions.state_at(con, table.name, now), store.read_table(con, table.name),
                                      obj=table.name)


def test_every_rollback_restores_its_target_row_for_row_after_imports_corrections_and_rollbacks(con):
    states = {1: snapshot(con)}  # version 1: the shipped data (Cremona 2019)
    uploads = [
        (synth.write_xlsx(synth.generate(2, (2019, 2020), seed=1)), "due_enti.xlsx"),  # 2: two chambers, two years
        (workbook_2019_corrected("= 90,22%"), "correzione.xlsx"),  # 3: one Cremona figure corrected
        # 4: Bergamo's 2020 replaced by different figures, and its 2021 added
        (synth.write_xlsx(synth.generate_chamber(0, 2, (2020, 2021), seed=2)), "bergamo.xlsx"),
    ]
    uploads.append((workbook_2020(), "r2020.xlsx"))  # 6: Cremona 2020, on top of ...
    for data, name in uploads:
        if name == "r2020.xlsx":
            assert versions.rollback(con, 2) == 5  # ... 5: the correction and Bergamo's new data undone
            states[5] = states[2]
        version = commit_file(con, data, name)
        states[version] = snapshot(con)
    assert store.data_version(con) == 6

    # every version restored in turn, rollbacks included, each from the state the previous rollback left
    for target in (1, 4, 3, 6, 5, 2, 7, 9, 1):
        history_before = history_rows(con)
        version = versions.rollback(con, target, utente="oiv", note="prova")
        assert_same_tables(states[target], snapshot(con))
        states[version] = states[target]
        assert_current_tables_are_the_open_history(con)
        # the record is that of every rollback: its number, user, note, the rows and partitions of the restored state
        record = versions.list_versions(con)[0]
        assert (record.versione, record.operazione, record.utente, record.note) == \
            (version, "rollback", "oiv", f"ripristino della versione {target} · prova")
        assert record.righe == {name: len(frame) for name, frame in states[target].items()}
        assert record.partizioni == [[e, a] for e, a in sorted(set().union(*(partitions(f) for f in states[target].values())))]
        # what the rules compute follows, for the partitions the rollback touched and the others alike
        assert_tables_equal_their_sql(con)
        # the history holds only what changed: a row written for each row of the target the table lacked, one closed
        # for each row that left it (the old rollback wrote every row anew)
        for table in TABLES:
            then, now = rows_of(states[target][table.name]), rows_of(states[version - 1][table.name])
            written = con.execute(f"SELECT count(*) FROM {versions.history_table(table.name)} WHERE versione_da = ?",
                                  [version]).fetchone()[0]
            closed = con.execute(f"SELECT count(*) FROM {versions.history_table(table.name)} WHERE versione_a = ?",
                                 [version]).fetchone()[0]
            assert (written, closed) == (len(then - now), len(now - then)), (target, table.name)
        assert sum(history_rows(con)[t.name][0] - history_before[t.name][0] for t in TABLES) < \
            sum(len(frame) for frame in states[target].values()) or target == 1


def test_a_rollback_writes_only_the_rows_that_differ_and_rolling_it_back_previews_only_those(con):
    commit_file(con, workbook_2019_corrected("= 90,22%"), "correzione.xlsx")  # 2: one indicator corrected
    corrected, before_history = snapshot(con), history_rows(con)
    assert versions.rollback(con, 1) == 3
    # one indicator row changed back: one row closed in its history and one written; every other table untouched
    # (the old rollback wrote every row of every table again: 26 indicators, 31 objectives, ... per rollback)
    assert history_rows(con) == {name: (rows + 1, open_rows) if name == "indicatori" else (rows, open_rows)
                                 for name, (rows, open_rows) in before_history.items()}
    assert con.execute("SELECT count(*) FROM storia.indicatori WHERE versione_da = 3").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM storia.indicatori WHERE versione_a = 3").fetchone()[0] == 1

    # rolling back the rollback: the preview shows that one cell, reading only the rows written since version 2
    preview = {t.table: t for t in diff.preview_rollback(con, 2).tables}
    assert [(name, t.changed_rows) for name, t in preview.items() if not t.empty] == [("indicatori", 1)]
    assert con.execute("SELECT count(*) FROM storia.indicatori WHERE versione_da > 2 OR versione_a > 2").fetchone()[0] == 2
    assert versions.rollback(con, 2) == 4
    assert_same_tables(corrected, snapshot(con))
    assert_current_tables_are_the_open_history(con)
    assert_tables_equal_their_sql(con)

    # restoring a version equal to the current data writes no row, yet is recorded like any rollback
    history = history_rows(con)
    assert versions.rollback(con, 2, utente="oiv") == 5
    assert history_rows(con) == history and versions.list_versions(con)[0].operazione == "rollback"
    assert_same_tables(corrected, snapshot(con))
    assert_tables_equal_their_sql(con)
