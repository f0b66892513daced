"""Who acts on this page view: says the mode, asks the password (or name and password, with named users),
remembers a login for the session.

The rules (settings, hashes, roles, slowing down failed logins) are in cruscotto/auth.py; this only draws them.
`current_user` is what the pages use: the named user logged in, the one editor of the single-password or local
mode, or None (a viewer).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

import streamlit as st

from cruscotto import auth
from cruscotto.present import text

_LOGGED_IN = "editor_autenticato"  # the hash the session logged in with: a new password logs everyone out
_USER = "utente_autenticato"  # (nome, hash) of the named user: a changed password or a removed user logs out
_SESSION = "sessione_accesso"


def current_user(config: auth.EditorConfig, key: str = "carica") -> auth.Utente | None:
    """Draw the access section (`key` tells apart the forms of different pages) and say who acts in this session."""
    if config.users and not config.problem:
        return _named_user(config, key)
    if key == "carica":
        return auth.Utente(None, auth.UNICO) if editor_role(config) else None
    # elsewhere (the annotations of «Indicatori») the same role, drawn small
    if config.problem or config.read_only:
        st.caption("Scrivere motivazioni e note non è attivo su questa installazione (vedere «Carica dati»).")
        return None
    if config.local_mode or st.session_state.get(_LOGGED_IN) == config.hash:
        return auth.Utente(None, auth.UNICO)
    st.caption("Per scrivere serve la password di editor, da inserire nella pagina «Carica dati».")
    return None


def _named_user(config: auth.EditorConfig, key: str) -> auth.Utente | None:
    logged = st.session_state.get(_USER)
    user = config.user(*logged) if logged else None
    if user is not None:
        left, right = st.columns([4, 1])
        left.success(f"Accesso come {text.md(user.describe())}.")
        if right.button("Esci", key=f"esci_{key}"):
            st.session_state.pop(_USER, None)
            st.rerun()
        return user
    if logged:  # the user was removed or their password changed since the login
        st.session_state.pop(_USER, None)
    st.warning("Caricare dati, ripristinare versioni e scrivere motivazioni e note richiede l'accesso con il proprio "
               "nome utente e la propria password. Senza, si possono consultare le pagine ed esportare i dati.")
    with st.form(f"accesso_utente_{key}"):
        nome = st.text_input("Nome utente", key=f"nome_utente_{key}")
        password = st.text_input("Password", type="password", key=f"password_utente_{key}")
        if st.form_submit_button("Accedi"):
            session = st.session_state.setdefault(_SESSION, secrets.token_hex(4))
            result = auth.attempt_user_login(nome, password, config, session)
            if result.ok:
                st.session_state[_USER] = (result.user.nome, result.user.hash)
                st.rerun()
            st.error(result.message)
    return None


def editor_role(config: auth.EditorConfig) -> bool:
    """Draw the role section of «Carica dati» and say whether this session may upload, restore and download archives."""
    if config.problem:
        st.error(f"Configurazione dell'accesso come editor: {config.problem}")
        return False
    if config.local_mode:
        st.info(f"**Modalità locale a utente singolo** (impostata con {config.source}): chi usa questa installazione "
                "può caricare dati e ripristinare versioni. Per chiedere una password vedere «Per l'amministratore».")
        _administrator_help()
        return True
    if config.hash is None:
        st.info("Su questa installazione si possono consultare le pagine, scaricare il modello e vedere le versioni; "
                "caricare dati e ripristinare versioni non è attivo.")
        _administrator_help()
        return False
    if st.session_state.get(_LOGGED_IN) == config.hash:
        st.success("Accesso come editor.")
        return True
    st.warning("Caricare dati, ripristinare versioni e scaricare i file archiviati richiede la password di editor. "
               "Senza, si possono consultare le pagine, scaricare il modello e vedere le versioni.")
    with st.form("accesso_editor"):
        password = st.text_input("Password di editor", type="password", key="password_editor")
        if st.form_submit_button("Accedi come editor"):
            session = st.session_state.setdefault(_SESSION, secrets.token_hex(4))
            result = auth.attempt_login(password, config, session)
            if result.ok:
                st.session_state[_LOGGED_IN] = config.hash
                st.rerun()
            st.error(result.message)
    return False


def for_administrator(markdown: str) -> None:
    """What only whoever installs the dashboard needs (commands, files, settings), out of the managers' way: in a
    collapsed «Per l'amministratore» section. `markdown` is the product's own text, never data."""
    with st.expander("Per l'amministratore", expanded=False, icon=":material/build:"):
        st.markdown(markdown)


def _administrator_help() -> None:
    for_administrator(
            "- **Con password** (installazione condivisa): creare l'hash con `python -m cruscotto hash-password` "
            f"(almeno {auth.MIN_PASSWORD_LENGTH} caratteri) e metterlo in `.streamlit/secrets.toml` come "
            f"`{auth.SECRETS_KEY} = \"...\"` (al primo livello o sotto `[{auth.SECRETS_TABLE}]`), oppure nella "
            f"variabile d'ambiente `{auth.ENV_VAR}`; poi riavviare l'app.\n"
            "- **Modalità locale a utente singolo** (un solo computer, nessuna password: chi apre l'app è l'editor): "
            f"`{auth.LOCAL_MODE_KEY} = true` in `.streamlit/secrets.toml` oppure la variabile d'ambiente "
            f"`{auth.LOCAL_MODE_ENV}=1`. `make run` la imposta; non vale se è configurata una password.\n"
            "- **Utenti con nome e ruolo** (lettore, editor, oiv; per l'editor gli enti che può modificare): tabelle "
            f"`[[{auth.USERS_KEY}]]` in `.streamlit/secrets.toml`, ciascuna con `nome`, `hash` (da "
            "`python -m cruscotto hash-password`), `ruolo` ed `enti` (vedere il README). Al posto della password unica.\n"
            "- **Accesso con il sistema di identità dell'ente** (OIDC, `st.login` di Streamlit): vedere il README.\n"
            "- **Dimensione massima dei file**: `server.maxUploadSize` (in MB) in `.streamlit/config.toml`.")


@dataclass(frozen=True)
class Access:
    """Who acts on «Carica dati»: the user (None for a viewer) and whether the login names them."""
    user: auth.Utente | None
    named: bool  # named users: the login says who acts, nobody types a name

    @property
    def editor(self) -> bool:
        """May upload, roll back and download archived files."""
        return self.user is not None and self.user.may_import


def upload_access() -> Access:
    """Draw the access section of «Carica dati» with the settings in force and say who acts there."""
    config = auth.editor_config()
    return Access(current_user(config), bool(config.users) and not config.problem)
