"""Italian numbers and VA/VR values, as the report and Italian Excel write them."""
import pytest

from cruscotto.ingest.parsing import NumberError, ValueParseError, parse_number, parse_target


@pytest.mark.parametrize("text, expected", [
    ("1.234,56", 1234.56),
    ("€ 18.978,38", 18978.38),   # costi postali 2019, as in the report (r. 1847)
    ("137,56%", 137.56),          # VR of the pratiche evase indicator
    ("13,49", 13.49),
    ("1.024.000", 1024000.0),     # 'circa € 1.024.000 investiti' (r. 199)
    ("18.978", 18978.0),          # Italian file: a dot before three digits separates thousands
    ("0", 0.0),
    (" ", None),
    (42, 42.0),
])
def test_italian_numbers(text, expected):
    assert parse_number(text) == expected


def test_dot_decimal_files_read_dots_as_decimals():
    assert parse_number("18978.38", decimal=".") == 18978.38
    assert parse_number("18.978", decimal=".") == 18.978


@pytest.mark.parametrize("text", ["60,464,10", "dodici", "1.2.3", "12a"])
def test_malformed_numbers_are_refused(text):
    # '€ 60,464,10' is how r. 528 prints a sum: two commas cannot be read safely
    with pytest.raises(NumberError):
        parse_number(text)


@pytest.mark.parametrize("text, op, implied, number, unit", [
    (">=80%", ">=", False, 80.0, "%"),
    (">= 80 %", ">=", False, 80.0, "%"),
    ("<=20 giorni", "<=", False, 20.0, "giorni"),
    ("<=100%", "<=", False, 100.0, "%"),
    ("4", ">=", True, 4.0, None),  # a bare count target is a minimum, marked as implied
])
def test_expected_values(text, op, implied, number, unit):
    parsed = parse_target(text, is_expected=True)
    assert (parsed.tipo, parsed.operatore, parsed.operatore_implicito, parsed.numero, parsed.unita) == ("numerico", op, implied, number, unit)


@pytest.mark.parametrize("text, number, unit", [
    ("= 137,56%", 137.56, "%"),
    ("= 3 giorni", 3.0, "giorni"),
    ("34 (come da calendario agli atti)", 34.0, None),
    ("= 0%", 0.0, "%"),
])
def test_reached_values(text, number, unit):
    parsed = parse_target(text, is_expected=False)
    assert (parsed.tipo, parsed.numero, parsed.unita) == ("numerico", number, unit)


def test_milestones_are_qualitative_and_blank_is_absent():
    assert parse_target("Rispetto delle tempistiche e degli indicatori di progetto", True).tipo == "qualitativo"
    assert parse_target("Il progetto si è svolto regolarmente", False).tipo == "qualitativo"
    assert parse_target("", False).tipo == "assente"


@pytest.mark.parametrize("text", [">= ottanta", ">=80 %%", "= 1,2,3%"])
def test_numeric_looking_values_that_do_not_parse_are_errors(text):
    with pytest.raises(ValueParseError):
        parse_target(text, True)


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "nan", "NaN", "1e309", "1_000", float("inf"), float("-inf")])
def test_non_finite_numbers_are_refused(value):
    # float() reads all of these; a page cannot show infinity (before: accepted, then the pages broke)
    with pytest.raises(NumberError):
        parse_number(value)


@pytest.mark.parametrize("number", [0.0, 1234.5, -3.25, 1e-06, 1e12, 137.56, 0.1 + 0.2, 2 / 3])
def test_plain_number_text_reads_back_the_same_in_python_and_in_sql(number):
    import duckdb

    from cruscotto.ingest.parsing import plain_number_text

    text = plain_number_text(number)
    assert "e" not in text and "." not in text  # no exponent, no thousands separator: the decimal comma only
    assert parse_number(text) == number
    con = duckdb.connect()
    sql = "SELECT CAST(replace(replace(?, '.', ''), ',', '.') AS DOUBLE), TRY_CAST(replace(?, ',', '.') AS DOUBLE)"
    assert con.execute(sql, [text, text]).fetchone() == (number, number)


def test_invisible_and_control_characters_are_found_and_named():
    from cruscotto.ingest.parsing import describe_character, invisible_character

    assert invisible_character("riga uno\nriga due\tcon tab\r\n") is None  # line breaks and tabs are text
    assert invisible_character("Competitività") is None
    for ch, name in (("\x00", "U+0000 (carattere nullo NUL)"), ("\x1b", "U+001B (carattere di controllo)"),
                     ("\x9b", "U+009B (carattere di controllo)"), ("\u200b", "U+200B (spazio a larghezza zero)"),
                     ("\ufeff", "U+FEFF (spazio a larghezza zero, BOM)"), ("\u202e", "U+202E (segno invisibile di direzione del testo)"),
                     ("\u2067", "U+2067 (segno invisibile di direzione del testo)"), ("\u00ad", "U+00AD (trattino morbido invisibile)")):
        assert invisible_character(f"CCIAA{ch} di Cremona") == ch
        assert describe_character(ch) == name


def test_excel_errors_are_recognised_and_ordinary_hashes_are_not():
    from cruscotto.ingest.parsing import EXCEL_ERRORS, excel_error

    assert [excel_error(code) for code in ("#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!")] == \
        ["#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]
    assert excel_error(" #n/a ") == "#N/A" and "#SPILL!" in EXCEL_ERRORS
    assert excel_error("#1 in classifica") is None and excel_error("N/A") is None and excel_error(7) is None


def test_look_alike_letters_in_keys():
    from cruscotto.ingest.parsing import key_fold, mixed_script_letter, non_latin_letter

    assert non_latin_letter("CCIAA di Forlì-Cesena 1º") is None  # accents and Italian ordinals are Latin
    assert non_latin_letter("CCIAA di Crem\u043ena") == "\u043e"  # Cyrillic о
    assert non_latin_letter("2019_01-\u0399\u0031") == "\u0399"  # Greek Ι
    assert mixed_script_letter("Spesa t\u043etale") == "\u043e" and mixed_script_letter("Δ spesa") is None
    assert key_fold("CCIAA di Cremona") == key_fold("cciaa DI CREMONA") == key_fold("ＣＣＩＡＡ di Cremona")


def test_key_fold_of_ascii_and_of_other_text():
    import unicodedata

    from cruscotto.ingest.parsing import key_fold

    assert key_fold("Obiettivo_A1-I2") == "obiettivo_a1-i2"  # ASCII: lower case, nothing else changes
    assert key_fold("ＣＣＩＡＡ") == "cciaa"  # full-width letters: NFKC makes them ASCII
    assert key_fold("Straße") == "strasse" and key_fold("FORLÌ") == "forlì"  # case folding, not lower(): ß is ss
    # every ASCII character folds as the full NFKC and case folding would fold it
    every = "".join(map(chr, range(128)))
    assert key_fold(every) == unicodedata.normalize("NFKC", every).casefold()


def test_the_invisible_characters_expression_is_unicodes_control_and_format_characters():
    # the expression is written out for speed; on a Python with a newer Unicode this says which characters to add
    import sys
    import unicodedata

    from cruscotto.ingest.parsing import invisible_character

    differ = [f"U+{c:04X}" for c in range(sys.maxunicode + 1)
              if (unicodedata.category(chr(c)) in ("Cc", "Cf") and chr(c) not in "\t\n\r") != (invisible_character(chr(c)) is not None)]
    assert differ == []
