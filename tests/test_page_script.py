"""The script ui/documento.py puts in every page, beyond the words (tests/test_words.py): what it loads ahead."""
from __future__ import annotations

import re

from ui import documento


def test_the_page_script_loads_the_grid_and_the_controls_ahead():
    """The grid (st.dataframe: the first page of a session with a table waited 400-600 ms for its code) and the
    controls the first page does not show (the text search of Indicatori, the slider of Andamenti, the radio buttons
    of Responsabili...: each fetched while the server ran the first page that shows it) are fetched and compiled once
    the first page is drawn. Each chunk named must be a file that Streamlit's own bundle imports (the name carries a
    hash that changes with Streamlit), with the files it imports and the grid's style sheet; the script carries
    every name."""
    index = (documento.STATIC / "index.html").read_text()
    bundle = (documento.STATIC_JS / re.search(r'src="\./static/js/([^"]+)"', index).group(1)).read_text()
    chunk = documento.PRELOAD
    names = [module.split(".")[0] for module in chunk["modules"]]
    assert names == ["DataFrame", "TextInput", "Slider", "Radio", "Button", "NumberInput", "Checkbox"]
    assert all(module in bundle and module in chunk["files"] for module in chunk["modules"])
    assert len(chunk["files"]) > len(chunk["modules"]) and len(set(chunk["files"])) == len(chunk["files"])
    assert all((documento.STATIC_JS / name).is_file() for name in chunk["files"])
    assert chunk["styles"] and all((documento.STATIC_JS / name).resolve().is_file() for name in chunk["styles"])
    assert all(f'"{name}"' in documento.script() for name in chunk["files"] + chunk["styles"])


def test_the_grid_is_evaluated_one_file_at_a_time_after_the_files_it_imports():
    """The grid's files are also evaluated ahead, one at a time (a switch made meanwhile waits for one file, not for
    1,8 MB of JavaScript): every file of its chunk once, each after the files it imports, the grid itself last."""
    import json

    manifest = json.loads((documento.STATIC / "manifest.json").read_text())
    file_of = {value["file"].removeprefix("static/js/"): key for key, value in manifest.items() if "file" in value}
    order = documento.PRELOAD["order"]
    assert order[-1] == documento.PRELOAD["modules"][0] and len(set(order)) == len(order) > 1
    assert set(order) <= set(documento.PRELOAD["files"])
    for position, name in enumerate(order):
        imported = {manifest[key]["file"].removeprefix("static/js/") for key in manifest[file_of[name]].get("imports", [])
                    if key != "index.html"}
        assert not imported & set(order[position:]), name


def test_no_page_draws_a_code_block():
    """st.code loads a 1,5 MB highlighter on the first page that shows one: the report's lines are quoted as plain
    text (ui/fonte.py), and nothing else in the app needs a code block."""
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    sources = [p for folder in ("pages", "ui") for p in (root / folder).rglob("*.py")] + [root / "app.py"]
    assert [p.name for p in sources if re.search(r"\bst\.code\(", p.read_text())] == []


def _scripts(at) -> list[str]:
    """The bodies of the st.html elements that carry a script (the document's own, not the printed copies)."""
    return [node.proto.body for node in at._tree if type(node).__name__ == "Html" and "<script>" in node.proto.body]


def test_the_document_scripts_come_with_the_first_run_of_a_session_only(app):
    """lang="it", the Italian words and the print stylesheet are installed in the browser's window by the first run
    of a session and stay there (ui/page.first_run_of_session): a page switch does not send them again, and the
    print stylesheet travels with its script (it is no element of its own any more)."""
    at = app()
    bodies = _scripts(at)
    assert any('root.lang = "it"' in body for body in bodies)
    assert any("cruscotto-stampa-css" in body and "@media print" in body for body in bodies)
    at.switch_page("pages/indicatori.py").run()
    assert not at.exception and _scripts(at) == []


def test_a_run_cut_short_by_a_rerun_sends_the_document_scripts_again():
    """A run interrupted by st.rerun may never have reached the browser: the next run sends the scripts again; once
    a run has ended, later runs do not."""
    from streamlit.testing.v1 import AppTest

    def script():
        import streamlit as st

        from ui import page

        with page.first_run_of_session() as first:
            st.session_state.setdefault("sent", []).append(first)
            if len(st.session_state["sent"]) == 1:
                st.rerun()

    at = AppTest.from_function(script).run()
    at.run()
    # first run: sent, cut by st.rerun; its rerun: sent again, ended; the next run: not sent
    assert at.session_state["sent"] == [True, True, False]
