-- purpose: the public reference values (table riferimenti) a chamber compares one of its series or indicators
--          with, each with its source; when several reports of the chamber give the same reference (same
--          territory and year), the most recent report wins, as for the series.
-- parameters:
--   ente         text  the chamber whose references (NULL = all)
--   riferimento  text  a series (serie_storiche.serie) or an indicator code (NULL = all)
-- columns:
--   ente, riferimento, territorio, anno_valore, valore, unita, fonte, url (NULL when not recorded), consultato_il
--   (GG/MM/AAAA), dettaglio, note, anno_relazione (the report that gives it). Ordered by reference, year (latest
--   first) and value (highest first).
SELECT ente, riferimento, territorio, anno_valore, valore, unita, fonte, url, consultato_il, dettaglio, note,
       anno AS anno_relazione
FROM riferimenti
WHERE ($ente IS NULL OR ente = $ente)
  AND ($riferimento IS NULL OR riferimento = $riferimento)
QUALIFY row_number() OVER (PARTITION BY ente, riferimento, territorio, anno_valore ORDER BY anno DESC) = 1
ORDER BY ente, riferimento, anno_valore DESC, valore DESC, territorio
