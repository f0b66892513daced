-- purpose: the nodes of the plan (aree, obiettivi strategici and operativi) with a short label, for the
--          cascading selectors and the objective tree; each node with the number of its own indicators by status,
--          and its grado di raggiungimento as grado_obiettivi gives it (int_grado_nodi), so that a page showing the
--          tree and the grado reads them in one query.
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
SELECT p.ente, p.anno, p.codice, p.livello, p.codice_area, p.codice_strategico, p.codice_operativo, p.codice_padre,
       p.etichetta, p.titolo, p.centro_responsabilita, p.responsabile, p.risultato, p.indicatori, p.raggiunti,
       p.non_raggiunti, p.qualitativi, p.senza_valore, g.grado, g.fascia, g.indicatori_valutati, g.indicatori_totali
FROM int_piano AS p
LEFT JOIN int_grado_nodi AS g ON g.ente = p.ente AND g.anno = p.anno AND g.codice = p.codice
WHERE ($ente IS NULL OR p.ente = $ente)
  AND ($anno IS NULL OR p.anno = $anno)
  AND ($area IS NULL OR p.codice_area = $area)
  AND ($livello IS NULL OR p.livello = $livello)
ORDER BY p.ente, p.anno, p.codice_area, p.codice_strategico NULLS FIRST, p.codice_operativo NULLS FIRST
