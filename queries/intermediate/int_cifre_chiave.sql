-- purpose: the key figures of the report (spesa, contributi, imprese, partecipanti, ...) placed in the plan: the
--          area, strategic and operational objective of the node they belong to.
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice_area, codice_strategico, codice_operativo, codice_obiettivo, livello, codice_indicatore, voce,
--   valore, unita, testo_originale, riga_fonte (codice_area, codice_strategico, codice_operativo and livello NULL when
--   the node is not in the plan)
SELECT c.ente, c.anno, n.codice_area, n.codice_strategico, n.codice_operativo, c.codice_obiettivo, n.livello,
       c.codice_indicatore, c.voce, c.valore, c.unita, c.testo_originale, c.riga_fonte
FROM stg_cifre_chiave AS c
LEFT JOIN int_nodi AS n ON n.ente = c.ente AND n.anno = c.anno AND n.codice = c.codice_obiettivo
