"""Tables as Italians read them. The grid receives the numbers as numbers (so that a click on a heading sorts them
as numbers), with the Italian heading and the format of each column from cruscotto.present.labels; a missing value
is drawn «—». Text is always text: nothing is rendered as HTML.

The grid formats numbers in the language of the browser (Streamlit's "localized", "euro" and "percent" formats use
Intl.NumberFormat with navigator.languages): an Italian browser shows 1.234,56 · 89,14% · 18.978,38 €. Exports and
every other number on a page are Italian whatever the browser, and so is the copy of each table that only the
printer sees (ui/printing.py: the grid prints only the rows in view).

A small read-only summary that nobody needs to sort can be a plain HTML table instead (`sortable=False`): one
Markdown table, every row in view, numbers Italian whatever the browser, «—» for a missing value, read by screen
readers as a real table at once. One Markdown element, not st.table: st.table renders each cell as Markdown of its
own (the Panoramica's two tables were 135 of them), and that rendering kept the browser's main thread from plotly's
code when a session opens (bench/bench_browser.py, 03/12: the Panoramica's first chart 141 ms sooner, its page switch
38 ms).

What a grid costs the browser (bench/bench_browser.py, minimal app): its canvas is painted 20-60 ms after it mounts,
but its copy for screen readers (glide-data-grid's hidden role="grid" table) is written through a 200 ms debounce
that restarts while the grid settles, 250-350 ms after, for one grid or three alike; and the first grid of a session
loads the grid's code (0,5 MB of JavaScript). No st.dataframe option changes either (height, widths,
row height, index, formats, styling, number of rows or columns: all measured). A page whose tables are all plain is
complete when it is seen, and one that comes first in a session (the Panoramica) does not wait for the grid's code.
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from cruscotto.present import charts, formatting, labels, text
from cruscotto.present.formatting import NOT_A_NUMBER
from ui import printing

EMPTY = "Nessuna riga con i filtri scelti: allargare i filtri nella barra laterale."
STATUS_COLUMN = "stato"  # drawn in the colour of its status (the charts and the legend use the same colours)
# Grid formats per kind (Streamlit NumberColumn): (format, step); the step fixes the decimals shown.
_NUMBER_FORMATS = {
    "euro": ("euro", None),          # two decimals
    "percent": ("percent", 0.0001),  # of a fraction: 0.8914 -> 89,14%
    "integer": ("localized", 1),
    "number": ("localized", 0.01),
    "auto": ("localized", None),     # decimals only where the value has some
    "year": ("%d", None),            # 2019, not 2.019
    "code": ("%d", None),
}


def _column(label: labels.Label, series: pd.Series):
    """The st.column_config of one column: its heading, width, help, and the format of its kind."""
    common = dict(label=label.heading, width=label.width, help=label.help, pinned=label.pinned or None)
    numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
    if label.kind in _NUMBER_FORMATS and numeric:
        number_format, step = _NUMBER_FORMATS[label.kind]
        return st.column_config.NumberColumn(**common, format=number_format, step=step)
    if label.kind == "date":
        return st.column_config.DatetimeColumn(**common, format="DD/MM/YYYY HH:mm")
    if label.kind == "link":
        return st.column_config.LinkColumn(**common, display_text=label.link_text)
    return st.column_config.TextColumn(**common)


def grid_values(frame: pd.DataFrame, found: dict[str, labels.Label]) -> pd.DataFrame:
    """The values the grid receives, still numbers: percentages as fractions (the grid's percent format multiplies
    by 100), and what is not a finite number (a stored infinity) missing, so that it is drawn «—» too."""
    out = frame.copy()
    for column, label in found.items():
        series = out[column]
        if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_float_dtype(series):
            series = series.where(series.abs() != math.inf)
        out[column] = series / 100 if label.kind == "percent" else series
    return out


def printed(frame: pd.DataFrame, found: dict[str, labels.Label]) -> pd.DataFrame:
    """The table as paper shows it: the headings, every value written the Italian way (formatting.of_kind)."""
    return pd.DataFrame({found[c].heading: [formatting.of_kind(v, found[c].kind) for v in frame[c]]
                         for c in frame.columns}, index=frame.index)


def plain(frame: pd.DataFrame, found: dict[str, labels.Label]):
    """`frame` as a plain table written as paper writes it (printed()): numbers right-aligned, the status in its
    badge (the legend's colours). One Markdown table (see the module's docstring): every heading and value made inert
    for Markdown (text.md also escapes the «|» that would split a cell)."""
    return st.markdown(markdown_table(frame, found))


def markdown_table(frame: pd.DataFrame, found: dict[str, labels.Label]) -> str:
    """The Markdown of plain(): a GitHub table, numeric columns aligned right, an empty cell as «—»."""
    written = printed(frame, found)
    numeric = [found[c].kind in _NUMBER_FORMATS and pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    def cell(column: str, value: str) -> str:
        badge = column == STATUS_COLUMN and value in charts.STATUS_BADGE_COLOURS
        return charts.status_badge(value) if badge else text.md(value)

    cells = pd.DataFrame({text.md(heading): [cell(column, v) for v in written[heading]]
                          for column, heading in zip(frame.columns, written.columns)})
    return markdown_of(cells, numeric)


def markdown_of(cells: pd.DataFrame, right: list[bool]) -> str:
    """A GitHub table of `cells`, headings and values already inert Markdown (text.md); `right`: which columns are
    aligned right (numbers); an empty cell reads «—»."""
    lines = ["| " + " | ".join(cells.columns) + " |", "| " + " | ".join("---:" if r else "---" for r in right) + " |"]
    lines += ["| " + " | ".join(v or NOT_A_NUMBER for v in row) + " |" for row in cells.itertuples(index=False)]
    return "\n".join(lines)


def show(frame: pd.DataFrame, scope: str | None = None, *, empty: str | None = None,
         column_config: dict | None = None, sortable: bool = True, **kwargs):
    """st.dataframe of `frame` (columns as the queries name them) with headings and formats from the labels; an
    empty frame says why instead of drawing an empty grid. `column_config` adds to or hides (None) columns, by their
    query names. `scope` picks the labels of one table where a name means something else (labels.SCOPES).
    `sortable=False`: a small read-only summary drawn as a plain HTML table (plain(); see the module's docstring),
    which takes no grid options."""
    if frame.empty:
        st.info(empty or EMPTY)
        return None
    found = labels.of(frame, scope)
    if not sortable:
        if column_config or kwargs:
            raise TypeError(f"a plain table takes no grid options: {sorted((column_config or {}) | kwargs)}")
        return plain(frame, found)
    config = {c: _column(found[c], frame[c]) for c in frame.columns} | (column_config or {})
    grid = grid_values(frame, found)
    printing.table(printed(frame.head(printing.MAX_PRINTED_ROWS), found),  # every row in view on paper, not the grid's
                   {found[c].heading: cfg for c, cfg in config.items() if c in found}, rows=len(frame))
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("placeholder", NOT_A_NUMBER)  # a missing value reads «—», never «None»
    if STATUS_COLUMN in grid.columns and grid.size <= pd.get_option("styler.render.max_elements"):
        grid = grid.style.map(charts.status_cell_style, subset=[STATUS_COLUMN]).format(na_rep=NOT_A_NUMBER)
    return st.dataframe(grid, column_config=config, **kwargs)
