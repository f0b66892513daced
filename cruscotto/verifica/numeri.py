"""Numbers as the Verifica handles them: written the Italian way, rounded by hand (half up, as a person does),
truncated, compared with a declared value within a tolerance, and tested against a valore atteso.

Also the three small readers of values that arrive from DuckDB (missing, a list column, a cleaned value).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from cruscotto.present import formatting

_NUMBER_IN_TEXT = re.compile(r"-?\d[\d.]*(?:,(\d+))?")
_ITALIAN = str.maketrans(",.", ".,")  # 1,234.5 -> 1.234,5 (as formatting.number)


# ------------------------------------------------------------------ values read from the store

def missing(value) -> bool:
    """None, NaN or pd.NA: no value."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def clean(value):
    """The value, or None when it is missing."""
    return None if missing(value) else value


def as_list(value) -> list:
    """A list column as Python list (DuckDB lists arrive as lists or numpy arrays; NULL as None or NA)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return []
    return list(value)


# ------------------------------------------------------------------ written the Italian way

def num(value, max_decimals: int = 4) -> str:
    """137.568495 -> '137,5685'; 44.0 -> '44'; 18978.38 -> '18.978,38' (trailing zeros dropped).

    A Verifica of a 100k-row import writes 140.000 numbers, about 9.500 of them distinct (the thresholds, the
    tolerance, the same target in every chamber): each float or int text is kept (`_WRITTEN`), keyed by the value,
    which for these two types says the text, except 0.0 and -0.0 (equal keys, «0» and «-0») and NaN (never equal):
    those are written each time."""
    kind = type(value)
    if (kind is float or kind is int) and type(max_decimals) is int and value != 0 and value == value:
        key = (value, max_decimals)
        text = _WRITTEN.get(key)
        if text is None:
            if len(_WRITTEN) >= _WRITTEN_MAX:  # a bound for a long-lived server: start again
                _WRITTEN.clear()
            text = _WRITTEN[key] = _written(value, max_decimals)
        return text
    return _written(value, max_decimals)


_WRITTEN: dict[tuple, str] = {}
_WRITTEN_MAX = 100_000


def _written(value, max_decimals: int) -> str:
    """num's text, written (formatting.number's format, without its checks for values num has already excluded)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "?"
    number = float(value)
    if not math.isfinite(number):
        return formatting.number(value)  # «—»: no rounding of an infinity
    rounded = round(number, max_decimals)
    if rounded == int(rounded):
        return f"{rounded:,.0f}".translate(_ITALIAN)
    return f"{rounded:,.{max_decimals}f}".translate(_ITALIAN).rstrip("0").rstrip(",")


def pct(value, max_decimals: int = 4) -> str:
    return f"{num(value, max_decimals)}%"


# ------------------------------------------------------------------ decimals, rounding, truncation

def declared_decimals(text) -> int:
    """Decimals of the first number of a declared value as written: '= 137,56%' -> 2, '= 99,2%' -> 1, '33' -> 0."""
    match = _NUMBER_IN_TEXT.search(str(text or ""))
    return len(match.group(1)) if match and match.group(1) else 0


def float_decimals(value: float) -> int:
    """Decimals of a number read from a CSV (84.43 -> 2, 64.8 -> 1)."""
    text = repr(float(value))
    return 0 if not math.isfinite(float(value)) or "e" in text or text.endswith(".0") else len(text.split(".")[1])


def round_half_up(value: float, decimals: int) -> float:
    if not math.isfinite(float(value)):
        return float(value)  # an infinity or NaN stays what it is (stored before validation refused it)
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def truncate(value: float, decimals: int) -> float:
    if not math.isfinite(float(value)):
        return float(value)
    factor = 10 ** decimals
    return math.trunc(float(value) * factor + (1e-9 if value >= 0 else -1e-9)) / factor


# ------------------------------------------------------------------ comparing

@dataclass(frozen=True)
class Agreement:
    """How a declared value compares with a recomputed one: 'esatto' (equal once rounded as declared),
    'arrotondamento' (within the tolerance only) or 'diverso'."""
    verdict: str
    rounded: float
    difference: float
    tolerance: float
    truncated: bool


def compare(declared: float, recomputed: float, decimals: int, tolleranza_unita: float) -> Agreement:
    """`tolleranza_unita` is in units of the last declared decimal (rule tolleranza_arrotondamento)."""
    rounded = round_half_up(recomputed, decimals)
    difference = declared - recomputed
    tolerance = tolleranza_unita * 10 ** (-decimals)
    if math.isclose(rounded, declared, abs_tol=1e-9):
        verdict = "esatto"
    elif abs(difference) <= tolerance + 1e-9:
        verdict = "arrotondamento"
    else:
        verdict = "diverso"
    return Agreement(verdict, rounded, difference, tolerance,
                     math.isclose(truncate(recomputed, decimals), declared, abs_tol=1e-9))


def meets(value: float, operator: str | None, target: float | None) -> bool | None:
    """Whether `value` meets the valore atteso `operator target` (None when there is no numeric target)."""
    if value is None or target is None or operator is None or missing(value) or missing(target):
        return None
    return {">=": value >= target, ">": value > target, "<=": value <= target, "<": value < target}.get(
        operator, math.isclose(value, target, abs_tol=1e-9))
