"""The synthetic data generator: deterministic, valid through the normal import, shaped like the real report, and
the bulk path writes exactly what the normal path writes."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from cruscotto import cli, pipeline, store, synth
from cruscotto.ingest.reader import read_file
from cruscotto.ingest.validate import validate
from cruscotto.store.schema import TABLES


def _digest(tables: dict[str, pd.DataFrame]) -> str:
    return hashlib.sha256(b"".join(f.to_csv(index=False).encode() for f in tables.values())).hexdigest()


def test_same_seed_same_data_and_same_workbook_bytes(tmp_path):
    a = synth.generate(2, (2018, 2019), seed=7)
    b = synth.generate(2, (2018, 2019), seed=7)
    assert _digest(a) == _digest(b)
    assert synth.write_xlsx(a) == synth.write_xlsx(b)  # byte for byte: the creation date is fixed
    assert _digest(synth.generate(2, (2018, 2019), seed=8)) != _digest(a)


def test_first_chambers_do_not_depend_on_how_many_are_asked():
    # every value is a function of (seed, chamber number, year): 2 chambers are the first 2 of 5
    two = synth.generate(2, (2019, 2019), seed=3)
    five = synth.generate(5, (2019, 2019), seed=3)
    for name, frame in two.items():
        head = five[name][five[name]["ente"].isin(frame["ente"].unique())].reset_index(drop=True)
        pd.testing.assert_frame_equal(head, frame)


def test_workbook_goes_through_the_normal_import_without_errors(tmp_path):
    path = tmp_path / "synth.xlsx"
    tables = synth.generate(3, (2017, 2019), seed=11, serie=9)
    synth.write_xlsx(tables, path)
    validated = validate(read_file(path))
    assert validated.ok, [str(p) for p in validated.errors[:5]]
    assert [p for p in validated.problems] == []  # not even a warning
    # 3 chambers x 3 years = 9 partitions, every table filled
    assert len(validated.partitions()) == 9
    assert {n: len(f) for n, f in validated.tables.items()} == {n: len(f) for n, f in tables.items()}
    con = store.connect(tmp_path / "s.duckdb")
    try:
        result = pipeline.import_path(con, path)
        assert result.ok
        assert con.execute("SELECT count(DISTINCT ente), count(DISTINCT anno) FROM indicatori").fetchone() == (3, 3)
    finally:
        con.close()


def test_shape_is_like_the_real_report():
    tables = synth.generate(4, (2019, 2019), seed=1)
    per_report = {n: len(f) / 4 for n, f in tables.items()}
    # the shipped 2019 report: 4 aree, 31 obiettivi, 26 indicatori, 24 series rows, 79 cifre chiave
    assert per_report["aree"] == 4
    assert 10 <= per_report["obiettivi"] <= 45
    assert 12 <= per_report["indicatori"] <= 45
    assert 20 <= per_report["serie_storiche"] <= 30
    assert 20 <= per_report["cifre_chiave"] <= 140
    ind = synth.typed_tables(tables)["indicatori"]
    # numeric targets and qualitative milestones, as in the report; a few VR missing
    assert set(ind["va_tipo"]) == {"numerico", "qualitativo"}
    assert (ind["vr_tipo"] == "assente").any()
    assert set(ind["va_operatore"].dropna()) >= {">=", "<="}
    series = tables["serie_storiche"]
    pratiche = series[series["serie"] == "pratiche_evase_5gg"]
    # rate = numeratore / denominatore * 100, rounded to 2 decimals as printed
    assert ((pratiche["numeratore"] / pratiche["denominatore"] * 100).round(2) == pratiche["valore"]).all()
    assert set(series.loc[series["serie"] == "costi_postali", "anno_valore"]) == {2011, 2019}  # base year and current


def test_series_knob_reaches_the_big_sizes_with_gaps():
    tables = synth.generate_chamber(0, 1, (2010, 2024), seed=2, serie=20)
    series = tables["serie_storiche"]
    dense = series[series["serie"].str.startswith("serie_")]
    assert dense["serie"].nunique() == 14  # 20 - the 6 of the real report
    # each report repeats the history since 2005 (or the series' start), with some years missing
    last = dense[dense["anno"] == 2024].groupby("serie")["anno_valore"].agg(["min", "max", "count"])
    assert (last["max"] <= 2024).all() and (last["min"] >= 2005).all()
    assert (last["count"] < last["max"] - last["min"] + 1).any()


@pytest.mark.parametrize("serie, again", [(6, False), (10, False), (6, True)])
def test_bulk_path_writes_exactly_what_the_normal_path_writes(tmp_path, serie, again):
    """The proof the brief asks for: same tables, same history, same version records (but the timestamp).
    `again`: a second synth over the same chambers (other seed) replaces their years, through write_tables."""
    stores = {}
    for bulk in (False, True):
        con = store.connect(tmp_path / f"{bulk}.duckdb")
        try:
            assert synth.write_store(con, 3, (2017, 2019), seed=5, serie=serie, bulk=bulk) == [1, 2, 3]
            if again:
                assert synth.write_store(con, 3, (2018, 2019), seed=6, serie=serie, bulk=bulk) == [4, 5, 6]
            dump = {t.name: store.read_table(con, t.name) for t in TABLES}
            dump |= {f"storia.{t.name}": con.execute(f'SELECT * FROM storia."{t.name}" ORDER BY ALL').df() for t in TABLES}
            dump["versioni"] = con.execute("SELECT * EXCLUDE (creata_il) FROM versioni ORDER BY versione").df()
            stores[bulk] = dump
        finally:
            con.close()
    for name in ("aree", "obiettivi", "indicatori", "serie_storiche", "cifre_chiave", "versioni"):
        assert len(stores[False][name]) > 0 and len(stores[False][f"storia.{name}" if name != "versioni" else name]) > 0
    for name, frame in stores[False].items():
        pd.testing.assert_frame_equal(stores[True][name], frame, obj=name)


def test_typed_tables_equal_validate_output():
    tables = synth.generate(2, (2019, 2019), seed=9, serie=8)
    validated = validate(synth.as_sheets(tables, "x.xlsx"))
    typed = synth.typed_tables(tables)
    for name, frame in validated.tables.items():
        pd.testing.assert_frame_equal(typed[name].reset_index(drop=True), frame.reset_index(drop=True), obj=name,
                                      check_dtype=False)


def test_cli_store_keeps_other_chambers(db_path, capsys):
    # the shipped Cremona store plus 2 synthetic chambers: Cremona's rows stay as they were
    before = store.connect(db_path)
    cremona = store.read_table(before, "indicatori")
    before.close()
    assert cli.main(["synth", "--enti", "2", "--anni", "2018-2019", "--store", str(db_path)]) == 0
    assert "versioni 2-3" in capsys.readouterr().out
    con = store.connect(db_path)
    try:
        after = store.read_table(con, "indicatori")
        pd.testing.assert_frame_equal(after[after["ente"] == "CCIAA di Cremona"].reset_index(drop=True), cremona)
        assert sorted(after["ente"].unique()) == ["CCIAA di Cremona", "CCIAA sintetica di Bergamo", "CCIAA sintetica di Brescia"]
    finally:
        con.close()


def test_cli_refuses_bad_arguments_in_italian(capsys, tmp_path):
    assert cli.main(["synth", "--enti", "2", "--anni", "2019-2010", "--xlsx", str(tmp_path / "x.xlsx")]) == 2
    assert "anni '2019-2010' non validi" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
