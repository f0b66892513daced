"""Reading an AppTest run as a person reads the page: Markdown as rendered, what a download button gives, the grids
with their headings. The factory that opens a page is the `app` fixture (tests/conftest.py)."""
from __future__ import annotations

import json
import re

import pandas as pd
from streamlit.runtime import memory_media_file_storage as media
from streamlit.runtime.media_file_manager import MediaFileManager

from cruscotto.present.text import WORD_JOINER
from ui.fonte import KEEP_INDENT


class RecordingStorage(media.MemoryMediaFileStorage):
    """AppTest's media storage, remembering every file so a test can read what a download button would give."""
    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        RecordingStorage.files[file_id] = self._files_by_id[file_id].content
        return file_id


class RecordingManager(MediaFileManager):
    """AppTest's media file manager, remembering where each file built on click (a callable `data`) is registered,
    so a test can click: run the callable as the server does (execute_deferred) and read the bytes it stored."""
    deferred: dict[str, MediaFileManager] = {}

    def add_deferred(self, *args, **kwargs) -> str:
        file_id = super().add_deferred(*args, **kwargs)
        RecordingManager.deferred[file_id] = self
        return file_id


def rendered(markdown: str) -> str:
    """What a reader sees of Markdown written with cruscotto.text.md: the escapes and word joiners vanish."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


def quotations(at) -> list[str]:
    """The report's lines quoted on the page (ui/fonte.py: plain text, each quotation marks its cited lines ▶)."""
    return [t.value.removeprefix(KEEP_INDENT) for t in at.text if "▶" in t.value]  # KEEP_INDENT is invisible


def texts(elements) -> list[str]:
    """What a reader sees of each element (Markdown escapes of cruscotto.text.md removed)."""
    return [rendered(e.value) for e in elements]


def download(at, label: str, nth: int = 0) -> bytes:
    """The bytes of the `nth` download button whose label starts with `label`: the file sent with the page, or (built
    on click) the file its callable builds when clicked."""
    buttons = [b for b in at.get("download_button") if b.label.startswith(label)]
    proto = buttons[nth].proto
    url = clicked(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    return RecordingStorage.files[url.rsplit("/", 1)[1].split(".")[0]]


def clicked(deferred_file_id: str) -> str:
    """What the server does when a button built on click is clicked: run its callable, store the file; its URL."""
    return RecordingManager.deferred[deferred_file_id].execute_deferred(deferred_file_id)


def built_on_click(at, label: str) -> bool:
    """Whether every download button whose label starts with `label` builds its file only when clicked."""
    buttons = [b for b in at.get("download_button") if b.label.startswith(label)]
    return bool(buttons) and all(b.proto.deferred_file_id and not b.proto.url for b in buttons)


def labels(at, kind: str = "download_button") -> list[str]:
    return [b.label for b in at.get(kind)]


def config(element) -> dict[str, dict]:
    """The column configuration a grid (an AppTest dataframe element) was drawn with: {column: {label, type_config}}."""
    return {c: v for c, v in json.loads(element.proto.columns or "{}").items() if c != "_index"}


def read(element) -> pd.DataFrame:
    """A grid as a person reads it: the columns under their headings, the values the grid received (numbers stay
    numbers) with percentages back as the report writes them (the grid gets 0.8914 to draw 89,14%)."""
    frame, columns = element.value.copy(), config(element)
    for column, spec in columns.items():
        if spec.get("type_config", {}).get("format") == "percent":
            frame[column] = frame[column] * 100
    return frame.rename(columns={c: spec.get("label") or c for c, spec in columns.items()})


def grids(at) -> list[pd.DataFrame]:
    return [read(d) for d in at.dataframe]


def shown(at, column: str = "Indicatore") -> pd.DataFrame:
    """The first grid on the page with a column headed `column` (robust to blocks added in between), as read()."""
    return next(g for g in grids(at) if column in g.columns)


def markdown_tables(at) -> list[pd.DataFrame]:
    """Every Markdown table on the page (ui/tables.plain writes each plain table as one), as written: headings and
    cells still Markdown, split on the «|» that are not escaped."""
    found = []
    for element in at.markdown:
        lines = element.value.splitlines()
        if len(lines) < 2 or not re.fullmatch(r"\|( -+:? \|)+", lines[1]):
            continue
        rows = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
        found.append(pd.DataFrame(rows[2:], columns=rows[0]))
    return found


def plain_table(at, column: str) -> pd.DataFrame:
    """The first plain table (ui/tables.plain) with a column headed `column`, as a person reads it: headings and cells
    without the Markdown escapes that keep them inert (a status badge «:blue-badge[raggiunto]» as its word)."""
    for frame in markdown_tables(at):
        frame = frame.map(lambda v: rendered(re.sub(r"^:[a-z]+-badge\[(.*)\]$", r"\1", v)))
        frame.columns = [rendered(c) for c in frame.columns]
        if column in frame.columns:
            return frame
    raise AssertionError(f"no plain table with a column «{column}»")


def run(at):
    """Run again (after a widget was set) and fail on Streamlit's exception box, as the factory does."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _user_key(element_id: str) -> str:
    """The key a page gave a widget, from the id Streamlit makes of it ("$$ID-<hash>-<key>")."""
    return element_id.split("-", 2)[2] if element_id.startswith("$$ID-") and element_id.count("-") >= 2 else ""


def open_on_demand(at):
    """Open every on-demand section of the page (ui/sections.on_demand: its content runs only when opened) and run
    again, until none is left closed (an opened one may hold another). Returns the AppTest."""
    from ui.sections import ON_DEMAND

    for _ in range(5):
        closed = [key for key in (_user_key(e.proto.id) for e in at.expander) if key.startswith(ON_DEMAND)
                  and not at.session_state[key]]
        if not closed:
            return at
        for key in closed:
            at.session_state[key] = True
        run(at)
    raise AssertionError("on-demand sections kept appearing")


def other_tabs(at) -> list[dict[str, str]]:
    """The URL query that opens each tab not shown, of every st.tabs bound to the URL (their content runs only when
    chosen): one {key: label} per tab."""
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if child.type == "tab_container" and child.proto.tab_container.query_param_key:
                param, shown = child.proto.tab_container.query_param_key, at.session_state[child.proto.tab_container.query_param_key]
                found.extend({param: tab.label} for tab in child.children.values() if tab.label != shown)
            walk(child)

    walk(at.main)
    return found


def every_view(open_page, page: str | None = None, **query) -> list:
    """AppTest runs that together show all a page can show: the page as opened, and once per other tab of its tabs
    bound to the URL; in each, every on-demand section opened. `open_page` is the `app` fixture."""
    from ui.pages_spec import PAGES

    if page == next(p.path for p in PAGES if p.default):
        # served at the root: by its file name AppTest asks on every run for the old address that forwards to it
        # (ui/pages_spec.FORWARDS), and a forward starts the page afresh, closing what was opened
        page = None
    first = open_on_demand(open_page(page, **query))
    return [first] + [open_on_demand(open_page(page, **query, **tab)) for tab in other_tabs(first)]
