-- purpose: the indicators compared across chambers, one row per report year and descrizione with a numeric valore
--          raggiunto in at least one chamber: how many chambers report it, its unit, which way is better. Written
--          once per import for every chamber, so that Confronto enti only looks it up (indicatori_confrontabili).
--          Partitioned by year alone: an import of one chamber changes the comparison of its years for all chambers.
-- materialized: table
-- partition: anno
-- columns:
--   anno, descrizione, unita (the most frequent unit of the values, NULL for plain counts), enti (chambers with a
--   numeric valore raggiunto), verso ('alto' when a higher value is better, i.e. most targets are >= or >; 'basso'
--   when most are <= or <: macro verso_prevalente)
SELECT anno, descrizione, mode(coalesce(vr_unita, va_unita)) AS unita, count(DISTINCT ente) AS enti,
       verso_prevalente(va_operatore) AS verso
FROM int_indicatori
WHERE vr_tipo = 'numerico'
GROUP BY anno, descrizione
