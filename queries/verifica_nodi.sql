-- purpose: every node of the plan (aree and obiettivi) with what the structural checks need: the code as printed,
--          the parent, the title, and how many indicators hang from it and sit below it.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, codice_documento (as printed; for aree the codice), livello ('area' | 'strategico' |
--   'operativo'), codice_padre (NULL for aree), titolo, indicatori_propri, indicatori_sotto (node included),
--   occorrenze (rows with the same codice in aree + obiettivi of the same ente and anno), riga_fonte, note,
--   codice_area (the area the node lies in; NULL when its branch does not reach an area)
WITH nodi AS (
    SELECT ente, anno, codice, codice AS codice_documento, 'area' AS livello, CAST(NULL AS VARCHAR) AS codice_padre,
           coalesce(denominazione, missione_descrizione) AS titolo, riga_fonte, note
    FROM aree
    UNION ALL
    SELECT ente, anno, codice, codice_documento, livello, codice_padre, titolo, riga_fonte, note
    FROM obiettivi
),
propri AS (
    SELECT ente, anno, codice_obiettivo AS codice, count(*) AS n FROM indicatori GROUP BY ALL
),
sotto AS (
    SELECT n.ente, n.anno, n.codice, count(i.codice) AS n
    FROM stg_nodi AS n
    JOIN stg_indicatori AS i ON i.ente = n.ente AND i.anno = n.anno
         AND n.codice = CASE n.livello WHEN 'area' THEN i.codice_area WHEN 'strategico' THEN i.codice_strategico
                                       ELSE i.codice_operativo END
    GROUP BY ALL
),
area_dei_nodi AS (
    SELECT ente, anno, livello, codice, any_value(codice_area) AS codice_area FROM stg_nodi GROUP BY ALL
)
SELECT n.ente, n.anno, n.codice, n.codice_documento, n.livello, n.codice_padre, n.titolo,
       coalesce(p.n, 0) AS indicatori_propri, coalesce(s.n, 0) AS indicatori_sotto,
       count(*) OVER (PARTITION BY n.ente, n.anno, n.codice) AS occorrenze,
       n.riga_fonte, n.note, a.codice_area
FROM nodi AS n
LEFT JOIN propri AS p ON p.ente = n.ente AND p.anno = n.anno AND p.codice = n.codice
LEFT JOIN sotto AS s ON s.ente = n.ente AND s.anno = n.anno AND s.codice = n.codice
LEFT JOIN area_dei_nodi AS a ON a.ente = n.ente AND a.anno = n.anno AND a.livello = n.livello AND a.codice = n.codice
WHERE ($ente IS NULL OR n.ente = $ente)
  AND ($anno IS NULL OR n.anno = $anno)
ORDER BY n.ente, n.anno, n.codice, n.riga_fonte
