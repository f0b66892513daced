-- purpose: the key figures of the report (spesa, contributi, imprese, partecipanti, ...) with the node of the
--          plan they belong to, filtered by area or objective.
-- parameters:
--   ente       text  the chamber (NULL = all)
--   anno       int   the report year (NULL = all)
--   area       text  codice of the area strategica (NULL = all)
--   obiettivo  text  codice of an obiettivo: its figures and those of the objectives below it (NULL = all)
-- columns:
--   ente, anno, codice_area, codice_obiettivo, livello, codice_indicatore, voce, valore, unita, testo_originale,
--   riga_fonte
SELECT c.ente, c.anno, n.codice_area, c.codice_obiettivo, n.livello, c.codice_indicatore, c.voce, c.valore, c.unita,
       c.testo_originale, c.riga_fonte
FROM stg_cifre_chiave AS c
LEFT JOIN int_nodi AS n ON n.ente = c.ente AND n.anno = c.anno AND n.codice = c.codice_obiettivo
WHERE ($ente IS NULL OR c.ente = $ente)
  AND ($anno IS NULL OR c.anno = $anno)
  AND ($area IS NULL OR n.codice_area = $area)
  AND ($obiettivo IS NULL OR $obiettivo IN (n.codice_strategico, n.codice_operativo))
ORDER BY c.ente, c.anno, n.codice_area, n.codice_strategico NULLS FIRST, n.codice_operativo NULLS FIRST, c.riga_fonte, c.voce
