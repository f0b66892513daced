"""Named users and roles (issue 16, item 4): [[utenti]] in secrets.toml, failing closed; a login by name and password,
slowed down like the editor password; in the app an editor of chamber A cannot change chamber B (upload refused whole,
rollback refused), the OIV writes notes and cannot upload, and the version record names the user."""
from __future__ import annotations

import pytest
from builders.apptest import run, texts
from builders.workbooks import XLSX, shipped_frames
from streamlit.testing.v1 import AppTest

from cruscotto import auth, pipeline
from cruscotto.present.workbook import to_xlsx
from cruscotto.store import versions

PASSWORD = "parola-segreta-2020"
CREMONA, PISA = "CCIAA di Cremona", "CCIAA di Pisa"


@pytest.fixture(scope="module")
def stored_hash() -> str:
    return auth.hash_password(PASSWORD)  # one scrypt for the whole module


def users_toml(stored: str, *entries: str) -> str:
    return "\n".join(f'[[utenti]]\nnome = "{nome}"\nhash = "{stored}"\nruolo = "{ruolo}"\n' + (f"enti = {enti}\n" if enti else "")
                     for nome, ruolo, enti in (e.split("|") for e in entries))


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    for name in (auth.ENV_VAR, auth.LOCAL_MODE_ENV):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "secrets.toml"


# ------------------------------------------------------------------------------------------- settings
def test_users_are_read_with_role_and_chambers(secrets, stored_hash):
    secrets.write_text(users_toml(stored_hash, f'mario|editor|["{CREMONA}"]', 'anna|oiv|', 'capo|editor|["*"]',
                                  'lea|lettore|'), encoding="utf-8")
    config = auth.editor_config(secrets)
    assert not config.problem and not config.read_only and config.hash is None
    assert [(u.nome, u.ruolo, u.enti) for u in config.users] == [
        ("mario", "editor", frozenset({CREMONA})), ("anna", "oiv", None), ("capo", "editor", None), ("lea", "lettore", None)]
    assert not auth.is_editor(PASSWORD, config)  # the one-password check does not apply to named users


@pytest.mark.parametrize("toml, says", [
    ('[[utenti]]\nnome = "mario"\nhash = "{h}"\nruolo = "editor"\n', "enti dev'essere l'elenco"),
    ('[[utenti]]\nnome = "mario"\nhash = "{h}"\nruolo = "capo"\nenti = ["*"]\n', "ruolo «capo» non ammesso"),
    ('[[utenti]]\nnome = "mario"\npassword = "x"\nhash = "{h}"\nruolo = "oiv"\n', "ha «password»"),
    ('[[utenti]]\nnome = "mario"\nhash = "{h}"\nruolo = "oiv"\nente = "x"\n', "ha «ente»"),
    ('[[utenti]]\nnome = "mario"\nhash = "corto"\nruolo = "oiv"\n', "l'hash della password non è valido"),
    ('[[utenti]]\nnome = "mario"\nhash = "{h}"\nruolo = "oiv"\n[[utenti]]\nnome = "Mario"\nhash = "{h}"\nruolo = "oiv"\n',
     "il nome compare due volte"),
    ('[[utenti]]\nhash = "{h}"\nruolo = "oiv"\n', "non ha un nome"),
    ('editor_password_hash = "{h}"\n[[utenti]]\nnome = "a"\nhash = "{h}"\nruolo = "oiv"\n', "non entrambi"),
    ('utenti = "mario"\n', "dev'essere un elenco di tabelle"),
    ('[[utenti]]\nnome = "a"\nhash = "{h}"\nruolo = "editor"\nenti = ["*", "CCIAA di Cremona"]\n', "insieme ad altri nomi"),
])
def test_a_user_that_cannot_be_trusted_makes_nobody_editor(secrets, stored_hash, toml, says):
    secrets.write_text(toml.replace("{h}", stored_hash), encoding="utf-8")
    config = auth.editor_config(secrets)
    assert config.problem and says in config.problem and not config.users
    assert not auth.attempt_user_login("mario", PASSWORD, config, "s").ok


