"""Who may change the data: uploads, rollbacks and archived files need an editor; viewers browse and export only.

It fails closed: whoever cannot be shown to be an editor is a viewer.

Three ways to configure it (the first that is set wins; a mix of named users and the one editor password is refused):
- named users (issue 16): `[[utenti]]` tables in `.streamlit/secrets.toml`, each with `nome`, `hash` (from
  `python -m cruscotto hash-password`), `ruolo` (lettore, editor, oiv) and, for an editor, `enti` = the chambers they
  may change (["*"] = all). An editor imports and rolls back only their chambers and writes motivazioni and comments
  for them; the OIV writes notes (for `enti`, or all chambers when not given) and cannot import; a lettore reads.
  Every version and note records the name (`Utente`);
- one editor password (below): whoever gives it may do everything;
- local single-user mode: whoever opens the app may do everything, and the page says so.

The password is never stored: only a salted scrypt hash (stdlib `hashlib.scrypt`), written by
`python -m cruscotto hash-password` as `scrypt$n$r$p$salt$hash` (salt and hash in base64). The comparison is
constant-time (`hmac.compare_digest`). A stored hash weaker than what `hash_password` writes (n < 2**14, r < 8,
salt < 16 bytes, hash < 32 bytes) is a configuration error, not a password.

Settings, environment first:
- the hash: CRUSCOTTO_EDITOR_PASSWORD_HASH, or `editor_password_hash = "..."` in `.streamlit/secrets.toml`
  (top level or under `[cruscotto]`);
- local single-user mode (whoever opens the app is the editor, the page says so): CRUSCOTTO_MODALITA_LOCALE=1, or
  `modalita_locale = true` in the same places. Only when no hash is configured; `make run` sets it for developers.
Neither = read-only: nobody is editor. A setting that is there but unusable (an empty or malformed hash, a secrets
file that cannot be read, a key that looks like ours but is misspelled or in the wrong table) = an Italian error
for the page and nobody is editor.

Failed logins are counted per session and across the whole process (`LoginThrottle`): after a few failures each
further attempt must wait, doubling up to 30 s, and every failure is logged (never the password). Attempts are
checked one at a time, so concurrent sessions cannot slip past the count.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import math
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import tomllib

from cruscotto.store.schema import NOTA_OIV

log = logging.getLogger(__name__)

ENV_VAR = "CRUSCOTTO_EDITOR_PASSWORD_HASH"
LOCAL_MODE_ENV = "CRUSCOTTO_MODALITA_LOCALE"
SECRETS_KEY = "editor_password_hash"
LOCAL_MODE_KEY = "modalita_locale"
USERS_KEY = "utenti"
SECRETS_TABLE = "cruscotto"
SECRETS_PATH = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # ~16 MB and a few tens of ms per check
SALT_BYTES, HASH_BYTES = 16, 32
SCRYPT_MAX_MEMORY = 128 * 1024 * 1024  # 128 * n * r bytes: refuse hashes that would make each check eat more
MIN_PASSWORD_LENGTH = 12

_TRUE, _FALSE = {"1", "true", "si", "sì", "yes"}, {"0", "false", "no", ""}
_OUR_WORDS = ("password", "passwd", "hash", "modalit")  # a key with one of these is meant for us


class HashFormatError(ValueError):
    pass


class WeakPasswordError(ValueError):
    pass


LETTORE, EDITOR, OIV = "lettore", "editor", "oiv"
RUOLI = (LETTORE, EDITOR, OIV)
UNICO = "unico"  # the one user of local mode, or whoever gives the one editor password: may do everything
ALL_CHAMBERS = "*"
USER_KEYS = ("nome", "hash", "ruolo", "enti")


@dataclass(frozen=True)
class UserEntry:
    """A named user as `.streamlit/secrets.toml` declares it."""
    nome: str
    hash: str
    ruolo: str
    enti: frozenset[str] | None  # None: every chamber


@dataclass(frozen=True)
class Utente:
    """Who acts, and what they may do. `nome` is what versions and notes record."""
    nome: str | None
    ruolo: str  # RUOLI or UNICO
    enti: frozenset[str] | None = None  # the chambers they may change (None: every chamber)

    def _owns(self, ente: str) -> bool:
        return self.enti is None or ente in self.enti

    @property
    def may_import(self) -> bool:
        """May upload and roll back (for their chambers)."""
        return self.ruolo in (EDITOR, UNICO)

    def may_change(self, ente: str) -> bool:
        return self.may_import and self._owns(ente)

    def may_annotate(self, tipo: str, ente: str) -> bool:
        """The OIV writes its notes, an editor the motivazioni and comments of their chambers."""
        if self.ruolo == UNICO:
            return True
        return self._owns(ente) and (self.ruolo == OIV if tipo == NOTA_OIV else self.ruolo == EDITOR)

    def describe(self) -> str:
        """«mario.rossi (editor di CCIAA di Cremona)», in Italian, for the page."""
        if self.ruolo == UNICO:
            return self.nome or "utente unico"
        where = "" if self.enti is None else " di " + ", ".join(sorted(self.enti))
        if self.ruolo == LETTORE:
            return f"{self.nome} (lettore)"
        return f"{self.nome} ({self.ruolo}{where})" if self.ruolo == EDITOR else f"{self.nome} (OIV{where})"


@dataclass(frozen=True)
class EditorConfig:
    hash: str | None  # set: the editor is whoever gives the password
    source: str  # where the hash or the local mode came from, for the page
    problem: str | None = None  # Italian: a setting that cannot be used (then nobody is editor)
    local_mode: bool = False  # explicit single-user mode, no hash: everyone is editor
    users: tuple[UserEntry, ...] = ()  # named users: each logs in with a name and a password

    @property
    def read_only(self) -> bool:
        """Nothing configured (or nothing usable): nobody can become editor."""
        return self.hash is None and not self.local_mode and not self.users

    def user(self, nome: str | None, stored_hash: str | None) -> Utente | None:
        """The named user `nome`, if they are still configured with the hash they logged in with (a changed password
        or a removed user logs the session out)."""
        entry = next((u for u in self.users if u.nome == nome), None)
        if entry is None or stored_hash is None or not hmac.compare_digest(entry.hash, stored_hash):
            return None
        return Utente(entry.nome, entry.ruolo, entry.enti)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ------------------------------------------------------------------------------------------------ passwords, hashes
def password_problem(password: str) -> str | None:
    """Why `password` is too weak to become the editor password (Italian), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"la password deve avere almeno {MIN_PASSWORD_LENGTH} caratteri (ne ha {len(password)})."
    if not password.strip():
        return "la password non può essere fatta solo di spazi."
    if len(set(password)) == 1:
        return "la password non può essere un solo carattere ripetuto."
    return None


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    if problem := password_problem(password):
        raise WeakPasswordError(problem)
    salt = salt or secrets.token_bytes(SALT_BYTES)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[tuple[int, int, int], bytes, bytes]:
    parts = stored.strip().split("$")
    if parts[0] != "scrypt" or len(parts) != 6:
        raise HashFormatError("formato non riconosciuto: atteso 'scrypt$n$r$p$sale$hash' (da python -m cruscotto hash-password)")
    try:
        n, r, p = (int(x) for x in parts[1:4])
        salt, expected = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError:
        raise HashFormatError("numeri o base64 non validi") from None
    if n & (n - 1) or 128 * n * r > SCRYPT_MAX_MEMORY or p > 16:
        raise HashFormatError(f"parametri scrypt fuori dai limiti (n={n}, r={r}, p={p})")
    if n < SCRYPT_N or r < SCRYPT_R or p < SCRYPT_P or len(salt) < SALT_BYTES or len(expected) < HASH_BYTES:
        raise HashFormatError(f"hash troppo debole (n={n}, r={r}, p={p}, sale di {len(salt)} byte, hash di "
                              f"{len(expected)} byte; il minimo è n={SCRYPT_N}, r={SCRYPT_R}, p={SCRYPT_P}, sale di "
                              f"{SALT_BYTES} byte, hash di {HASH_BYTES} byte)")
    return (n, r, p), salt, expected


