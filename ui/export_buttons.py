"""Download buttons: every table a page shows can be taken away as CSV (Italian Excel) and XLSX, with the number of
rows on the button; one more button takes the whole view as one workbook, a sheet per table. Headings and number
formats are the table's labels (cruscotto.present.labels), as on screen."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from cruscotto.present import export, formatting, labels
from ui import sections, tables
from ui.data import data_version

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every file is built when its button is clicked (Streamlit calls `data` then, in a thread of its own), never on a
# run of the page: building the CSV and XLSX of every table on every run was a quarter of the server's CPU per page
# with 10 people at once (py-spy, bench/bench_load.py), and a workbook of 300.000 rows took half a minute to write
# (Andamenti with 100.006 series: 54 s a run before, 7 s after; bench/bench_many_series.py). What goes into a file
# (the rows shown, the «Filtri» sheet with the time of the page and the data version) is fixed when the page runs.


def _rows(n: int) -> str:
    return formatting.plural(n, "riga", "righe")


def _slug(text: str) -> str:
    keep = "".join(c.lower() if c.isalnum() else "_" for c in text)
    return "_".join(p for p in keep.split("_") if p) or "tabella"


class View:
    """The exports of one page: `table()` under each table, `workbook_button()` once at the end."""

    def __init__(self, title: str, filters: dict[str, object]):
        self.title = title
        self.filters = filters
        self.tables: dict[str, pd.DataFrame] = {}
        self.kinds: dict[str, dict[str, str]] = {}
        self.stamp = datetime.now().replace(microsecond=0)

    def info(self, names) -> dict[str, object]:
        return export.info_rows(self.filters, versione=data_version(), exported_at=self.stamp,
                                righe={n: len(self.tables[n]) for n in names})

    def show(self, frame: pd.DataFrame, name: str, scope: str | None = None, **show_kwargs):
        """The table on screen (ui.tables.show) and, when it has rows, its CSV and XLSX buttons under it."""
        shown = tables.show(frame, scope, **show_kwargs)
        if not frame.empty:
            self.table(frame, name, scope)
        return shown

    def on_demand(self, label: str, key: str, frame: pd.DataFrame, name: str, scope: str | None = None, *,
                  icon: str = ":material/table:", **show_kwargs):
        """A table in a section on demand (ui/sections.on_demand): drawn with its buttons once opened, and a sheet of
        the view's workbook either way, since what the page holds is not less for being folded. Returns the open
        section (to add more to it) or None."""
        box = sections.on_demand(label, key, icon=icon)
        if not box.open:
            if not frame.empty:
                self._include(frame, name, scope)
            return None
        with box:
            self.show(frame, name, scope, **show_kwargs)
        return box

    def _include(self, frame: pd.DataFrame, name: str, scope: str | None) -> pd.DataFrame:
        """`frame` with the headings of its labels, as a sheet of the view's workbook."""
        frame, self.kinds[name] = labels.headed(frame, scope)
        self.tables[name] = frame
        return frame

    def table(self, frame: pd.DataFrame, name: str, scope: str | None = None) -> None:
        """CSV and XLSX buttons for `frame` exactly as shown (same columns, same rows, filters applied), with the
        headings of its labels (`scope` as for ui.tables.show)."""
        frame = self._include(frame, name, scope)
        slug = f"{_slug(self.title)}_{_slug(name)}"
        left, right, _ = st.columns([1, 1, 2])
        info, table_kinds = self.info([name]), self.kinds[name]
        left.download_button(f"CSV · {_rows(len(frame))}", lambda: export.to_csv(frame),
                             file_name=f"{slug}.csv",
                             mime="text/csv", key=f"csv_{slug}", on_click="ignore", icon=":material/download:",
                             help="Per Excel in italiano: separatore «;», decimali con la virgola.")
        right.download_button(f"Excel · {_rows(len(frame))}",
                              lambda: export.to_xlsx({name: frame}, info, {name: table_kinds}),
                              file_name=f"{slug}.xlsx", mime=XLSX_MIME, key=f"xlsx_{slug}", on_click="ignore",
                              icon=":material/download:", help="Con un secondo foglio «Filtri»: filtri, ora dell'esportazione e versione dei dati.")

    def workbook_button(self) -> None:
        """One workbook with every table of the view (a sheet each) and the «Filtri» sheet."""
        if not self.tables:
            return
        total = sum(len(t) for t in self.tables.values())
        n = len(self.tables)
        tables, info, kinds = dict(self.tables), self.info(list(self.tables)), dict(self.kinds)
        with st.sidebar:
            st.divider()
            st.download_button(f"Scarica la vista · {formatting.plural(n, 'tabella', 'tabelle')}, {_rows(total)}",
                               lambda: export.to_xlsx(tables, info, kinds),
                               file_name=f"{_slug(self.title)}_vista.xlsx", mime=XLSX_MIME, key="xlsx_vista",
                               on_click="ignore", icon=":material/table_view:", width="stretch",
                               help="Un file Excel con un foglio per ogni tabella della pagina, filtri applicati.")
