"""One run of a page reads one version of the data, even when an import commits in the middle of it
(bench/bench_load.py found pages that mixed the old year range with the new series while 30 people read during an
import): the run's queries share one read transaction, and what they cache is keyed on the version they read."""
from __future__ import annotations

from builders.apptest import run, texts
from builders.workbooks import commit_file, workbook_2020

from ui import accesso, data
from ui.pages_spec import path


def test_a_run_that_started_before_an_import_reads_the_version_it_started_with(db_path):
    data._cached.clear()
    with data.one_version_per_run():
        before = data.current_version()
        assert set(data.query("scelte_periodi")["anno"]) == {2019}
        commit_file(data.connection(), workbook_2020(), "relazione_2020.xlsx")  # another session's import
        # still the run's version, and a query asked for the first time now reads it too: no 2020 in this run
        assert data.current_version() == before
        assert set(data.query("valori_serie")["anno_relazione"]) == {2019}
    # the next run (every write is followed by a rerun) reads the new version, 2020 included
    with data.one_version_per_run():
        assert data.current_version() == before + 1
        assert set(data.query("scelte_periodi")["anno"]) == {2019, 2020}


def test_carica_dati_shows_the_version_its_run_began_with_when_an_import_commits_meanwhile(app, monkeypatch):
    """«Carica dati» read its list of versions and its template's years from the store's connection, the latest
    version, while the sidebar read the run's: with 30 people, one page served during an import mixed the two."""
    original, imported = accesso.upload_access, []

    def access_then_another_sessions_import():
        if not imported:  # once, after the run began reading (the sidebar): another session's import commits
            imported.append(commit_file(data.connection(), workbook_2020(), "relazione_2020.xlsx"))
        return original()

    monkeypatch.setattr(accesso, "upload_access", access_then_another_sessions_import)
    at = app(path("carica_dati"))
    assert imported == [2]
    # the whole page is version 1, as its sidebar: one version in the record, nothing to restore, 2019 alone
    assert list(_record(at)["Versione"]) == [1]
    assert "Non ci sono versioni precedenti da ripristinare." in texts(at.caption)
    assert at.selectbox(key="modello_periodo").options == ["CCIAA di Cremona · 2019"]
    assert at.sidebar.selectbox(key="versione").options == ["attuale (versione 1)"]
    # the next run (as every write is followed by one) shows version 2 throughout
    run(at)
    assert list(_record(at)["Versione"]) == [2, 1]
    assert at.selectbox(key="modello_periodo").options == ["CCIAA di Cremona · 2020", "CCIAA di Cremona · 2019"]


def _record(at):
    return next(d.value for d in at.dataframe if "Versione" in d.value.columns)


def test_a_page_that_changes_the_rows_it_got_changes_nobody_else_s(db_path):
    """Every session shares one cached frame per query and version (ui/data.query): what one page does to its copy
    (a column rewritten, a value corrected, rows dropped) is never what the next page or person reads."""
    data._cached.clear()
    with data.one_version_per_run():
        mine = data.query("scelte_periodi")
        anno = int(mine["anno"].iloc[0])  # 2019, the shipped report
        mine["anno"] = mine["anno"] + 1
        mine.loc[mine.index[0], "ente"] = "altro ente"
        del mine["ente"]  # in place, as drop(inplace=True) did before pandas 3.1 deprecated it
        theirs = data.query("scelte_periodi")
    assert int(theirs["anno"].iloc[0]) == anno == 2019 and theirs["ente"].iloc[0] == "CCIAA di Cremona"
