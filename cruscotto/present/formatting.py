"""Numbers as Italians write them: 1.234,56 · 89,14% · € 18.978,38.

Total over every value a page may meet: None and NaN give '' (an empty cell), an infinity gives '—' (a number that
is not one, stored before validation refused such values), never an exception."""
from __future__ import annotations

import math

import pandas as pd

NOT_A_NUMBER = "—"
_ITALIAN = str.maketrans(",.", ".,")  # 1,234.5 -> 1.234,5


def or_dash(value) -> str:
    """A text as it is, or NOT_A_NUMBER («—») when there is none (None, NaN, an empty or blank text)."""
    return value if isinstance(value, str) and value.strip() else NOT_A_NUMBER


def missing(value) -> bool:
    """None, NaN, pd.NA, NaT: no value at all (the one test for it in what pages and exports show)."""
    if isinstance(value, float):  # the usual values first, without pandas (a Verifica writes 125.000 numbers)
        return value != value
    if isinstance(value, (str, int)):
        return False
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _finite(value) -> float | None:
    """The value as a float, or None when it is not a finite number (inf, -inf, text that is not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def number(value, decimals: int = 2) -> str:
    """1234.5 -> '1.234,50'; None -> ''; inf -> '—'. Whole numbers keep no decimals when decimals is 0."""
    if missing(value):
        return ""
    finite = _finite(value)
    if finite is None:
        return NOT_A_NUMBER
    return f"{finite:,.{decimals}f}".translate(_ITALIAN)


def integer(value) -> str:
    return number(value, 0)


def _with(value, text: str, form: str) -> str:
    return text if text in ("", NOT_A_NUMBER) else form.format(text)


def percent(value, decimals: int = 2) -> str:
    """89.1426 -> '89,14%' (the value is already a percentage)."""
    return _with(value, number(value, decimals), "{}%")


def euro(value, decimals: int = 2) -> str:
    return _with(value, number(value, decimals), "€ {}")


def smart(value, unit: str | None = None) -> str:
    """A value with its unit, as the report would print it."""
    if missing(value):
        return ""
    if unit == "%":
        return percent(value)
    if unit == "‰":
        return _with(value, number(value), "{}‰")
    if unit == "€":
        return euro(value)
    finite = _finite(value)
    text = number(value, 0 if finite is not None and finite.is_integer() else 2)
    return text if text == NOT_A_NUMBER or not unit or unit in ("numero",) else f"{text} {unit}"


def as_given(value, unit: str | None = None) -> str:
    """A value with only the decimals it has (at most 2), with its unit: 75.4 -> '75,4%', 99.0 -> '99%', 42.32 ->
    '42,32%'. For figures quoted from elsewhere (public references), written as their source writes them."""
    finite = _finite(value)
    if missing(value) or finite is None:
        return smart(value, unit)
    decimals = len(f"{finite:.2f}".rstrip("0").split(".")[1]) if not round(finite, 2).is_integer() else 0
    text = number(finite, decimals)
    return {"%": f"{text}%", "‰": f"{text}‰", "€": f"€ {text}"}.get(unit or "", text if unit in (None, "", "numero") else f"{text} {unit}")


def moment(value) -> str | None:
    """A time as the store writes it ('2026-03-05 10:00:00', e.g. annotazioni.scritta_il) as Italians read it:
    '05/03/2026 10:00'; None when there is none."""
    return f"{pd.Timestamp(value):%d/%m/%Y %H:%M}" if isinstance(value, str) and value else None


def of_kind(value, kind: str) -> str:
    """A value written as its column's kind says (cruscotto.present.labels.KINDS), for paper: «—» when missing."""
    if missing(value):
        return NOT_A_NUMBER
    if kind in ("euro", "percent", "integer", "number"):
        return {"euro": euro, "percent": percent, "integer": integer, "number": number}[kind](value)
    if kind == "auto":
        finite = _finite(value)
        return number(value, 0 if finite is not None and finite.is_integer() else 2)
    if kind in ("year", "code") and not isinstance(value, str):
        finite = _finite(value)
        return NOT_A_NUMBER if finite is None else str(int(finite))
    if kind == "date":
        return f"{pd.Timestamp(value):%d/%m/%Y %H:%M}"
    return str(value)
def plural(count, singular: str, plural: str, *, number: bool = True) -> str:
    """'1 errore', '2 errori', '0 errori', '1.234 righe': the count (Italian digits) and the noun that agrees with it.
    With number=False only the word ('Filtro attivo' / 'Filtri attivi')."""
    n = int(count)
    word = singular if n == 1 else plural
    return f"{integer(n)} {word}" if number else word


def shortened(value, width: int) -> str:
    """The text cut at a word boundary to at most `width` characters, with '…' when something was cut."""
    text = "" if missing(value) else " ".join(str(value).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:.-") + "…"


def named(name, code, width: int = 80) -> str:
    """A thing by its readable name, the code after it: 'Regolazione del mercato (2019_02)'. Without a name, the
    code alone; a name longer than `width` is shortened (the code is never cut)."""
    name_text = shortened(name, width)
    code_text = "" if missing(code) else str(code)
    if not name_text or name_text == code_text:
        return code_text
    return f"{name_text} ({code_text})" if code_text else name_text
