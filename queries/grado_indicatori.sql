-- purpose: every indicator with its status by rule and its grado di raggiungimento (rules in force: int_regole);
--          qualitative milestones come with the evidence text (valore raggiunto and result).
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
--   area  text  codice of the area strategica (NULL = all)
-- columns:
--   ente, anno, codice_area, codice_strategico, codice_operativo, codice_obiettivo, codice, descrizione, tipo,
--   valore_atteso, valore_raggiunto, valutazione ('numerico' | 'traguardo' | 'non valutabile'), stato_regola,
--   grado_grezzo (% before the cap), grado (% after the cap), fascia, esito_regola, esito_dichiarato, peso,
--   peso_nodo, evidenza (for milestones: valore raggiunto, then the result), riga_fonte
SELECT ente, anno, codice_area, codice_strategico, codice_operativo, codice_obiettivo, codice, descrizione, tipo,
       valore_atteso, valore_raggiunto, valutazione, stato_regola, grado_grezzo, grado, fascia, esito_regola,
       esito_dichiarato, peso, peso_nodo,
       CASE WHEN valutazione = 'traguardo' THEN concat_ws(' — ', valore_raggiunto, risultato) END AS evidenza,
       riga_fonte
FROM int_valutazione
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($area IS NULL OR codice_area = $area)
ORDER BY ente, anno, codice_area, codice_strategico NULLS FIRST, codice_operativo NULLS FIRST, codice
