-- purpose: imprese che usufruiscono dei servizi di supporto all'internazionalizzazione, per anno, with the count
--          as a percentage of the previous year (the indicator of 2019_03_01_3, target >= 70%).
--          The percentage is given only when the previous year itself is in the series.
-- parameters:
--   ente  text  the chamber (NULL = all)
-- columns:
--   ente, anno, imprese, imprese_anno_precedente, percentuale_anno_precedente (imprese / previous * 100,
--   unrounded), percentuale_dichiarata (the valore raggiunto of that year's indicator, if any), anno_relazione
WITH imprese_per_anno AS (
    SELECT ente, anno_valore AS anno, valore AS imprese, anno AS anno_relazione, codice_indicatore
    FROM int_serie_correnti
    WHERE serie = 'imprese_internazionalizzazione' AND ($ente IS NULL OR ente = $ente)
)
SELECT s.ente, s.anno, s.imprese, p.imprese AS imprese_anno_precedente,
       100.0 * s.imprese / nullif(p.imprese, 0) AS percentuale_anno_precedente,
       i.vr_numero AS percentuale_dichiarata,
       s.anno_relazione
FROM imprese_per_anno AS s
LEFT JOIN imprese_per_anno AS p ON p.ente = s.ente AND p.anno = s.anno - 1
LEFT JOIN stg_indicatori AS i ON i.ente = s.ente AND i.anno = s.anno AND i.codice = s.codice_indicatore
ORDER BY s.ente, s.anno
