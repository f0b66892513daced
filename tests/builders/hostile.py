"""Stores holding data that would break a page or turn into markup if shown carelessly, for the page, chart and
browser tests: hostile text in every free-text field (written through the normal import path), hundreds of series,
and non-finite numbers written straight into the store (as if validation had let them through once).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from builders.workbooks import shipped_frames

from cruscotto import pipeline, store
from cruscotto.present.workbook import to_xlsx
from cruscotto.store.schema import TABLES

# Markdown and HTML that must stay visible text: an image and a link to outside addresses, raw HTML, Streamlit's
# colour directive, a LaTeX formula. 192.0.2.1 is TEST-NET-1 (never routed): a request for it proves a leak.
IMAGE = "![img](http://192.0.2.1/x.png)"
LINK = "[link](http://evil.example/)"
ANCHOR = '<a href="http://evil.example/">a</a>'
HTML_IMAGE = "<img src=http://192.0.2.1/y.png onerror=alert(1)>"
COLOUR = ":red[x]"
FORMULA = "$x^2$"
HOSTILE = " ".join([IMAGE, LINK, ANCHOR, HTML_IMAGE, COLOUR, FORMULA])
# Marks that a page draws this text as markup: an <img>/<a> whose address comes from the data, or KaTeX / colour.
LEAK_ADDRESSES = ("192.0.2.1", "evil.example")

ENTE = f"CCIAA {IMAGE} {COLOUR}"
AREA = "2019_02"
HOSTILE_AREA = f"2019_02{LINK}"  # an area code with a link in it: its objectives and indicators follow it
FILE_NAME = "relazione ![f](http://192.0.2.1/f.png).xlsx"

# Columns whose value is checked against a list, parsed or used as a key: they keep their value.
_KEEP = {"ente", "codice", "codice_documento", "codice_padre", "codice_obiettivo", "codice_indicatore", "missione",
         "valore_atteso", "valore_raggiunto", "serie", "oggetto", "numeratore", "denominatore", "valore", "dichiarato",
         "regola", "riferimento", "url", "consultato_il"}  # the last: a key, a web address, a date (issue 16)


def hostile_frames() -> dict[str, pd.DataFrame]:
    """The shipped 2019 data with HOSTILE appended to every free-text cell, the ente and one area code made hostile."""
    frames = shipped_frames()
    for table in TABLES:
        frame = frames.get(table.name)
        if frame is None:
            continue
        for column in table.columns:
            if column.kind == "text" and not column.choices and column.name not in _KEEP and column.name in frame:
                frame[column.name] = [f"{v} {HOSTILE}".strip() for v in frame[column.name]]
        frame["ente"] = ENTE
        for column in frame.columns:
            if column.startswith("codice"):
                frame[column] = [v.replace(AREA, HOSTILE_AREA, 1) if v.startswith(AREA) else v for v in frame[column]]
    return frames


def hostile_store(path: Path) -> Path:
    """A store with the hostile data only, imported as a user would (validate, then one transaction)."""
    con = store.connect(path)
    try:
        result = pipeline.import_bytes(con, to_xlsx(hostile_frames()), FILE_NAME)
        assert result.ok, [str(p) for p in result.validated.errors]
    finally:
        con.close()
    return path


def many_series_frames(n: int) -> dict[str, pd.DataFrame]:
    """The shipped data plus `n` extra historical series of three years each (2017-2019)."""
    frames = shipped_frames()
    serie = frames["serie_storiche"]
    extra = pd.DataFrame([{c: "" for c in serie.columns} | {
        "ente": "CCIAA di Cremona", "anno": "2019", "serie": f"serie_{i:05d}", "titolo": f"Serie di prova {i}",
        "anno_valore": str(year), "valore": str(i + year - 2016), "unita": "numero"}
        for i in range(n) for year in (2017, 2018, 2019)])
    frames["serie_storiche"] = pd.concat([serie, extra], ignore_index=True)
    return frames


def many_series_store(path: Path, n: int) -> Path:
    con = store.connect(path)
    try:
        result = pipeline.import_bytes(con, to_xlsx(many_series_frames(n)), f"{n}_serie.xlsx")
        assert result.ok, [str(p) for p in result.validated.errors[:5]]
    finally:
        con.close()
    return path


def make_infinite(con) -> None:
    """Write inf, -inf and NaN straight into stored numbers, bypassing validation (data stored before it refused
    them, or written by another tool): a value of every numeric kind the pages read."""
    cur = con.cursor()
    try:
        cur.execute("UPDATE serie_storiche SET valore = 'inf'::DOUBLE WHERE serie = 'pratiche_evase_5gg' AND anno_valore = 2019")
        cur.execute("UPDATE serie_storiche SET numeratore = '-inf'::DOUBLE, denominatore = 'nan'::DOUBLE "
                    "WHERE serie = 'pratiche_evase_5gg' AND anno_valore = 2018")
        cur.execute("UPDATE serie_storiche SET valore = 'inf'::DOUBLE WHERE serie LIKE 'imprese%' AND anno_valore = 2019")
        cur.execute("UPDATE serie_storiche SET valore = '-inf'::DOUBLE WHERE unita = '€' AND anno_valore = 2019")
        cur.execute("UPDATE indicatori SET vr_numero = 'inf'::DOUBLE, va_numero = 'inf'::DOUBLE "
                    "WHERE codice IN ('2019_02_01-I1', '2019_04_02_2-I1')")
        cur.execute("UPDATE indicatori SET peso = 'inf'::DOUBLE WHERE codice = '2019_01-I1'")
        cur.execute("UPDATE cifre_chiave SET valore = 'inf'::DOUBLE WHERE rowid IN (SELECT rowid FROM cifre_chiave LIMIT 3)")
        cur.execute("UPDATE metodi_calcolo SET scala = 'inf'::DOUBLE")
    finally:
        cur.close()
    store.recompute(con)  # the derived tables follow the rows, as they would after an import
