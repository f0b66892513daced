"""User text made inert wherever the product shows it: Streamlit's Markdown, plotly's labels, the terminal.

Data (an ente, a title, a file name) is text. Shown through a renderer it could become markup: a Markdown image
loads from any address, plotly draws `<a href>` links, a terminal obeys escape codes. Each renderer gets its one
function here, and every piece of data reaches that renderer through it (no streamlit here; the CSV cells are
neutralised by cruscotto.export.neutralise).

- `md`: for every Streamlit string that is read as Markdown: st.markdown, st.caption, st.write, titles and headers,
  alerts, the labels of expanders, buttons, metrics (label and value), tabs, status and toasts, and `help` tooltips.
  Streamlit (1.67) reads GitHub Markdown plus `:red[...]` colours, `:material/...:` icons, `:smile:` emoji and
  `$...$` LaTeX: every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them), so
  none of these can start; and bare addresses (http://…, www.…, name@host), which GitHub Markdown turns into links
  after escapes are resolved, get an invisible word joiner that breaks the pattern.
- `html`: for plotly's text (titles, axis and tick labels, legend names, hover text, annotations): plotly draws a
  subset of HTML (<a href>, <b>, <br>, <span style>, …) and decodes entities, so `&`, `<` and `>` become entities.
- `terminal`: for the command line: control characters (ESC and the rest of C0 except tab and newline, DEL, C1)
  and the bidirectional overrides that reorder a line are removed, so no escape code from data reaches a terminal.
"""
from __future__ import annotations

import contextlib
import html as _html
import re
import string
import sys

import pandas as pd

WORD_JOINER = "\u2060"  # invisible, not a space: the text reads and wraps as before
_MD_ESCAPES = {ord(c): "\\" + c for c in string.punctuation}
# GitHub's autolink literals: a scheme before ://, www. at a word start, the @ of an e-mail address.
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(?=://)|(?i:(?<=www))(?=\.)|(?<=@)")
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _as_text(value) -> str:
    if value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return ""
    return str(value)


def md(value) -> str:
    """`value` as literal text inside Streamlit Markdown: '![x](http://a/b.png)' shows exactly that, loads nothing.

    One line: newlines and runs of spaces become one space (Markdown would fold them anyway; a line break could
    start a heading or a list). None and NaN give ''."""
    text = _WHITESPACE.sub(" ", _CONTROL.sub("", _as_text(value)))
    return _AUTOLINK.sub(WORD_JOINER, text).translate(_MD_ESCAPES)


def html(value) -> str:
    """`value` as literal text in a plotly label: '<a href="x">y</a>' shows exactly that, no link."""
    return _html.escape(_CONTROL.sub("", _as_text(value)), quote=False)


def terminal(value) -> str:
    """`value` without control characters (tab and newline kept): what a terminal may safely print."""
    return _CONTROL.sub("", _as_text(value))


class _CleanStream:
    """A text stream that passes everything written through `terminal` to the stream it wraps.

    One exception: a carriage return that opens a write (`print(f"\\r{done}/{total}")`, a progress line redrawn in
    place) is the program's own, not the data's, and is kept."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        lead = "\r" if text.startswith("\r") else ""
        self._stream.write(lead + terminal(text[len(lead):]))
        return len(text)

    def __getattr__(self, name):  # flush, fileno, encoding, isatty, ...
        return getattr(self._stream, name)


@contextlib.contextmanager
def clean_output():
    """While inside, whatever is printed to stdout or stderr goes through `terminal` (the CLI wraps each command)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _CleanStream(saved[0]), _CleanStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
