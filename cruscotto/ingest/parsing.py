"""Reading numbers, target values and text the way an Italian report writes them.

This is the one place that turns written numbers into floats: the validation uses it, and where SQL must read a
number out of text (the rules, the operands and declared values of metodi_calcolo) the validation first rewrites the
number with `plain_number_text`, a form the SQL's plain cast reads to the same value.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_CURRENCY_AND_SPACES = re.compile(r"[€\s\u00a0]")
_THOUSANDS_ONLY = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
# what float() may read once separators are settled: no 'inf', 'nan', 'infinity' or '1_000', which float() accepts
_PLAIN_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

# The magnitudes a figure of a performance report can have. Beyond them a value is a typing or export slip (1e309,
# 5,55e-17 left by a subtraction in Excel), and a ratio of two such values would overflow to infinity, which no
# page can show: with both bounds every product and ratio the SQL computes stays finite.
NUMERO_MAX = 1e12  # mille miliardi
NUMERO_MIN = 1e-6  # un milionesimo, for a value other than zero


class NumberError(ValueError):
    """A text that is not a number; str() is an Italian sentence naming the text."""


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
        return _finite(float(value), value)
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
    if not _PLAIN_FLOAT.match(text):
        raise NumberError(f"'{value}' non è un numero")
    return _finite(float(text), value)


def _finite(number: float, written) -> float:
    if not math.isfinite(number):  # '1e309' reads as infinity: too big for any figure
        raise NumberError(f"'{written}' è un numero troppo grande")
    return number


def magnitude_problem(number: float, written=None) -> str | None:
    """Why a finite number cannot be a figure of the report (Italian, quoting `written` if given), or None."""
    shown = str(written).strip() if written is not None else f"{number:.6g}".replace(".", ",")
    if abs(number) > NUMERO_MAX:
        return f"'{shown}' è un numero troppo grande: il massimo ammesso è 1.000.000.000.000 (mille miliardi)"
    if number != 0 and abs(number) < NUMERO_MIN:
        return (f"'{shown}' è troppo vicino a zero (il minimo ammesso, in valore assoluto, è 0,000001): "
                "scrivere 0 oppure il valore giusto")
    return None


def plain_number_text(number: float) -> str:
    """The number as plain Italian text, with every digit and no thousands separator: 1234.5 -> '1234,5',
    1e-05 -> '0,00001'. `parse_number` reads it back exactly, and so does SQL's
    CAST(replace(replace(text, '.', ''), ',', '.') AS DOUBLE), with or without the first replace."""
    text = format(Decimal(repr(float(number) + 0.0)), "f")  # + 0.0: no '-0'
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


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


# Written for "no value" (pandas' list of such texts, lower case): a VA or VR written so is absent, not a milestone
# judged in words (which 'N/A' would pass as reached). The reader no longer blanks them itself, so that 'nan' in a
# number column is refused instead of read as empty; here they keep their old meaning, in .xlsx and .csv alike.
NOT_AVAILABLE = frozenset({"n/a", "na", "nan", "-nan", "null", "none", "<na>", "#na", "#n/a n/a", "1.#ind", "-1.#ind",
                           "1.#qnan", "-1.#qnan"})


def parse_target(text, is_expected: bool) -> ParsedValue:
    """Parse a VA ('>=80%', '<=20 giorni', '4') or VR ('= 137,56%', '34 (come da calendario agli atti)').

    A text that starts like a number or an operator must be a well formed value; any other text is a
    qualitative milestone ('Rispetto delle tempistiche ...'). A VA written without an operator is read as
    '>=' (a minimum, as the report uses bare counts: VA 4 masterclass); the parsed row says it was implied.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip().lower() in NOT_AVAILABLE | {""}:
        return ParsedValue("assente")
    if isinstance(text, (int, float)):
        try:
            number = parse_number(text)
        except NumberError:
            raise ValueParseError(str(text)) from None
        return ParsedValue("numerico", ">=" if is_expected else None, is_expected, number, None)
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


def plain_target_text(text: str) -> str:
    """A VA/VR-like text with its number rewritten by `plain_number_text` ('= 1.234,5%' -> '= 1234,5%', '12.5%' ->
    '12,5%'), everything else as written; a text that is not a numeric value is returned unchanged. SQL reads the
    declared value of a method by taking the first number of the text (queries/intermediate/int_ricalcolo.sql)."""
    match = _VALUE.match(text)
    if not match or not _LOOKS_NUMERIC.match(text):
        return text
    number = parse_number(match["num"])
    start, end = match.span("num")
    return text[:start] + plain_number_text(number) + text[end:]


# ------------------------------------------------------------------ text

# Excel's error values: a cell that holds one is an error (a formula that failed, or a value pasted from one), never
# an empty cell or a text. The reader writes the code of an error cell in the cell; CSV files exported by Excel hold
# the code as text.
EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#GETTING_DATA")


