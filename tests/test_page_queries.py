"""How many queries a page asks the store for (issue 15: every page's queries <= 20 ms in total; each query costs
2-4 ms, mostly fixed, so the pages ask for fewer). What a page shows stays the same: the other page tests say so.
The milliseconds are measured by bench/bench_queries.py, never here."""
from __future__ import annotations

import pytest
from builders.workbooks import commit_file, workbook_2020

from cruscotto.store import queries


@pytest.fixture
def recorded(monkeypatch) -> list[tuple[str, dict]]:
    """Every query the app runs from now on (name, parameters); cache hits run none."""
    calls: list[tuple[str, dict]] = []
    original = queries.run

    def recording(con, name, params=None):
        calls.append((name, dict(params or {})))
        return original(con, name, params)

    monkeypatch.setattr(queries, "run", recording)
    return calls


def _chosen(frame):
    return frame[frame["scelto"]]


def test_the_sidebar_choices_carry_the_options_of_the_period_the_sidebar_shows(con):
    commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    nodes = queries.run(con, "nodi_piano", {"ente": "CCIAA di Cremona", "anno": 2019})
    expected = nodes[nodes["livello"].isin(["area", "strategico"])]["codice"].tolist()
    asked = queries.run(con, "scelte_periodi", {"ente": "CCIAA di Cremona", "anno": 2019})
    assert list(zip(asked["ente"], asked["anno"])) == [("CCIAA di Cremona", 2020), ("CCIAA di Cremona", 2019)]
    chosen = _chosen(asked)
    assert chosen["anno"].tolist() == [2019]
    # the four areas of 2019 and their strategic objectives, in the order of nodi_piano (the tree's order)
    assert [n["codice"] for n in chosen["nodi"].iloc[0]] == expected
    assert [n["livello"] for n in chosen["nodi"].iloc[0]].count("area") == 4
    assert asked.loc[~asked["scelto"], "nodi"].isna().all()
    # nothing asked, or a chamber or year the store does not hold: the sidebar's fallback, the first chamber and its
    # latest year (2020); a year the fallback chamber holds stays
    for wish, anno in (({}, 2020), ({"ente": "CCIAA di Nessuno", "anno": 1999}, 2020),
                       ({"ente": "CCIAA di Cremona", "anno": 1999}, 2020), ({"ente": "CCIAA di Nessuno", "anno": 2019}, 2019)):
        assert _chosen(queries.run(con, "scelte_periodi", wish))[["ente", "anno"]].values.tolist() == [["CCIAA di Cremona", anno]]


def test_the_sidebar_and_the_banner_ask_one_query(app, recorded):
    at = app("pages/relazione.py")  # a page that draws its document only when asked: the sidebar's queries alone
    assert [name for name, _ in recorded] == ["scelte_periodi"]
    # the first run asked for the default period; the next ones want the period it gave, and find it in the cache
    recorded.clear()
    at.switch_page("pages/relazione.py").run()
    at.switch_page("pages/panoramica.py").run()
    assert "scelte_periodi" not in [name for name, _ in recorded]


def test_a_year_from_a_link_chooses_its_areas_in_the_same_query(app, recorded, db_path):
    from cruscotto import store

    con = store.connect(db_path)
    try:
        commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    finally:
        con.close()
    at = app("pages/aree_strategiche.py", anno="2019", area="2019_02")
    assert at.sidebar.selectbox(key="anno").value == 2019 and at.sidebar.selectbox(key="area").value == "2019_02"
    assert [name for name, _ in recorded].count("scelte_periodi") == 1


@pytest.mark.parametrize("page", ["indicatori", "verifica"])
def test_every_quotation_of_a_page_reads_the_text_once(app, recorded, page):
    at = app(f"pages/{page}.py")
    # Indicatori: the VA and VR lines of the first indicator and the lines of its finding; Verifica: the lines of
    # the first finding and of the first recomputation; each quotation with its context (▶ = the cited line)
    quoted = [c.value for c in at.code if "▶" in c.value]
    assert len(quoted) >= 2
    assert [name for name, _ in recorded].count("fonte_relazione") == 1


def test_after_an_import_the_chosen_year_keeps_its_own_areas(app, db_path):
    from builders.apptest import run
    from builders.workbooks import shipped_frames, to_xlsx

    from cruscotto import store

    at = app("pages/aree_strategiche.py")  # opened without a choice: 2019, the only year
    frames = shipped_frames()
    for frame in frames.values():
        frame["anno"] = "2020"
    frames["aree"]["missione_descrizione"] = "Missione del 2020"
    con = store.connect(db_path)
    try:  # 2020 arrives: asked again without a choice, the query would now give 2020 and its areas
        commit_file(con, to_xlsx(frames), "relazione_2020.xlsx")
    finally:
        con.close()
    run(at)
    assert at.sidebar.selectbox(key="anno").value == 2019
    labels = at.sidebar.selectbox(key="area").options  # as shown: the name, then the code
    assert len(labels) == 4 and not any("2020" in label for label in labels), labels
    at.sidebar.selectbox(key="anno").set_value(2020).run()
    labels = at.sidebar.selectbox(key="area").options  # as shown: the name, then the code
    assert len(labels) == 4 and all("Missione del 2020" in label for label in labels), labels
