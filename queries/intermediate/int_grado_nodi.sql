-- purpose: the grado di raggiungimento rolled up the plan: every node (area strategica, obiettivo strategico,
--          obiettivo operativo) with its grado by the rule in force (int_regole_periodo 'aggregazione'):
--          'gerarchica'  = weighted mean of the node's own judged indicators (weights peso_nodo) and of the gradi of
--                          its child objectives that have one (each child weighs 1);
--          'indicatori'  = weighted mean of every judged indicator below the node (weights peso_nodo).
--          A node with nothing to judge has no grado (NULL): it is never counted as 0.
--          Written as one pipeline (no join between partial results, windows partitioned by ente and anno) so that
--          a filter on ente and anno reaches the tables: an import that writes one chamber and year recomputes only
--          that (store/models.py refresh).
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice, livello ('area' | 'strategico' | 'operativo'), codice_area, codice_strategico, titolo,
--   grado (%), fascia, esito_regola, aggregazione, indicatori_propri (judged, hung at the node), figli_valutati
--   (child objectives with a grado), indicatori_valutati (judged indicators below, node included), indicatori_totali
--   (all indicators below, node included), soglia_raggiunto, soglia_parziale
-- every node once, and every indicator once for each node it counts for: at the node it hangs from ('proprio', at
-- any level, matched on the code as the node's own indicators) and at the area, strategic and operational
-- objective above it (node included)
WITH elementi AS (
    SELECT ente, anno, livello, codice, codice_area, codice_strategico, titolo, true AS nodo, false AS proprio,
           CAST(NULL AS VARCHAR) AS indicatore, CAST(NULL AS DOUBLE) AS grado, CAST(NULL AS DOUBLE) AS peso_nodo
    FROM int_nodi
    UNION ALL
    SELECT ente, anno, u.livello, u.codice, NULL, NULL, NULL, false, u.proprio, codice, grado, peso_nodo
    FROM (SELECT ente, anno, codice, grado, peso_nodo,
                 unnest([{'livello': 'area', 'codice': codice_obiettivo, 'proprio': true},
                         {'livello': 'strategico', 'codice': codice_obiettivo, 'proprio': true},
                         {'livello': 'operativo', 'codice': codice_obiettivo, 'proprio': true},
                         {'livello': 'area', 'codice': codice_area, 'proprio': false},
                         {'livello': 'strategico', 'codice': codice_strategico, 'proprio': false},
                         {'livello': 'operativo', 'codice': codice_operativo, 'proprio': false}]) AS u
          FROM int_valutazione)
),
nodi AS (
    SELECT ente, anno, livello, codice,
           any_value(codice_area) FILTER (WHERE nodo) AS codice_area,
           any_value(codice_strategico) FILTER (WHERE nodo) AS codice_strategico,
           any_value(titolo) FILTER (WHERE nodo) AS titolo,
           sum(peso_nodo * grado) FILTER (WHERE proprio AND grado IS NOT NULL) AS s_propri,
           sum(peso_nodo) FILTER (WHERE proprio AND grado IS NOT NULL) AS w_propri,
           count(grado) FILTER (WHERE proprio) AS indicatori_propri,
           sum(peso_nodo * grado) FILTER (WHERE NOT proprio AND grado IS NOT NULL) AS s_sotto,
           sum(peso_nodo) FILTER (WHERE NOT proprio AND grado IS NOT NULL) AS w_sotto,
           count(grado) FILTER (WHERE NOT proprio) AS indicatori_valutati,
           count(indicatore) FILTER (WHERE NOT proprio) AS indicatori_totali
    FROM elementi
    WHERE codice IS NOT NULL
    GROUP BY ente, anno, livello, codice
    HAVING bool_or(nodo)
),
-- 'gerarchica' (macro grado_con_figli): an operational objective from its own indicators, a strategic one from its
-- own and its operational objectives' gradi, an area from its own and its strategic objectives' gradi
operativi AS (
    SELECT *, CASE WHEN livello = 'operativo' THEN grado_con_figli(s_propri, w_propri, NULL, 0) END AS grado_operativo
    FROM nodi
),
strategici AS (
    SELECT *, count(grado_operativo) OVER figli AS figli_strategico,
           CASE WHEN livello = 'strategico' THEN grado_con_figli(s_propri, w_propri, sum(grado_operativo) OVER figli,
                                                                 count(grado_operativo) OVER figli) END AS grado_strategico
    FROM operativi WINDOW figli AS (PARTITION BY ente, anno, codice_strategico)
),
gerarchici AS (
    SELECT *, count(grado_strategico) OVER figli AS figli_area,
           CASE WHEN livello = 'area' THEN grado_con_figli(s_propri, w_propri, sum(grado_strategico) OVER figli,
                                                           count(grado_strategico) OVER figli) END AS grado_area
    FROM strategici WINDOW figli AS (PARTITION BY ente, anno, codice_area)
),
gradi_nodi AS (
    SELECT n.ente, n.anno, n.codice, n.livello, n.codice_area, n.codice_strategico, n.titolo,
           CASE WHEN r.aggregazione = 'indicatori' THEN n.s_sotto / nullif(n.w_sotto, 0)
                WHEN n.livello = 'operativo' THEN n.grado_operativo
                WHEN n.livello = 'strategico' THEN n.grado_strategico
                ELSE n.grado_area END AS grado,
           r.aggregazione,
           n.indicatori_propri,
           CASE n.livello WHEN 'operativo' THEN 0 WHEN 'strategico' THEN n.figli_strategico ELSE n.figli_area END
               AS figli_valutati,
           n.indicatori_valutati,
           n.indicatori_totali,
           r.soglia_raggiunto, r.soglia_parziale
    FROM gerarchici AS n
    LEFT JOIN int_regole_periodo AS r ON r.ente = n.ente AND r.anno = n.anno
)
SELECT ente, anno, codice, livello, codice_area, codice_strategico, titolo, grado,
       fascia_grado(grado, soglia_raggiunto, soglia_parziale) AS fascia,
       esito_grado(grado, soglia_raggiunto, soglia_parziale) AS esito_regola,
       aggregazione, indicatori_propri, figli_valutati, indicatori_valutati, indicatori_totali,
       soglia_raggiunto, soglia_parziale
FROM gradi_nodi
