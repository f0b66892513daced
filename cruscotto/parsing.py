"""Reading numbers and target values the way an Italian report writes them."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

_CURRENCY_AND_SPACES = re.compile(r"[€\s\u00a0]")
_THOUSANDS_ONLY = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


class NumberError(ValueError):
    pass


def parse_number(value, decimal: str = ",") -> float | None:
    """Parse '1.234,56', '€ 18.978,38', '137,56%', '12000', 7.5 into a float; blank gives None.

    `decimal` is the separator the file uses when a text has only one kind of separator and could be read both
    ways ('1.234'): ',' for Italian files (the default), '.' for comma-separated CSV written with dot decimals.
    A text with both '.' and ',' is always read with the last one as the decimal separator.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(f"{value!r} non è un numero")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    text = _CURRENCY_AND_SPACES.sub("", str(value)).rstrip("%‰")
    if text == "":
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if text.count(",") > 1:
            raise NumberError(f"'{value}' ha più di una virgola")
        text = text.replace(",", ".")
    elif "." in text:
        if text.count(".") > 1 or (decimal == "," and _THOUSANDS_ONLY.match(text)):
            if not _THOUSANDS_ONLY.match(text):
                raise NumberError(f"'{value}' non è un numero leggibile")
            text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        raise NumberError(f"'{value}' non è un numero") from None


# ------------------------------------------------------------------ target values (VA / VR)

OPERATORS = {">=": ">=", "≥": ">=", "=>": ">=", "<=": "<=", "≤": "<=", "=<": "<=", "=": "=", ">": ">", "<": "<"}
UNIT_WORDS = {
    "%": "%", "‰": "‰", "/°°°": "‰", "€": "€", "euro": "€", "giorni": "giorni", "giorno": "giorni", "gg": "giorni",
    "numero": "numero", "n.": "numero", "punti": "punteggio", "punteggio": "punteggio",
}
_VALUE = re.compile(
    r"""^\s*(?P<op>>=|=>|<=|=<|≥|≤|=|>|<)?\s*
        (?P<pre>€)?\s*
        (?P<num>-?\d[\d.,]*)\s*
        (?P<unit>%|‰|/°°°|€|euro|giorni|giorno|gg|numero|punti|punteggio)?\s*
        (?P<comment>\(.*\))?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
_LOOKS_NUMERIC = re.compile(r"^\s*(>=|=>|<=|=<|≥|≤|=|>|<|€|-?\d)")


@dataclass(frozen=True)
class ParsedValue:
    tipo: str  # "numerico", "qualitativo" or "assente"
    operatore: str | None = None
    operatore_implicito: bool = False
    numero: float | None = None
    unita: str | None = None


class ValueParseError(ValueError):
    pass


def parse_target(text, is_expected: bool) -> ParsedValue:
    """Parse a VA ('>=80%', '<=20 giorni', '4') or VR ('= 137,56%', '34 (come da calendario agli atti)').

    A text that starts like a number or an operator must be a well formed value; any other text is a
    qualitative milestone ('Rispetto delle tempistiche ...'). A VA written without an operator is read as
    '>=' (a minimum, as the report uses bare counts: VA 4 masterclass); the parsed row says it was implied.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return ParsedValue("assente")
    if isinstance(text, (int, float)):
        return ParsedValue("numerico", ">=" if is_expected else None, is_expected, float(text), None)
    raw = str(text).strip()
    if not _LOOKS_NUMERIC.match(raw):
        return ParsedValue("qualitativo")
    match = _VALUE.match(raw)
    if not match:
        raise ValueParseError(raw)
    try:
        number = parse_number(match["num"])
    except NumberError:
        raise ValueParseError(raw) from None
    unit = UNIT_WORDS.get((match["unit"] or "").lower()) or ("€" if match["pre"] else None)
    op = OPERATORS.get(match["op"]) if match["op"] else None
    if not is_expected:
        return ParsedValue("numerico", None, False, number, unit)
    implied = op is None
    return ParsedValue("numerico", op or ">=", implied, number, unit)
