-- purpose: the indicators that can be compared across chambers in a report year: those with the same
--          descrizione and a numeric valore raggiunto in at least two chambers (the Unioncamere-style common set).
-- parameters:
--   anno  int   the report year (NULL = the latest year in the store)
--   ente  text  the chamber looking at the comparison: flags the indicators it reports (NULL = none)
-- columns:
--   anno, descrizione, unita (the unit of the values, NULL for plain counts), enti (chambers with a numeric
--   valore raggiunto), verso ('alto' when a higher value is better, i.e. most targets are >= or >; 'basso' when
--   most are <= or <), ha_ente (true when the chamber reports it), valore_ente (its valore raggiunto)
WITH anno_scelto AS (
    SELECT coalesce($anno, (SELECT max(anno) FROM int_indicatori)) AS anno
),
valori AS (
    SELECT i.ente, i.anno, i.descrizione, i.vr_numero, coalesce(i.vr_unita, i.va_unita) AS unita, i.va_operatore
    FROM int_indicatori AS i, anno_scelto AS y
    WHERE i.anno = y.anno AND i.vr_tipo = 'numerico'
)
SELECT anno, descrizione, mode(unita) AS unita, count(DISTINCT ente) AS enti,
       verso_prevalente(va_operatore) AS verso,
       coalesce(bool_or(ente = $ente), false) AS ha_ente,
       avg(vr_numero) FILTER (WHERE ente = $ente) AS valore_ente
FROM valori
GROUP BY anno, descrizione
HAVING count(DISTINCT ente) >= 2
ORDER BY ha_ente DESC, enti DESC, descrizione
