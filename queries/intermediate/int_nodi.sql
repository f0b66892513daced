-- purpose: every node of the plan (area strategica, obiettivo strategico, obiettivo operativo) with its ancestors,
--          so that an indicator hung at any level can be placed in the tree.
-- columns:
--   ente, anno, codice, livello ('area' | 'strategico' | 'operativo'), codice_area, codice_strategico,
--   codice_operativo, titolo, centro_responsabilita, responsabile
SELECT ente, anno, codice, 'area' AS livello, codice AS codice_area,
       CAST(NULL AS VARCHAR) AS codice_strategico, CAST(NULL AS VARCHAR) AS codice_operativo,
       coalesce(denominazione, missione_descrizione) AS titolo, centro_responsabilita, responsabile
FROM aree
UNION ALL
SELECT ente, anno, codice, 'strategico', codice_padre, codice, NULL, titolo, centro_responsabilita, responsabile
FROM obiettivi
WHERE livello = 'strategico'
UNION ALL
SELECT o.ente, o.anno, o.codice, 'operativo', s.codice_padre, s.codice, o.codice, o.titolo,
       o.centro_responsabilita, o.responsabile
FROM obiettivi AS o
JOIN obiettivi AS s ON s.ente = o.ente AND s.anno = o.anno AND s.codice = o.codice_padre AND s.livello = 'strategico'
WHERE o.livello = 'operativo'
