"""The findings computed by column (runner.run_rows, what the store keeps in int_rilievi and the page, the CLI and
the PDF read) are exactly those of the row-by-row Verifica main had (tests/builders/verifica_riga_per_riga.py): every
column, in the same order, on the shipped data, on the 2020 upload, on a synthetic store of several chambers and
years, and on the hand-made reports of tests/test_checks.py (each check triggered there; its `found` compares too)."""
from __future__ import annotations

import pandas as pd
from builders import verifica_riga_per_riga
from builders.workbooks import commit_file, workbook_2020

from cruscotto import synth, verifica
from cruscotto.store import queries
from cruscotto.verifica import fatti, registry, runner


def assert_same_as_row_by_row(con, ente=None, anno=None) -> list:
    """The column path against the row-by-row reference: the frame (all columns, order) and the stored findings."""
    reference = verifica_riga_per_riga.run_checks(con, ente, anno)
    rows = runner.run_rows(con, ente, anno)
    by_column = rows.drop_columns(["rango_gravita", "posizione"]).to_pandas()
    pd.testing.assert_frame_equal(_plain(by_column), _plain(runner.findings_frame(reference)))
    # each chamber's findings numbered in order, the severity's rank beside them
    assert rows["posizione"].to_pylist() == list(by_column.groupby("ente").cumcount())
    assert rows["rango_gravita"].to_pylist() == [verifica.GRAVITA.index(f.gravita) for f in reference]
    if ente is None and anno is None:
        assert verifica.findings(con) == reference  # what the store kept at the last write, read back
    return reference


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Every value as a Python object and every missing one as None (an all-empty column is None in one frame, NaN
    of a text column in the other: the same «no value»)."""
    return frame.astype(object).where(frame.notna(), None)


def test_shipped_data(con):
    reference = assert_same_as_row_by_row(con)
    # the Verifica of the 2019 report: 2 errori, 29 avvisi, 13 informazioni (docs/verifica.md)
    assert verifica.counts(reference) == {"errore": 2, "avviso": 29, "info": 13}
    assert_same_as_row_by_row(con, "CCIAA di Cremona", 2019)


def test_the_2020_upload(con):
    commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    assert {f.anno for f in assert_same_as_row_by_row(con)} == {2019, 2020}
    assert_same_as_row_by_row(con, "CCIAA di Cremona", 2020)


def test_a_synthetic_store_of_several_chambers(con):
    commit_file(con, synth.write_xlsx(synth.generate(4, (2018, 2020), seed=3)), "quattro_enti.xlsx")
    reference = assert_same_as_row_by_row(con)
    assert len({f.ente for f in reference}) == 5  # the 4 synthetic chambers and Cremona
    # checks that preselect their rows by column find something here, so the comparison covers them
    assert {"target_poco_ambizioso", "vr_senza_riscontro", "numerazione_saltata", "esito_contraddice_regola",
            "scostamento_senza_motivo"} <= {f.controllo for f in reference}


def test_the_reference_is_mains_code_of_the_checks_that_changed():
    """The reference runs main's functions for the checks preselected by column, the registry's for the others."""
    assert set(verifica_riga_per_riga.OLD) <= set(verifica.CHECKS)
    for id_, old in verifica_riga_per_riga.OLD.items():
        assert old is not verifica.CHECKS[id_].fn and old.__name__ == verifica.CHECKS[id_].fn.__name__


def _queries(fn) -> set[str]:
    """The queries a check or a fact reads, through the facts it reads."""
    out = set()
    for source in registry.sources(fn).values():
        out |= {source.name} if isinstance(source, registry.Query) else _queries(source.fn)
    return out


def test_the_checks_read_each_query_as_duckdbs_own_conversion_gives_it(con):
    """runner._read (through Arrow) gives the frame main read (.df(), its text as objects): the same columns and
    dtypes, and each value of the same Python type with the same value (repr: int 140 is not float 140.0, None is
    not NaN, a list is a numpy array of the same dtype), on the shipped store, with the 2020 upload and 4 synthetic
    chambers, for all chambers and years, one chamber and year, and a chamber with no rows."""
    commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    commit_file(con, synth.write_xlsx(synth.generate(4, (2018, 2020), seed=3)), "quattro_enti.xlsx")
    names = set().union(*(_queries(c.fn) for c in verifica.CHECKS.values()), _queries(runner._COLLOCAZIONE.fn),
                        _queries(runner._TESTO.fn))
    assert {"verifica_indicatori", "verifica_riscontri", "ricalcolo_dettaglio"} <= names
    for params in ({"ente": None, "anno": None}, {"ente": "CCIAA di Cremona", "anno": 2020},
                   {"ente": "nessuna camera", "anno": None}):
        for name in sorted(names):
            main = runner._text_as_objects(queries.run(con, name, params))
            read = runner._read(con, name, params)
            assert list(read.columns) == list(main.columns) and read.index.equals(main.index), name
            assert list(read.dtypes.astype(str)) == list(main.dtypes.astype(str)), name
            for column in main.columns:
                assert [repr(v) for v in read[column]] == [repr(v) for v in main[column]], (name, column)


def test_codes_are_normalised_as_main_did():
    """codici._normalised (a regular expression for codes in ASCII) against main's, on every code of up to three
    parts made of the pieces below: numbers with and without leading zeros, letters, empty parts, digits that are not
    ASCII (kept by lstrip('0')), a line break (which `$` would have let through)."""
    from itertools import product

    from builders.verifica_riga_per_riga import _normalised as main_normalised

    from cruscotto.verifica.codici import _normalised
    pieces = ["0", "00", "1", "01", "10", "007", "100", "a", "0a", "a0", "", "²", "٠1", "x0", "\n", "0\n", " 0"]
    codes = ["_".join(p) for n in (1, 2, 3) for p in product(pieces, repeat=n)]
    assert _normalised("2019_01_02_04") == "2019_1_2_4" and _normalised("2019_00") == "2019_0"
    assert [_normalised(c) for c in codes] == [main_normalised(c) for c in codes]


def test_candidates_are_the_rows_itertuples_gives(con):
    """fatti.candidates (columns by tolist, the named tuple class kept per set of columns) gives the tuples of
    `itertuples` on the rows flagged: the same fields and, field by field, values of the same type and value (repr:
    an int is not a float, pd.NA is not NaN), for every query the checks read, on a store of several chambers, with
    every row flagged, none, and every other one (the index then skips); asked twice (the second time from the
    kept class) and on columns named as no identifier can be (renamed by position, as itertuples does)."""
    commit_file(con, synth.write_xlsx(synth.generate(2, (2019, 2020), seed=3)), "due_enti.xlsx")
    names = set().union(*(_queries(c.fn) for c in verifica.CHECKS.values()))
    frames = [runner._read(con, name, {"ente": None, "anno": None}) for name in sorted(names)]
    frames.append(pd.DataFrame({"codice": ["a", None, "c"], "class": [1, 2, None], "1x": pd.array([1, None, 3], "Int64"),
                                "codice ": [0.5, float("nan"), 2.0]}))
    for frame in frames:
        assert len(frame.columns) > 1
        for mask in (pd.Series(True, index=frame.index), pd.Series(False, index=frame.index),
                     pd.Series([i % 2 == 0 for i in range(len(frame))], index=frame.index)):
            expected = list(frame[mask.to_numpy()].itertuples())
            for _ in range(2):
                got = list(fatti.candidates(frame, mask))
                assert [r._fields for r in got] == [r._fields for r in expected]
                assert [[repr(v) for v in r] for r in got] == [[repr(v) for v in r] for r in expected]
    # the frame made by hand: its columns renamed as itertuples names them, and its missing values kept as they are
    assert got[0]._fields == ("Index", "codice", "_2", "_3", "_4") and repr(got[1]) == repr(expected[1])
