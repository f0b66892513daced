-- purpose: the key figures of the report (spesa, contributi, imprese, partecipanti, ...) with the node of the
--          plan they belong to, filtered by area or objective. The columns the pages and the Relazione read (the
--          figure's text as printed is in its cited line: riga_fonte).
-- parameters:
--   ente       text  the chamber (NULL = all)
--   anno       int   the report year (NULL = all)
--   area       text  codice of the area strategica (NULL = all)
--   obiettivo  text  codice of an obiettivo: its figures and those of the objectives below it (NULL = all)
-- columns:
--   ente, anno, codice_obiettivo, codice_indicatore, voce, valore, unita, riga_fonte
SELECT ente, anno, codice_obiettivo, codice_indicatore, voce, valore, unita, riga_fonte
FROM int_cifre_chiave
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($area IS NULL OR codice_area = $area)
  AND ($obiettivo IS NULL OR $obiettivo IN (codice_strategico, codice_operativo))
ORDER BY ente, anno, codice_area, codice_strategico NULLS FIRST, codice_operativo NULLS FIRST, riga_fonte, voce
