"""Public references with their sources (issue 16, item 3): shipped in data/riferimenti.csv with the figures the issue
gives, uploadable as the sheet (or CSV) «riferimenti», the address a web address and the date a date."""
from __future__ import annotations

from cruscotto import pipeline
from cruscotto.store import queries

ENTE = "CCIAA di Cremona"
HEADER = "ente;anno;riferimento;territorio;anno_valore;valore;unita;fonte;url;consultato_il;dettaglio;note\n"


def test_the_shipped_references_are_the_figures_of_the_issue_with_their_source(con):
    shipped = queries.run(con, "riferimenti", {"ente": ENTE})
    assert sorted(zip(shipped["territorio"], shipped["anno_valore"], shipped["valore"])) == sorted([
        ("CCIAA di Pisa", 2019, 99.3), ("Toscana", 2019, 80.8), ("Italia", 2019, 75.4), ("CCIAA di Cosenza", 2018, 99.0),
        ("CCIAA di Salerno", 2013, 42.32)])
    assert set(shipped["riferimento"]) == {"pratiche_evase_5gg"} and set(shipped["unita"]) == {"%"}
    assert set(shipped["fonte"]) == {"pubblicazioni delle camere di commercio e stampa"}
    assert shipped["url"].isna().all()  # no address was recorded: none is made up (data/README.md)
    italia = shipped[shipped["territorio"] == "Italia"].iloc[0]
    assert italia["dettaglio"] == "4.082.172 pratiche, 5,8 giorni medi"


def test_an_uploaded_reference_replaces_the_years_references_and_keeps_its_source(con):
    rows = (f"{ENTE};2019;pratiche_evase_5gg;Lombardia;2019;88,5;%;Unioncamere Lombardia, rapporto 2019;"
            "https://www.example.org/rapporto-2019.pdf;5/3/2020;;\n")
    result = pipeline.import_bytes(con, (HEADER + rows).encode("utf-8"), "riferimenti.csv", "ufficio")
    assert result.ok and result.version == 2, [str(p) for p in result.validated.problems]
    stored = queries.run(con, "riferimenti", {"ente": ENTE})
    assert list(zip(stored["territorio"], stored["valore"], stored["url"], stored["consultato_il"])) == [
        ("Lombardia", 88.5, "https://www.example.org/rapporto-2019.pdf", "05/03/2020")]


def test_an_address_that_is_not_a_web_address_and_a_date_that_is_not_one_are_refused(con):
    rows = (f"{ENTE};2019;pratiche_evase_5gg;Italia;2019;75,4;%;stampa;javascript:alert(1);;;\n"
            f"{ENTE};2019;pratiche_evase_5gg;Toscana;2019;80,8;%;stampa;;31/02/2020;;\n"
            f"{ENTE};2019;pratiche_evase_5gg;Pisa;2019;99,3;%;;;;;\n")
    result = pipeline.import_bytes(con, (HEADER + rows).encode("utf-8"), "riferimenti.csv", "ufficio")
    assert not result.ok
    where = {(p.row, p.column): p.message for p in result.validated.errors}
    assert "non è un indirizzo web: deve cominciare con http:// o https://" in where[(2, "url")]
    assert "'31/02/2020' non è una data" in where[(3, "consultato_il")]
    assert "valore obbligatorio mancante" in where[(4, "fonte")]  # a reference without its source is not one


def test_a_reference_to_nothing_the_chamber_has_is_a_warning(con):
    rows = f"{ENTE};2019;pratiche_evase_10gg;Italia;2019;90;%;stampa;;;;\n"
    result = pipeline.import_bytes(con, (HEADER + rows).encode("utf-8"), "riferimenti.csv", "ufficio")
    assert result.ok
    warning = next(p for p in result.validated.problems if p.column == "riferimento")
    assert warning.severity == "avviso" and "non comparirà in nessun grafico" in warning.message
