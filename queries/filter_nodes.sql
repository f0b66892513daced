-- purpose: the options of the shared area and obiettivo strategico selectors for one chamber and year, in one
--          query: every area strategica and obiettivo strategico with its label, as plan_nodes gives them (same
--          label, same order) but without the indicator counts, and the readable name a person knows it by. The
--          sidebar narrows the objectives to the chosen area itself (codice_area), so changing the area runs no
--          query.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   codice, livello (area or strategico), codice_area, etichetta (denominazione or title, as the report prints
--   it), nome (readable: the mission's description for an area, the title for an objective; else etichetta)
SELECT n.codice, n.livello, n.codice_area,
       coalesce(o.denominazione, n.titolo, '(senza titolo nella relazione)') AS etichetta,
       coalesce(CASE n.livello WHEN 'area' THEN a.missione_descrizione ELSE n.titolo END,
                o.denominazione, n.titolo, '(senza titolo nella relazione)') AS nome
FROM stg_nodi AS n
LEFT JOIN obiettivi AS o ON o.ente = n.ente AND o.anno = n.anno AND o.codice = n.codice
LEFT JOIN aree AS a ON a.ente = n.ente AND a.anno = n.anno AND a.codice = n.codice AND n.livello = 'area'
WHERE n.ente = $ente AND n.anno = $anno AND n.livello IN ('area', 'strategico')
ORDER BY n.codice_area, n.codice_strategico NULLS FIRST
