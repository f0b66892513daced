"""Every page prints well from the browser's menu (Ctrl+P): a print stylesheet, a small script for the charts, and a
printable copy of every table.

- The stylesheet (`install()`, from app.py at the first run of a session: its script puts it in the document's head,
  where it stays for the whole session) hides the sidebar, the header, the buttons and the other
  widgets, lets the page flow over as many A4 sheets as it needs, keeps the KPI cards' words whole and keeps charts
  and table rows from being cut at a page edge.
- Plotly draws its charts at the width of the screen. Just before printing (`beforeprint`), the script gives each
  chart's SVG a viewBox so that it scales to the paper's width, and takes it back afterwards.
- On screen too, one rule set: the plain tables (`ui/tables.plain`, Markdown tables) drawn like Streamlit's st.table.
- Streamlit's table (glide data grid) is a canvas that only draws the rows in view: `table()` adds the same rows,
  Italian-formatted and escaped, as a plain HTML table that is hidden on screen and printed instead of the grid.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import streamlit as st

from ui.data import fingerprint

# Beyond this a printed page runs to dozens of sheets (and every run of the page sends the copy): the exports have
# every row.
MAX_PRINTED_ROWS = 1000

_CSS = """
.cruscotto-stampa { display: none; }
@media screen {
  [data-testid="stElementContainer"]:has(.cruscotto-stampa),
  [data-testid="stElementContainer"]:has(.cruscotto-script) { display: none; }
  /* the plain tables (ui/tables.plain, one Markdown table each) drawn as st.table draws its own: 14 px, close
     cells, and a box of their own that scrolls sideways when the table is wider than the page (a phone) */
  [data-testid="stMarkdownContainer"]:has(> table) { overflow-x: auto; }
  [data-testid="stMarkdownContainer"] > table { font-size: 0.875rem; line-height: 1.5; margin-bottom: 0.5rem; }
  [data-testid="stMarkdownContainer"] > table :is(th, td) { padding: 4px 6px; }
  [data-testid="stMarkdownContainer"] > table th { font-weight: 600; }
}
@media print {
  @page { size: A4; margin: 12mm 11mm 14mm 11mm; }
  html, body { background: #ffffff !important; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stBottom"],
  [data-testid="stButton"], [data-testid="stDownloadButton"], [data-testid="stPageLink"],
  [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stSlider"], [data-testid="stRadio"],
  [data-testid="stTextInput"], [data-testid="stFileUploader"], [data-testid="stElementToolbar"],
  [data-testid="stTooltipIcon"], [data-testid="stFullScreenFrame"] button,
  .modebar-container, [data-testid="stDataFrame"] {
    display: none !important;
  }
  /* element containers that held only a hidden widget take no room either */
  [data-testid="stElementContainer"]:has([data-testid="stButton"]),
  [data-testid="stElementContainer"]:has([data-testid="stDownloadButton"]),
  [data-testid="stElementContainer"]:has([data-testid="stDataFrame"]),
  [data-testid="stElementContainer"]:has(.cruscotto-script) { display: none !important; }
  /* the page flows over the sheets instead of scrolling inside the window */
  [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"], .stMain, .main {
    position: static !important; display: block !important; height: auto !important; min-height: 0 !important;
    overflow: visible !important; inset: auto !important;
  }
  [data-testid="stMainBlockContainer"] {
    max-width: none !important; width: auto !important; padding: 0 !important; margin: 0 !important;
  }
  /* KPI cards: as many per row as fit, each word whole */
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) { flex-wrap: wrap !important; gap: 3mm !important; }
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {
    flex: 1 1 40mm !important; min-width: 40mm !important; width: auto !important;
  }
  [data-testid="stMetric"] { break-inside: avoid; }
  [data-testid="stMetric"] * { word-break: normal !important; overflow-wrap: normal !important; hyphens: manual !important; }
  [data-testid="stMetricLabel"] p, [data-testid="stMetricLabel"] div { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
  [data-testid="stMetricValue"] div { white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
  /* charts and rows never cut at a page edge; headings stay with what follows */
  [data-testid="stPlotlyChart"], [data-testid="stMetric"], [data-testid="stAlert"] { break-inside: avoid; }
  /* the chart's boxes follow the scaled SVG (the script below) instead of keeping the screen's height */
  [data-testid="stElementContainer"]:has([data-testid="stPlotlyChart"]),
  [data-testid="stFullScreenFrame"]:has([data-testid="stPlotlyChart"]),
  [data-testid="stPlotlyChart"], [data-testid="stPlotlyChart"] div:not(.svg-container) { height: auto !important; }
  h1, h2, h3, h4 { break-after: avoid; }
  /* closed expanders print their content too (the objectives of «Aree strategiche»), their toggle does not */
  [data-testid="stExpander"] details::details-content { content-visibility: visible !important; display: block !important; }
  [data-testid="stExpander"] details > div { display: block !important; height: auto !important; }
  .cruscotto-stampa { display: block !important; }
  table.cruscotto-tabella { width: 100%; border-collapse: collapse; font-size: 8pt; margin: 0 0 2mm; }
  table.cruscotto-tabella thead { display: table-header-group; }
  table.cruscotto-tabella th { text-align: left; border-bottom: 0.8pt solid #5B6770; padding: 1mm 1.5mm; background: #EEF1F4; }
  table.cruscotto-tabella td { border-bottom: 0.4pt solid #DDE3EA; padding: 0.8mm 1.5mm; vertical-align: top;
                               white-space: pre-line; }
  table.cruscotto-tabella tr { break-inside: avoid; }
  /* the plain tables (Markdown, ui/tables.plain) printed as they are, at the paper's width */
  [data-testid="stMarkdownContainer"] > table { width: 100%; font-size: 8pt; border-collapse: collapse; }
  [data-testid="stMarkdownContainer"] > table thead { display: table-header-group; }
  [data-testid="stMarkdownContainer"] > table tr { break-inside: avoid; }
  [data-testid="stMarkdownContainer"] > table :is(th, td) { padding: 0.8mm 1.5mm; }
  .cruscotto-stampa p.cruscotto-nota { font-size: 8pt; color: #5B6770; }
}
"""

# Plotly's SVGs have a fixed width (the screen's): with a viewBox and width 100% they scale to the paper instead.
_SCRIPT = """
<div class="cruscotto-script"></div>
<script>
(() => {
  if (!document.getElementById("cruscotto-stampa-css")) {
    const style = document.createElement("style");
    style.id = "cruscotto-stampa-css";
    style.textContent = __CSS__;
    document.head.appendChild(style);
  }
  if (window.__cruscottoStampa) return;
  window.__cruscottoStampa = true;
  const charts = () => document.querySelectorAll('[data-testid="stPlotlyChart"] .svg-container');
  window.addEventListener('beforeprint', () => {
    charts().forEach((box) => {
      const svgs = box.querySelectorAll(':scope > svg.main-svg');
      if (!svgs.length) return;
      const w = parseFloat(svgs[0].getAttribute('width')), h = parseFloat(svgs[0].getAttribute('height'));
      if (!w || !h) return;
      box.dataset.stampa = box.getAttribute('style') || '';
      box.style.width = '100%';
      box.style.height = 'auto';
      box.style.aspectRatio = w + ' / ' + h;
      svgs.forEach((svg) => {
        svg.dataset.stampa = '1';
        svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
        svg.style.width = '100%';
        svg.style.height = '100%';
      });
    });
  });
  window.addEventListener('afterprint', () => {
    charts().forEach((box) => {
      if (box.dataset.stampa === undefined) return;
      box.setAttribute('style', box.dataset.stampa);
      delete box.dataset.stampa;
      box.querySelectorAll('svg[data-stampa]').forEach((svg) => {
        svg.removeAttribute('viewBox');
        svg.style.width = '';
        svg.style.height = '';
        delete svg.dataset.stampa;
      });
    });
  });
})();
</script>
"""


def script() -> str:
    """The script `install()` puts in the page: the stylesheet into the document's head, once, and the listeners."""
    return _SCRIPT.replace("__CSS__", json.dumps(_CSS))


def install(send: bool = True) -> None:
    """The print stylesheet and the chart script, for every page of the session (from app.py). What it installs stays
    in the browser's window, so it is sent at the session's first run only (`send`, ui/page.first_run_of_session) and
    the browser does not draw it again at every page switch; later runs put an empty placeholder in its place, so
    that the sidebar's widgets after it keep their position (a shift makes React mount each of them anew)."""
    with st.sidebar:  # the script's element sits in the sidebar, which is not printed
        if send:
            st.html(script(), unsafe_allow_javascript=True)
        else:
            st.empty()


def table(frame: pd.DataFrame, column_config: dict | None = None, rows: int | None = None) -> None:
    """The rows of a table as shown (already Italian-formatted), as an HTML table printed in place of the grid;
    `rows` is how many the table has when `frame` holds only the first MAX_PRINTED_ROWS of them.

    Every value is escaped (pandas' to_html escapes by default): user text is never read as HTML."""
    shown = frame.data if hasattr(frame, "data") else frame  # a Styler: its frame
    config = column_config or {}
    hidden = tuple(c for c, cfg in config.items() if cfg is None and c in shown.columns)
    patterns = tuple((c, p) for c, cfg in config.items() if (p := _display_pattern(cfg)) and c in shown.columns)
    total = max(rows or 0, len(shown))
    st.html(_html(fingerprint(shown, hidden, patterns, total), shown, hidden, patterns, total))


# The same rows give the same HTML: built once and shared by every session and run (pandas' to_html took 1-7 ms a
# table on every run, bench/bench_load.py), keyed by the content (ui.data.fingerprint), not by the data version: a
# page's filters and formats are in the rows already.
@st.cache_resource(show_spinner=False, max_entries=512)
def _html(key: str, _shown: pd.DataFrame, _hidden: tuple, _patterns: tuple, _total: int) -> str:
    shown, note = _shown, ""
    if _total > MAX_PRINTED_ROWS:
        note = (f'<p class="cruscotto-nota">Stampate le prime {MAX_PRINTED_ROWS:,} righe di {_total:,}: '
                "tutte le righe sono nelle esportazioni CSV ed Excel.</p>").replace(",", ".")
        shown = shown.head(MAX_PRINTED_ROWS)
    shown = shown.drop(columns=list(_hidden))
    for column, pattern in _patterns:
        shown = shown.assign(**{column: shown[column].map(lambda v, p=pattern: _display(v, p))})
    shown = shown.astype(object).where(shown.notna(), "")  # empty cells print empty, not «<NA>»
    body = shown.to_html(index=False, escape=True, border=0, classes="cruscotto-tabella")
    # hidden by its own style too: the print stylesheet's `display: block !important` wins over it on paper
    return f'<div class="cruscotto-stampa" style="display: none">{body}{note}</div>'


def _display_pattern(cfg) -> str | None:
    """The regular expression a LinkColumn shows its text with (`display_text=r"indicatore=([^&]+)$"`)."""
    if not isinstance(cfg, dict):
        return None
    type_config = cfg.get("type_config") or {}
    text = type_config.get("display_text") if type_config.get("type") == "link" else None
    return text if text and "(" in text else None


def _display(value, pattern: str):
    if not isinstance(value, str):
        return value
    match = re.search(pattern, value)
    return match.group(1) if match else value
