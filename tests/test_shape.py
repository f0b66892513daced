"""Tests that keep the shape of the code and its documentation true (like datasette's test_docs.py).

They read the source as text or syntax trees: nothing here runs the app.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cruscotto.store import models
from cruscotto.store.schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
PY_DIRS = ("cruscotto", "ui", "pages")


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    """Top-level module names a file imports (absolute imports only; relative ones stay inside the package)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _python_files("cruscotto"), ids=lambda p: str(p.relative_to(ROOT)))
def test_logic_never_imports_streamlit(path):
    assert not {n for n in _imports(path) if n.split(".")[0] == "streamlit"}, \
        f"{path.relative_to(ROOT)} imports streamlit: logic belongs in cruscotto/ without UI"


@pytest.mark.parametrize("path", _python_files("pages"), ids=lambda p: p.name)
def test_pages_run_no_sql(path):
    """A page lays out: no database driver, no query runner, no SQL text of its own."""
    imports = _imports(path)
    assert not {n for n in imports if n.split(".")[0] == "duckdb"}, f"{path.name} imports duckdb"
    assert not imports & {"cruscotto.store.database", "cruscotto.store.queries"}, f"{path.name} queries the store"
    assert not re.search(r"^from cruscotto\.store import .*\b(database|queries)\b", path.read_text(encoding="utf-8"), re.M)
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\.execute\(|\bSELECT\s+[\w*]", source), f"{path.name} runs SQL"


@pytest.mark.parametrize("path", _python_files("pages"), ids=lambda p: p.name)
def test_pages_only_lay_out(path):
    """A page builds no table of its own: no pandas, no headings renamed, no formats listed (cruscotto/present/labels.py
    declares them), no st.dataframe or st.metric of its own (ui.tables.show, ui.page.figure), and it starts with the
    shared preamble (ui.page.start)."""
    source = path.read_text(encoding="utf-8")
    assert "pandas" not in _imports(path), f"{path.name} imports pandas"
    assert not re.search(r"\.rename\(|kinds\s*=|st\.dataframe\(|\.metric\(|st\.title\(", source), path.name
    assert "page.start(" in source, f"{path.name} does not start with ui.page.start()"


def _query_files() -> dict[str, Path]:
    """Page-facing queries by name (what queries.run accepts): every .sql outside staging/intermediate layers."""
    return {p.stem: p for p in QUERIES.glob("*.sql")}


def _layer_files() -> list[Path]:
    return sorted(p for p in QUERIES.rglob("*.sql") if p.parent != QUERIES and p.parent.name != "macros")


def _called_queries() -> dict[str, list[str]]:
    """Every literal query name passed to the query runner (query("x"), queries.run(con, "x")) in the code."""
    calls: dict[str, list[str]] = {}
    for path in _python_files("cruscotto", "ui", "pages", "bench"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func not in ("query", "run", "run_query", "cached_query"):
                continue
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and re.fullmatch(r"[a-z][a-z0-9_]+", arg.value):
                    calls.setdefault(arg.value, []).append(str(path.relative_to(ROOT)))
    return calls


def test_one_place_connects_to_duckdb():
    """Which store is opened, and how, is decided once (cruscotto/store/connection.py reads CRUSCOTTO_DB: a local
    file by default, MotherDuck only when configured, nothing downloaded): the app, the CLI, the pipeline, the
    benchmarks and the documentation scripts all go through it."""
    factory = ROOT / "cruscotto" / "store" / "connection.py"
    others = [str(p.relative_to(ROOT)) for p in _python_files(*PY_DIRS, "bench", "docs") + [ROOT / "app.py"]
              if p != factory and re.search(r"\bduckdb\.connect\(", p.read_text(encoding="utf-8"))]
    assert not others, f"duckdb.connect outside cruscotto/store/connection.py: {others}"


def test_every_query_called_exists():
    files = _query_files()
    missing = {name: where for name, where in _called_queries().items() if name not in files
               and name not in ("ente", "anno", "area", "obiettivo", "codice")}
    assert not missing, f"queries called but not in queries/: {missing}"


def test_every_query_file_is_used():
    called = set(_called_queries())
    unused = [name for name in _query_files() if name not in called]
    assert not unused, f"query files nobody runs: {unused}"
    sql = {p: p.read_text(encoding="utf-8") for p in QUERIES.rglob("*.sql")}
    for path in _layer_files():
        readers = [other for other, text in sql.items() if other != path and re.search(rf"\b{path.stem}\b", text)]
        assert readers, f"{path.relative_to(ROOT)} is a model no other SQL reads"


def _store_tables() -> set[str]:
    return {t.name for t in TABLES} | {"versioni", "regole_predefinite", "schema_info"}


def _models() -> dict:
    return {m.name: m for m in models.models()}


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.sql")), ids=lambda p: p.name)
def test_page_queries_read_only_staging_and_intermediate(path):
    """Like dbt: pages read the models (stg_*, int_*, and the Python models such as int_rilievi), never the store's
    tables, so a rule is written once."""
    read = models.relations(path.read_text(encoding="utf-8"))
    assert read, f"{path.name} reads nothing"
    assert read <= set(_models()) | set(models.PYTHON_MODELS), f"{path.name} reads {sorted(read - set(_models()))}: not a staging or intermediate model"


def test_staging_cleans_one_table_and_intermediate_reads_models():
    for name, model in _models().items():
        if model.layer == "staging":
            assert name.startswith("stg_") and len(model.depends) == 0, name
            assert models.relations(model.sql) == {name.removeprefix("stg_")} <= _store_tables(), f"{name}: one store table"
            assert model.materialized == "view", name
        else:
            assert name.startswith("int_") and model.depends, name
            assert models.relations(model.sql) <= set(_models()), f"{name} reads a store table: read its staging view"


@pytest.mark.parametrize("path", sorted(QUERIES.rglob("*.sql")), ids=lambda p: str(p.relative_to(QUERIES)))
def test_every_query_has_a_header(path):
    head = path.read_text(encoding="utf-8").splitlines()[:3]
    assert head and head[0].startswith("-- purpose:"), f"{path.name}: the first line says its purpose"


def _readme_cli_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Riga di comando")
    block = re.search(r"```bash\n(.*?)```", text[start:], re.S)
    return block.group(1)


def _cli_commands() -> list[str]:
    out = subprocess.run([sys.executable, "-m", "cruscotto", "--help"], capture_output=True, text=True, cwd=ROOT,
                         check=True).stdout
    section = out.split("COMANDO", 2)[2].split("esempi:")[0]
    return re.findall(r"^ {4}([a-z][a-z-]+)", section, re.M)


def test_readme_cli_block_matches_help():
    """Every command of `--help` has a line in the README's block, and the block names no command that is gone."""
    commands = _cli_commands()
    block = _readme_cli_block()
    in_block = set(re.findall(r"python -m cruscotto ([a-z][a-z-]+)", block))
    assert commands, "no command found in --help"
    assert set(commands) - in_block == set(), f"commands missing from the README: {set(commands) - in_block}"
    assert in_block - set(commands) == set(), f"README names commands that do not exist: {in_block - set(commands)}"


def _page_titles() -> list[str]:
    from ui.pages_spec import PAGES  # the one list app.py registers (no streamlit in that module)

    return [p.title for p in PAGES]


def test_every_script_in_pages_is_a_listed_page():
    from ui.pages_spec import PAGES

    assert sorted(p.path for p in PAGES) == sorted(f"pages/{p.name}" for p in _python_files("pages"))
    assert len({p.url_path for p in PAGES}) == len(PAGES) and sum(p.default for p in PAGES) == 1


def test_every_page_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    titles = _page_titles()
    assert titles, "no page found"
    undocumented = [t for t in titles if f"*{t}*" not in readme]
    assert not undocumented, f"pages the README does not describe: {undocumented}"
