"""Numbers as Italians write them: 1.234,56 · 89,14% · € 18.978,38."""
from __future__ import annotations

import math


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 2) -> str:
    """1234.5 -> '1.234,50'; None -> ''. Whole numbers keep no decimals when decimals is 0."""
    if _missing(value):
        return ""
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def integer(value) -> str:
    return number(value, 0)


def percent(value, decimals: int = 2) -> str:
    """89.1426 -> '89,14%' (the value is already a percentage)."""
    return "" if _missing(value) else f"{number(value, decimals)}%"


def euro(value, decimals: int = 2) -> str:
    return "" if _missing(value) else f"€ {number(value, decimals)}"


def smart(value, unit: str | None = None) -> str:
    """A value with its unit, as the report would print it."""
    if _missing(value):
        return ""
    if unit == "%":
        return percent(value)
    if unit == "‰":
        return f"{number(value)}‰"
    if unit == "€":
        return euro(value)
    decimals = 0 if float(value).is_integer() else 2
    text = number(value, decimals)
    return f"{text} {unit}" if unit and unit not in ("numero",) else text
