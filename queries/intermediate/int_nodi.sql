-- purpose: every node of the plan (area strategica, obiettivo strategico, obiettivo operativo) with its ancestors,
--          so that an indicator hung at any level can be placed in the tree.
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice, livello ('area' | 'strategico' | 'operativo'), codice_area, codice_strategico,
--   codice_operativo, titolo, centro_responsabilita, responsabile
WITH nodi_area AS (
    SELECT ente, anno, codice, 'area' AS livello, codice AS codice_area,
           CAST(NULL AS VARCHAR) AS codice_strategico, CAST(NULL AS VARCHAR) AS codice_operativo,
           titolo, centro_responsabilita, responsabile
    FROM stg_aree
),
nodi_strategici AS (
    SELECT ente, anno, codice, 'strategico' AS livello, codice_padre AS codice_area, codice AS codice_strategico,
           CAST(NULL AS VARCHAR) AS codice_operativo, titolo, centro_responsabilita, responsabile
    FROM stg_obiettivi
    WHERE livello = 'strategico'
),
nodi_operativi AS (
    SELECT o.ente, o.anno, o.codice, 'operativo' AS livello, s.codice_padre AS codice_area,
           s.codice AS codice_strategico, o.codice AS codice_operativo, o.titolo, o.centro_responsabilita, o.responsabile
    FROM stg_obiettivi AS o
    JOIN stg_obiettivi AS s ON s.ente = o.ente AND s.anno = o.anno AND s.codice = o.codice_padre AND s.livello = 'strategico'
    WHERE o.livello = 'operativo'
)
SELECT * FROM nodi_area
UNION ALL SELECT * FROM nodi_strategici
UNION ALL SELECT * FROM nodi_operativi
