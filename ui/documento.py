"""The page as a document: Italian for browsers and screen readers.

Streamlit 1.67 serves `<html lang="en">` and offers no option to change it (streamlit/streamlit#15726), and a few of
its own words cannot be configured (the file uploader's «Drag and drop file here», «Limit 20MB per file», «Upload»;
the «Help for Ente» a screen reader reads on every tooltip icon; the grid toolbar's «Search», «Download as CSV»;
the «Open» of every selectbox).
`italiano()` puts one small script in the page (st.html with JavaScript runs in the document itself, not in an
iframe) that sets `lang="it"` and puts those words in Italian, again whenever Streamlit draws them anew; it also
makes the scrolling box of a table wider than the screen reachable by keyboard (tabindex), which st.table and a
Markdown table do not. Only the fixed strings below are touched: data never passes through here. Plotly's own words
(the toolbar's «Download plot as a PNG») are translated by the chart config instead
(cruscotto.present.charts.PLOTLY_CONFIG).
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import streamlit
import streamlit as st

# Streamlit's fixed English words, as they appear (text or aria-label/title/placeholder), and the Italian ones.
WORDS = {
    "Help": "Aiuto",
    "Upload": "Scegli il file",
    "Browse files": "Scegli il file",
    "Drag and drop file here": "Trascinare qui il file",
    "Drag and drop a file here": "Trascinare qui il file",
    "Drag and drop files here": "Trascinare qui i file",
    "Press Enter to apply": "Premere Invio per applicare",
    "Press Enter to submit form": "Premere Invio per inviare",
    "No results": "Nessun risultato",
    "Search": "Cerca",
    "Download as CSV": "Scarica come CSV",
    "Fullscreen": "Schermo intero",
    "Close fullscreen": "Esci dallo schermo intero",
    "Clear all": "Togli tutto",
    "Clear value": "Togli il valore",
    "Remove file": "Togli il file",
    "Open sidebar": "Apri la barra laterale",
    "Close sidebar": "Chiudi la barra laterale",
    "Expand sidebar": "Apri la barra laterale",
    "Collapse sidebar": "Chiudi la barra laterale",
    "Main menu": "Menu principale",
    "Show password text": "Mostra la password",
    "Hide password text": "Nascondi la password",
    "Running...": "In corso…",
    "Stop": "Ferma",
    "Open": "Apri",
    "Close": "Chiudi",
    "Choose an option": "Scegliere un'opzione",
    "Choose options": "Scegliere le opzioni",
    "file upload": "Caricamento del file",
    "Download plot as a PNG": "Scarica il grafico (PNG)",
    "Copy to clipboard": "Copia negli appunti",
}
# Patterns with a part that varies: (regular expression, replacement in JavaScript's String.replace syntax).
PATTERNS = [
    (r"^Help for (.+)$", "Aiuto: $1"),
    (r"^Limit (\d+)MB per file(.*)$", "Massimo $1 MB per file$2"),
    (r"^(\d+)MB per file(.*)$", "Massimo $1 MB per file$2"),
    (r"^(\d+(?:\.\d+)?)(KB|MB|B) / (\d+)MB$", "$1 $2 di $3 MB"),
]

_SCRIPT = """
<script>
(() => {
  const root = document.documentElement;
  root.lang = "it";
  if (window.__cruscottoItaliano) return;
  window.__cruscottoItaliano = true;
  const words = %(words)s;
  const patterns = %(patterns)s.map(([p, r]) => [new RegExp(p), r]);
  const translate = (text) => {
    const trimmed = text.trim();
    if (!trimmed) return null;
    if (Object.prototype.hasOwnProperty.call(words, trimmed)) return text.replace(trimmed, words[trimmed]);
    for (const [pattern, replacement] of patterns) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return null;
  };
  const ATTRIBUTES = ["aria-label", "title", "placeholder", "data-title"];
  // Where the data is (markdown, code, the grid, a chart's drawing): never touched.
  const SKIP = "[data-testid=stMarkdownContainer], [data-testid=stCode], [data-testid=stText], [data-testid=stTable], " +
    "[role=grid], [role=listbox], [data-testid=stMetricValue], .main-svg";
  // ...except Streamlit's own controls that write their fixed words as markdown (the uploader's «Upload» button).
  const OWN = "[data-testid=stFileUploaderDropzone]";
  const fixElement = (el) => {
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute && el.getAttribute(name);
      const italian = value && translate(value);
      if (italian && italian !== value) el.setAttribute(name, italian);
    }
  };
  const fixText = (node) => {
    const italian = translate(node.nodeValue || "");
    if (italian && italian !== node.nodeValue) node.nodeValue = italian;
  };
  // A table wider than a phone scrolls sideways: its scrolling box must be reachable by keyboard (WCAG 2.1.1).
  // st.table's box, and the Markdown of a plain table (ui/tables.plain)
  const SCROLLING_TABLE = ".stTable > div, [data-testid=stMarkdownContainer]:has(> table)";
  const fixTables = (node) => {
    const boxes = node.matches(SCROLLING_TABLE) ? [node] : node.querySelectorAll(SCROLLING_TABLE);
    for (const box of boxes) {
      if (box.hasAttribute("tabindex")) continue;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", "Tabella");
    }
  };
  const fixTree = (node) => {
    if (node.nodeType === Node.TEXT_NODE) { fixText(node); return; }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    fixTables(node);
    if (node.closest && node.closest(SKIP) && !node.closest(OWN)) return;
    fixElement(node);
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => n.nodeType === Node.ELEMENT_NODE && n.matches(SKIP) && !n.closest(OWN)
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) fixText(n); else fixElement(n);
    }
  };
  new MutationObserver((records) => {
    if (root.lang !== "it") root.lang = "it";
    for (const r of records) {
      if (r.type === "childList") r.addedNodes.forEach(fixTree);
      else if (r.type === "characterData") fixText(r.target);
      else if (r.type === "attributes" && r.target !== root) fixElement(r.target);
    }
  }).observe(root, {subtree: true, childList: true, characterData: true, attributes: true,
                    attributeFilter: ["lang", ...ATTRIBUTES]});
  fixTree(document.body);
  // The grid's code (st.dataframe: 1,6 MB of JavaScript in 31 files) is a chunk Streamlit's frontend downloads and
  // evaluates the first time a page of the session shows a table: the first switch to such a page, Indicatori in the
  // menu's order, took 400-600 ms instead of about 310. As soon as the first page is drawn and no page is being run
  // or drawn, its files are fetched and compiled (modulepreload), with its style sheet (preload: applied only when a
  // grid mounts). The same for the code of the controls the first page does not show (WIDGETS below): each is a
  // chunk of its own too, fetched when a page first shows one (Indicatori's text search, Andamenti's slider, the
  // Responsabili's radio buttons...) while the server runs that page.
  const main = document.querySelector('script[type=module][src*="/static/js/index."]');
  const idle = window.requestIdleCallback || ((run) => setTimeout(run, 1));
  const quiet = () => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]') &&
    !document.querySelector('[data-stale="true"]');
  const address = (name) => new URL(name, main.src).href;
  const link = (rel, name, as) => {
    const el = document.createElement("link");
    el.rel = rel;
    el.href = address(name);
    if (as) el.as = as;
    document.head.appendChild(el);
  };
  // Then the grid's files are evaluated (import()), one at a time, the files each imports first, each when no page
  // is being run or drawn: evaluated by the first page with a grid, they mounted it about 100 ms after its run had
  // ended (Indicatori 346 -> 294 ms in the bench); evaluated all at once, they cost the switch made meanwhile
  // 150-200 ms (Aree 274 -> 449 ms when clicked 0,3 s after the first page); one at a time, that switch waits for
  // one file at most.
  const evaluate = (names) => {
    if (!names.length) return;
    if (!quiet()) { setTimeout(() => evaluate(names), 100); return; }
    idle(() => import(address(names[0])).catch(() => {}).finally(() => evaluate(names.slice(1))));
  };
  const load = (chunk) => {
    if (!quiet()) { setTimeout(() => load(chunk), 100); return; }
    idle(() => {
      chunk.files.forEach((name) => link("modulepreload", name));
      chunk.styles.forEach((name) => link("preload", name, "style"));
      setTimeout(() => evaluate(chunk.order), 100);
    });
  };
  if (main) setTimeout(() => load(%(preload)s), 300);
})();
</script>
"""


# The chunks the page script loads ahead, from Streamlit's build manifest (`static/manifest.json`: the file names
# carry a hash that changes with Streamlit's version; tests/test_page_script.py checks the files exist and that
# Streamlit's main bundle is what imports each chunk). Names relative to the folder of the scripts (static/js).
STATIC = Path(streamlit.__file__).parent / "static"
STATIC_JS = STATIC / "static" / "js"
GRID = "DataFrame"
# Streamlit's controls that have a chunk of their own and that the Panoramica does not show: st.text_input
# (Indicatori, Verifica), st.slider (Andamenti), st.radio (Responsabili, notes), st.button (Relazione and others),
# st.number_input and st.checkbox (Carica dati). The selectbox, the expander and the download button come with the
# first page.
WIDGETS = ("TextInput", "Slider", "Radio", "Button", "NumberInput", "Checkbox")


def _chunks(manifest: dict, names) -> dict:
    """The chunks `names` as {"modules": their files, "files": the files they import that the main bundle does not,
    themselves included, each once, "styles": their style sheets}."""
    main = manifest["index.html"]

    def closure(keys) -> list[str]:
        seen, todo = [], list(keys)
        while todo:
            key = todo.pop(0)
            if key not in seen and key != "index.html":
                seen.append(key)
                todo += manifest[key].get("imports", [])
        return seen

    relative = lambda file: posixpath.relpath(file, "static/js")
    loaded = set(closure(main["imports"]))
    chunks = [next(key for key in main["dynamicImports"] if manifest[key]["name"] == name) for name in names]
    keys = [key for key in closure(chunks) if key not in loaded]
    order = []  # the grid's files, each after the files it imports: evaluated in this order

    def after_imports(key):
        if key in loaded or key in order or key == "index.html":
            return
        for imported in manifest[key].get("imports", []):
            after_imports(imported)
        order.append(key)

    after_imports(chunks[0])
    return {"modules": [relative(manifest[key]["file"]) for key in chunks],
            "files": [relative(manifest[key]["file"]) for key in keys],
            "styles": [relative(css) for key in keys for css in manifest[key].get("css", [])],
            "order": [relative(manifest[key]["file"]) for key in order]}


# read once, when the server imports this
PRELOAD = _chunks(json.loads((STATIC / "manifest.json").read_text()), (GRID, *WIDGETS))


def script() -> str:
    """The script `italiano()` puts in the page (fixed text: no data in it)."""
    return _SCRIPT % {"words": json.dumps(WORDS, ensure_ascii=False), "patterns": json.dumps(PATTERNS),
                      "preload": json.dumps(PRELOAD)}


def italiano(send: bool = True) -> None:
    """Declare the document Italian and put Streamlit's fixed English words in Italian (from app.py, before anything
    else is drawn). What the script installs stays in the browser's window for the whole session, so it is sent at
    the session's first run only (`send`, ui/page.first_run_of_session); later runs put an empty placeholder in its
    place, so that what follows keeps its position (a shift makes React mount every element after it anew)."""
    if send:
        st.html(script(), unsafe_allow_javascript=True)
    else:
        st.empty()


def translated(text: str) -> str | None:
    """What the page script makes of `text` (for tests): the Italian words, or None when it leaves it alone."""
    trimmed = text.strip()
    if trimmed in WORDS:
        return text.replace(trimmed, WORDS[trimmed])
    for pattern, replacement in PATTERNS:
        if re.search(pattern, trimmed):
            return re.sub(pattern, re.sub(r"\$(\d)", r"\\\1", replacement), trimmed)
    return None