def test_roles_say_who_may_do_what():
    mario = auth.Utente("mario", auth.EDITOR, frozenset({CREMONA}))
    anna = auth.Utente("anna", auth.OIV, None)
    assert mario.may_change(CREMONA) and not mario.may_change(PISA)
    assert mario.may_annotate("motivazione", CREMONA) and not mario.may_annotate("nota OIV", CREMONA)
    assert not anna.may_import and anna.may_annotate("nota OIV", PISA) and not anna.may_annotate("commento", PISA)
    assert auth.Utente(None, auth.UNICO).may_annotate("nota OIV", PISA)


# ------------------------------------------------------------------------------------------- logins
class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_name_or_password_is_refused_the_same_and_slowed_down(secrets, stored_hash, caplog):
    secrets.write_text(users_toml(stored_hash, f'mario|editor|["{CREMONA}"]'), encoding="utf-8")
    config = auth.editor_config(secrets)
    clock = Clock()
    throttles = dict(per_session=auth.LoginThrottle(free=3, clock=clock), everyone=auth.LoginThrottle(free=10, clock=clock),
                     per_user=auth.LoginThrottle(free=5, clock=clock))
    assert auth.attempt_user_login("mario", "sbagliata", config, "s1", **throttles).message == "Nome utente o password non corretti."
    assert auth.attempt_user_login("nessuno", PASSWORD, config, "s1", **throttles).message == "Nome utente o password non corretti."
    assert auth.attempt_user_login("mario", "sbagliata", config, "s1", **throttles).message == "Nome utente o password non corretti."
    refused = auth.attempt_user_login("mario", PASSWORD, config, "s1", **throttles)  # even the right one must wait
    assert not refused.ok and refused.message == "Troppi tentativi: riprovare tra 2 secondi."
    clock.now += 2
    result = auth.attempt_user_login("Mario", PASSWORD, config, "s1", **throttles)
    assert result.ok and result.user.nome == "mario"
    assert not [r for r in caplog.records if PASSWORD in r.getMessage() or "sbagliata" in r.getMessage()]


def test_one_users_password_guessed_from_many_sessions_is_slowed_down(secrets, stored_hash):
    secrets.write_text(users_toml(stored_hash, f'mario|editor|["{CREMONA}"]'), encoding="utf-8")
    config = auth.editor_config(secrets)
    clock = Clock()
    throttles = dict(per_session=auth.LoginThrottle(free=3, clock=clock), everyone=auth.LoginThrottle(free=100, clock=clock),
                     per_user=auth.LoginThrottle(free=5, clock=clock))
    for session in range(5):
        assert not auth.attempt_user_login("mario", "x", config, f"s{session}", **throttles).ok
    assert auth.attempt_user_login("mario", PASSWORD, config, "nuova", **throttles).message.startswith("Troppi tentativi")


# ------------------------------------------------------------------------------------------- rollback
def test_an_editor_cannot_roll_back_another_chambers_data(con):
    frames = shipped_frames()
    for frame in frames.values():
        frame["ente"] = PISA
    assert pipeline.import_bytes(con, to_xlsx(frames), "pisa.xlsx", "capo").version == 2
    assert versions.chambers_changed_by_rollback(con, 1) == {PISA}
    with pytest.raises(versions.VersionError, match=f"cambierebbe anche i dati di {PISA}"):
        versions.rollback(con, 1, utente="mario", enti_ammessi=frozenset({CREMONA}))
    assert versions.current_version(con) == 2
    assert versions.rollback(con, 1, utente="luca", enti_ammessi=frozenset({PISA})) == 3
    assert versions.list_versions(con)[0].utente == "luca"


