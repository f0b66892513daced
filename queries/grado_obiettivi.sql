-- purpose: the grado di raggiungimento of every area strategica, obiettivo strategico and obiettivo operativo,
--          rolled up by the rule in force (int_grado_nodi), with its band and how many indicators it rests on.
-- parameters:
--   ente     text  the chamber (NULL = all)
--   anno     int   the report year (NULL = all)
--   area     text  codice of the area strategica (NULL = all)
--   livello  text  area, strategico or operativo (NULL = all)
-- columns:
--   ente, anno, codice, livello, codice_area, codice_strategico, titolo, grado (%; NULL = nothing to judge),
--   fascia, esito_regola, aggregazione, indicatori_propri, figli_valutati, indicatori_valutati, indicatori_totali
SELECT ente, anno, codice, livello, codice_area, codice_strategico, titolo, grado, fascia, esito_regola, aggregazione,
       indicatori_propri, figli_valutati, indicatori_valutati, indicatori_totali
FROM int_grado_nodi
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($area IS NULL OR codice_area = $area)
  AND ($livello IS NULL OR livello = $livello)
ORDER BY ente, anno, codice_area, codice_strategico NULLS FIRST, CASE livello WHEN 'area' THEN 0 WHEN 'strategico' THEN 1 ELSE 2 END, codice
