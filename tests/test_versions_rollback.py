"""A rollback touches only the (ente, anno) partitions that differ between now and the version it restores
(versions._restore_table): their history grows by the rows that differ, their rows come back whole in the order that
version had; every table is left exactly as it was at that version, whatever history of imports, corrections and
rollbacks came before; the derived tables and the Verifica follow, and the record of the rollback is what it always
was."""
from __future__ import annotations

import pandas as pd
from builders.workbooks import assert_same_tables, commit_file, snapshot, workbook_2019_corrected, workbook_2020
from test_models import assert_tables_equal_their_sql

from cruscotto import store, synth, verifica
from cruscotto.ingest import diff
from cruscotto.store import models, versions
from cruscotto.store.schema import TABLES
from cruscotto.store.versions import PartitionChange


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


# ------------------------------------------------------------------ row order, derived tables, findings, batches

DERIVED = [m.name for m in models.models() if m.materialized == "table"] + list(models.PYTHON_MODELS)
# what says which version wrote a period (the line under every page title) is not data: a rollback is a new version
ABOUT_THE_VERSION = {"int_periodi": ["versione", "versione_partizione", "importata_il", "operazione", "utente", "file_name"]}


def stored_state(con) -> dict:
    """What a reader gets of the current version: each table's rows in the order the store holds them within each
    (ente, anno) (the order of a query on one chamber and year without ORDER BY), every derived table, the
    findings of the Verifica in their order."""
    state = {}
    for table in TABLES:
        frame = con.execute(f'SELECT * FROM "{table.name}"').df()
        state[table.name] = frame.sort_values(["ente", "anno"], kind="stable", ignore_index=True)
    for name in DERIVED:
        exclude = f" EXCLUDE ({', '.join(ABOUT_THE_VERSION[name])})" if name in ABOUT_THE_VERSION else ""
        state[name] = con.execute(f'SELECT *{exclude} FROM "{name}" ORDER BY ALL').df()
    state["rilievi"] = verifica.findings(con)
    return state


def assert_same_state(expected: dict, got: dict, why) -> None:
    assert expected.keys() == got.keys()
    for name, frame in expected.items():
        if name == "rilievi":
            assert got[name] == frame, why
        else:
            pd.testing.assert_frame_equal(frame, got[name], obj=f"{name} ({why})")


def reversed_rows(tables: dict[str, pd.DataFrame]) -> bytes:
    """A workbook of `tables` with every sheet's rows upside down: an order no sort by key gives back."""
    return synth.write_xlsx({name: frame.iloc[::-1].reset_index(drop=True) for name, frame in tables.items()})


def seven_versions(con) -> dict[int, dict]:
    """Seven imports (the shipped data, then chambers and years added, replaced and corrected), and the state of
    each."""
    states = {1: stored_state(con)}  # 1: Cremona 2019, as shipped
    uploads = [
        (reversed_rows(synth.generate(2, (2019, 2020), seed=1)), "due_enti.xlsx"),  # 2: Bergamo, Brescia 2019-2020
        (workbook_2019_corrected("= 90,22%"), "correzione.xlsx"),  # 3: one Cremona figure corrected
        (synth.write_xlsx(synth.generate_chamber(0, 2, (2020, 2021), seed=2)), "bergamo.xlsx"),  # 4: Bergamo 2020 anew, 2021
        (workbook_2020(), "r2020.xlsx"),  # 5: Cremona 2020
        (reversed_rows(synth.generate_chamber(1, 2, (2019, 2020), seed=3)), "brescia.xlsx"),  # 6: Brescia anew
        (workbook_2019_corrected("= 91,00%"), "correzione2.xlsx"),  # 7: the Cremona figure corrected again
    ]
    for data, name in uploads:
        version = commit_file(con, data, name)
        states[version] = stored_state(con)
    assert sorted(states) == list(range(1, 8))
    return states


def test_restoring_three_versions_back_and_forth_gives_each_version_as_it_was_rows_order_derived_tables_findings(con):
    states = seven_versions(con)
    # the rows of version 2 are upside down in the file, and so in the store: an order that only the history keeps
    brescia = states[6]["indicatori"][states[6]["indicatori"]["ente"] == "CCIAA sintetica di Brescia"]
    assert list(brescia["codice"]) != sorted(brescia["codice"])
    for target in (4, 7, 1, 4, 7, 5, 2, 5, 3, 6):
        version = versions.rollback(con, target)
        assert_same_state(states[target], stored_state(con), (target, version))
        assert_current_tables_are_the_open_history(con)


def test_a_rollback_that_empties_a_chamber_leaves_nothing_of_it_and_bringing_it_back_restores_it(con):
    states = {1: stored_state(con)}
    brescia = "CCIAA sintetica di Brescia"
    assert commit_file(con, reversed_rows(synth.generate_chamber(1, 2, (2019, 2020), seed=3)), "brescia.xlsx") == 2
    states[2] = stored_state(con)
    assert verifica.findings(con, brescia)  # the Verifica has something to say about the synthetic chamber

    assert versions.chambers_changed_by_rollback(con, 1) == {brescia}
    assert versions.rollback(con, 1) == 3
    # no row of Brescia in any table, derived table or finding: the store is the shipped data again
    by_chamber = {r[0] for r in con.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'ente' "
                                            "AND table_schema = 'main'").fetchall()}
    for name in sorted(by_chamber & {t.name for t in TABLES} | by_chamber & set(DERIVED)):
        assert con.execute(f'SELECT count(*) FROM "{name}" WHERE ente = ?', [brescia]).fetchone()[0] == 0, name
    assert verifica.findings(con, brescia) == []
    assert_same_state(states[1], stored_state(con), 1)
    assert_tables_equal_their_sql(con)
    # and back: Brescia whole again, in the order of its file
    assert versions.chambers_changed_by_rollback(con, 2) == {brescia}
    assert versions.rollback(con, 2) == 4
    assert_same_state(states[2], stored_state(con), 2)
    assert_tables_equal_their_sql(con)


def test_batches_hold_whole_partitions_up_to_batch_rows(monkeypatch):
    monkeypatch.setattr(versions, "BATCH_ROWS", 10)
    a19, a20 = PartitionChange("A", 2019, 4, 0, 0), PartitionChange("A", 2020, 3, 3, 0)  # 4 and 3 + 3 = 6 rows
    b19, b20 = PartitionChange("B", 2019, 0, 12, 0), PartitionChange("B", 2020, 1, 1, 1)  # 12 and 3
    c19, c20 = PartitionChange("C", 2019, 0, 5, 0), PartitionChange("C", 2020, 3, 0, 0)  # 5 and 3
    # 4 + 6 = 10 fits; 12 alone (larger than a batch); 3 + 5 = 8 fits, + 3 = 11 does not
    assert versions.batches([a19, a20, b19, b20, c19, c20]) == [[a19, a20], [b19], [b20, c19], [c20]]
    assert versions.batches([]) == []
    assert [p.kind for p in (a19, a20, b19, b20)] == ["aggiunta", "entrambe", "rimossa", "entrambe"]


def test_a_rollback_in_batches_of_a_few_rows_gives_the_same_versions(con, monkeypatch):
    states = seven_versions(con)
    # 5 rows a batch: every partition of more rows is a batch of its own, the small ones go together
    monkeypatch.setattr(versions, "BATCH_ROWS", 5)
    for target in (1, 7, 4, 2, 6):
        version = versions.rollback(con, target)
        assert_same_state(states[target], stored_state(con), (target, version))
        assert_current_tables_are_the_open_history(con)
