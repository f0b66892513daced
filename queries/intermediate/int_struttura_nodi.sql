-- purpose: every node of the plan as written (aree and obiettivi, whatever their parent) with what the structural
--          checks need: the code as printed, the parent, the title, how many indicators hang from it and sit below it,
--          and how many rows share its code.
-- materialized: view
--          (only the Verifica reads it: see «Materialisation» in cruscotto/store/models.py)
-- columns:
--   ente, anno, codice, codice_documento (as printed; for aree the codice), livello ('area' | 'strategico' |
--   'operativo'), codice_padre (NULL for aree), titolo, indicatori_propri, indicatori_sotto (node included),
--   occorrenze (rows with the same codice in aree + obiettivi of the same ente and anno), riga_fonte, note,
--   codice_area (the area the node lies in; NULL when its branch does not reach an area)
WITH nodi_scritti AS (
    SELECT ente, anno, codice, codice AS codice_documento, 'area' AS livello, CAST(NULL AS VARCHAR) AS codice_padre,
           titolo, riga_fonte, note
    FROM stg_aree
    UNION ALL
    SELECT ente, anno, codice, codice_documento, livello, codice_padre, titolo, riga_fonte, note
    FROM stg_obiettivi
),
-- the rows sharing a code counted here, on the nodes' own columns, before the joins widen each row (the window
-- carries every column of its rows: over the joined rows it cost twice as much)
nodi AS (
    SELECT *, count(*) OVER (PARTITION BY ente, anno, codice) AS occorrenze FROM nodi_scritti
),
propri AS (
    SELECT ente, anno, codice_obiettivo AS codice, count(*) AS n FROM stg_indicatori GROUP BY ALL
),
sotto AS (
    SELECT n.ente, n.anno, n.codice, count(i.codice) AS n
    FROM int_nodi AS n
    JOIN int_indicatori AS i ON i.ente = n.ente AND i.anno = n.anno
         AND n.codice = CASE n.livello WHEN 'area' THEN i.codice_area WHEN 'strategico' THEN i.codice_strategico
                                       ELSE i.codice_operativo END
    GROUP BY ALL
),
area_dei_nodi AS (
    SELECT ente, anno, livello, codice, any_value(codice_area) AS codice_area FROM int_nodi GROUP BY ALL
)
SELECT n.ente, n.anno, n.codice, n.codice_documento, n.livello, n.codice_padre, n.titolo,
       coalesce(p.n, 0) AS indicatori_propri, coalesce(s.n, 0) AS indicatori_sotto,
       n.occorrenze,
       n.riga_fonte, n.note, a.codice_area
FROM nodi AS n
LEFT JOIN propri AS p ON p.ente = n.ente AND p.anno = n.anno AND p.codice = n.codice
LEFT JOIN sotto AS s ON s.ente = n.ente AND s.anno = n.anno AND s.codice = n.codice
LEFT JOIN area_dei_nodi AS a ON a.ente = n.ente AND a.anno = n.anno AND a.livello = n.livello AND a.codice = n.codice
