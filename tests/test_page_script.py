"""The script ui/documento.py puts in every page, beyond the words (tests/test_words.py): the code of Streamlit's
elements it loads ahead, so that a page switch does not wait for it."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from ui import documento

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = json.loads(documento.MANIFEST.read_text())
# Elements whose manifest name is not the st function's name in snake case.
CALLED_AS = {"DataFrame": "dataframe", "StreamlitSyntaxHighlighter": "code"}


def _snake(name: str) -> str:
    return CALLED_AS.get(name) or re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_every_lazily_loaded_element_a_page_calls_is_loaded_ahead():
    """A page that shows, say, its first grid or its first code block (the report's lines quoted on «Indicatori»)
    waits for Streamlit's frontend to fetch and run that element's code (the highlighter alone is 1,5 MB). Every
    element whose code Streamlit's main bundle loads lazily (the dynamic imports in its build manifest) and that the
    app calls (`.name(` in app.py, pages/, ui/) must be in documento.ELEMENTS."""
    source = "\n".join(p.read_text() for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")])
    called = set(re.findall(r"\.(\w+)\(", source))
    lazy = {MANIFEST[key]["name"] for key in MANIFEST["index.html"]["dynamicImports"]}
    used = {name for name in lazy if _snake(name) in called}
    assert {"PlotlyChart", "DataFrame", "StreamlitSyntaxHighlighter", "Selectbox", "DownloadButton"} <= used
    assert used <= set(documento.ELEMENTS)
    assert set(documento.ELEMENTS) <= lazy  # no name that is not (or no longer) in Streamlit's manifest


def test_the_files_loaded_ahead_are_streamlits_own_from_its_manifest():
    """The names carry a hash that changes with Streamlit's version: they are read from its manifest, each exists, each
    element's module is one the main bundle imports, no file is fetched twice, and nothing the main bundle already
    loads is fetched again."""
    ahead = documento.AHEAD
    modules = [element["module"] for element in ahead]
    files = [name for element in ahead for name in element["files"]]
    assert len(modules) == len(documento.ELEMENTS)
    assert modules[0].startswith("DataFrame.")  # the grid first: most pages show one
    assert any(name.startswith("StreamlitSyntaxHighlighter.") for name in modules)
    assert all(element["module"] in element["files"] or element["module"] in files for element in ahead)
    assert len(files) == len(set(files)) > len(modules)  # their imports too, each once
    for name in files + [n for element in ahead for n in element["styles"] + element["fonts"]]:
        assert (documento.STATIC_JS / name).resolve().is_file(), name
    index = (documento.STATIC / "index.html").read_text()
    bundle = (documento.STATIC_JS / re.search(r'src="\./static/js/([^"]+)"', index).group(1)).read_text()
    assert all(f"./{name}" in bundle for name in modules)
    main_imports = {MANIFEST[key]["file"].removeprefix("static/js/") for key in MANIFEST["index.html"]["imports"]}
    assert not main_imports & set(files)
    grid = next(v for v in MANIFEST.values() if v.get("name") == "DataFrame" and v.get("css"))
    assert ahead[0]["styles"] == ["../css/" + Path(css).name for css in grid["css"]]
    code = ahead[modules.index(next(m for m in modules if m.startswith("StreamlitSyntaxHighlighter.")))]
    assert [Path(name).name.split(".")[0] for name in code["fonts"]] == ["SourceCodeVF-Upright"]


def test_the_list_follows_the_manifest_not_a_fixed_list():
    """Another Streamlit build (another hash in a file's name, another import) gives other names."""
    manifest = copy.deepcopy(MANIFEST)
    key = next(k for k in manifest["index.html"]["dynamicImports"] if manifest[k]["name"] == "PlotlyChart")
    manifest[key]["file"] = "static/js/PlotlyChart.NUOVO123.js"
    manifest[key]["imports"].append("_nuovo.esm.ABC.js")
    manifest["_nuovo.esm.ABC.js"] = {"file": "static/js/nuovo.esm.ABC.js", "name": "nuovo.esm"}
    plotly = next(element for element in documento._ahead(manifest) if "PlotlyChart" in element["module"])
    assert plotly["module"] == "PlotlyChart.NUOVO123.js"
    assert set(plotly["files"]) >= {"PlotlyChart.NUOVO123.js", "nuovo.esm.ABC.js"}


def test_the_script_survives_the_sanitiser_of_st_html():
    """st.html passes its body through DOMPurify, which deletes a whole script whose text has a tag-like `<x` or `</`
    or a template's `${`: the page would stay in English and load nothing ahead, with no error anywhere."""
    script = documento.script()
    assert script.strip().startswith("<script>") and script.strip().endswith("</script>")
    body = script.strip().removeprefix("<script>").removesuffix("</script>")
    assert not re.findall(r"<[/\w!?]", body)
    assert "${" not in body and "{{" not in body and "<%" not in body
    assert json.dumps(documento.AHEAD) in body
    assert "import(" in body and "modulepreload" in body
