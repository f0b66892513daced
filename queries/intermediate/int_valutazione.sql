-- purpose: every indicator judged by the rules in force (int_regole_periodo): its status by rule (numeric targets by the
--          operator of the valore atteso, qualitative milestones by the words of their valore raggiunto), its grado
--          di raggiungimento in % (VR/VA where more is better, VA/VR where less is better, capped by the tetto),
--          the traffic-light band and its weight within its node. Builds on int_indicatori.
-- materialized: table
-- partition: ente, anno
-- columns:
--   of int_indicatori, the columns its readers use (grado_indicatori.sql, int_grado_nodi, int_verifica_indicatori):
--   ente, anno, codice, codice_obiettivo, codice_area, codice_strategico, codice_operativo, descrizione, tipo,
--   valore_atteso, valore_raggiunto, esito_dichiarato, note, risultato, peso, riga_fonte, riga_va, riga_vr, va_tipo,
--   va_operatore, va_numero, va_unita, vr_tipo, vr_numero, vr_unita (the rest, titles of the node, calculation
--   method, ..., were a third of what an import of the whole table writes and nobody read them here), plus
--   valutazione: 'numerico' | 'traguardo' (qualitative milestone) | 'non valutabile' (no VA or no VR)
--   stato_regola: 'raggiunto' | 'non raggiunto' | 'non rilevato' | 'senza target'
--   grado_grezzo (% before the cap; NULL when not computable: VR = 0 with a target to stay under),
--   grado (% after the cap; NULL when the indicator cannot be judged),
--   fascia: 'raggiunto' | 'parzialmente raggiunto' | 'non raggiunto' (NULL without a grado),
--   esito_regola: the esito the band gives, in the report's words ('OBIETTIVO CONSEGUITO', ...),
--   peso_nodo: the indicator's weight among the judged indicators of its node (they sum to their number, so a
--   node's indicators weigh together as many as they are, whatever the pesi), tetto, soglia_raggiunto,
--   soglia_parziale
WITH indicatori_con_regole AS (
    SELECT s.*, s.rowid AS riga_indicatore,
           CASE WHEN stato_misurabile(s.stato) THEN 'numerico'
                WHEN s.stato = 'qualitativo' THEN 'traguardo'
                ELSE 'non valutabile' END AS valutazione,
           r.tetto, r.soglia_raggiunto, r.soglia_parziale, r.media, r.aggregazione,
           r.grado_traguardo_raggiunto, r.grado_traguardo_non_raggiunto, r.negazioni, r.negazioni_segnate,
           CASE WHEN s.stato = 'qualitativo' THEN lower(s.valore_raggiunto) END AS testo_traguardo
    FROM int_indicatori AS s
    LEFT JOIN int_regole_periodo AS r ON r.ente = s.ente AND r.anno = s.anno
),
traguardi AS (
    SELECT *, testo_segnato(testo_traguardo) AS traguardo_segnato FROM indicatori_con_regole
),
stati AS (
    SELECT *,
           CASE valutazione
               WHEN 'numerico' THEN stato
               WHEN 'traguardo' THEN CASE WHEN contiene_parole(testo_traguardo, traguardo_segnato, negazioni_segnate, negazioni) THEN 'non raggiunto' ELSE 'raggiunto' END
               ELSE stato
           END AS stato_regola
    FROM traguardi
),
gradi AS (
    SELECT *,
           CASE
               WHEN valutazione = 'traguardo' THEN
                   CASE stato_regola WHEN 'raggiunto' THEN grado_traguardo_raggiunto ELSE grado_traguardo_non_raggiunto END
               WHEN valutazione <> 'numerico' THEN NULL
               WHEN piu_e_meglio(va_operatore) THEN
                   CASE WHEN va_numero > 0 THEN 100.0 * vr_numero / va_numero
                        ELSE CASE stato_regola WHEN 'raggiunto' THEN 100.0 ELSE 0.0 END END
               WHEN meno_e_meglio(va_operatore) THEN
                   CASE WHEN vr_numero > 0 THEN 100.0 * va_numero / vr_numero
                        WHEN stato_regola = 'raggiunto' THEN NULL  -- VR = 0 under a ceiling: as good as it gets
                        ELSE 0.0 END
               ELSE  -- '=': the nearer, the higher
                   CASE WHEN vr_numero = va_numero THEN 100.0
                        WHEN va_numero > 0 AND vr_numero > 0 THEN 100.0 * least(vr_numero / va_numero, va_numero / vr_numero)
                        ELSE 0.0 END
           END AS grado_grezzo
    FROM stati
),
gradi_con_tetto AS (
    SELECT *,
           CASE
               WHEN valutazione = 'numerico' AND meno_e_meglio(va_operatore) AND vr_numero <= 0 AND stato_regola = 'raggiunto'
                   THEN coalesce(tetto, 100.0)
               WHEN grado_grezzo IS NULL THEN NULL
               WHEN tetto IS NULL THEN grado_grezzo
               ELSE least(grado_grezzo, tetto)
           END AS grado
    FROM gradi
)
-- the indicator's own columns are joined back only here, by its row: the window carries just what it needs (over all
-- ~45 columns it took half the time of this model); the join on ente and anno too lets the refresh's filter reach it
SELECT i.ente, i.anno, i.codice, i.codice_obiettivo, i.codice_area, i.codice_strategico, i.codice_operativo,
       i.descrizione, i.tipo, i.valore_atteso, i.valore_raggiunto, i.esito_dichiarato, i.note, i.risultato, i.peso,
       i.riga_fonte, i.riga_va, i.riga_vr, i.va_tipo, i.va_operatore, i.va_numero, i.va_unita, i.vr_tipo, i.vr_numero,
       i.vr_unita,
       g.valutazione, g.tetto, g.soglia_raggiunto, g.soglia_parziale, g.stato_regola, g.grado_grezzo, g.grado, g.fascia,
       g.esito_regola, g.peso_nodo
FROM (
    SELECT ente, anno, riga_indicatore, valutazione, tetto, soglia_raggiunto, soglia_parziale,
           stato_regola, grado_grezzo, grado,
           fascia_grado(grado, soglia_raggiunto, soglia_parziale) AS fascia,
           esito_grado(grado, soglia_raggiunto, soglia_parziale) AS esito_regola,
           CASE WHEN grado IS NULL THEN NULL
                ELSE (CASE WHEN media = 'ponderata' THEN coalesce(peso, 1.0) ELSE 1.0 END)
                     * count(grado) OVER nodo
                     / sum(CASE WHEN grado IS NULL THEN NULL WHEN media = 'ponderata' THEN coalesce(peso, 1.0) ELSE 1.0 END) OVER nodo
           END AS peso_nodo
    FROM gradi_con_tetto
    WINDOW nodo AS (PARTITION BY ente, anno, codice_obiettivo)
) AS g
JOIN int_indicatori AS i ON i.rowid = g.riga_indicatore AND i.ente = g.ente AND i.anno = g.anno
