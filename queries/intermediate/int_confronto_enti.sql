-- purpose: each chamber's place in the comparison of an indicator across chambers, one row per report year,
--          descrizione and chamber: its valore raggiunto, its rank (1 = best, by the direction of the targets), its
--          percentile, and the quartiles of all chambers. A chamber with several indicators of the same descrizione
--          in a year counts once, with their mean. Written once per import (confronto_indicatore looks it up);
--          partitioned by year alone: an import of one chamber moves the ranks of every chamber in its years.
-- materialized: table
-- partition: anno
-- columns:
--   ente, anno, descrizione, valore (mean valore raggiunto), valore_atteso (mean numeric target), unita (the
--   chamber's most frequent unit), indicatori (how many indicators of the chamber were merged), raggiunti (how many
--   met their target), posizione (rank, 1 = best, ties share the rank), enti (chambers compared), percentile (share
--   of the other chambers that do worse, 0-100), verso ('alto' | 'basso', int_confronto_indicatori), q1, mediana,
--   q3 (quartiles of valore over the chambers)
WITH per_ente AS (
    SELECT ente, anno, descrizione, avg(vr_numero) AS valore, avg(va_numero) AS valore_atteso,
           mode(coalesce(vr_unita, va_unita)) AS unita, count(*) AS indicatori,
           count(*) FILTER (WHERE stato = 'raggiunto') AS raggiunti
    FROM int_indicatori
    WHERE vr_tipo = 'numerico'
    GROUP BY ente, anno, descrizione
)
SELECT p.ente, p.anno, p.descrizione, p.valore, p.valore_atteso, p.unita, p.indicatori, p.raggiunti,
       CASE WHEN d.verso = 'basso' THEN rank() OVER (confronto ORDER BY p.valore ASC)
            ELSE rank() OVER (confronto ORDER BY p.valore DESC) END AS posizione,
       count(*) OVER confronto AS enti,
       100.0 * CASE WHEN d.verso = 'basso' THEN percent_rank() OVER (confronto ORDER BY p.valore DESC)
                    ELSE percent_rank() OVER (confronto ORDER BY p.valore ASC) END AS percentile,
       d.verso,
       quantile_cont(p.valore, 0.25) OVER confronto AS q1,
       quantile_cont(p.valore, 0.5) OVER confronto AS mediana,
       quantile_cont(p.valore, 0.75) OVER confronto AS q3
FROM per_ente AS p
JOIN int_confronto_indicatori AS d USING (anno, descrizione)
WINDOW confronto AS (PARTITION BY p.anno, p.descrizione)
