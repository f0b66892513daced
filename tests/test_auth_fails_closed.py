"""The editor role fails closed: a setting that is there but unusable makes nobody editor and says why; local
single-user mode only when asked for; failed logins slowed down and logged; weak passwords and hashes refused."""
from __future__ import annotations

import base64
import hashlib
import io
import logging

import pytest

from cruscotto import auth
from cruscotto.cli import main

PASSWORD = "parola-segreta-2020"


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    """A private secrets.toml (not written yet) and an environment without any of our settings."""
    for name in (auth.ENV_VAR, auth.LOCAL_MODE_ENV):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "secrets.toml"


def scrypt_hash(password: str, *, n=2**14, r=8, p=1, salt=b"s" * 16, dklen=32) -> str:
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=dklen)
    return f"scrypt${n}${r}${p}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def nobody_is_editor(config: auth.EditorConfig) -> bool:
    return bool(config.problem) and not config.local_mode and not auth.is_editor(PASSWORD, config) \
        and not auth.is_editor("", config)


# ------------------------------------------------------------------------------------------- settings
def test_nothing_configured_is_read_only_not_local_mode(secrets):
    config = auth.editor_config(secrets)
    assert config.read_only and not config.local_mode and not config.problem
    assert not auth.is_editor("", config)


@pytest.mark.parametrize("how", ["env", "secrets", "secrets-table"])
def test_local_mode_only_when_asked_for(secrets, monkeypatch, how):
    if how == "env":
        monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")
    elif how == "secrets":
        secrets.write_text("modalita_locale = true\n", encoding="utf-8")
    else:
        secrets.write_text("[cruscotto]\nmodalita_locale = true\n", encoding="utf-8")
    config = auth.editor_config(secrets)
    assert config.local_mode and not config.problem and auth.is_editor(None, config)
    assert "modalita_locale" in config.source.lower()


def test_local_mode_switched_off_or_unclear(secrets, monkeypatch):
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "0")
    assert auth.editor_config(secrets).read_only
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "forse")
    config = auth.editor_config(secrets)
    assert nobody_is_editor(config) and "«forse»" in config.problem


def test_a_configured_password_wins_over_local_mode(secrets, monkeypatch):
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password(PASSWORD))
    config = auth.editor_config(secrets)
    assert not config.local_mode and auth.is_editor(PASSWORD, config) and not auth.is_editor("", config)


@pytest.mark.parametrize("setting", ["env", "top", "table"])
def test_empty_hash_is_an_error_not_local_mode(secrets, monkeypatch, setting):
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")  # even with local mode asked for: someone meant a password
    if setting == "env":
        monkeypatch.setenv(auth.ENV_VAR, "   ")
    elif setting == "top":
        secrets.write_text('editor_password_hash = ""\n', encoding="utf-8")
    else:
        secrets.write_text('[cruscotto]\neditor_password_hash = ""\n', encoding="utf-8")
    config = auth.editor_config(secrets)
    assert nobody_is_editor(config) and "è vuoto" in config.problem


@pytest.mark.parametrize("text, named", [
    ('editor_password = "{h}"\n', "«editor_password»"),
    ('editor_hash = "{h}"\n', "«editor_hash»"),
    ('password_hash = "{h}"\n', "«password_hash»"),
    ('[auth]\neditor_password_hash = "{h}"\n', "«auth.editor_password_hash»"),
    # the TOML trap: a key written below another table's header belongs to that table
    ('[server]\nport = 8501\neditor_password_hash = "{h}"\n', "«server.editor_password_hash»"),
    ('[cruscotto]\neditor_password_hash_ = "{h}"\n', "«cruscotto.editor_password_hash_»"),
    ('[cruscotto]\nmodalita_local = true\n', "«cruscotto.modalita_local»"),
    ('Editor_Password_Hash = "{h}"\n', "«Editor_Password_Hash»"),
])
def test_misnamed_or_misplaced_key_is_an_error_naming_it(secrets, monkeypatch, text, named):
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")
    secrets.write_text(text.format(h=auth.hash_password(PASSWORD)), encoding="utf-8")
    config = auth.editor_config(secrets)
    assert nobody_is_editor(config) and named in config.problem and "[cruscotto]" in config.problem


def test_misnamed_environment_variable_is_an_error(secrets, monkeypatch):
    monkeypatch.setenv("CRUSCOTTO_EDITOR_PASSWORD", PASSWORD)
    config = auth.editor_config(secrets)
    assert nobody_is_editor(config) and "CRUSCOTTO_EDITOR_PASSWORD:" in config.problem


def test_the_same_key_twice_is_an_error(secrets):
    stored = auth.hash_password(PASSWORD)
    secrets.write_text(f'editor_password_hash = "{stored}"\n[cruscotto]\neditor_password_hash = "{stored}"\n',
                       encoding="utf-8")
    assert nobody_is_editor(auth.editor_config(secrets))


@pytest.mark.parametrize("make", [
    lambda p: p.write_bytes(b'editor_password_hash = "\xff\xfe"\n'),  # not UTF-8
    lambda p: p.write_text("editor_password_hash = \n", encoding="utf-8"),  # not TOML
    lambda p: p.mkdir(),  # a folder where the file should be
], ids=["not-utf8", "not-toml", "folder"])
def test_unreadable_secrets_file_is_an_error(secrets, monkeypatch, make):
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, "1")
    make(secrets)
    config = auth.editor_config(secrets)
    assert nobody_is_editor(config) and "non si legge" in config.problem


