-- purpose: the grado di raggiungimento rolled up the plan: every node (area strategica, obiettivo strategico,
--          obiettivo operativo) with its grado by the rule in force (stg_regole 'aggregazione'):
--          'gerarchica'  = weighted mean of the node's own judged indicators (weights peso_nodo) and of the gradi of
--                          its child objectives that have one (each child weighs 1);
--          'indicatori'  = weighted mean of every judged indicator below the node (weights peso_nodo).
--          A node with nothing to judge has no grado (NULL): it is never counted as 0.
-- columns:
--   ente, anno, codice, livello ('area' | 'strategico' | 'operativo'), codice_area, codice_strategico, titolo,
--   grado (%), fascia, esito_regola, aggregazione, indicatori_propri (judged, hung at the node), figli_valutati
--   (child objectives with a grado), indicatori_valutati (judged indicators below, node included), indicatori_totali
--   (all indicators below, node included), soglia_raggiunto, soglia_parziale
WITH v AS (SELECT * FROM stg_valutazione WHERE grado IS NOT NULL),
r AS (
    SELECT ente, anno,
           max(valore) FILTER (WHERE regola = 'aggregazione') AS aggregazione,
           max(numero) FILTER (WHERE regola = 'soglia_raggiunto') AS soglia_raggiunto,
           max(numero) FILTER (WHERE regola = 'soglia_parziale') AS soglia_parziale
    FROM stg_regole GROUP BY ente, anno
),
propri AS (
    SELECT ente, anno, codice_obiettivo AS codice, sum(peso_nodo * grado) AS s, sum(peso_nodo) AS w, count(*) AS n
    FROM v GROUP BY ALL
),
sotto AS (
    SELECT n.ente, n.anno, n.codice, sum(v.peso_nodo * v.grado) AS s, sum(v.peso_nodo) AS w, count(*) AS n
    FROM stg_nodi AS n
    JOIN v ON v.ente = n.ente AND v.anno = n.anno
          AND n.codice = CASE n.livello WHEN 'area' THEN v.codice_area WHEN 'strategico' THEN v.codice_strategico
                                        ELSE v.codice_operativo END
    GROUP BY ALL
),
totali AS (
    SELECT n.ente, n.anno, n.codice, count(i.codice) AS n
    FROM stg_nodi AS n
    LEFT JOIN stg_indicatori AS i ON i.ente = n.ente AND i.anno = n.anno
          AND n.codice = CASE n.livello WHEN 'area' THEN i.codice_area WHEN 'strategico' THEN i.codice_strategico
                                        ELSE i.codice_operativo END
    GROUP BY ALL
),
operativi AS (
    SELECT n.ente, n.anno, n.codice, n.codice_strategico, p.s / nullif(p.w, 0) AS grado_g, 0 AS figli
    FROM stg_nodi AS n LEFT JOIN propri AS p USING (ente, anno, codice)
    WHERE n.livello = 'operativo'
),
strategici AS (
    SELECT n.ente, n.anno, n.codice, n.codice_area,
           (coalesce(any_value(p.s), 0) + coalesce(sum(o.grado_g), 0))
               / nullif(coalesce(any_value(p.w), 0) + count(o.grado_g), 0) AS grado_g,
           count(o.grado_g) AS figli
    FROM stg_nodi AS n
    LEFT JOIN propri AS p USING (ente, anno, codice)
    LEFT JOIN operativi AS o ON o.ente = n.ente AND o.anno = n.anno AND o.codice_strategico = n.codice
    WHERE n.livello = 'strategico'
    GROUP BY n.ente, n.anno, n.codice, n.codice_area
),
aree AS (
    SELECT n.ente, n.anno, n.codice,
           (coalesce(any_value(p.s), 0) + coalesce(sum(st.grado_g), 0))
               / nullif(coalesce(any_value(p.w), 0) + count(st.grado_g), 0) AS grado_g,
           count(st.grado_g) AS figli
    FROM stg_nodi AS n
    LEFT JOIN propri AS p USING (ente, anno, codice)
    LEFT JOIN strategici AS st ON st.ente = n.ente AND st.anno = n.anno AND st.codice_area = n.codice
    WHERE n.livello = 'area'
    GROUP BY n.ente, n.anno, n.codice
),
gerarchici AS (
    SELECT ente, anno, codice, grado_g, figli FROM operativi
    UNION ALL SELECT ente, anno, codice, grado_g, figli FROM strategici
    UNION ALL SELECT ente, anno, codice, grado_g, figli FROM aree
),
g AS (
    SELECT n.ente, n.anno, n.codice, n.livello, n.codice_area, n.codice_strategico, n.titolo,
           CASE WHEN r.aggregazione = 'indicatori' THEN s.s / nullif(s.w, 0) ELSE h.grado_g END AS grado,
           r.aggregazione,
           coalesce(p.n, 0) AS indicatori_propri,
           coalesce(h.figli, 0) AS figli_valutati,
           coalesce(s.n, 0) AS indicatori_valutati,
           coalesce(t.n, 0) AS indicatori_totali,
           r.soglia_raggiunto, r.soglia_parziale
    FROM stg_nodi AS n
    LEFT JOIN r ON r.ente = n.ente AND r.anno = n.anno
    LEFT JOIN gerarchici AS h ON h.ente = n.ente AND h.anno = n.anno AND h.codice = n.codice
    LEFT JOIN sotto AS s ON s.ente = n.ente AND s.anno = n.anno AND s.codice = n.codice
    LEFT JOIN propri AS p ON p.ente = n.ente AND p.anno = n.anno AND p.codice = n.codice
    LEFT JOIN totali AS t ON t.ente = n.ente AND t.anno = n.anno AND t.codice = n.codice
)
SELECT ente, anno, codice, livello, codice_area, codice_strategico, titolo, grado,
       CASE WHEN grado IS NULL THEN NULL
            WHEN grado >= soglia_raggiunto THEN 'raggiunto'
            WHEN grado >= soglia_parziale THEN 'parzialmente raggiunto'
            ELSE 'non raggiunto' END AS fascia,
       CASE WHEN grado IS NULL THEN NULL
            WHEN grado >= soglia_raggiunto THEN 'OBIETTIVO CONSEGUITO'
            WHEN grado >= soglia_parziale THEN 'OBIETTIVO PARZIALMENTE CONSEGUITO'
            ELSE 'OBIETTIVO NON CONSEGUITO' END AS esito_regola,
       aggregazione, indicatori_propri, figli_valutati, indicatori_valutati, indicatori_totali,
       soglia_raggiunto, soglia_parziale
FROM g
