-- purpose: the indicators that can be compared across chambers in a report year: those with the same
--          descrizione and a numeric valore raggiunto in at least two chambers (the Unioncamere-style common set).
--          A lookup on int_confronto_indicatori and int_confronto_enti, computed at each import.
-- parameters:
--   anno  int   the report year (NULL = the latest year in the store)
--   ente  text  the chamber looking at the comparison: flags the indicators it reports (NULL = none)
-- columns:
--   anno, descrizione, unita (the unit of the values, NULL for plain counts), enti (chambers with a numeric
--   valore raggiunto), verso ('alto' when a higher value is better, i.e. most targets are >= or >; 'basso' when
--   most are <= or <), ha_ente (true when the chamber reports it), valore_ente (its valore raggiunto)
WITH anno_scelto AS (
    SELECT coalesce($anno, (SELECT max(anno) FROM int_indicatori)) AS anno
)
SELECT d.anno, d.descrizione, d.unita, d.enti, d.verso, e.ente IS NOT NULL AS ha_ente, e.valore AS valore_ente
FROM int_confronto_indicatori AS d
JOIN anno_scelto AS y ON d.anno = y.anno
LEFT JOIN int_confronto_enti AS e ON e.anno = d.anno AND e.descrizione = d.descrizione AND e.ente = $ente
WHERE d.enti >= 2
ORDER BY ha_ente DESC, d.enti DESC, d.descrizione
