-- purpose: the options of the shared area and obiettivo strategico selectors for one chamber and year, in one
--          query: every area strategica and obiettivo strategico with its label, as nodi_piano gives them (same
--          label from int_piano, same order) but without the indicator counts, and the readable name a person knows it by. The
--          sidebar narrows the objectives to the chosen area itself (codice_area), so changing the area runs no
--          query.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   codice, livello (area or strategico), codice_area, etichetta (denominazione or title, as the report prints
--   it), nome (readable: the mission's description for an area, the title for an objective; else etichetta)
SELECT p.codice, p.livello, p.codice_area, p.etichetta,
       coalesce(CASE p.livello WHEN 'area' THEN a.missione_descrizione ELSE p.titolo END, p.etichetta) AS nome
FROM int_piano AS p
LEFT JOIN stg_aree AS a ON a.ente = p.ente AND a.anno = p.anno AND a.codice = p.codice AND p.livello = 'area'
WHERE p.ente = $ente AND p.anno = $anno AND p.livello IN ('area', 'strategico')
ORDER BY p.codice_area, p.codice_strategico NULLS FIRST
