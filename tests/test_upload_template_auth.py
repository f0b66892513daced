"""The template is derived from the schema; the editor password is a salted hash compared in constant time."""
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd

from cruscotto import auth
from cruscotto.cli import main
from cruscotto.ingest import template
from cruscotto.ingest.reader import read_bytes
from cruscotto.ingest.validate import validate
from cruscotto.present.workbook import to_xlsx
from cruscotto.store.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent


def test_template_has_instructions_one_sheet_per_table_and_drop_downs():
    book = openpyxl.load_workbook(io.BytesIO(template.build_template()))
    assert book.sheetnames == ["istruzioni", *[t.name for t in TABLES], "elenchi"]
    instructions = [[c.value for c in row] for row in book["istruzioni"].iter_rows()]
    explained = {(r[0], r[1]) for r in instructions if r[0] and r[1]}
    for table in TABLES:  # every column of every table is explained
        assert {(table.name, c.name) for c in table.columns} <= explained
        sheet = book[table.name]
        assert [c.value for c in sheet[1]] == table.column_names
        assert any(c.value not in (None, "") for c in sheet[2])  # an example row
        lists = {str(dv.sqref).split(":")[0][0]: dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"}
        for index, column in enumerate(table.columns):
            if column.choices:  # e.g. indicatori.tipo -> elenchi column with OUTCOME, STRATEGICO, ...
                letter = openpyxl.utils.get_column_letter(index + 1)
                source = lists[letter].replace("$", "").split("!")[1]
                values = [c.value for row in book["elenchi"][source] for c in row]
                assert values == list(column.choices)


def test_template_sheets_are_ignored_or_read_and_filled_template_validates():
    sheets = read_bytes(template.build_template(), "modello.xlsx")
    problems = validate(sheets).problems
    assert not [p for p in problems if p.sheet in ("istruzioni", "elenchi")]  # not warned about
    # the shipped data written with the template's headers validate without errors
    frames = {t.name: pd.read_csv(ROOT / "data" / f"{t.name}.csv", dtype=str, keep_default_na=False)
              for t in TABLES if (ROOT / "data" / f"{t.name}.csv").exists()}
    headers = {s.name: list(s.frame.columns) for s in sheets}
    for name, frame in frames.items():
        assert list(frame.columns) == headers[name]
    assert validate(read_bytes(to_xlsx(frames), "pieno.xlsx")).ok


def test_cli_template_writes_the_same_workbook(tmp_path, capsys):
    out = tmp_path / "modello.xlsx"
    assert main(["template", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "istruzioni"


def test_hash_and_verify():
    stored = auth.hash_password("correct horse battery")
    assert stored.startswith("scrypt$16384$8$1$")
    assert auth.verify("correct horse battery", stored)
    assert not auth.verify("correct horse batterY", stored)
    assert not auth.verify("", stored)
    assert stored != auth.hash_password("correct horse battery")  # salted
    assert not auth.verify("x", "scrypt$3$8$1$AAAA$AAAA")  # malformed: n not a power of two -> matches nothing


def test_config_from_env_then_secrets_then_nothing(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    monkeypatch.delenv(auth.LOCAL_MODE_ENV, raising=False)
    nothing = auth.editor_config(secrets)
    assert nothing.read_only and not nothing.local_mode and not auth.is_editor("", nothing)
    stored = auth.hash_password("dal-file-secrets")
    secrets.write_text(f'[cruscotto]\neditor_password_hash = "{stored}"\n', encoding="utf-8")
    config = auth.editor_config(secrets)
    assert config.hash == stored and not config.local_mode
    assert auth.is_editor("dal-file-secrets", config) and not auth.is_editor("altro", config)
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password("da-ambiente-2020"))
    assert auth.is_editor("da-ambiente-2020", auth.editor_config(secrets))
    monkeypatch.setenv(auth.ENV_VAR, "rotto")
    broken = auth.editor_config(secrets)
    assert broken.problem and not broken.local_mode and not auth.is_editor("rotto", broken)


def test_cli_hash_password_from_stdin():
    result = subprocess.run([sys.executable, "-m", "cruscotto", "hash-password", "--stdin"], input="una-password-lunga\n",
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0
    assert auth.verify("una-password-lunga", result.stdout.strip())
    short = subprocess.run([sys.executable, "-m", "cruscotto", "hash-password", "--stdin"], input="corta\n",
                           capture_output=True, text=True, cwd=ROOT)
    assert short.returncode == 1 and "almeno 12 caratteri" in short.stderr


def test_the_template_uploaded_unchanged_is_refused_row_by_row_as_examples():
    # every table sheet of the template has one example row (row 2), whose ente starts with «(esempio)»: left in
    # place it would be loaded as data, so each one is named as the example to replace
    problems = [p for p in validate(read_bytes(template.build_template(), "modello.xlsx")).errors
                if "riga di esempio del modello" in p.message]
    assert sorted(p.sheet for p in problems) == sorted(t.name for t in TABLES)
    assert {(p.row, p.column) for p in problems} == {(2, "ente")}
