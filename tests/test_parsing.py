"""Italian numbers and VA/VR values, as the report and Italian Excel write them."""
import pytest

from cruscotto.parsing import NumberError, ValueParseError, parse_number, parse_target


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
