"""Carica dati: template (empty, or filled with the current data of a chamber-year, optionally moved to a new year),
upload with validation and preview, atomic commit, versions and rollback.

The logic lives in cruscotto/ (pipeline, ingest.diff, store.versions, auth, ingest.template); this page only shows it.
The access section (ui/accesso.py) says who acts: an editor uploads and rolls back (only their chambers, with named
users), and the version record names them.
"""
import logging

import streamlit as st

from cruscotto import pipeline, store
from cruscotto.ingest import diff, template
from cruscotto.ingest.validate import problems_csv, problems_frame, problems_summary
from cruscotto.present import formatting, labels, text
from cruscotto.store import versions
from cruscotto.store.errors import StoreError
from ui import accesso, page, sections, tables
from ui.data import connection, current_reading_connection, current_version

# What an upload and a rollback write, said while they commit (a 100k-row file takes seconds)
WRITTEN = "righe, versioni, indicatori ricalcolati e Verifica, in un'unica transazione…"

page.start(needs_data=False)
# Every read of this page goes through the run's read transaction, so one page shows one version even while another
# session imports (its preview and the version it writes on included); only the writes take the store's connection.
con, reading = connection(), current_reading_connection()
version = current_version()
max_mb = st.get_option("server.maxUploadSize")


@st.cache_data(show_spinner=False)
def _template_bytes() -> bytes:
    return template.build_template()


@st.cache_data(show_spinner="Preparazione del modello compilato…", max_entries=16)
def _filled_bytes(ente: str, anno: int, anno_nuovo: int | None, version: int) -> bytes:
    return template.current_workbook(current_reading_connection(), ente, anno, anno_nuovo)


@st.cache_resource(show_spinner="Anteprima del ripristino…", max_entries=8)
def _rollback_preview(path: str, version: int, target: int) -> tuple[diff.Preview, set[str]]:
    """What restoring `target` changes in the data at `version`, and whose data: asked only when a version is chosen
    (it reads every row changed since `target`), then kept for every session until the data change."""
    reading = current_reading_connection()
    return diff.preview_rollback(reading, target), versions.chambers_changed_by_rollback(reading, target)


# ---------------------------------------------------------------- role
access = accesso.upload_access()
user, editor, named = access.user, access.editor, access.named

# ---------------------------------------------------------------- 1. template
st.header("1. Modello")
st.write("Il modello è generato dallo schema dei dati: un foglio «istruzioni» che spiega ogni colonna, un foglio per "
         "tabella con una riga di esempio ed elenchi a discesa per i valori ammessi (tipo, esito, unità, livello).")
st.download_button("Scarica il modello (.xlsx)", _template_bytes(), file_name="modello_cruscotto.xlsx",
                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="scarica_modello",
                    on_click="ignore")
