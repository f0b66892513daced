"""Confronto enti: one indicator across chambers (rank, distribution), the chosen chamber highlighted; and the chamber
against the public references it holds (other chambers, Toscana, Italia), each with its source, also when it is the
only chamber in the store."""
import streamlit as st

from cruscotto.present import charts, confronto, formatting, text
from ui import accesso, grafici, page, sections, tables
from ui.data import query

selection = page.start()


def public_references() -> None:
    """The chamber against the public references it holds (sheet «riferimenti»), one chart per series or indicator."""
    found = query("riferimenti", ente=selection.ente)
    if found.empty:
        st.caption("Nessun valore di riferimento pubblico per questo ente: si aggiungono col foglio «riferimenti» "
                   "del file caricato (territorio, anno, valore, fonte).")
        return
    own_series = query("valori_serie", ente=selection.ente)
    scorecard = query("valori_indicatori", ente=selection.ente, anno=selection.anno)
    for key, group in found.groupby("riferimento", sort=False):
        own, title = confronto.own_values(key, own_series, scorecard)
        grafici.show(grafici.figure(confronto.references, confronto.with_references(own, group, selection.ente), title),
                     f"Il grafico mette {selection.ente} accanto a "
                     f"{formatting.plural(len(group), 'valore di riferimento pubblico', 'valori di riferimento pubblici')}.",
                     key=f"riferimenti_{key}")
        st.caption("Fonti: " + "; ".join(text.md(f"{charts.reference_label(r)} ({charts.reference_source(r)})")
                                         for r in group.itertuples()) + ".")
        tables.show(charts.references_table(group))


indicators = query("indicatori_confrontabili", anno=selection.anno, ente=selection.ente)
if indicators.empty:
    st.info(f"Nel {selection.anno} non c'è un indicatore con valore numerico in almeno due enti: il confronto "
            "richiede le relazioni di altri enti, che si caricano dalla pagina «Carica dati». Qui sotto, il confronto "
            "con i valori di riferimento pubblici.")
    accesso.for_administrator("Per una prova senza relazioni di altri enti: `python -m cruscotto synth` genera "
                              "dati sintetici (vedere il README).")
    with sections.section("Confronto con i riferimenti pubblici"):
        public_references()
    st.stop()

options = list(indicators["descrizione"])
own = indicators.set_index("descrizione")
choice = st.selectbox(
    "Indicatore", options, index=0, key="indicatore", bind="query-params",
    format_func=lambda d: f"{d} · {formatting.plural(own.loc[d, 'enti'], 'ente', 'enti')}" + ("" if own.loc[d, "ha_ente"] else " · non rilevato dall'ente"),
    help="Gli indicatori con la stessa descrizione e un valore raggiunto numerico in almeno due enti, nell'anno scelto. "
         "Per primi quelli che l'ente rileva.")

ranking = query("confronto_indicatore", descrizione=choice, anno=selection.anno, ente=selection.ente)
verso = "più alto è migliore" if ranking["verso"].iloc[0] == "alto" else "più basso è migliore"
st.caption(f"Anno {selection.anno} · {formatting.plural(len(ranking), 'ente', 'enti')} · {verso} (secondo il verso dei valori attesi).")

mine = ranking[ranking["e_ente"]]
unita = ranking["unita"].dropna().iloc[0] if ranking["unita"].notna().any() else None
with sections.section():
    with page.figures():
        row = mine.iloc[0] if len(mine) else None
        page.figure("Posizione", "—" if row is None else confronto.position_text(row["posizione"], row["enti"]))
        if row is not None:
            page.figure("Valore raggiunto", text.md(confronto.value_text(row["valore"], unita)))
        page.figure("Mediana degli enti", text.md(confronto.value_text(ranking["mediana"].iloc[0], unita)))
        if row is not None:
            page.figure("Percentile", formatting.number(row["percentile"], 0),
                        help="Quota degli altri enti con un valore peggiore (100 = il migliore).")
    if row is None:
        st.info(f"{text.md(selection.ente)} non rileva questo indicatore nel {selection.anno}: il grafico mostra gli "
                "altri enti.")

with sections.section():
    grafici.show(grafici.figure(confronto.overview, ranking, selection.ente), confronto.describe(ranking, unita), key="confronto")
    st.caption(f"Quartili: {text.md(confronto.value_text(ranking['q1'].iloc[0], unita))} · "
               f"mediana {text.md(confronto.value_text(ranking['mediana'].iloc[0], unita))} · "
               f"{text.md(confronto.value_text(ranking['q3'].iloc[0], unita))}. Un ente con più indicatori di questa "
               "descrizione nello stesso anno conta una volta, con la media dei valori.")
with st.expander("Tabella"), sections.section():
    tables.show(*confronto.table(ranking))
with sections.section("Confronto con i riferimenti pubblici"):
    public_references()
