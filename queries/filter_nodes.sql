-- purpose: the options of the shared area and obiettivo strategico selectors for one chamber and year, in one
--          query: every area strategica and obiettivo strategico with its label, as plan_nodes gives them (same
--          label, same order) but without the indicator counts. The sidebar narrows the objectives to the chosen
--          area itself (codice_area), so changing the area runs no query.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   codice, livello (area or strategico), codice_area, etichetta (denominazione or title, for selectors)
SELECT n.codice, n.livello, n.codice_area,
       coalesce(o.denominazione, n.titolo, '(senza titolo nella relazione)') AS etichetta
FROM int_nodi AS n
LEFT JOIN stg_obiettivi AS o ON o.ente = n.ente AND o.anno = n.anno AND o.codice = n.codice
WHERE n.ente = $ente AND n.anno = $anno AND n.livello IN ('area', 'strategico')
ORDER BY n.codice_area, n.codice_strategico NULLS FIRST
