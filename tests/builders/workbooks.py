"""Workbooks the upload tests build from the shipped data (data/*.csv), and table-by-table snapshots of a store."""
from __future__ import annotations

import io

import pandas as pd

from cruscotto import paths, store
from cruscotto.present.workbook import to_xlsx
from cruscotto.store.schema import TABLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"  # the MIME type an upload carries
NEW_OBJECTIVE = "2019_02_01_09"  # an operational objective that exists only in the 2020 workbook
CHANGED_INDICATOR = "2019_02_01-I1"  # pratiche evase entro 5 giorni: its 2020 valore raggiunto
# 2020: 17.000 pratiche evase entro 5 giorni su 18.500 -> 17000 / 18500 * 100 = 91,8919 %
EVASE_2020, TOTALI_2020 = 17000, 18500


def shipped_frames() -> dict[str, pd.DataFrame]:
    """Every table of the schema that data/ holds, cells as the CSV text."""
    out = {}
    for table in TABLES:
        path = paths.DATA_DIR / f"{table.name}.csv"
        if path.exists():
            out[table.name] = pd.read_csv(path, dtype=str, keep_default_na=False)
    return out


def workbook_2020() -> bytes:
    """The 2019 report moved to 2020, with one new objective, one changed indicator and the 2020 value of the
    pratiche-evase series (the 2020 report repeats the older years of the series, as the 2019 one does)."""
    frames = shipped_frames()
    for frame in frames.values():
        frame["anno"] = "2020"
    obiettivi = frames["obiettivi"]
    template = obiettivi[obiettivi["codice"] == "2019_02_01_01"].iloc[[0]].copy()
    template["codice"] = NEW_OBJECTIVE
    template["codice_documento"] = NEW_OBJECTIVE
    template["titolo"] = "Digitalizzare l'archivio delle pratiche (obiettivo nuovo del 2020)"
    frames["obiettivi"] = pd.concat([obiettivi, template], ignore_index=True)
    indicatori = frames["indicatori"]
    # 91,8919 / 64,7987 (2013: 20212 / 31192 * 100) * 100 = 141,81 -> the declared index of 2020
    indicatori.loc[indicatori["codice"] == CHANGED_INDICATOR, "valore_raggiunto"] = "= 141,81%"
    serie = frames["serie_storiche"]
    row = serie[(serie["serie"] == "pratiche_evase_5gg") & (serie["anno_valore"] == "2019")].copy()
    row["anno_valore"] = "2020"
    row["numeratore"], row["denominatore"], row["valore"] = str(EVASE_2020), str(TOTALI_2020), "91,89"
    row["testo_originale"] = "Al 31/12/2020: evase nei 5 giorni lavorativi 17000 su 18500 pratiche complessive (91,89%)"
    frames["serie_storiche"] = pd.concat([serie, row], ignore_index=True)
    return to_xlsx(frames)


def workbook_2019_corrected(valore_raggiunto: str = "= 137,60%") -> bytes:
    """The shipped 2019 data with one figure corrected."""
    frames = shipped_frames()
    indicatori = frames["indicatori"]
    indicatori.loc[indicatori["codice"] == CHANGED_INDICATOR, "valore_raggiunto"] = valore_raggiunto
    return to_xlsx(frames)


def snapshot(con) -> dict[str, pd.DataFrame]:
    """Every table of the schema, fully ordered, for table-by-table comparison."""
    return {t.name: store.read_table(con, t.name) for t in TABLES}


def assert_same_tables(before: dict[str, pd.DataFrame], after: dict[str, pd.DataFrame]) -> None:
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_dtype=True, obj=name)


def commit_file(con, data: bytes, file_name: str, utente: str | None = None) -> int:
    """Check and commit an upload the way the page does."""
    from cruscotto import pipeline
    checked = pipeline.check(con, data, file_name)
    assert checked.ok, checked.error or [str(p) for p in checked.validated.errors]
    return pipeline.commit(con, checked, data, utente)


def read_csv(data: bytes) -> pd.DataFrame:
    """Read back a CSV written by cruscotto.present.export.to_csv (BOM, ';', decimal comma)."""
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")


def read_xlsx(data: bytes) -> dict[str, pd.DataFrame]:
    """Read back every sheet of a workbook written by cruscotto.present.export.to_xlsx."""
    return pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl")
