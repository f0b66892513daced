"""The editor role: uploads and rollbacks need the editor password; viewers browse and export only.

The password is never stored: only a salted scrypt hash (stdlib `hashlib.scrypt`), written by
`python -m cruscotto hash-password` as `scrypt$n$r$p$salt$hash` (salt and hash in base64). pbkdf2 hashes
(`pbkdf2_sha256$iterations$salt$hash`) are accepted too. The comparison is constant-time (`hmac.compare_digest`).

Where the hash comes from, first found wins:
1. the environment variable CRUSCOTTO_EDITOR_PASSWORD_HASH;
2. `editor_password_hash = "..."` in `.streamlit/secrets.toml` (top level or under `[cruscotto]`).
No hash configured = single-user local mode: whoever runs the app is the editor (the page says so).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "CRUSCOTTO_EDITOR_PASSWORD_HASH"
SECRETS_KEY = "editor_password_hash"
SECRETS_PATH = Path(__file__).resolve().parent.parent / ".streamlit" / "secrets.toml"

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # ~16 MB and a few tens of ms per check
PBKDF2_MIN_ITERATIONS = 100_000


class HashFormatError(ValueError):
    pass


@dataclass(frozen=True)
class EditorConfig:
    hash: str | None  # None: local single-user mode
    source: str  # where it came from, for the page ("variabile d'ambiente ...", "secrets.toml", "")
    problem: str | None = None  # Italian: a configured hash that cannot be used (then nobody is editor)

    @property
    def local_mode(self) -> bool:
        return self.hash is None and self.problem is None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    if not password:
        raise ValueError("la password non può essere vuota.")
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str):
    parts = stored.strip().split("$")
    try:
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = (int(x) for x in parts[1:4])
            if n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or 128 * n * r > 128 * 1024 * 1024:
                raise HashFormatError("parametri scrypt fuori dai limiti")
            return "scrypt", (n, r, p), base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
        if parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            if not PBKDF2_MIN_ITERATIONS <= iterations <= 10_000_000:
                raise HashFormatError("numero di iterazioni pbkdf2 fuori dai limiti")
            return "pbkdf2", (iterations,), base64.b64decode(parts[2], validate=True), base64.b64decode(parts[3], validate=True)
    except (ValueError, TypeError) as exc:
        raise HashFormatError(str(exc)) from None
    raise HashFormatError("formato non riconosciuto: atteso 'scrypt$n$r$p$sale$hash' (da python -m cruscotto hash-password)")


def check_format(stored: str) -> None:
    _parse(stored)


def verify(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash. A malformed hash matches nothing."""
    try:
        scheme, params, salt, expected = _parse(stored)
    except HashFormatError:
        return False
    data = (password or "").encode("utf-8")
    if scheme == "scrypt":
        n, r, p = params
        actual = hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=129 * 1024 * 1024, dklen=len(expected))
    else:
        actual = hashlib.pbkdf2_hmac("sha256", data, salt, params[0], dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def _from_secrets(path: Path) -> str | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    value = data.get(SECRETS_KEY) or (data.get("cruscotto") or {}).get(SECRETS_KEY)
    return str(value).strip() if value else None


def editor_config(secrets_path: Path | None = None) -> EditorConfig:
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        found, source = env, f"variabile d'ambiente {ENV_VAR}"
    else:
        path = secrets_path or SECRETS_PATH
        try:
            found = _from_secrets(path)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            return EditorConfig(None, str(path), f"il file {path.name} non si legge ({exc}): caricamento e ripristino disattivati.")
        source = f".streamlit/{path.name}"
    if not found:
        return EditorConfig(None, "")
    try:
        check_format(found)
    except HashFormatError as exc:
        return EditorConfig(None, source, f"l'hash della password di editor in {source} non è valido ({exc}): "
                                          "caricamento e ripristino disattivati. Rigenerarlo con python -m cruscotto hash-password.")
    return EditorConfig(found, source)


def is_editor(password: str | None, config: EditorConfig | None = None) -> bool:
    config = config or editor_config()
    if config.local_mode:
        return True
    if config.hash is None:
        return False
    return verify(password or "", config.hash)
