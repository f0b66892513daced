-- purpose: one indicator across chambers in a report year: each chamber's valore raggiunto, its rank (1 = best,
--          by the direction of the targets), its percentile, and the distribution (quartiles) of all chambers.
--          A chamber with several indicators of the same descrizione in that year counts once, with their mean.
--          A lookup on int_confronto_enti, computed at each import.
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
    SELECT coalesce($anno, (SELECT max(anno) FROM int_indicatori)) AS anno
)
SELECT c.ente, c.anno, c.valore, c.valore_atteso, c.unita, c.indicatori, c.raggiunti, c.posizione, c.enti,
       c.percentile, c.verso, c.q1, c.mediana, c.q3, coalesce(c.ente = $ente, false) AS e_ente
FROM int_confronto_enti AS c, anno_scelto AS y
WHERE c.anno = y.anno AND c.descrizione = $descrizione
ORDER BY c.posizione, c.ente
