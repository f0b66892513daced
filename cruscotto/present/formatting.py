"""Numbers as Italians write them: 1.234,56 · 89,14% · € 18.978,38.

Total over every value a page may meet: None and NaN give '' (an empty cell), an infinity gives '—' (a number that
is not one, stored before validation refused such values), never an exception."""
from __future__ import annotations

import math

import pandas as pd

NOT_A_NUMBER = "—"


def _missing(value) -> bool:
    """None, NaN, pd.NA, NaT: no value at all."""
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
    if _missing(value):
        return ""
    finite = _finite(value)
    if finite is None:
        return NOT_A_NUMBER
    text = f"{finite:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


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
    if _missing(value):
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


def plural(count, singular: str, plural: str, *, number: bool = True) -> str:
    """'1 errore', '2 errori', '0 errori', '1.234 righe': the count (Italian digits) and the noun that agrees with it.
    With number=False only the word ('Filtro attivo' / 'Filtri attivi')."""
    n = int(count)
    word = singular if n == 1 else plural
    return f"{integer(n)} {word}" if number else word


def shortened(value, width: int) -> str:
    """The text cut at a word boundary to at most `width` characters, with '…' when something was cut."""
    text = "" if _missing(value) else " ".join(str(value).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:.-") + "…"


def named(name, code, width: int = 80) -> str:
    """A thing by its readable name, the code after it: 'Regolazione del mercato (2019_02)'. Without a name, the
    code alone; a name longer than `width` is shortened (the code is never cut)."""
    name_text = shortened(name, width)
    code_text = "" if _missing(code) else str(code)
    if not name_text or name_text == code_text:
        return code_text
    return f"{name_text} ({code_text})" if code_text else name_text
