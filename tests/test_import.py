"""Reading .xlsx and .csv the way Italian users write them, and refusing bad files without touching the store."""
import hashlib

import pandas as pd
import pytest

from cruscotto import paths, pipeline, store
from cruscotto.ingest.reader import ReadError, read_bytes
from cruscotto.ingest.validate import validate
from cruscotto.present.workbook import to_xlsx
from cruscotto.store import queries

HEADER_SERIE = "ente;anno;serie;titolo;anno_valore;valore;unita;numeratore;denominatore"


def shipped_frames() -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(paths.DATA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
            for name in ("aree", "obiettivi", "indicatori", "serie_storiche", "cifre_chiave")}


def file_digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_windows_1252_csv_with_semicolons_and_italian_numbers():
    text = (HEADER_SERIE + "\r\n"
            "CCIAA di Cremona;2019;costi_postali;Costi postali – conto 325053;2019;€ 18.978,38;€;;\r\n"
            "CCIAA di Cremona;2019;pratiche;Pratiche evase entro 5 giorni;2019;89,14%;%;18.235;20.456\r\n")
    sheets = read_bytes(text.encode("cp1252"), "serie_storiche.csv")
    validated = validate(sheets)
    frame = validated.tables["serie_storiche"]
    assert list(frame["valore"]) == [18978.38, 89.14]
    assert list(frame["numeratore"]) == [None, 18235.0]  # '18.235' in an Italian file is eighteen thousand
    assert frame["titolo"][0] == "Costi postali – conto 325053"  # the en dash survives cp1252
    # a lone table is fine to read, but an import needs aree, obiettivi and indicatori too
    assert any("manca il foglio" in p.message and p.sheet == "aree" for p in validated.errors)


def test_utf8_with_bom_and_comma_separator():
    text = "\ufeff" + HEADER_SERIE.replace(";", ",") + "\nCCIAA di Cremona,2019,x,Serie x,2018,18978.38,€,,\n"
    frame = validate(read_bytes(text.encode("utf-8"), "serie_storiche.csv")).tables["serie_storiche"]
    assert frame["ente"][0] == "CCIAA di Cremona" and frame["valore"][0] == 18978.38


def test_xlsx_with_typed_cells_and_italian_text_numbers(con, db_path):
    frames = shipped_frames()
    serie = frames["serie_storiche"]
    serie.loc[serie["serie"] == "costi_postali", "valore"] = ["38.475,85", "€ 18.978,38"]  # text cells, Italian
    frames["serie_storiche"] = serie
    result = pipeline.import_bytes(con, to_xlsx(frames), "relazione.xlsx")
    assert result.ok, [str(p) for p in result.validated.errors]
    t = queries.run(con, "contenimento_costi", {})
    assert t[(t["serie"] == "costi_postali") & (t["anno"] == 2019)]["valore"].iloc[0] == 18978.38


def test_bad_value_is_refused_with_file_sheet_row_column_and_store_untouched(con, db_path):
    frames = shipped_frames()
    frames["indicatori"].loc[11, "valore_atteso"] = ">= ottanta"  # spreadsheet row 13 (header is row 1)
    frames["serie_storiche"].loc[0, "anno_valore"] = "duemila"      # row 2
    con.close()
    before = file_digest(db_path)
    con = store.connect(db_path)
    result = pipeline.import_bytes(con, to_xlsx(frames), "relazione_2019.xlsx")
    con.close()
    assert not result.ok
    messages = [str(p) for p in result.validated.errors]
    assert any(m.startswith("File relazione_2019.xlsx, foglio indicatori, riga 13, colonna valore_atteso: '>= ottanta' non riconosciuto")
               for m in messages), messages
    assert any(m.startswith("File relazione_2019.xlsx, foglio serie_storiche, riga 2, colonna anno_valore: 'duemila' non è un anno")
               for m in messages), messages
    assert file_digest(db_path) == before


def test_missing_column_and_unknown_parent_are_reported_together():
    frames = shipped_frames()
    frames["aree"] = frames["aree"].drop(columns=["missione"])
    frames["obiettivi"].loc[0, "codice_padre"] = "2019_09"
    validated = validate(read_bytes(to_xlsx(frames), "x.xlsx"))
    messages = [str(p) for p in validated.errors]
    assert any("foglio aree, riga 1, colonna missione: manca la colonna obbligatoria" in m for m in messages)
    assert not validated.ok


def test_duplicate_code_and_orphan_indicator():
    frames = shipped_frames()
    frames["indicatori"].loc[1, "codice"] = frames["indicatori"].loc[0, "codice"]
    frames["indicatori"].loc[2, "codice_obiettivo"] = "2019_07_07"
    messages = [str(p) for p in validate(read_bytes(to_xlsx(frames), "x.xlsx")).errors]
    assert any("foglio indicatori, riga 3, colonna codice: codice duplicato" in m and "riga 2" in m for m in messages), messages
    assert any("foglio indicatori, riga 4, colonna codice_obiettivo: '2019_07_07' non esiste" in m for m in messages), messages


@pytest.mark.parametrize("data, name, expected", [
    (b"", "vuoto.xlsx", "il file è vuoto"),
    (b"PK\x03\x04garbage", "rotto.xlsx", "danneggiato o troncato"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "protetto.xlsx", "protetto da password"),
    (b"%PDF-1.4 ...", "relazione.pdf", "tipo di file non riconosciuto"),
    (b"ente;anno\n", "foto.xlsx", "il contenuto non lo è"),
])
def test_unreadable_files_get_an_italian_message_naming_the_file(data, name, expected):
    with pytest.raises(ReadError) as info:
        read_bytes(data, name)
    assert name in str(info.value) and expected in str(info.value)


def test_calculation_methods_and_rules_are_checked_at_import():
    frames = shipped_frames()
    frames["metodi_calcolo"] = pd.read_csv(paths.DATA_DIR / "metodi_calcolo.csv", dtype=str, keep_default_na=False)
    frames["metodi_calcolo"].loc[0, "codice_indicatore"] = "2019_99-I9"
    frames["regole"] = pd.DataFrame({"ente": ["CCIAA di Cremona"] * 3, "anno": ["2019"] * 3,
                                     "regola": ["soglia_raggiunto", "media", "tetto_grado"],
                                     "valore": ["novanta", "aritmetica", "nessuno"]})
    messages = [str(p) for p in validate(read_bytes(to_xlsx(frames), "x.xlsx")).errors]
    assert any("foglio metodi_calcolo, riga 2, colonna codice_indicatore: '2019_99-I9' non esiste" in m for m in messages), messages
    assert any("foglio regole, riga 2, colonna valore: 'novanta' non è un numero" in m for m in messages), messages
    assert any("foglio regole, riga 3, colonna valore: 'aritmetica' non valido per la regola media" in m for m in messages), messages
    assert len(messages) == 3  # 'nessuno' is a valid tetto_grado