# ------------------------------------------------------------------------------------------- hashes
@pytest.mark.parametrize("weak", [
    dict(n=2), dict(n=2**10), dict(r=1), dict(salt=b"s" * 8), dict(dklen=16),
], ids=["n2", "n1024", "r1", "salt8", "dklen16"])
def test_weak_scrypt_hash_is_a_configuration_error(secrets, monkeypatch, weak):
    stored = scrypt_hash(PASSWORD, **weak)
    assert not auth.verify(PASSWORD, stored)
    monkeypatch.setenv(auth.ENV_VAR, stored)
    config = auth.editor_config(secrets)
    assert nobody_is_editor(config)
    assert "troppo debole" in config.problem and "hash-password" in config.problem
    assert auth.verify(PASSWORD, scrypt_hash(PASSWORD))  # the same, at the minimum, matches


def test_pbkdf2_hashes_are_no_longer_accepted(secrets, monkeypatch):
    salt = b"0123456789abcdef"
    digest = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, 600_000)
    stored = f"pbkdf2_sha256$600000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert not auth.verify(PASSWORD, stored)
    monkeypatch.setenv(auth.ENV_VAR, stored)
    assert nobody_is_editor(auth.editor_config(secrets))


# ------------------------------------------------------------------------------------------- password policy
@pytest.mark.parametrize("password, says", [
    (" " * 8, "almeno 12 caratteri"),
    (" " * 14, "solo di spazi"),
    ("corta-2020", "almeno 12 caratteri"),
    ("a" * 20, "un solo carattere ripetuto"),
])
def test_hash_password_refuses_weak_passwords(monkeypatch, capsys, password, says):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    assert main(["hash-password", "--stdin"]) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("Errore: la password") and says in out.err
    with pytest.raises(auth.WeakPasswordError):
        auth.hash_password(password)


def test_hash_password_accepts_twelve_mixed_characters(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("dodici-car12\n"))
    assert main(["hash-password", "--stdin"]) == 0
    assert auth.verify("dodici-car12", capsys.readouterr().out.strip())


# ------------------------------------------------------------------------------------------- failed logins
class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def login(secrets, monkeypatch):
    """attempt_login with fresh counters on a fake clock: login(password, session) -> LoginResult."""
    clock = Clock()
    per_session, everyone = auth.LoginThrottle(free=3, clock=clock), auth.LoginThrottle(free=10, clock=clock)
    monkeypatch.setenv(auth.ENV_VAR, auth.hash_password(PASSWORD))
    config = auth.editor_config(secrets)

    def attempt(password, session="s1"):
        return auth.attempt_login(password, config, session, per_session=per_session, everyone=everyone)

    attempt.clock = clock
    return attempt


def test_wrong_passwords_are_slowed_down_more_and_more_and_logged(login, caplog):
    caplog.set_level(logging.WARNING, logger="cruscotto.auth")
    for _ in range(3):  # three free attempts
        assert login("sbagliata-1").message == "Password non corretta."
    waits = []
    for _ in range(5):  # then each one waits twice as long as the one before: 2, 4, 8, 16, 30 (the cap) seconds
        refused = login(PASSWORD)  # even the right password is not checked while waiting
        assert not refused.ok and refused.message.startswith("Troppi tentativi: riprovare tra ")
        waits.append(int(refused.message.split("tra ")[1].split()[0]))
        login.clock.now += waits[-1] - 0.5
        assert login("sbagliata-2").message.startswith("Troppi tentativi")  # not yet
        login.clock.now += 0.5
        assert login("sbagliata-2").message == "Password non corretta."
    assert waits == [2, 4, 8, 16, 30]
    failures = [r for r in caplog.records if "wrong password" in r.getMessage()]
    assert len(failures) == 8 and all(r.levelno == logging.WARNING for r in failures)
    assert "8 consecutive failures in this session" in failures[-1].getMessage()
    assert [r for r in caplog.records if "too many failures" in r.getMessage()]
    assert not [r for r in caplog.records if "sbagliata" in r.getMessage() or PASSWORD in r.getMessage()]


def test_right_password_after_the_wait_logs_in_and_resets(login):
    for _ in range(4):
        login("sbagliata")
    login.clock.now += 4
    assert login(PASSWORD).ok
    assert login("sbagliata").message == "Password non corretta."  # the count starts again


def test_new_sessions_do_not_escape_the_process_wide_count(login):
    for session in range(10):  # one failure each in ten sessions: each session alone is far from its limit
        assert login("sbagliata", session=f"s{session}").message == "Password non corretta."
    assert login(PASSWORD, session="nuova").message.startswith("Troppi tentativi: riprovare tra 2 secondi")


def test_failures_are_forgotten_after_a_quiet_quarter_of_an_hour(login):
    for _ in range(5):
        login("sbagliata")
        login.clock.now += 60
    login.clock.now += 15 * 60
    assert login("sbagliata").message == "Password non corretta."


def test_counters_of_many_old_sessions_are_dropped():
    clock = Clock()
    throttle = auth.LoginThrottle(free=3, clock=clock, max_keys=100)
    for session in range(100):
        throttle.failed(f"vecchia-{session}")
    clock.now += 15 * 60
    throttle.failed("nuova")  # the 101st key: the forgotten ones go
    assert len(throttle._failures) == 1 and throttle.failures("nuova") == 1


def test_concurrent_sessions_cannot_all_slip_through_before_the_count(login):
    # 30 sessions at the same instant (the attack run's 30 passwords in 10 s): only the process-wide free 10 are
    # checked, the other 20 are told to wait
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda i: login("sbagliata", session=f"s{i}"), range(30)))
    messages = [r.message for r in results]
    assert messages.count("Password non corretta.") == 10
    assert sum(m.startswith("Troppi tentativi") for m in messages) == 20