def check_format(stored: str) -> None:
    _parse(stored)


def verify(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash. A malformed or weak hash matches nothing."""
    try:
        (n, r, p), salt, expected = _parse(stored)
    except HashFormatError:
        return False
    actual = hashlib.scrypt((password or "").encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            maxmem=SCRYPT_MAX_MEMORY + 1024 * 1024, dklen=len(expected))
    return hmac.compare_digest(actual, expected)


# ------------------------------------------------------------------------------------------------------ settings
class _ConfigError(Exception):
    """An Italian message: the settings exist but cannot be trusted."""


def _flag(value, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _ConfigError(f"{where} vale «{value}»: ammessi true/1 (modalità locale) oppure false/0.")


def _stray_keys(data: dict, prefix: str = "") -> list[str]:
    """Keys that look meant for the editor settings but are not where (or what) they are read: `editor_password`,
    `password_hash`, `editor_password_hash` under `[connections]` (a key written below a [table] header belongs to it)…"""
    allowed = {SECRETS_KEY, LOCAL_MODE_KEY, f"{SECRETS_TABLE}.{SECRETS_KEY}", f"{SECRETS_TABLE}.{LOCAL_MODE_KEY}"}
    found = []
    for key, value in data.items():
        path = f"{prefix}{key}"
        if path in (USERS_KEY, f"{SECRETS_TABLE}.{USERS_KEY}"):
            continue  # the named users: checked one by one in _users
        if isinstance(value, dict):
            found += _stray_keys(value, f"{path}.")
        elif path not in allowed and (path.startswith(f"{SECRETS_TABLE}.")
                                      or any(word in key.lower() for word in _OUR_WORDS)):
            found.append(path)
    return found


def _read_secrets(path: Path) -> dict:
    """The settings found in the secrets file ({} when there is none)."""
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, ValueError) as exc:  # ValueError: TOML syntax and bytes that are not UTF-8
        raise _ConfigError(f"il file .streamlit/{path.name} non si legge ({exc}).") from None
    if stray := _stray_keys(data):
        raise _ConfigError(
            f"in .streamlit/{path.name} " + ("la chiave " if len(stray) == 1 else "le chiavi ")
            + ", ".join(f"«{k}»" for k in stray) + (" non è letta" if len(stray) == 1 else " non sono lette")
            + f": le chiavi ammesse sono {SECRETS_KEY}, {LOCAL_MODE_KEY} e le tabelle [[{USERS_KEY}]], al primo livello del "
            f"file oppure sotto [{SECRETS_TABLE}] (una chiave scritta sotto un'altra intestazione [...] appartiene a "
            "quella). Correggere il nome o la posizione.")
    table = data.get(SECRETS_TABLE, {})
    if not isinstance(table, dict):
        raise _ConfigError(f"in .streamlit/{path.name} {SECRETS_TABLE} dev'essere una tabella [{SECRETS_TABLE}].")
    settings = {}
    for key in (SECRETS_KEY, LOCAL_MODE_KEY, USERS_KEY):
        if key in data and key in table:
            raise _ConfigError(f"in .streamlit/{path.name} {key} è sia al primo livello sia sotto [{SECRETS_TABLE}]: "
                               "lasciarne uno solo.")
        if key in data or key in table:
            settings[key] = data[key] if key in data else table[key]
    return settings


def _stray_environment() -> list[str]:
    return sorted(name for name in os.environ if name not in (ENV_VAR, LOCAL_MODE_ENV) and (
        "EDITOR_PASSWORD" in name.upper()
        or (name.upper().startswith("CRUSCOTTO_") and any(word in name.lower() for word in _OUR_WORDS))))


def _settings(secrets_path: Path) -> EditorConfig:
    if stray := _stray_environment():
        raise _ConfigError(", ".join(stray) + f": variabili d'ambiente non lette; quelle ammesse sono {ENV_VAR} e "
                           f"{LOCAL_MODE_ENV}. Correggere il nome.")
    found = _read_secrets(secrets_path)
    in_file = f"la chiave {{}} di .streamlit/{secrets_path.name}"
    if USERS_KEY in found:
        if ENV_VAR in os.environ or SECRETS_KEY in found:
            where = f"la variabile d'ambiente {ENV_VAR}" if ENV_VAR in os.environ else in_file.format(SECRETS_KEY)
            raise _ConfigError(f"in .streamlit/{secrets_path.name} ci sono gli utenti [[{USERS_KEY}]] e c'è anche la "
                               f"password di editor unica ({where}): usare gli uni o l'altra, non entrambi.")
        return EditorConfig(None, f"gli utenti [[{USERS_KEY}]] di .streamlit/{secrets_path.name}",
                            users=_users(found[USERS_KEY], secrets_path.name))
    if ENV_VAR in os.environ:
        return _hash_setting(os.environ[ENV_VAR], f"la variabile d'ambiente {ENV_VAR}")
    if SECRETS_KEY in found:
        return _hash_setting(found[SECRETS_KEY], in_file.format(SECRETS_KEY))
    if LOCAL_MODE_ENV in os.environ:
        value, source = os.environ[LOCAL_MODE_ENV], f"la variabile d'ambiente {LOCAL_MODE_ENV}"
    else:
        value, source = found.get(LOCAL_MODE_KEY, False), in_file.format(LOCAL_MODE_KEY)
    local = _flag(value, source)
    return EditorConfig(None, source if local else "", local_mode=local)


def _users(listed, file_name: str) -> tuple[UserEntry, ...]:
    """The [[utenti]] tables, each checked: one that cannot be trusted makes the whole setting unusable."""
    where = f"in .streamlit/{file_name}"
    if not isinstance(listed, list) or not listed or not all(isinstance(u, dict) for u in listed):
        raise _ConfigError(f"{where} {USERS_KEY} dev'essere un elenco di tabelle [[{USERS_KEY}]], ciascuna con "
                           f"{', '.join(USER_KEYS)}.")
    users, seen = [], set()
    for number, item in enumerate(listed, start=1):
        nome = item.get("nome")
        who = f"{where} l'utente n. {number}" + (f" («{nome}»)" if isinstance(nome, str) and nome.strip() else "")
        if unknown := sorted(set(item) - set(USER_KEYS)):
            raise _ConfigError(f"{who} ha " + ", ".join(f"«{k}»" for k in unknown) + ": le chiavi ammesse sono "
                               + ", ".join(USER_KEYS) + " (la password non si scrive: solo il suo hash, in hash).")
        if not isinstance(nome, str) or not nome.strip():
            raise _ConfigError(f"{who} non ha un nome (nome = \"...\").")
        nome = nome.strip()
        if nome.lower() in seen:
            raise _ConfigError(f"{who}: il nome compare due volte.")
        seen.add(nome.lower())
        stored = _valid_hash(item.get("hash"), f"{who} non ha l'hash della password (hash = \"...\", da python -m "
                             "cruscotto hash-password).", f"{who}: l'hash della password non è valido")
        ruolo = item.get("ruolo")
        if ruolo not in RUOLI:
            raise _ConfigError(f"{who}: ruolo «{ruolo}» non ammesso; i ruoli sono {', '.join(RUOLI)}.")
        users.append(UserEntry(nome, stored, ruolo, _chambers(item.get("enti"), ruolo, who)))
    return tuple(users)


def _chambers(enti, ruolo: str, who: str) -> frozenset[str] | None:
    """The chambers a user may change: required for an editor (["*"] = all), optional for the OIV (absent = all)."""
    if enti is None and ruolo != EDITOR:
        return None
    if not isinstance(enti, list) or not enti or not all(isinstance(e, str) and e.strip() for e in enti):
        raise _ConfigError(f"{who}: enti dev'essere l'elenco delle camere che può modificare, per esempio "
                           f"enti = [\"CCIAA di Cremona\"] (oppure [\"{ALL_CHAMBERS}\"] per tutte).")
    names = frozenset(e.strip() for e in enti)
    if ALL_CHAMBERS in names:
        if len(names) > 1:
            raise _ConfigError(f"{who}: enti contiene «{ALL_CHAMBERS}» (tutte le camere) insieme ad altri nomi: "
                               "lasciarne uno solo.")
        return None
    return names


def _hash_setting(stored, source: str) -> EditorConfig:
    """A configured hash: the editor is whoever gives the password, even if local mode is set too."""
    stored = _valid_hash(stored, f"l'hash della password di editor dato con {source} è vuoto o non è un testo.",
                         f"l'hash della password di editor dato con {source} non è valido")
    return EditorConfig(stored, source)


def _valid_hash(stored, when_empty: str, when_invalid: str) -> str:
    """A configured hash, trimmed; a missing, empty or unusable one is a configuration error (nobody is editor)."""
    if not isinstance(stored, str) or not stored.strip():
        raise _ConfigError(when_empty)
    try:
        check_format(stored)
    except HashFormatError as exc:
        raise _ConfigError(f"{when_invalid}: {exc}.") from None
    return stored.strip()


def editor_config(secrets_path: Path | None = None) -> EditorConfig:
    try:
        return _settings(secrets_path or SECRETS_PATH)
    except _ConfigError as exc:
        return EditorConfig(None, "", f"{exc} Finché non è corretto nessuno può caricare dati o ripristinare versioni; "
                                      "un hash si rigenera con python -m cruscotto hash-password.")


def is_editor(password: str | None, config: EditorConfig | None = None) -> bool:
    """The one editor password (or local mode). Named users log in with attempt_user_login."""
    config = config or editor_config()
    if config.problem or config.users:
        return False
    if config.hash:
        return verify(password or "", config.hash)
    return config.local_mode


# ------------------------------------------------------------------------------------------------- login attempts
@dataclass
class LoginThrottle:
    """Failed logins per key: after `free` failures each attempt waits 2, 4, 8… seconds (at most `max_wait`) from
    the last failure. Failures are forgotten after `forget_after` seconds without one, or on success."""
    free: int
    max_wait: float = 30.0
    forget_after: float = 15 * 60.0
    max_keys: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _current(self, key: str) -> tuple[int, float]:
        count, last = self._failures.get(key, (0, 0.0))
        if count and self.clock() - last >= self.forget_after:
            self._failures.pop(key, None)
            return 0, 0.0
        return count, last

    def failures(self, key: str) -> int:
        with self._lock:
            return self._current(key)[0]

    def wait(self, key: str) -> float:
        """Seconds before `key` may try again (0: now)."""
        with self._lock:
            count, last = self._current(key)
            if count < self.free:
                return 0.0
            pause = min(self.max_wait, 2.0 ** (count - self.free + 1))
            return max(0.0, last + pause - self.clock())

    def failed(self, key: str) -> int:
        with self._lock:
            count = self._current(key)[0] + 1
            self._failures[key] = (count, self.clock())
            if len(self._failures) > self.max_keys:  # many sessions: drop the ones already forgotten
                now = self.clock()
                self._failures = {k: v for k, v in self._failures.items() if now - v[1] < self.forget_after}
            return count

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    message: str | None = None  # Italian, for the page when not ok
    user: UserEntry | None = None  # the named user who logged in


EVERYONE = "*"  # the process-wide key: an attacker opening new sessions is slowed down too
SESSION_THROTTLE = LoginThrottle(free=3)
GLOBAL_THROTTLE = LoginThrottle(free=10)
USER_THROTTLE = LoginThrottle(free=5)  # per user name: guessing one user's password from many sessions is slowed too
_LOGIN_LOCK = threading.Lock()
_NOBODY_HASH: list[str] = []  # checked for an unknown name, so that a wrong name costs what a wrong password costs


def attempt_login(password: str, config: EditorConfig, session: str, *,
                  per_session: LoginThrottle | None = None, everyone: LoginThrottle | None = None) -> LoginResult:
    """Check the editor password for `session`, refusing while too many recent failures ask to wait."""
    per_session, everyone = per_session or SESSION_THROTTLE, everyone or GLOBAL_THROTTLE
    if config.problem or not config.hash:
        return LoginResult(False, "L'accesso come editor non è configurato.")
    # one attempt at a time in the whole process: concurrent sessions cannot all pass the check before any failure
    # is counted (a check costs a few tens of ms, and logins are rare)
    with _LOGIN_LOCK:
        wait = max(per_session.wait(session), everyone.wait(EVERYONE))
        if wait > 0:
            return _too_many_attempts(wait, "editor", session)
        if verify(password, config.hash):
            per_session.succeeded(session)
            log.info("editor login (session %s)", session)
            return LoginResult(True)
        mine, all_ = per_session.failed(session), everyone.failed(EVERYONE)
    log.warning("editor login failed: wrong password (session %s; %d consecutive failures in this session, "
                "%d recent in all sessions)", session, mine, all_)
    return LoginResult(False, "Password non corretta.")


def _too_many_attempts(wait: float, who: str, session: str) -> LoginResult:
    """The answer while recent failures ask to wait: nothing is checked, the refusal is logged."""
    seconds = math.ceil(wait)
    log.warning("%s login refused without checking: too many failures (session %s, retry in %d s)", who, session, seconds)
    return LoginResult(False, f"Troppi tentativi: riprovare tra {seconds} {'secondo' if seconds == 1 else 'secondi'}.")


def attempt_user_login(nome: str, password: str, config: EditorConfig, session: str, *,
                       per_session: LoginThrottle | None = None, everyone: LoginThrottle | None = None,
                       per_user: LoginThrottle | None = None) -> LoginResult:
    """Check a named user's password, with the same slowing down as attempt_login and a count per user name.

    An unknown name and a wrong password get the same answer, after the same work."""
    per_session, everyone = per_session or SESSION_THROTTLE, everyone or GLOBAL_THROTTLE
    per_user = per_user or USER_THROTTLE
    if config.problem or not config.users:
        return LoginResult(False, "L'accesso con nome utente non è configurato.")
    nome = (nome or "").strip()
    entry = next((u for u in config.users if u.nome.lower() == nome.lower()), None)
    user_key = f"utente:{nome.lower()}"
    with _LOGIN_LOCK:
        wait = max(per_session.wait(session), everyone.wait(EVERYONE), per_user.wait(user_key))
        if wait > 0:
            return _too_many_attempts(wait, "user", session)
        if not _NOBODY_HASH:
            _NOBODY_HASH.append(hash_password(secrets.token_urlsafe(16)))
        if verify(password, entry.hash if entry else _NOBODY_HASH[0]) and entry is not None:
            per_session.succeeded(session)
            per_user.succeeded(user_key)
            log.info("login of %s as %s (session %s)", entry.nome, entry.ruolo, session)
            return LoginResult(True, user=entry)
        mine, all_ = per_session.failed(session), everyone.failed(EVERYONE)
        per_user.failed(user_key)
    log.warning("user login failed: wrong name or password (session %s; %d consecutive failures in this session, "
                "%d recent in all sessions)", session, mine, all_)
    return LoginResult(False, "Nome utente o password non corretti.")
