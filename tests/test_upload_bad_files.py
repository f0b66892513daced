"""The corpus of bad files (tests/bad_files/, made by make_bad_files.py): each gets its messages, in Italian, naming
file, sheet, row and column, and the store file is byte-for-byte unchanged after every rejected upload."""
import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest

from cruscotto import paths, pipeline, store
from cruscotto.cli import main
from cruscotto.ingest.validate import AVVISO, problems_csv, problems_summary

BAD = Path(__file__).parent / "bad_files"

# file -> messages that must appear (each a substring of one message "File …, foglio …, riga …, colonna …: …")
EXPECTED = {
    "tipo_sbagliato.pdf": ["File tipo_sbagliato.pdf: tipo di file non riconosciuto. Caricare un file .xlsx oppure .csv."],
    "vuoto.xlsx": ["File vuoto.xlsx: il file è vuoto."],
    "estensione_rinominata.xlsx": ["File estensione_rinominata.xlsx: l'estensione dice foglio Excel ma il contenuto non lo è"],
    "protetto_password.xlsx": ["File protetto_password.xlsx: è un file Office protetto da password"],
    "troncato.xlsx": ["File troncato.xlsx: il file è danneggiato o troncato"],
    "zip_bomb.xlsx": ["File zip_bomb.xlsx: una volta decompresso occuperebbe", "possibile «zip bomb»"],
    "foglio_mancante.xlsx": ["File foglio_mancante.xlsx, foglio obiettivi: manca il foglio (o il file CSV) 'obiettivi', obbligatorio "
                             "per l'ente CCIAA di Cremona, anno 2021, che non è ancora nel cruscotto"],
    "colonna_mancante.xlsx": ["File colonna_mancante.xlsx, foglio aree, riga 1, colonna missione: manca la colonna obbligatoria 'missione'"],
    "celle_unite.xlsx": ["File celle_unite.xlsx, foglio indicatori, riga 5, colonna anno (celle B5:D5): celle unite (B5:D5)"],
    "formule.xlsx": ["File formule.xlsx, foglio cifre_chiave, riga 4, colonna valore (cella F4): la cella contiene una formula (=F2*2)"],
    "codici_duplicati.xlsx": ["File codici_duplicati.xlsx, foglio indicatori, riga 3, colonna codice: codice duplicato "
                              "'CCIAA di Cremona / 2019 / 2019_01-I1': compare già alla riga 2."],
    "obiettivo_orfano.xlsx": ["File obiettivo_orfano.xlsx, foglio obiettivi, riga 3, colonna codice_padre: '2019_09_09' non esiste"],
    "va_illeggibile.xlsx": ["File va_illeggibile.xlsx, foglio indicatori, riga 12, colonna valore_atteso: '>= ottanta per cento' "
                            "non riconosciuto; atteso per esempio '>=80%'"],
    "valori_anni_unita.xlsx": [
        "File valori_anni_unita.xlsx, foglio serie_storiche, riga 2, colonna valore: 'circa sessantacinque' non è un numero",
        "File valori_anni_unita.xlsx, foglio serie_storiche, riga 3, colonna anno_valore: anno 1890 fuori dall'intervallo ammesso (1990-2100)",
        "File valori_anni_unita.xlsx, foglio serie_storiche, riga 4, colonna unita: unità 'numero' diversa da '%'",
    ],
    # values that cannot be true (issue 10): before, each was stored (or stored as NULL) and some broke the pages
    "numeri_non_finiti.xlsx": [
        "File numeri_non_finiti.xlsx, foglio serie_storiche, riga 2, colonna valore: 'inf' non è un numero",
        "File numeri_non_finiti.xlsx, foglio serie_storiche, riga 3, colonna valore: '-inf' non è un numero",
        "File numeri_non_finiti.xlsx, foglio serie_storiche, riga 4, colonna valore: '1e309' è un numero troppo grande",
        "File numeri_non_finiti.xlsx, foglio serie_storiche, riga 5, colonna valore: 'nan' non è un numero",
        "File numeri_non_finiti.xlsx, foglio indicatori, riga 2, colonna peso: 'inf' non è un numero",
    ],
    "anno_con_esponente.xlsx": [
        "File anno_con_esponente.xlsx, foglio serie_storiche, riga 2, colonna anno_valore: '2e3' non è un anno scritto con quattro cifre",
        "File anno_con_esponente.xlsx, foglio aree, riga 2, colonna riga_fonte: '1e3' non è un numero intero scritto in cifre",
    ],
    "negativi_e_zeri.xlsx": [
        "File negativi_e_zeri.xlsx, foglio serie_storiche, riga 2, colonna numeratore: '-18235' non può essere minore di 0",
        "File negativi_e_zeri.xlsx, foglio serie_storiche, riga 3, colonna denominatore: '0' deve essere maggiore di 0",
        "File negativi_e_zeri.xlsx, foglio indicatori, riga 2, colonna peso: '-1' deve essere maggiore di 0",
        "File negativi_e_zeri.xlsx, foglio indicatori, riga 3, colonna peso: '0' deve essere maggiore di 0",
    ],
    "regole_rovesciate.xlsx": [
        "File regole_rovesciate.xlsx, foglio regole, riga 2, colonna valore: regole rovesciate per CCIAA di Cremona, anno 2019: "
        "soglia_parziale = 95 è più alta di soglia_raggiunto = 90 (valore predefinito)",
        "File regole_rovesciate.xlsx, foglio regole, riga 3, colonna valore: 80 fuori dai valori ammessi per la regola tetto_grado: da 100 a 1000.",
        "File regole_rovesciate.xlsx, foglio regole, riga 4, colonna valore: 150 fuori dai valori ammessi per la regola "
        "grado_traguardo_raggiunto: da 0 a 100.",
    ],
    "errori_excel.xlsx": [
        "File errori_excel.xlsx, foglio serie_storiche, riga 2, colonna valore: la cella F2 contiene l'errore di Excel #DIV/0! "
        "(risultato della formula =1/0)",
        "File errori_excel.xlsx, foglio indicatori, riga 2, colonna descrizione: la cella E2 contiene l'errore di Excel #N/A",
        "File errori_excel.xlsx, foglio cifre_chiave, riga 2, colonna valore: la cella F2 contiene l'errore di Excel #VALUE!",
        "File errori_excel.xlsx, foglio aree, riga 2, colonna missione: la cella D2 contiene l'errore di Excel #REF!",
        "File errori_excel.xlsx, foglio obiettivi, riga 2, colonna titolo: la cella G2 contiene l'errore di Excel #NAME?",
        "File errori_excel.xlsx, foglio serie_storiche, riga 3, colonna numeratore: la cella H3 contiene l'errore di Excel #NUM!",
        "File errori_excel.xlsx, foglio serie_storiche, riga 4, colonna denominatore: la cella I4 contiene l'errore di Excel #NULL!",
    ],
    "caratteri_invisibili.xlsx": [
        "File caratteri_invisibili.xlsx, foglio indicatori, riga 2, colonna descrizione: la cella E2 contiene il carattere "
        "invisibile U+0000 (carattere nullo NUL) dopo «Tasso di evasione»",
        "File caratteri_invisibili.xlsx, foglio aree, riga 2, colonna ente: la cella A2 contiene il carattere invisibile U+200B "
        "(spazio a larghezza zero) dopo «CCIAA di»",
        "File caratteri_invisibili.xlsx, foglio obiettivi, riga 2, colonna titolo: la cella G2 contiene il carattere invisibile "
        "U+202E (segno invisibile di direzione del testo)",
        "File caratteri_invisibili.xlsx, foglio serie_storiche, riga 2, colonna titolo: la cella D2 contiene il carattere "
        "invisibile U+FEFF",
    ],
    "sosia.xlsx": [
        "File sosia.xlsx, foglio aree, riga 2, colonna ente: 'CCIAA di Crem\u043ena' contiene la lettera cirillica «\u043e» (U+043E)",
        "File sosia.xlsx, foglio indicatori, riga 4, colonna codice: '2019_01_01_1-\u04061' contiene la lettera cirillica «\u0406» (U+0406)",
        "File sosia.xlsx, foglio serie_storiche, riga 2, colonna ente: 'CCIAA DI CREMONA' è quasi uguale a 'CCIAA di Cremona' già "
        "nel cruscotto: cambia solo per maiuscole/minuscole",
    ],
    "foglio_solo_intestazione.xlsx": [
        "File foglio_solo_intestazione.xlsx, foglio cifre_chiave: il foglio ha solo l'intestazione, nessuna riga: caricandolo si "
        "cancellerebbero le 79 righe di cifre_chiave già nel cruscotto per CCIAA di Cremona 2019.",
    ],
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def messages(checked) -> list[str]:
    return [checked.error] if checked.error else [str(p) for p in checked.validated.errors]


def test_the_corpus_is_complete():
    on_disk = {p.name for p in BAD.iterdir() if p.name != "make_bad_files.py" and not p.name.startswith(".")}
    assert on_disk == set(EXPECTED) | {"colonne_in_piu.xlsx", "serie_storiche.csv"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gets_its_messages_and_leaves_the_store_byte_for_byte(name, db_path):
    data = (BAD / name).read_bytes()
    before = digest(db_path)
    con = store.connect(db_path)  # as the app: open the store, check the upload, try to import it
    try:
        checked = pipeline.check(con, data, name)
        assert not checked.ok
        found = messages(checked)
        for expected in EXPECTED[name]:
            assert any(expected in m for m in found), (expected, found)
        with pytest.raises(Exception):
            pipeline.commit(con, checked, data)
        if not checked.error:
            assert not pipeline.import_bytes(con, data, name).ok
    finally:
        con.close()
    assert digest(db_path) == before
    assert not (db_path.parent / f"{db_path.stem}.archivio").exists()  # nothing archived for a refused file


def test_windows_1252_csv_values_are_read_as_italian_numbers():
    from cruscotto.ingest.reader import read_bytes
    from cruscotto.ingest.validate import validate

    validated = validate(read_bytes((BAD / "serie_storiche.csv").read_bytes(), "serie_storiche.csv"))
    frame = validated.tables["serie_storiche"]
    first = frame[(frame["serie"] == "pratiche_evase_5gg") & (frame["anno_valore"] == 2013)].iloc[0]
    # the report: 'evase nei 5 giorni lavorativi 20212 su 31192 pratiche complessive (64,80%)'
    assert (first["valore"], first["numeratore"], first["denominatore"]) == (64.8, 20212.0, 31192.0)
    assert {p.sheet for p in validated.errors} == {"aree", "obiettivi", "indicatori"}  # only the missing tables


def test_windows_1252_csv_corrects_one_table_and_keeps_the_others(con):
    # Italian Excel's CSV of the shipped series, for the year already loaded: every figure reads back equal to the
    # shipped one ('64,80' = 64.8, '20.212' = 20212); the preview shows only the columns the CSV leaves out
    # (indicator link, quote, source line) being emptied; the tables left out of a one-table CSV keep their rows
    checked = pipeline.check(con, (BAD / "serie_storiche.csv").read_bytes(), "serie_storiche.csv")
    assert checked.ok, messages(checked)
    changes = {t.table: (len(t.added), t.changed_rows, len(t.removed)) for t in checked.preview.tables}
    serie = next(t for t in checked.preview.tables if t.table == "serie_storiche")
    assert set(serie.changed["colonna"]) == {"codice_indicatore", "testo_originale", "riga_fonte"}
    assert changes.pop("serie_storiche") == (0, 24, 0)
    assert all(counts == (0, 0, 0) for counts in changes.values())
    assert "aree" in checked.validated.kept_from_store
    assert any("Il file non ha il foglio «indicatori»: restano le 26 righe già caricate" in n for n in checked.notes)


def test_one_table_csv_changes_one_figure(con):
    # the performance office corrects one value with a CSV of indicatori only: one cell changes, nothing else
    frame = pd.read_csv(paths.DATA_DIR / "indicatori.csv", dtype=str, keep_default_na=False)
    frame.loc[frame["codice"] == "2019_01_02_2-I1", "valore_raggiunto"] = "30"  # masterclass: 30 as the narrative says
    data = frame.to_csv(sep=";", index=False).encode("utf-8-sig")
    checked = pipeline.check(con, data, "indicatori.csv")
    assert checked.ok, messages(checked)
    changed = {t.table: t.changed for t in checked.preview.tables if t.changed_rows}
    assert list(changed) == ["indicatori"]
    assert changed["indicatori"][["colonna", "prima", "dopo"]].values.tolist() == [["valore_raggiunto", "33", "30"]]
    pipeline.commit(con, checked, data, "ufficio")
    assert con.execute("SELECT vr_numero FROM indicatori WHERE codice = '2019_01_02_2-I1'").fetchone()[0] == 30
    assert con.execute("SELECT count(*) FROM obiettivi").fetchone()[0] == 31  # untouched


def test_one_table_csv_cannot_orphan_stored_rows(con):
    # dropping an indicator that stored cifre_chiave rows point at is refused, naming the stored table
    frame = pd.read_csv(paths.DATA_DIR / "indicatori.csv", dtype=str, keep_default_na=False)
    frame = frame[frame["codice"] != "2019_01_01-I1"]
    checked = pipeline.check(con, frame.to_csv(index=False).encode(), "indicatori.csv")
    assert not checked.ok
    assert any(m.startswith("File dati già nel cruscotto, foglio cifre_chiave") and "2019_01_01-I1" in m
               for m in messages(checked)), messages(checked)


def test_extra_column_is_a_warning_and_the_file_loads(con):
    checked = pipeline.check(con, (BAD / "colonne_in_piu.xlsx").read_bytes(), "colonne_in_piu.xlsx")
    assert checked.ok
    warnings = [str(p) for p in checked.validated.problems if p.severity == AVVISO]
    assert "File colonne_in_piu.xlsx, foglio indicatori, riga 1, colonna commento: colonna non prevista: è ignorata." in warnings


def test_problems_are_grouped_counted_and_downloadable():
    from cruscotto.ingest.reader import read_bytes
    from cruscotto.ingest.validate import validate

    problems = validate(read_bytes((BAD / "valori_anni_unita.xlsx").read_bytes(), "valori_anni_unita.xlsx")).problems
    summary = problems_summary(problems)
    # one non-number and one year out of range (Contenuto), one unit mixed in a series (Unità di misura)
    assert dict(zip(summary["Gruppo"], summary["Errori"])) == {"Contenuto": 2, "Unità di misura": 1}
    text = problems_csv(problems).decode("utf-8-sig")
    assert text.splitlines()[0] == "Gravità;Gruppo;File;Foglio;Riga;Colonna;Problema"
    assert "serie_storiche;2;valore;'circa sessantacinque' non è un numero" in text


def test_a_million_rows_of_something_else_is_refused_before_parsing(tmp_path):
    from cruscotto.ingest.reader import ReadError, read_bytes

    data = b"data;ora;importo\n" + b"01/01/2020;12:00;1,5\n" * 1_000_000
    with pytest.raises(ReadError, match="più di 100.000 righe"):
        read_bytes(data, "movimenti.csv")


def test_cli_validate_names_the_cell(capsys):
    assert main(["validate", str(BAD / "formule.xlsx")]) == 1
    assert "foglio cifre_chiave, riga 4, colonna valore (cella F4)" in capsys.readouterr().err


def test_generator_is_deterministic(tmp_path):
    """Running the committed script again gives the committed bytes (for files that do not depend on data/ changes,
    and for the others as long as data/ has not changed since they were made)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_bad_files", BAD / "make_bad_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first, second = module.build(), module.build()
    assert first == second
    for name in ("tipo_sbagliato.pdf", "vuoto.xlsx", "estensione_rinominata.xlsx", "protetto_password.xlsx", "zip_bomb.xlsx"):
        assert first[name] == (BAD / name).read_bytes(), name


def test_an_oversized_workbook_is_refused_before_parsing():
    """120.000 rows (a million take the generator 20 s; the row count is read from the XML before any parsing)."""
    import xlsxwriter

    from cruscotto.ingest.reader import ReadError, read_bytes

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    sheet = book.add_worksheet("indicatori")
    for row in range(120_000):
        sheet.write_number(row, 0, row)
    book.close()
    with pytest.raises(ReadError) as info:
        read_bytes(buffer.getvalue(), "estratto_conto.xlsx")
    assert str(info.value).startswith("File estratto_conto.xlsx, foglio indicatori: 120.000 righe, oltre il limite di 100.000")


def test_a_file_beyond_the_size_limit_is_refused_with_its_size_written_the_italian_way():
    from cruscotto.ingest.reader import MAX_FILE_BYTES, ReadError, read_bytes

    data = b"ente;anno\n" + b"x" * (MAX_FILE_BYTES + 860_000)  # 10 + 50.860.000 bytes = 50,86 MB, written 50,9
    with pytest.raises(ReadError) as info:
        read_bytes(data, "serie_storiche.csv")
    assert str(info.value) == "File serie_storiche.csv: 50,9 MB, oltre il limite di 50 MB."
