"""«Dati come alla versione N» (issue 16, item 5): every page reading through ui.data shows the state of an earlier
version, read-only and said so, from the sidebar or from a link (?versione=N); «Carica dati» stays on the current data.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hostile_data import rendered
from streamlit.runtime import memory_media_file_storage as media
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as app_test_module
from upload_helpers import workbook_2019_corrected

from cruscotto import auth, pipeline, store

ROOT = Path(__file__).resolve().parent.parent
INDICATORE = "2019_02_01-I1"


class _Storage(media.MemoryMediaFileStorage):
    """Remembers what each download button would give (as tests/test_upload_page.py)."""
    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        _Storage.files[file_id] = self._files_by_id[file_id].content
        return file_id


def download(at: AppTest, label: str) -> bytes:
    button = next(b for b in at.get("download_button") if b.label == label)
    return _Storage.files[button.proto.url.rsplit("/", 1)[1].split(".")[0]]


@pytest.fixture
def app(db_path, monkeypatch, tmp_path):
    """Version 1: data/ as shipped; 2: the valore raggiunto of 2019_02_01-I1 corrected to 90,22% (missed); 3: its
    motivazione."""
    con = store.connect(db_path)
    try:
        assert pipeline.import_bytes(con, workbook_2019_corrected("= 90,22%"), "correzione.xlsx", "ufficio").version == 2
        assert pipeline.annotate(con, "CCIAA di Cremona", 2019, INDICATORE, "motivazione",
                                 "Letta la modalità di calcolo alla lettera.", utente="ufficio").version == 3
    finally:
        con.close()
    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setattr(app_test_module, "MemoryMediaFileStorage", _Storage)
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv(auth.ENV_VAR, raising=False)
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")
    monkeypatch.setattr(auth, "SECRETS_PATH", tmp_path / "secrets.toml")

    def open_page(page: str, **query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(page)
        return run(at)

    return open_page


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(elements) -> list[str]:
    return [rendered(e.value) for e in elements]


def detail(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_the_indicator_as_it_was_at_version_1_read_only(app):
    at = app("pages/indicatori.py", indicatore=INDICATORE)
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
    findings = next(d.value for d in at.dataframe if "Rilievo" in d.value.columns)
    assert "Valore atteso mancato senza motivo dello scostamento" in set(findings["Rilievo"])
    at.selectbox(key="versione").set_value(0)  # back to the current data: resolved by the motivazione
    run(at)
    findings = next(d.value for d in at.dataframe if "Rilievo" in d.value.columns)
    assert "Valore atteso mancato senza motivo dello scostamento" not in set(findings["Rilievo"])
    assert not [w for w in texts(at.warning) if "Dati come alla versione" in w]
    shown = next(d.value for d in at.dataframe if "Testo" in d.value.columns)
    assert list(shown["Testo"]) == ["Letta la modalità di calcolo alla lettera."]  # in the Verifica too


def test_carica_dati_stays_on_the_current_data(app):
    at = app("pages/carica_dati.py", versione="1")
    assert any("questa pagina mostra e modifica comunque i dati attuali (versione 3)" in i for i in texts(at.info))


def test_the_motivazione_is_on_the_indicator_and_in_its_exports(app):
    at = app("pages/indicatori.py", indicatore=INDICATORE)
    assert "Letta la modalità di calcolo alla lettera." in detail(at)
    assert any(m.startswith("*Motivazione dello scostamento* — ufficio · ") for m in (e.value for e in at.markdown))
    exported = download(at, "CSV · 1 riga").decode("utf-8-sig")  # the table «Motivazioni e note» of the indicator
    assert "Letta la modalità di calcolo alla lettera." in exported and "Motivazione dello scostamento" in exported
    assert exported.splitlines()[0].split(";") == ["Indicatore", "Descrizione", "Tipo", "Testo", "Autore", "Scritta il"]
