"""Who is the editor on this page view: says the mode, asks the password, remembers a login for the session.

The rules (settings, hashes, slowing down failed logins) are in cruscotto/auth.py; this only draws them.
"""
from __future__ import annotations

import secrets

import streamlit as st

from cruscotto import auth

_LOGGED_IN = "editor_autenticato"  # the hash the session logged in with: a new password logs everyone out
_SESSION = "sessione_accesso"


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
        "- **Dimensione massima dei file**: `server.maxUploadSize` (in MB) in `.streamlit/config.toml`.")
