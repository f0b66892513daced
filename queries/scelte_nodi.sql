-- purpose: the options of the shared area and obiettivo strategico selectors for one chamber and year, in one
--          query: every area strategica and obiettivo strategico with its label, as nodi_piano gives them (same
--          label from int_piano, same order) but without the indicator counts, and the readable name a person
--          knows it by (int_piano: nome). The sidebar narrows the objectives to the chosen area itself
--          (codice_area), so changing the area runs no query.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   codice, livello (area or strategico), codice_area, etichetta (denominazione or title, as the report prints
--   it), nome (readable: the mission's description for an area, the title for an objective; else etichetta)
SELECT codice, livello, codice_area, etichetta, nome
FROM int_piano
WHERE ente = $ente AND anno = $anno AND livello IN ('area', 'strategico')
ORDER BY codice_area, codice_strategico NULLS FIRST
