"""«Dati come alla versione N» (issue 16, item 5): every page reading through ui.data shows the state of an earlier
version, read-only and said so, from the sidebar or from a link (?versione=N); «Carica dati» stays on the current data.
"""
from __future__ import annotations

import pytest
from builders.apptest import download, run, shown, texts
from builders.workbooks import workbook_2019_corrected

from cruscotto import pipeline, store

INDICATORE = "2019_02_01-I1"


@pytest.fixture
def app(app, db_path):
    """Version 1: data/ as shipped; 2: the valore raggiunto of 2019_02_01-I1 corrected to 90,22% (missed); 3: its
    motivazione."""
    con = store.connect(db_path)
    try:
        assert pipeline.import_bytes(con, workbook_2019_corrected("= 90,22%"), "correzione.xlsx", "ufficio").version == 2
        assert pipeline.annotate(con, "CCIAA di Cremona", 2019, INDICATORE, "motivazione",
                                 "Letta la modalità di calcolo alla lettera.", utente="ufficio").version == 3
    finally:
        con.close()
    return app  # the conftest factory, on these three versions


def detail(at) -> list[str]:
    return [t.value for t in at.text]


def test_the_indicator_as_it_was_at_version_1_read_only(app):
    at = app("pages/indicatori.py", dettaglio=INDICATORE)
    assert "Valore raggiunto: = 90,22%" in detail(at) and "Letta la modalità di calcolo alla lettera." in detail(at)
    assert [e for e in at.expander if e.label.startswith("Scrivi una motivazione")]
    versions = at.selectbox(key="versione")
    assert versions.options[0] == "attuale (versione 3)" and len(versions.options) == 3
    versions.set_value(1)
    run(at)
    assert "Valore raggiunto: = 137,56%" in detail(at)  # as shipped
    assert "Letta la modalità di calcolo alla lettera." not in detail(at)
    assert any(w.startswith("Dati come alla versione 1 · ") and "in sola lettura" in w for w in texts(at.warning))
    assert not [e for e in at.expander if e.label.startswith("Scrivi una motivazione")]  # nothing to write there
    assert any("versione dei dati: 1" in c for c in texts(at.caption))


def test_a_link_shows_the_verifica_of_version_2_with_the_finding_the_motivazione_later_resolved(app):
    at = app("pages/verifica.py", versione="2")
    assert any("Dati come alla versione 2 · " in w for w in texts(at.warning))
    findings = shown(at, "Rilievo")
    assert "Valore atteso mancato senza motivo dello scostamento" in set(findings["Rilievo"])
    at.selectbox(key="versione").set_value(0)  # back to the current data: resolved by the motivazione
    run(at)
    findings = shown(at, "Rilievo")
    assert "Valore atteso mancato senza motivo dello scostamento" not in set(findings["Rilievo"])
    assert not [w for w in texts(at.warning) if "Dati come alla versione" in w]
    assert list(shown(at, "Testo")["Testo"]) == ["Letta la modalità di calcolo alla lettera."]  # in the Verifica too


def test_carica_dati_stays_on_the_current_data(app):
    at = app("pages/carica_dati.py", versione="1")
    assert any("questa pagina mostra e modifica comunque i dati attuali (versione 3)" in i for i in texts(at.info))


def test_the_motivazione_is_on_the_indicator_and_in_its_exports(app):
    at = app("pages/indicatori.py", dettaglio=INDICATORE)
    assert "Letta la modalità di calcolo alla lettera." in detail(at)
    assert any(m.startswith("*Motivazione dello scostamento* — ufficio · ") for m in (e.value for e in at.markdown))
    exported = download(at, "CSV · 1 riga").decode("utf-8-sig")  # the table «Motivazioni e note» of the indicator
    assert "Letta la modalità di calcolo alla lettera." in exported and "Motivazione dello scostamento" in exported
    assert exported.splitlines()[0].split(";") == ["Indicatore", "Descrizione", "Tipo", "Testo", "Autore", "Scritta il"]
