"""The page «Carica dati» under AppTest, through app.py as the server runs it: template, bad file, preview,
confirm, the new data on the other pages, versions and rollback, and the editor password."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from builders.apptest import config, download, rendered, run, texts
from builders.workbooks import XLSX, commit_file, shipped_frames, workbook_2019_corrected, workbook_2020

from cruscotto import auth, store
from cruscotto.ingest import diff
from cruscotto.present.workbook import to_xlsx
from ui.pages_spec import path

PAGE = path("carica_dati")


def test_local_mode_is_said_and_template_downloads(app):
    at = app(PAGE)
    assert any("Modalità locale a utente singolo" in t for t in texts(at.info))
    assert "Dimensione massima: 20 MB" in " ".join(texts(at.caption))  # server.maxUploadSize in .streamlit/config.toml
    book = openpyxl.load_workbook(io.BytesIO(download(at, "Scarica il modello (.xlsx)")))
    assert book.sheetnames[0] == "istruzioni" and {"aree", "obiettivi", "indicatori", "elenchi"} <= set(book.sheetnames)
    assert [c.value for c in book["aree"][1]][:3] == ["ente", "anno", "codice"]


def test_bad_file_shows_grouped_errors_and_a_download(app, db_path):
    at = app(PAGE)
    bad = (Path(__file__).parent / "bad_files" / "va_illeggibile.xlsx").read_bytes()
    at.file_uploader[0].set_value(("va_illeggibile.xlsx", bad, XLSX))
    run(at)
    errors = " ".join(texts(at.error))
    assert "Il file non può essere caricato: 1 errore." in errors and "Il database non è stato modificato" in errors
    problems = at.dataframe[1].value
    assert list(problems["Foglio"]) == ["indicatori"] and list(problems["Riga"]) == [12]
    assert list(problems["Colonna"]) == ["valore_atteso"]
    csv = download(at, "Scarica l'elenco dei problemi (.csv)").decode("utf-8-sig")
    assert "indicatori;12;valore_atteso;\"'>= ottanta per cento' non riconosciuto; atteso" in csv  # quoted: the message has a ';'
    assert not [b for b in at.button if b.label == "Conferma il caricamento"]


def test_unreadable_file_gets_one_clear_message(app):
    at = app(PAGE)
    at.file_uploader[0].set_value(("relazione.xlsx", b"PK\x03\x04 non sono un foglio", XLSX))
    run(at)
    assert [rendered(t) for t in texts(at.error)] == ["File relazione.xlsx: il file è danneggiato o troncato e non si può aprire. Il database non è stato modificato."]


def test_upload_preview_confirm_then_every_page_sees_2020_then_rollback(app):
    at = app(PAGE)
    at.text_input(key="utente_caricamento").set_value("Ufficio performance")
    at.file_uploader[0].set_value(("relazione_2020.xlsx", workbook_2020(), XLSX))
    run(at)
    assert any("nessun errore" in s.label for s in at.status)
    counts = at.dataframe[0].value.set_index("Tabella")
    assert counts.loc["obiettivi", "Aggiunte"] == 32 and counts.loc["indicatori", "Modificate"] == 0  # 31 + 1 new
    written = [rendered(t) for t in texts(at.markdown)]
    # 2020 is not in the store yet: the upload adds it, it replaces nothing
    assert "Anni aggiunti: 2020 (CCIAA di Cremona)." in written and "Confronto con la versione 1." in written
    assert not any(t.startswith("Anni sostituiti") for t in written)

    at.button(key="conferma_caricamento").click()
    run(at)
    assert rendered(texts(at.success)[0]).startswith("Caricato relazione_2020.xlsx: ora i dati sono alla versione 2.")
    record = at.dataframe[0].value
    assert list(record["Versione"]) == [2, 1] and record["Utente"].iloc[0] == "Ufficio performance"

    # the other pages: the year selector now offers 2020 (newest first) and Panoramica draws it
    at.switch_page("pages/panoramica.py")
    run(at)
    assert at.sidebar.selectbox(key="anno").options == ["2020", "2019"]

    at.switch_page(PAGE)
    run(at)
    at.selectbox(key="versione_da_ripristinare").set_value(1)
    run(at)
    assert at.button(key="conferma_ripristino").label == "Ripristina la versione 1"
    at.text_input(key="utente_ripristino").set_value("Segreteria generale")
    at.button(key="conferma_ripristino").click()
    run(at)
    assert "Ripristinata la versione 1: ora i dati sono alla versione 3." in texts(at.success)
    record = at.dataframe[0].value
    assert list(record["Versione"][:1]) == [3] and record["Utente"].iloc[0] == "Segreteria generale"
    con = store.connect(store.db_path(), read_only=False)
    try:
        assert [r[0] for r in con.execute("SELECT DISTINCT anno FROM indicatori").fetchall()] == [2019]
    finally:
        con.close()


def test_rollback_preview_is_computed_when_a_version_is_chosen_and_the_button_comes_only_with_it(app, db_path, monkeypatch):
    """On the national data the preview of a rollback took minutes and was computed at every run of the page: now
    only once a version is chosen, once per (data version, version chosen); the button to restore stays below it."""
    con = store.connect(db_path, read_only=False)
    try:
        commit_file(con, workbook_2020(), "relazione_2020.xlsx")
    finally:
        con.close()
    computed, original = [], diff.preview_rollback
    monkeypatch.setattr(diff, "preview_rollback", lambda con, target: computed.append(target) or original(con, target))
    at = app(PAGE)
    assert at.selectbox(key="versione_da_ripristinare").value is None and computed == []
    assert not [b for b in at.button if b.label.startswith("Ripristina")]
    at.selectbox(key="versione_da_ripristinare").set_value(1)
    run(at)
    counts = next(d.value for d in at.dataframe if "Tabella" in d.value.columns).set_index("Tabella")
    # restoring 1 removes the whole of 2020 (31 objectives of 2019 moved + 1 new) and keeps the 31 of 2019
    assert (counts.loc["obiettivi", "Rimosse"], counts.loc["obiettivi", "Invariate"]) == (32, 31)
    assert at.button(key="conferma_ripristino").label == "Ripristina la versione 1"
    run(at)  # any later run of the page on the same data: the preview is not computed again
    assert computed == [1]


def test_correction_preview_lists_the_changed_cell(app):
    at = app(PAGE)
    at.file_uploader[0].set_value(("relazione_2019.xlsx", workbook_2019_corrected("= 137,60%"), XLSX))
    run(at)
    labels = [e.label for e in at.expander]
    assert "indicatori: 0 aggiunte, 1 modificata, 0 rimosse, 25 invariate" in labels
    changed = next(d.value for d in at.dataframe if "colonna" in d.value.columns)
    assert changed.iloc[0][["codice", "colonna", "prima", "dopo"]].tolist() == ["2019_02_01-I1", "valore_raggiunto", "= 137,56%", "= 137,60%"]


def test_editor_password_guards_upload_and_rollback(app, monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password("parola-segreta-2020"))
    at = app(PAGE)
    assert not at.file_uploader  # viewers: no upload
    assert "Riservato all'editor." in texts(at.caption)
    at.text_input(key="password_editor").set_value("sbagliata")
    at.button[0].click()
    run(at)
    assert "Password non corretta." in texts(at.error)
    assert not at.file_uploader
    at.text_input(key="password_editor").set_value("parola-segreta-2020")
    at.button[0].click()
    run(at)
    assert "Accesso come editor." in texts(at.success)
    assert at.file_uploader


def test_malformed_hash_disables_editing(app, monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, "non-un-hash")
    at = app(PAGE)
    assert any("non è valido" in t for t in texts(at.error))
    assert not at.file_uploader


def test_viewer_cannot_download_archived_uploads_editor_can(app, monkeypatch, db_path):
    # two uploads: version 2 (the 2020 workbook) and 3; version 2 is then restorable and its file archived
    uploaded = workbook_2020()
    con = store.connect(db_path, read_only=False)
    try:
        commit_file(con, uploaded, "relazione_2020.xlsx")
        commit_file(con, workbook_2019_corrected("= 137,60%"), "relazione_2019.xlsx")
    finally:
        con.close()
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password("parola-segreta-2020"))
    at = app(PAGE)
    at.selectbox(key="versione_da_ripristinare").set_value(2)
    run(at)
    assert not at.get("download_button") or not [b for b in at.get("download_button") if "file caricato" in b.label]
    assert "Il ripristino e il file caricato nella versione sono riservati all'editor." in texts(at.caption)
    at.text_input(key="password_editor").set_value("parola-segreta-2020")
    at.button[0].click()
    run(at)
    at.selectbox(key="versione_da_ripristinare").set_value(2)
    run(at)
    assert download(at, "Scarica il file caricato nella versione 2") == uploaded


def test_without_any_setting_the_page_is_read_only_and_says_how_to_enable_editing(app, monkeypatch):
    monkeypatch.delenv(auth.LOCAL_MODE_ENV)
    at = app(PAGE)
    assert not at.file_uploader and not [b for b in at.button if b.label.startswith("Ripristina")]
    assert not [i for i in texts(at.info) if "Modalità locale" in i]
    help_ = next(e for e in at.expander if e.label == "Per l'amministratore")
    assert not help_.proto.expanded
    assert "hash-password" in " ".join(texts(help_.markdown)) and auth.LOCAL_MODE_ENV in " ".join(texts(help_.markdown))


def test_empty_hash_in_secrets_is_an_error_even_in_local_mode(app, tmp_path):
    (tmp_path / "secrets.toml").write_text('editor_password_hash = ""\n', encoding="utf-8")
    at = app(PAGE)
    assert any("è vuoto" in t for t in texts(at.error))
    assert not at.file_uploader


def test_misnamed_key_in_secrets_is_an_error_naming_it(app, tmp_path):
    (tmp_path / "secrets.toml").write_text(f'editor_password = "{auth.hash_password("parola-segreta-2020")}"\n',
                                           encoding="utf-8")
    at = app(PAGE)
    assert any("«editor_password» non è letta" in t for t in texts(at.error))
    assert not at.file_uploader and not [f for f in at.get("form")]


def test_repeated_wrong_passwords_ask_to_wait(app, monkeypatch):
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password("parola-segreta-2020"))
    at = app(PAGE)
    for _ in range(3):
        at.text_input(key="password_editor").set_value("sbagliata")
        at.button[0].click()
        run(at)
        assert "Password non corretta." in texts(at.error)
    at.text_input(key="password_editor").set_value("parola-segreta-2020")  # even the right one, for now
    at.button[0].click()
    run(at)
    assert any(t.startswith("Troppi tentativi: riprovare tra ") for t in texts(at.error))
    assert not at.file_uploader
def test_an_empty_sheet_asks_for_confirmation_before_it_empties_the_table(app, db_path):
    # the 2019 workbook with cifre_chiave left with its header: nothing is offered for commit until the box is ticked
    frames = shipped_frames()
    frames["cifre_chiave"] = frames["cifre_chiave"].iloc[0:0]
    at = app(PAGE)
    at.file_uploader[0].set_value(("relazione_2019.xlsx", to_xlsx(frames), XLSX))
    run(at)
    assert any("svuoterebbe tabelle già caricate" in s.label for s in at.status)
    assert any("fogli con la sola intestazione" in w for w in texts(at.warning))
    assert not [b for b in at.button if b.label == "Conferma il caricamento"]
    box = next(c for c in at.checkbox if c.label.startswith("Confermo di svuotare"))
    assert box.label.startswith("Confermo di svuotare cifre_chiave (79 righe)")

    box.check()
    run(at)
    counts = next(d.value for d in at.dataframe if "Tabella" in d.value.columns).set_index("Tabella")
    assert counts.loc["cifre_chiave", "Rimosse"] == 79 and counts.loc["indicatori", "Rimosse"] == 0
    assert any("confermando si cancellano le 79 righe" in w for w in texts(at.warning))
    at.button(key="conferma_caricamento").click()
    run(at)
    assert texts(at.success)[0].startswith("Caricato relazione_2019.xlsx: ora i dati sono alla versione 2.")
    con = store.connect(db_path)
    try:
        assert con.execute("SELECT count(*) FROM cifre_chiave").fetchone()[0] == 0
    finally:
        con.close()


def test_a_problem_without_a_row_shows_a_dash_not_none(app):
    # foglio_mancante.xlsx lacks the «obiettivi» sheet: a problem of the whole sheet, with no row and no column
    at = app(PAGE)
    bad = (Path(__file__).parent / "bad_files" / "foglio_mancante.xlsx").read_bytes()
    at.file_uploader[0].set_value(("foglio_mancante.xlsx", bad, XLSX))
    run(at)
    problems = next(d for d in at.dataframe if "Riga" in d.value.columns)
    assert problems.value["Riga"].isna().iloc[0] and problems.proto.placeholder == "—"
    assert config(problems)["Riga"]["type_config"]["format"] == "%d"  # row 1234, not 1.234
