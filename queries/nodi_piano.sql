-- purpose: the nodes of the plan (aree, obiettivi strategici and operativi) with a short label, for the
--          cascading selectors and the objective tree; each node with the number of its own indicators by status,
--          and its grado di raggiungimento as grado_obiettivi gives it (int_grado_nodi, held by int_piano), so that a
--          page showing the tree and the grado reads them in one query.
-- parameters:
--   ente     text  the chamber (NULL = all)
--   anno     int   the report year (NULL = all)
--   area     text  codice of the area strategica (NULL = all)
--   livello  text  area, strategico or operativo (NULL = all)
-- columns:
--   ente, anno, codice, livello, codice_area, codice_strategico, codice_operativo, codice_padre (NULL for an
--   area), etichetta (denominazione or title, for selectors), titolo, centro_responsabilita, responsabile,
--   risultato, indicatori, raggiunti, non_raggiunti, qualitativi, senza_valore, grado (%; NULL = nothing to
--   judge), fascia, indicatori_valutati, indicatori_totali
SELECT ente, anno, codice, livello, codice_area, codice_strategico, codice_operativo, codice_padre, etichetta, titolo,
       centro_responsabilita, responsabile, risultato, indicatori, raggiunti, non_raggiunti, qualitativi, senza_valore,
       grado, fascia, indicatori_valutati, indicatori_totali
FROM int_piano
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($area IS NULL OR codice_area = $area)
  AND ($livello IS NULL OR livello = $livello)
ORDER BY ente, anno, codice_area, codice_strategico NULLS FIRST, codice_operativo NULLS FIRST
