-- purpose: one indicator across chambers in a report year: each chamber's valore raggiunto, its rank (1 = best,
--          by the direction of the targets), its percentile, and the distribution (quartiles) of all chambers.
--          A chamber with several indicators of the same descrizione in that year counts once, with their mean.
-- parameters:
--   descrizione  text  the indicator's descrizione, as listed by indicatori_confrontabili
--   anno         int   the report year (NULL = the latest year in the store)
--   ente         text  the chamber to highlight (NULL = none)
-- columns:
--   ente, anno, valore (valore raggiunto), valore_atteso (mean numeric target), unita, indicatori (how many
--   indicators of the chamber were merged), raggiunti (how many met their target), posizione (rank, 1 = best,
--   ties share the rank), enti (chambers compared), percentile (share of the other chambers that do worse, 0-100),
--   verso ('alto' | 'basso': which way is better), q1, mediana, q3 (quartiles of valore over the chambers),
--   e_ente (true for the highlighted chamber)
WITH anno_scelto AS (
    SELECT coalesce($anno, (SELECT max(anno) FROM stg_indicatori)) AS anno
),
valori AS (
    SELECT s.ente, s.anno, s.vr_numero, s.va_numero, coalesce(s.vr_unita, s.va_unita) AS unita, s.va_operatore, s.stato
    FROM int_indicatori AS s, anno_scelto AS y
    WHERE s.anno = y.anno AND s.descrizione = $descrizione AND s.vr_tipo = 'numerico'
),
direzione AS (
    SELECT verso_prevalente(va_operatore) AS verso
    FROM valori
),
per_ente AS (
    SELECT ente, any_value(anno) AS anno, avg(vr_numero) AS valore, avg(va_numero) AS valore_atteso, mode(unita) AS unita,
           count(*) AS indicatori, count(*) FILTER (WHERE stato = 'raggiunto') AS raggiunti
    FROM valori
    GROUP BY ente
),
classifica AS (
    SELECT p.*, dir.verso,
           CASE WHEN dir.verso = 'basso' THEN rank() OVER (ORDER BY p.valore ASC)
                ELSE rank() OVER (ORDER BY p.valore DESC) END AS posizione,
           count(*) OVER () AS enti,
           100.0 * CASE WHEN dir.verso = 'basso' THEN percent_rank() OVER (ORDER BY p.valore DESC)
                        ELSE percent_rank() OVER (ORDER BY p.valore ASC) END AS percentile,
           quantile_cont(p.valore, 0.25) OVER () AS q1,
           quantile_cont(p.valore, 0.5) OVER () AS mediana,
           quantile_cont(p.valore, 0.75) OVER () AS q3
    FROM per_ente AS p, direzione AS dir
)
SELECT ente, anno, valore, valore_atteso, unita, indicatori, raggiunti, posizione, enti, percentile, verso,
       q1, mediana, q3, coalesce(ente = $ente, false) AS e_ente
FROM classifica
ORDER BY posizione, ente