# ------------------------------------------------------------------------------------------- the app
@pytest.fixture
def app(app, monkeypatch, tmp_path, stored_hash):
    """The conftest factory with three named users (mario: editor of Cremona, luca: of Pisa, anna: OIV) instead of the
    local mode: open(page, nome, password) opens the page and, given a name, logs in."""
    monkeypatch.delenv(auth.LOCAL_MODE_ENV, raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(users_toml(stored_hash, f'mario|editor|["{CREMONA}"]', f'luca|editor|["{PISA}"]', 'anna|oiv|'),
                       encoding="utf-8")
    monkeypatch.setattr(auth, "SECRETS_PATH", secrets)
    open_app = app

    def open_page(page: str, nome: str | None = None, password: str = PASSWORD) -> AppTest:
        at = open_app(page)
        if nome:
            at.text_input(key=f"nome_utente_{'carica' if 'carica' in page else 'annotazioni'}").set_value(nome)
            at.text_input(key=f"password_utente_{'carica' if 'carica' in page else 'annotazioni'}").set_value(password)
            next(b for b in at.button if b.label == "Accedi").click()
            run(at)
        return at

    return open_page


def record(at: AppTest):
    """The record of versions as «Carica dati» shows it, newest first."""
    return next(d.value for d in at.dataframe if "Utente" in d.value.columns)


def test_without_login_nobody_uploads_and_a_wrong_password_is_refused(app):
    at = app("pages/carica_dati.py")
    assert not at.file_uploader and "Riservato all'editor." in texts(at.caption)
    at = app("pages/carica_dati.py", "mario", "sbagliata")
    assert "Nome utente o password non corretti." in texts(at.error) and not at.file_uploader


def test_an_editor_of_pisa_cannot_upload_cremonas_data(app, db_path):
    at = app("pages/carica_dati.py", "luca")
    assert any("Accesso come luca (editor di CCIAA di Pisa)." in t for t in texts(at.success))
    frames = shipped_frames()
    frames["indicatori"].loc[frames["indicatori"]["codice"] == "2019_02_01-I1", "valore_raggiunto"] = "= 137,60%"
    at.file_uploader[0].set_value(("relazione_2019.xlsx", to_xlsx(frames), XLSX))
    run(at)
    errors = " ".join(texts(at.error))
    assert "Il file non può essere caricato" in errors
    listed = next(d.value for d in at.dataframe if "Problema" in d.value.columns)
    assert "il file contiene dati dell'ente «CCIAA di Cremona», che luca (editor di CCIAA di Pisa) non può modificare" \
        in " ".join(listed["Problema"])
    assert not [b for b in at.button if b.label == "Conferma il caricamento"]
    assert list(record(at)["Versione"]) == [1]


def test_an_editor_of_cremona_uploads_and_the_version_names_them(app, db_path):
    at = app("pages/carica_dati.py", "mario")
    assert not [t for t in at.text_input if t.key == "utente_caricamento"]  # the login names who acts
    frames = shipped_frames()
    frames["indicatori"].loc[frames["indicatori"]["codice"] == "2019_02_01-I1", "valore_raggiunto"] = "= 137,60%"
    at.file_uploader[0].set_value(("relazione_2019.xlsx", to_xlsx(frames), XLSX))
    run(at)
    at.button(key="conferma_caricamento").click()
    run(at)
    assert list(record(at)["Utente"]) == ["mario", "build"]


def test_the_oiv_cannot_upload_but_writes_a_note_signed_with_its_name(app, db_path):
    at = app("pages/carica_dati.py", "anna")
    assert any("anna (OIV)" in t for t in texts(at.success)) and not at.file_uploader
    at = app("pages/indicatori.py")
    at.selectbox(key="dettaglio").set_value("2019_02_01-I1")
    at.session_state["su_richiesta_scrivi_annotazione"] = True  # «Scrivi una motivazione, una nota o un commento»
    run(at)
    at.text_input(key="nome_utente_annotazioni").set_value("anna")
    at.text_input(key="password_utente_annotazioni").set_value(PASSWORD)
    next(b for b in at.button if b.label == "Accedi").click()
    run(at)
    assert [r.options for r in at.radio] == [["Nota dell'OIV"]]  # the OIV writes notes only
    at.text_area(key="testo_annotazione_2019_02_01-I1_nota OIV").set_value("Chiedere all'ufficio la motivazione.")
    next(b for b in at.button if b.label == "Registra").click()
    run(at)
    assert any("Registrato: nota dell'OIV di 2019_02_01-I1 (versione 2)" in t for t in texts(at.success))
    assert "Chiedere all'ufficio la motivazione." in [t.value for t in at.text]
    at.switch_page("pages/carica_dati.py")
    run(at)
    assert list(record(at)["Utente"]) == ["anna", "build"]
