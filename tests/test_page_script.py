"""The script ui/documento.py puts in every page, beyond the words (tests/test_words.py): what it loads ahead."""
from __future__ import annotations

import re

from ui import documento


def test_the_page_script_loads_the_highlighter_of_code_blocks_ahead():
    """st.code (the report's lines quoted on «Indicatori» and «Verifica») loads its highlighter, 1,5 MB of JavaScript,
    on the first page of a session that shows one; the page script loads it once the first page is drawn. The chunk
    it names must be the one Streamlit's own bundle imports (the name carries a hash that changes with Streamlit)."""
    index = (documento.STATIC_JS.parent.parent / "index.html").read_text()
    bundle = (documento.STATIC_JS / re.search(r'src="\./static/js/([^"]+)"', index).group(1)).read_text()
    assert documento.PRELOAD == [name for name in documento.PRELOAD if name in bundle]
    assert any(name.startswith("StreamlitSyntaxHighlighter.") for name in documento.PRELOAD)
    assert all(f'"{name}"' in documento.script() for name in documento.PRELOAD)