with sections.section("Scarica i dati attuali come modello compilato"):
    periods = template.periods(reading)
    if not periods:
        st.caption("Nessun dato nel database: il modello compilato sarà disponibile dopo il primo caricamento.")
    else:
        st.write("Lo stesso modello, già compilato con i dati di un ente e di un anno come sono nel cruscotto: per "
                 "correggerli senza riscriverli, oppure, spostati a un nuovo anno, come punto di partenza del nuovo "
                 "piano (codici e anno rinominati, valori raggiunti ed esiti vuoti, valori attesi e serie storiche "
                 "tenuti). Ricaricato senza modifiche non cambia nulla.")
        left, middle, right = st.columns([3, 1, 2])
        scelto = left.selectbox("Ente e anno", periods, format_func=lambda p: f"{p[0]} · {p[1]}", key="modello_periodo")
        nuovo = middle.number_input("Nuovo anno", min_value=scelto[1] + 1, max_value=2100, value=scelto[1] + 1,
                                    step=1, key="modello_anno_nuovo")
        sposta = right.checkbox("Sposta i dati al nuovo anno", key="modello_sposta",
                                help="Senza spunta il modello contiene i dati così come sono, per correggerli.")
        ente_m, anno_m = scelto
        target = int(nuovo) if sposta else None
        name = f"modello_{ente_m}_{anno_m}" + (f"_verso_{target}" if target else "")
        st.download_button("Scarica i dati attuali come modello compilato (.xlsx)",
                           _filled_bytes(ente_m, int(anno_m), target, version),
                           file_name="".join(c if c.isalnum() else "_" for c in name) + ".xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="scarica_modello_compilato", on_click="ignore")
        if target and (ente_m, target) in periods:
            st.warning(f"Il cruscotto ha già dati di {text.md(ente_m)} per il {target}: caricando il modello spostato "
                       "sarebbero sostituiti (l'anteprima mostra le differenze prima di scrivere).")

# ---------------------------------------------------------------- 2. upload, check, preview, commit
st.header("2. Carica un file")
with sections.section():
    if not editor:
        st.caption("Riservato all'editor.")
    else:
        st.write("Per gli anni (per ente) che il file contiene, ogni tabella presente nel file sostituisce quella caricata; "
                 "le tabelle assenti restano come sono (un .csv di una sola tabella corregge solo quella) e gli altri anni "
                 "non cambiano. Un anno nuovo si aggiunge accanto agli altri e richiede almeno aree, obiettivi e "
                 "indicatori. Prima di scrivere "
                 "viene mostrata un'anteprima; nulla è scritto finché non si conferma, e ogni versione resta ripristinabile.")
        st.caption(f"File .xlsx (un foglio per tabella) oppure .csv (una tabella, col nome del file). "
                   f"Dimensione massima: {max_mb} MB.")
        if message := st.session_state.pop("esito_caricamento", None):
            st.success(message)
        if named:
            utente = user.nome
            st.caption(f"Nelle versioni il caricamento è registrato a nome di {text.md(user.nome)}."
                       + ("" if user.enti is None else f" Si possono caricare solo dati di: {text.md(', '.join(sorted(user.enti)))}."))
        else:
            utente = st.text_input("Nome di chi carica (registrato nelle versioni)", key="utente_caricamento",
                                   autocomplete="name")
        round_ = st.session_state.setdefault("giro_caricamento", 0)
        pipeline.prepare_reading()  # the reader's process starts while the user picks a file
        uploaded = st.file_uploader("File della relazione (.xlsx o .csv)", type=["xlsx", "csv"], key=f"file_caricamento_{round_}",
                                    help=f"Scegliere il file (o trascinarlo qui): .xlsx o .csv, al massimo {max_mb} MB.")
        if uploaded is not None:
            data = uploaded.getvalue()
            # the checkbox «Confermo di svuotare …» (drawn below, once a check found sheets left with their header only)
            svuota_key = f"svuota_tabelle_{round_}_{uploaded.file_id}"
            svuota = bool(st.session_state.get(svuota_key, False))
            previous = st.session_state.get("controllo")
            # the check holds who checked it: another login (other chambers, another role) checks again
            identity = (uploaded.file_id, uploaded.name, svuota, user)
            checked = previous[1] if previous and previous[0] == identity else None
            if checked is None or (checked.preview and checked.preview.base_version != version):
                name = text.md(uploaded.name)
                with st.status(f"Lettura e controllo di {name} "
                               f"({formatting.number(len(data) / 1e6, 1)} MB)…", expanded=False) as status:
                    checked = pipeline.check(reading, data, uploaded.name, svuota_tabelle_vuote=svuota, user=user)
                    if checked.error:
                        status.update(label=f"{name}: il file non si può leggere", state="error", expanded=False)
                    elif checked.awaits_emptying_confirmation:
                        status.update(label=f"{name}: svuoterebbe tabelle già caricate, serve una conferma",
                                      state="error", expanded=False)
                    elif not checked.validated.ok:
                        status.update(label=f"{name}: {formatting.plural(len(checked.validated.errors), 'errore', 'errori')}", state="error", expanded=False)
                    else:
                        status.update(label=f"{name}: nessun errore, anteprima pronta qui sotto", state="complete",
                                      expanded=False)
                st.session_state["controllo"] = (identity, checked)

            if checked.error:
                st.error(f"{text.md(checked.error)} Il database non è stato modificato.")
            else:
                problems = checked.validated.problems
                errors = checked.validated.errors
                if checked.awaits_emptying_confirmation:
                    st.warning("Nel file ci sono fogli con la sola intestazione: caricandolo si cancellerebbero le righe già "
                               "caricate di quelle tabelle per gli stessi anni. Se è voluto, confermarlo qui sotto; "
                               "altrimenti togliere quei fogli dal file (le righe restano) oppure compilarli.")
                elif errors:
                    warnings = len(problems) - len(errors)
                    st.error(f"Il file non può essere caricato: {formatting.plural(len(errors), 'errore', 'errori')}"
                             + (f" e {formatting.plural(warnings, 'avviso', 'avvisi')}" if warnings else "") + ". Il database non è stato modificato. "
                             "Correggere il file e caricarlo di nuovo.")
                elif problems:
                    st.warning(f"{formatting.plural(len(problems), 'avviso', 'avvisi')}: il file si può caricare, ma conviene leggerli.")
                if problems:
                    st.subheader("Problemi per gruppo e foglio")
                    tables.show(problems_summary(problems), key="riepilogo_problemi")
                    st.subheader("Elenco dei problemi")
                    tables.show(problems_frame(problems), key="elenco_problemi")
                    st.download_button("Scarica l'elenco dei problemi (.csv)", problems_csv(problems),
                                       file_name=f"problemi_{checked.file_name.rsplit('.', 1)[0]}.csv", mime="text/csv",
                                       key="scarica_problemi", on_click="ignore")

                if checked.emptied:
                    emptied = ", ".join(f"{name} ({formatting.plural(rows, 'riga', 'righe')})" for name, rows in checked.emptied.items())
                    st.checkbox(f"Confermo di svuotare {emptied}: le righe già caricate per gli anni del file saranno cancellate.",
                                key=svuota_key)
                if checked.ok:
                    preview = checked.preview
                    st.subheader("Anteprima delle modifiche")
                    for what, partitions in (("Anni aggiunti", preview.new_partitions),
                                             ("Anni sostituiti", preview.replaced_partitions)):
                        if partitions:
                            years = "; ".join(f"{anno} ({text.md(ente)})" for ente, anno in partitions)
                            st.write(f"{what}: {years}.")
                    st.write(f"Confronto con la versione {preview.base_version}.")
                    tables.show(preview.counts(), key="anteprima_conteggi")
                    for note in checked.notes:
                        st.warning(text.md(note))
                    for item in preview.tables:
                        if item.empty:
                            continue
                        with st.expander(item.summary()):  # table names and counts only
                            for label, frame in (("Righe aggiunte", item.added), ("Valori modificati", item.changed),
                                                 ("Righe rimosse", item.removed)):
                                if len(frame):
                                    st.markdown(f"**{label}** ({len(frame)})")
                                    tables.show(frame, labels.AS_WRITTEN, key=f"anteprima_{item.table}_{label}")
                    if preview.empty:
                        st.info("Nessuna modifica: il file contiene esattamente i dati attuali, non c'è nulla da caricare.")
                    elif st.button("Conferma il caricamento", type="primary", key="conferma_caricamento"):
                        writing = st.status(f"Scrittura di {text.md(checked.file_name)}: {WRITTEN}", expanded=False)
                        try:
                            with writing:
                                version = pipeline.commit(con, checked, data, (utente or "").strip() or None)
                        except versions.VersionError as exc:
                            st.error(f"Caricamento non eseguito: {text.md(exc)}")
                            st.session_state.pop("controllo", None)
                        except StoreError as exc:  # full disk, read-only store...: said with what to do
                            st.error(text.md(exc))
                        except Exception:  # no traceback to users; the transaction was rolled back
                            logging.getLogger(__name__).exception("import failed")
                            st.error("Caricamento non eseguito per un errore imprevisto: i dati sono rimasti alla versione "
                                     f"{checked.preview.base_version}. Se si ripete, avvisare chi gestisce il cruscotto.")
                        else:
                            st.session_state.pop("controllo", None)
                            st.session_state["giro_caricamento"] = round_ + 1
                            st.session_state["esito_caricamento"] = (
                                f"Caricato {checked.file_name}: ora i dati sono alla versione {version}. "
                                "Le altre pagine mostrano già i nuovi dati.")
                            st.rerun()

def _rollback(target: int, current: int) -> None:
    """The preview of restoring `target` and, below it (never without it), the button that restores it."""
    # an archived upload may hold sheets never imported, of any chamber: editors of every chamber only
    archived = versions.archived_file(reading, target) if editor and user.enti is None else None
    if archived:
        st.download_button(f"Scarica il file caricato nella versione {target}", archived[1], file_name=archived[0],
                           key="scarica_archiviato", on_click="ignore")
    rollback_preview, touched = _rollback_preview(str(store.db_path()), version, target)
    st.write(f"Ripristinando la versione {target} i dati tornano esattamente come erano allora; il ripristino è "
             f"registrato come nuova versione ({current + 1}) e si può a sua volta annullare.")
    tables.show(rollback_preview.counts(), key="anteprima_ripristino")
    if touched:
        st.caption(f"Il ripristino cambia i dati di: {text.md(', '.join(sorted(touched)))}.")
    others = sorted(touched - user.enti) if editor and user.enti is not None else []
    who = None
    if not editor:
        st.caption("Il ripristino e il file caricato nella versione sono riservati all'editor.")
    elif others:
        st.warning(f"Questo ripristino cambierebbe anche i dati di {text.md(', '.join(others))}, che "
                   f"{text.md(user.describe())} non può modificare: va chiesto a chi può modificarli.")
    elif named:
        who = user.nome
    else:
        who = st.text_input("Nome di chi ripristina (registrato nelle versioni)", key="utente_ripristino",
                            value=st.session_state.get("utente_caricamento", ""), autocomplete="name").strip() or None
    if editor and not others and st.button(f"Ripristina la versione {target}", type="primary", key="conferma_ripristino"):
        restoring = st.status(f"Ripristino della versione {target}: {WRITTEN}", expanded=False)
        try:
            # refused if the data changed after the preview drawn above (another session's import or rollback)
            with restoring:
                new = versions.rollback(con, target, utente=who, enti_ammessi=user.enti,
                                        expected_version=rollback_preview.base_version)
        except versions.VersionError as exc:
            st.error(f"Ripristino non eseguito: {text.md(exc)}")
        except StoreError as exc:  # full disk, read-only store...: said with what to do
            st.error(text.md(exc))
        except Exception:  # no traceback to users; the transaction was rolled back
            logging.getLogger(__name__).exception("rollback failed")
            st.error(f"Ripristino non eseguito per un errore imprevisto: i dati sono rimasti alla versione {current}.")
        else:
            st.session_state.pop("controllo", None)
            st.session_state["esito_ripristino"] = f"Ripristinata la versione {target}: ora i dati sono alla versione {new}."
            st.rerun()


# ---------------------------------------------------------------- 3. versions and rollback
st.header("3. Versioni")
with sections.section():
    if message := st.session_state.pop("esito_ripristino", None):
        st.success(message)
    record = versions.versions_frame(reading)
    if record.empty:
        st.info("Nessuna versione registrata.")
    else:
        tables.show(record, key="elenco_versioni")
        current = int(record["Versione"].iloc[0])
        oldest = versions.first_restorable(reading)
        choices = [int(v) for v in record["Versione"] if oldest <= int(v) < current]
        st.subheader("Ripristina una versione")
        if not choices:
            st.caption("Non ci sono versioni precedenti da ripristinare.")
        else:
            target = st.selectbox("Versione da ripristinare", choices, index=None, key="versione_da_ripristinare",
                                  placeholder="Scegliere una versione per vederne l'anteprima")
            if target is None:
                st.caption("Scelta una versione, qui si vede che cosa cambierebbe ripristinandola, prima di poterlo fare.")
            else:
                _rollback(target, current)