def excel_error(value) -> str | None:
    """The Excel error value `value` is ('#DIV/0!'), or None."""
    if isinstance(value, str) and value.strip()[:1] == "#":
        code = value.strip().upper()
        return code if code in EXCEL_ERRORS else None
    return None


# Unicode's control (Cc) and format (Cf) characters as of Unicode 14 (Python 3.11-3.13), less tab, line feed and
# carriage return, which are text; one regular expression, because it runs on every cell (tests/test_parsing.py
# checks it against unicodedata).
_INVISIBLE_CLASS = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
                    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
                    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_INVISIBLE = re.compile(f"[{_INVISIBLE_CLASS}]")
# a cell that may need a closer look: an Excel error (it starts with '#') or an invisible character
SUSPECT_CELL = re.compile(f"^\\s*#|[{_INVISIBLE_CLASS}]")


def invisible_character(text: str) -> str | None:
    """The first character of `text` that cannot be seen or that steers the display: a control character (C0 but
    tab and line breaks, DEL, C1) or a format character (zero-width spaces and joiners, U+2060, U+FEFF, the
    bidirectional marks and overrides U+200E-U+200F, U+202A-U+202E, U+2066-U+2069, the soft hyphen, ...). Two
    texts that differ only by one look the same and are not equal; a bidi override shows a text backwards."""
    found = _INVISIBLE.search(text)
    return found.group() if found else None


_CHARACTER_NAMES = {
    "\x00": "carattere nullo NUL", "\t": "tabulazione", "\u00ad": "trattino morbido invisibile",
    "\u200b": "spazio a larghezza zero", "\u200c": "separatore a larghezza zero", "\u200d": "unione a larghezza zero",
    "\u2060": "unione di parola invisibile", "\ufeff": "spazio a larghezza zero, BOM",
}


def describe_character(ch: str) -> str:
    """'U+200B (spazio a larghezza zero)': a character as people can look it up."""
    code = f"U+{ord(ch):04X}"
    if ch in _CHARACTER_NAMES:
        name = _CHARACTER_NAMES[ch]
    elif "\u200e" <= ch <= "\u200f" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069" or ch == "\u061c":
        name = "segno invisibile di direzione del testo"
    elif unicodedata.category(ch) == "Cc":
        name = "carattere di controllo"
    elif unicodedata.category(ch) == "Cf":
        name = "carattere invisibile di formato"
    else:
        name = unicodedata.name(ch, "").lower() or "carattere"
    return f"{code} ({name})"


def normalize_text(text: str, single_line: bool) -> str:
    """NFC (an accented letter typed or pasted is one code point either way), trimmed; `single_line` also collapses
    every run of white space, line breaks included, to one space (codes, names, choices)."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if single_line:
        return " ".join(text.split())
    return text.replace("\r\n", "\n").strip()


def key_fold(text: str) -> str:
    """The form two keys are compared in to find look-alikes: compatibility-normalised (full-width letters, ligatures)
    and case-folded. 'cciaa di cremona' and 'CCIAA di Cremona' fold the same. ASCII text is its own NFKC form and
    case-folds as it lower-cases: one C call for the usual code or name."""
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKC", text).casefold()


def _script(ch: str) -> str:
    if ch in "ªº":  # Italian ordinals (1º, 2ª): Latin
        return "LATIN"
    name = unicodedata.name(ch, "")
    return "LATIN" if "LATIN" in name.split() else (name.split()[0] if name else "?")


def non_latin_letter(text: str) -> str | None:
    """The first letter of `text` that is not Latin (Cyrillic «о», Greek «ο», ...), or None. Codes and names of
    chambers are written in Latin letters; a Cyrillic «о» in one looks exactly like an «o» and is another key."""
    if text.isascii():
        return None
    return next((ch for ch in text if ch.isalpha() and _script(ch) != "LATIN"), None)


_WORD = re.compile(r"[^\W\d_]+")


def mixed_script_letter(text: str) -> str | None:
    """The first Cyrillic or Greek letter inside a word that also has Latin letters («tоtale» with a Cyrillic «о»),
    or None. A Greek letter standing alone, as a symbol («Δ spesa»), is not a look-alike."""
    if text.isascii():
        return None
    for word in _WORD.findall(text):
        scripts = {_script(ch) for ch in word}
        if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
            return next(ch for ch in word if _script(ch) in ("CYRILLIC", "GREEK"))
    return None


def script_name(ch: str) -> str:
    """'cirillica', 'greca', ... for a message."""
    return {"CYRILLIC": "cirillica", "GREEK": "greca", "ARMENIAN": "armena", "CHEROKEE": "cherokee"}.get(_script(ch), "non latina")
