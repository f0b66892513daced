"""The numbers of the Verifica's sentences (numeri.num and pct) as main wrote them, now that num keeps the text of
each value it has written (a 100k-row import writes 140.000 numbers, 9.500 distinct): the same text on the edges a
sentence may meet, the first time and from the kept texts, and main's own num (copied below) agrees on each."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cruscotto.present import formatting
from cruscotto.verifica import numeri
from cruscotto.verifica.numeri import num, pct


def main_num(value, max_decimals: int = 4) -> str:
    """numeri.num as main wrote it (before the kept texts)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    if not math.isfinite(float(value)):
        return formatting.number(value)
    rounded = round(float(value), max_decimals)
    if rounded == int(rounded):
        return formatting.number(rounded, 0)
    text = formatting.number(rounded, max_decimals)
    return text.rstrip("0").rstrip(",")


CASES = [
    # (value, max_decimals, text) - the text worked out by hand
    (0, 4, "0"),
    (0.0, 4, "0"),
    (-0.0, 4, "-0"),  # Python's format keeps the sign of a negative zero: f"{-0.0:,.0f}" is '-0'
    (-0.00001, 4, "-0"),  # round(-0.00001, 4) = -0.0, a whole number: '-0' as above
    (44.0, 4, "44"),  # a whole number keeps no decimals
    (137.568495, 4, "137,5685"),  # 4 decimals: 137,5685|95 rounds up
    (-137.568495, 4, "-137,5685"),
    (18978.38, 2, "18.978,38"),  # thousands with a dot, decimals with a comma
    (1234567.5, 4, "1.234.567,5"),  # trailing zeros of '1.234.567,5000' dropped
    (-1234567.5, 0, "-1.234.568"),  # round(-1234567.5, 0): to even, -1234568
    (2.5, 0, "2"),  # round(2.5, 0) = 2.0: Python rounds .5 to even (as main did)
    (3.5, 0, "4"),  # and 3.5 to 4
    (0.125, 2, "0,12"),  # 0.125 to 2 decimals: to even, 0,12
    (0.135, 2, "0,14"),  # 0.135 is stored as 0.13500000000000000888: up, 0,14
    (99.999999, 4, "100"),  # rounds to 100.0, a whole number
    (1e-05, 4, "0"),  # 0.00001 to 4 decimals: 0.0
    (1e-05, 5, "0,00001"),
    (7, 2, "7"),  # an int
    (-12000, 2, "-12.000"),
    (True, 2, "1"),  # a bool is a number: float(True) = 1.0
    (np.float64(64.798666), 2, "64,8"),  # numpy's float: 64,80 without its trailing zero
    (np.int64(31192), 4, "31.192"),
    (None, 4, "?"),  # no value
    (float("nan"), 4, "?"),
    (np.nan, 2, "?"),
    (float("inf"), 4, "—"),  # not a number: no rounding of an infinity
    (float("-inf"), 2, "—"),
]


@pytest.mark.parametrize("value, decimals, text", CASES)
def test_numbers_are_written_as_main_wrote_them(value, decimals, text):
    numeri._WRITTEN.clear()
    assert main_num(value, decimals) == text
    assert num(value, decimals) == text  # written
    assert num(value, decimals) == text  # kept
    assert pct(value, decimals) == f"{text}%"


def test_equal_values_of_other_types_or_signs_do_not_share_a_text():
    numeri._WRITTEN.clear()
    # 0.0 and -0.0 are equal keys with different texts, 1 and 1.0 equal keys with the same text
    assert [num(0.0), num(-0.0), num(0.0)] == ["0", "-0", "0"]
    assert [num(1), num(1.0), num(True), num(np.float64(1.0))] == ["1", "1", "1", "1"]
    # the same value with fewer decimals is another text: 137,5685 then 137,57 then 138
    assert [num(137.568495), num(137.568495, 2), num(137.568495, 0)] == ["137,5685", "137,57", "138"]


def test_values_num_does_not_take_fail_as_before():
    # pd.NA is not a number num takes (float(pd.NA) raises), now as in main
    with pytest.raises(TypeError):
        main_num(pd.NA)
    with pytest.raises(TypeError):
        num(pd.NA)


def test_the_kept_texts_are_bounded():
    numeri._WRITTEN.clear()
    for i in range(1, numeri._WRITTEN_MAX + 10):
        num(i + 0.5, 1)
    assert len(numeri._WRITTEN) <= numeri._WRITTEN_MAX
    assert num(12345.5, 1) == "12.345,5"  # 12345.5 to 1 decimal, thousands with a dot


def main_lines(*values) -> str | None:
    """frasi.lines as main wrote it (before its shortcut for one and two lines)."""
    known = sorted({int(v) for v in values if not numeri.missing(v)})
    return ", ".join(map(str, known)) or None


@pytest.mark.parametrize("values, text", [
    ((), None),  # no line
    ((None,), None),
    ((854,), "854"),
    ((854.0,), "854"),  # a line read as a float: int(854.0) = 854
    ((np.int64(854),), "854"),
    ((float("nan"), pd.NA), None),  # two values, neither known
    ((None, 12), "12"),
    ((12, None), "12"),
    ((22, 11), "11, 22"),  # sorted
    ((11, 11), "11"),  # distinct
    ((11, 11.0), "11"),
    ((22, 11, 21, 11), "11, 21, 22"),  # more than two: sorted and distinct
])
def test_cited_lines_are_written_as_main_wrote_them(values, text):
    from cruscotto.verifica.frasi import at, lines
    assert main_lines(*values) == text
    assert lines(*values) == text
    if len(values) == 1:  # ' (r. 854)' after a value, nothing without a line
        assert at(values[0]) == (f" (r. {text})" if text else "")
