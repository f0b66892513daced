-- purpose: every node of the plan (aree and obiettivi) with what the structural checks need: the code as printed,
--          the parent, the title, and how many indicators hang from it and sit below it.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, codice_documento (as printed; for aree the codice), livello ('area' | 'strategico' |
--   'operativo'), codice_padre (NULL for aree), titolo, indicatori_propri, indicatori_sotto (node included),
--   occorrenze (rows with the same codice in aree + obiettivi of the same ente and anno), riga_fonte, note,
--   codice_area (the area the node lies in; NULL when its branch does not reach an area)
SELECT ente, anno, codice, codice_documento, livello, codice_padre, titolo, indicatori_propri, indicatori_sotto,
       occorrenze, riga_fonte, note, codice_area
FROM int_struttura_nodi
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice, riga_fonte
