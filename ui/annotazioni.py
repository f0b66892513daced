"""Motivazioni, OIV notes and comments on the pages (issue 16): shown under an indicator's detail and on the Verifica,
exported with the page, and written from a small form (pipeline.annotate: a new signed version).

Texts are the users' own: shown with st.text or escaped (text.md), never as Markdown of their own.
"""
from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from cruscotto import auth, pipeline
from cruscotto.present import formatting, text
from cruscotto.store.errors import StoreError
from cruscotto.store.schema import TIPI_ANNOTAZIONE, TIPO_ANNOTAZIONE_LABELS
from cruscotto.store.versions import VersionError
from ui import accesso, sections
from ui.data import connection, query, viewed_version

LABELS = TIPO_ANNOTAZIONE_LABELS
_DONE = "annotazione_scritta"


def table(frame: pd.DataFrame) -> pd.DataFrame:
    """The annotations as shown and exported (headings in cruscotto/present/labels.py): the kind in words, the time
    as Italians write it."""
    return frame[["codice_indicatore", "descrizione", "tipo", "testo", "autore", "scritta_il"]].assign(
        tipo=frame["tipo"].map(lambda t: LABELS.get(t, t)), scritta_il=frame["scritta_il"].map(formatting.moment))


def for_indicator(codice: str, ente: str, anno: int, exports) -> None:
    """The texts of one indicator (motivazione, OIV note, comment), their export, and the form to write one."""
    frame = query("annotazioni", ente=ente, anno=anno, codice_indicatore=codice)
    st.markdown("**Motivazioni e note**")
    if message := st.session_state.pop(_DONE, None):
        st.success(message)
    if frame.empty:
        st.caption("Nessuna motivazione, nota dell'OIV o commento per questo indicatore.")
    for row in frame.itertuples():
        who = " · ".join(p for p in (text.md(row.autore) if isinstance(row.autore, str) else "", formatting.moment(row.scritta_il) or "") if p)
        st.markdown(f"*{LABELS.get(row.tipo, text.md(row.tipo))}*" + (f" — {who}" if who else ""))
        st.text(row.testo)
    if not frame.empty:
        exports.table(table(frame), "Motivazioni e note")
    if viewed_version() is None:
        _form(codice, ente, anno, frame)


def _form(codice: str, ente: str, anno: int, frame: pd.DataFrame) -> None:
    # drawn when opened (ui/sections.on_demand): the login and the form are not sent with every indicator's detail
    box = sections.on_demand("Scrivi una motivazione, una nota o un commento", key="scrivi_annotazione",
                             icon=":material/edit_note:")
    if not box.open:
        return
    with box:
        user = accesso.current_user(auth.editor_config(), key="annotazioni")
        if user is None:
            return
        kinds = [t for t in TIPI_ANNOTAZIONE if user.may_annotate(t, ente)]
        if not kinds:
            st.caption(f"{text.md(user.describe())} non può scrivere testi per {text.md(ente)}.")
            return
        tipo = st.radio("Tipo", kinds, format_func=LABELS.get, key=f"tipo_annotazione_{codice}", horizontal=True)
        existing = frame.loc[frame["tipo"] == tipo, "testo"]
        with st.form(f"annotazione_{codice}_{tipo}"):
            testo = st.text_area(LABELS[tipo], value=existing.iloc[0] if len(existing) else "",
                                 key=f"testo_annotazione_{codice}_{tipo}",
                                 help="Il testo nuovo sostituisce il precedente, che resta nelle versioni (pagina "
                                      "«Carica dati»). Chi scrive e quando è registrato.")
            nome = user.nome or st.text_input("Nome di chi scrive (registrato con il testo)", key="autore_annotazione")
            if st.form_submit_button("Registra"):
                _write(codice, ente, anno, tipo, testo, user, nome)


def _write(codice, ente, anno, tipo, testo, user, nome) -> None:
    if not (testo or "").strip():
        st.error("Il testo è vuoto: scrivere la motivazione, la nota o il commento.")
        return
    try:
        result = pipeline.annotate(connection(), ente, int(anno), codice, tipo, testo, user=user,
                                   utente=(nome or "").strip() or None)
    except pipeline.PermissionDenied as exc:
        st.error(text.md(exc))
        return
    except (VersionError, StoreError) as exc:
        st.error(f"Testo non registrato: {text.md(exc)}")
        return
    except Exception:  # no traceback to users; the transaction was rolled back
        logging.getLogger(__name__).exception("annotation failed")
        st.error("Testo non registrato per un errore imprevisto: i dati non sono cambiati.")
        return
    if not result.ok:
        st.error("Testo non registrato: " + " ".join(text.md(p.message) for p in result.validated.errors))
    elif result.unchanged:
        st.info("Il testo è già questo: nulla da registrare.")
    else:
        st.session_state[_DONE] = f"Registrato: {LABELS[tipo][0].lower() + LABELS[tipo][1:]} di {codice} (versione {result.version})."
        st.rerun()


def for_report(ente: str, anno: int, exports, indicatore: str | None = None) -> None:
    """Every text of a chamber-year (or of one indicator), for the Verifica."""
    frame = query("annotazioni", ente=ente, anno=anno, codice_indicatore=indicatore)
    if frame.empty:
        st.caption("Nessuna motivazione, nota dell'OIV o commento registrato: si scrivono dal dettaglio della pagina "
                   "«Indicatori» o col foglio «annotazioni» del file caricato.")
        return
    exports.show(table(frame), "Motivazioni e note")
