-- purpose: the grado di raggiungimento per area strategica (the headline of the Panoramica and Aree strategiche
--          pages), by the rule in force, with the band and how many indicators it rests on.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice_area, denominazione, nome (readable: the mission's description), grado (%; NULL = nothing to judge), fascia, esito_regola,
--   indicatori_valutati, indicatori_totali, aggregazione
SELECT g.ente, g.anno, g.codice AS codice_area, a.titolo AS denominazione,
       coalesce(a.missione_descrizione, a.denominazione, a.codice) AS nome,
       g.grado, g.fascia, g.esito_regola, g.indicatori_valutati, g.indicatori_totali, g.aggregazione
FROM int_grado_nodi AS g
JOIN stg_aree AS a ON a.ente = g.ente AND a.anno = g.anno AND a.codice = g.codice
WHERE g.livello = 'area'
  AND ($ente IS NULL OR g.ente = $ente)
  AND ($anno IS NULL OR g.anno = $anno)
ORDER BY g.ente, g.anno, g.codice
