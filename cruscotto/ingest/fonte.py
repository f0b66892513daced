"""The source document as data: the report's text, one row per line (table `fonte_righe`), and what the pages and
the checks quote from it.

A value's line (riga_fonte, riga_va, riga_vr) is shown with the text around it: the cited line and two lines of
context each side (`excerpt`), and, on request, the whole passage of the block it belongs to (`passage`), both cut
from the report's text as `queries/fonte_relazione.sql` gives it, so that a page reads the text once whatever it
quotes. Blank lines are not stored: the numbering stays the file's, the context skips them.

`python -m cruscotto fonte FILE.txt --ente ... --anno ...` turns the text extracted from the PDF into the sheet
(a CSV named fonte_righe.csv, which can be uploaded on its own or added to a workbook); data/fonte_righe.csv is made
that way from the source of the shipped report.
"""
from __future__ import annotations

import csv
import io
import re
from bisect import bisect_right

import pandas as pd

from cruscotto.store.schema import FONTE_RIGHE

CONTEXT = 2  # lines of context each side of a cited line
MARK = "▶"  # before the cited line(s) in a quotation


def source_lines(text: str) -> list[tuple[int, str]]:
    """(riga, testo) of every line that is not blank, numbered from 1 as in the file; runs of spaces become one,
    as the import does with any text cell, so the shipped CSV and the store hold the same text."""
    return [(number, " ".join(line.split())) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]


_ITALIAN_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?(?![\d])")


def numbers_in(text) -> list[float]:
    """The numbers of an Italian text as printed: '1.024.000' -> 1024000, '4,1' -> 4.1, '100%' -> 100."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return []
    return [float(m.group(1).replace(".", "") + (m.group(2) or "").replace(",", "."))
            for m in _ITALIAN_NUMBER.finditer(str(text))]


def sheet_csv(text: str, ente: str, anno: int) -> str:
    """The fonte_righe sheet as CSV text (comma separated, the shipped data/ format)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FONTE_RIGHE.column_names)
    for number, line in source_lines(text):
        writer.writerow([ente, anno, number, line])
    return out.getvalue()


def cited_lines(righe) -> list[int]:
    """'1141, 1148, 1155' (a finding's righe_fonte) or numbers -> sorted distinct line numbers."""
    if righe is None or (isinstance(righe, float) and pd.isna(righe)):
        return []
    if isinstance(righe, str):
        return sorted({int(n) for n in re.findall(r"\d+", righe)})
    return sorted({int(n) for n in righe if n is not None and not pd.isna(n)})


def _stored(report: pd.DataFrame) -> pd.DataFrame:
    """The lines with text of `report` (rows of queries/fonte_relazione.sql) in their order, each with its rank among
    them (posizione: consecutive ranks have no text between them)."""
    stored = report[~report["inizio_blocco"].astype(bool)].sort_values("riga")
    return pd.DataFrame({"riga": stored["riga"].astype("int64").to_numpy(), "testo": stored["testo"].to_numpy(),
                         "posizione": range(1, len(stored) + 1)})


def _starts(report: pd.DataFrame) -> pd.Series:
    """The lines where a block starts (area, obiettivo, indicatore, a code printed again)."""
    return report.loc[report["inizio_blocco"].astype(bool), "riga"].dropna().astype("int64")


def excerpt(report: pd.DataFrame, cited: list[int], context: int = CONTEXT) -> pd.DataFrame:
    """The cited lines with `context` stored lines before and after each (rows riga, testo, posizione, citata), each
    stored line once, from the report's text (rows of queries/fonte_relazione.sql). A cited line that is blank (not
    stored) is placed after the last stored line before it: its context is that line and the lines around it, one
    fewer before (the line itself takes the place of the one before)."""
    stored = _stored(report)
    lines = stored["riga"].tolist()
    kept: set[int] = set()
    for riga in cited:
        at = bisect_right(lines, riga) - 1  # the cited line, or the last stored line before it
        if at < 0:
            continue
        first = at - context + (0 if lines[at] == riga else 1)
        kept.update(range(max(first, 0), min(at + context, len(lines) - 1) + 1))
    out = stored.iloc[sorted(kept)]
    return out.assign(citata=out["riga"].isin(list(cited)))[["riga", "testo", "posizione", "citata"]].reset_index(drop=True)


def passage(report: pd.DataFrame, da: int, a: int | None = None) -> pd.DataFrame:
    """The whole passage around the cited lines `da` … `a` (rows riga, testo, posizione, inizio, fine): from the start
    of the block (area, obiettivo, indicatore or a code printed again) that holds the first to the end of the block
    that holds the last, i.e. the line before the next block starts, or the last stored line."""
    stored = _stored(report)
    if stored.empty:
        return stored.assign(inizio=[], fine=[])[["riga", "testo", "posizione", "inizio", "fine"]]
    starts = _starts(report)
    before, after = starts[starts <= da], starts[starts > (da if a is None else a)]
    inizio = int(before.max()) if len(before) else int(da)
    fine = int(after.min()) - 1 if len(after) else int(stored["riga"].max())
    out = stored[(stored["riga"] >= inizio) & (stored["riga"] <= fine)]
    return out.assign(inizio=inizio, fine=fine)[["riga", "testo", "posizione", "inizio", "fine"]].reset_index(drop=True)


def quotation(excerpts: list[pd.DataFrame], cited: list[int]) -> str:
    """Excerpts of the report (rows riga, testo, posizione, as `excerpt` and `passage` return them) as one text: each line with its number, the cited ones marked, «…» where stored lines are skipped.

        1153  Al 31/12/2018: evase nei 5 giorni lavorativi 16839 ...
      ▶ 1155  Al 31/12/2016: evase nei 5 giorni lavorativi 16344 ...
    """
    rows: dict[int, tuple[int | None, str]] = {}
    for frame in excerpts:
        for riga, testo, posizione in zip(frame["riga"], frame["testo"], frame["posizione"]):
            rows[int(riga)] = (int(posizione), str(testo))
    if not rows:
        return ""
    for riga in cited:  # a cited line that is blank (not stored): said in its place
        rows.setdefault(riga, (None, "(riga vuota nel testo della relazione)"))
    width = len(str(max(rows)))
    lines, previous = [], None
    for riga in sorted(rows):
        posizione, testo = rows[riga]
        if previous is not None and posizione is not None and posizione > previous + 1:
            lines.append(" " * (width + 4) + "…")
        lines.append(f"{MARK if riga in cited else ' '} {riga:>{width}}  {testo}")
        previous = posizione if posizione is not None else previous
    return "\n".join(lines)


def citation(lines: dict[int, str], righe) -> str | None:
    """The text of the cited lines alone, for a finding: «r. 1155: Al 31/12/2016: …» one per line."""
    cited = [r for r in cited_lines(righe) if r in lines]
    return "\n".join(f"r. {r}: {lines[r]}" for r in cited) or None
