"""The script ui/documento.py puts in every page, beyond the words (tests/test_words.py): what it loads ahead."""
from __future__ import annotations

import re

from ui import documento


def test_the_page_script_loads_the_grid_ahead():
    """The grid (st.dataframe: the first page of a session with a table waited 400-600 ms for its code) is fetched and
    compiled once the first page is drawn. The chunk it names must be a file that Streamlit's own bundle imports (the
    name carries a hash that changes with Streamlit), with the files it imports and its style sheet; the script
    carries every name."""
    index = (documento.STATIC / "index.html").read_text()
    bundle = (documento.STATIC_JS / re.search(r'src="\./static/js/([^"]+)"', index).group(1)).read_text()
    chunk = documento.PRELOAD
    assert chunk["module"].startswith("DataFrame.") and chunk["module"] in bundle
    assert chunk["module"] in chunk["files"] and len(chunk["files"]) > 1
    assert all((documento.STATIC_JS / name).is_file() for name in chunk["files"])
    assert chunk["styles"] and all((documento.STATIC_JS / name).resolve().is_file() for name in chunk["styles"])
    assert all(f'"{name}"' in documento.script() for name in chunk["files"] + chunk["styles"])


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
