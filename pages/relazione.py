"""Relazione: the state of the plan as a document for the Giunta and the OIV, for the ente, anno and area chosen in
the sidebar. PDF (A4, accessible) and one self-contained HTML file; the same document as
`python -m cruscotto relazione`. Everything is produced by cruscotto/relazione; this page only asks and offers.
With «Dati come alla versione N» chosen in the sidebar it is the Relazione of that version (as it was approved), and
its cover says so."""
import streamlit as st

from cruscotto import relazione
from cruscotto.present import text
from ui import page
from ui.data import current_version, data_version, reading_connection, viewed_version

PDF_MIME, HTML_MIME = "application/pdf", "text/html"

selection = page.start()

st.markdown(
    "Un documento da portare in Giunta e da dare all'OIV, con i dati di questo cruscotto: copertina e indice; "
    "**sintesi** con i conteggi, il grado di raggiungimento per area e la regola in vigore; ogni **area strategica** "
    "con i suoi obiettivi e indicatori (valore atteso e raggiunto, esito, grado, modalità di calcolo, risultato e "
    "cifre chiave); gli **andamenti** con gli stessi grafici del cruscotto; l'**Allegato OIV** con ogni rilievo della "
    "verifica, i ricalcoli, gli obiettivi senza indicatori e l'elenco dei controlli.")
area_text = selection.area_label or "tutte le aree"
st.caption(f"Per {text.md(selection.ente)}, anno {selection.anno}, {text.md(area_text)} (filtri della barra laterale). "
           "L'obiettivo strategico scelto non restringe la Relazione: ogni area è riportata per intero.")

missing = relazione.missing_renderers()
for why in missing.values():
    st.warning(why[0].upper() + why[1:], icon=":material/info:")

key = (selection.ente, selection.anno, selection.area, data_version())
if st.button("Prepara la Relazione", type="primary", icon=":material/description:"):
    with st.status("Preparo la Relazione…", expanded=True) as status:
        bar = st.progress(0.0, text="Inizio…")
        try:
            made = relazione.build(reading_connection(), selection.ente, selection.anno, selection.area,
                                   pdf="pdf" not in missing, progress=lambda f, said: bar.progress(min(f, 1.0), text=said),
                                   attuale=current_version() if viewed_version() else None)
        except relazione.NoData as exc:
            status.update(label="Relazione non prodotta", state="error")
            st.error(text.md(exc))
        except Exception as exc:  # noqa: BLE001 - said in Italian, never as a traceback
            status.update(label="Relazione non prodotta", state="error")
            st.error(f"La Relazione non si è potuta produrre ({type(exc).__name__}): riprovare; se si ripete, "
                     "produrla da terminale con «python -m cruscotto relazione» e segnalare il messaggio.")
        else:
            st.session_state["_relazione"] = (key, made)
            status.update(label="Relazione pronta", state="complete", expanded=False)

kept = st.session_state.get("_relazione")
if kept and kept[0] == key:
    made = kept[1]
    for note in made.notes:
        st.warning(text.md(note), icon=":material/info:")
    left, right, _ = st.columns([1, 1, 2])
    if made.pdf is not None:
        left.download_button(f"Scarica il PDF · {len(made.pdf) / 1024:,.0f} kB".replace(",", "."), made.pdf,
                             file_name=made.file_name("pdf"), mime=PDF_MIME, on_click="ignore", type="primary",
                             icon=":material/picture_as_pdf:", key="relazione_pdf",
                             help="A4, testo selezionabile, accessibile (PDF/UA): per la Giunta, l'OIV e "
                                  "Amministrazione trasparente.")
    html = made.html.encode("utf-8")
    right.download_button(f"Scarica l'HTML · {len(html) / 1024:,.0f} kB".replace(",", "."), html,
                          file_name=made.file_name("html"), mime=HTML_MIME, on_click="ignore",
                          icon=":material/html:", key="relazione_html",
                          help="Un solo file, senza collegamenti esterni: si apre e si stampa da qualsiasi browser.")
    st.caption(f"Prodotta il {made.prodotta_il:%d/%m/%Y alle %H:%M} dai dati della versione {key[3]}.")
else:
    st.info("Premere «Prepara la Relazione»: ci vogliono alcuni secondi. Poi si scarica in PDF e in HTML.",
            icon=":material/hourglass_empty:")
