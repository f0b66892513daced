"""Confronto enti: one indicator across chambers (rank, distribution), the chosen chamber highlighted."""
import streamlit as st

from cruscotto.present import confronto, formatting, text
from ui import accesso, banner, filters, grafici, sections
from ui.data import query

st.title("Confronto enti")
selection = filters.current()
if not banner.show(selection):
    st.stop()

indicators = query("benchmark_indicators", anno=selection.anno, ente=selection.ente)
if indicators.empty:
    st.info(f"Nel {selection.anno} non c'è un indicatore con valore numerico in almeno due enti: il confronto "
            "richiede le relazioni di altri enti, che si caricano dalla pagina «Carica dati».")
    accesso.for_administrator("Per una prova senza relazioni di altri enti: `python -m cruscotto synth` genera "
                              "dati sintetici (vedere il README).")
    st.stop()

options = list(indicators["descrizione"])
own = indicators.set_index("descrizione")
choice = st.selectbox(
    "Indicatore", options, index=0, key="indicatore", bind="query-params",
    format_func=lambda d: f"{d} · {formatting.plural(own.loc[d, 'enti'], 'ente', 'enti')}" + ("" if own.loc[d, "ha_ente"] else " · non rilevato dall'ente"),
    help="Gli indicatori con la stessa descrizione e un valore raggiunto numerico in almeno due enti, nell'anno scelto. "
         "Per primi quelli che l'ente rileva.")

ranking = query("benchmark_indicator", descrizione=choice, anno=selection.anno, ente=selection.ente)
verso = "più alto è migliore" if ranking["verso"].iloc[0] == "alto" else "più basso è migliore"
st.caption(f"Anno {selection.anno} · {formatting.plural(len(ranking), 'ente', 'enti')} · {verso} (secondo il verso dei valori attesi).")

mine = ranking[ranking["e_ente"]]
unita = ranking["unita"].dropna().iloc[0] if ranking["unita"].notna().any() else None
with sections.section():
    columns = st.columns(4)
    if len(mine):
        row = mine.iloc[0]
        columns[0].metric("Posizione", confronto.position_text(row["posizione"], row["enti"]))
        columns[1].metric("Valore raggiunto", text.md(confronto.value_text(row["valore"], unita)))
        columns[3].metric("Percentile", formatting.number(row["percentile"], 0),
                          help="Quota degli altri enti con un valore peggiore (100 = il migliore).")
    else:
        columns[0].metric("Posizione", "—")
        st.info(f"{text.md(selection.ente)} non rileva questo indicatore nel {selection.anno}: il grafico mostra gli "
                "altri enti.")
    columns[2].metric("Mediana degli enti", text.md(confronto.value_text(ranking["mediana"].iloc[0], unita)))

with sections.section():
    grafici.show(confronto.overview(ranking, selection.ente), confronto.describe(ranking, unita), key="confronto")
    st.caption(f"Quartili: {text.md(confronto.value_text(ranking['q1'].iloc[0], unita))} · "
               f"mediana {text.md(confronto.value_text(ranking['mediana'].iloc[0], unita))} · "
               f"{text.md(confronto.value_text(ranking['q3'].iloc[0], unita))}. Un ente con più indicatori di questa "
               "descrizione nello stesso anno conta una volta, con la media dei valori.")
with st.expander("Tabella"), sections.section():
    st.dataframe(confronto.table(ranking), hide_index=True, width="stretch")
