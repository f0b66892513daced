-- purpose: indicator codes used more than once in the same report (the import refuses them; a store written by
--          other means may still hold them).
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, occorrenze, righe_fonte (list)
SELECT ente, anno, codice, count(*) AS occorrenze, list(riga_fonte ORDER BY riga_fonte) AS righe_fonte
FROM stg_indicatori
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
GROUP BY ente, anno, codice
HAVING count(*) > 1
ORDER BY ente, anno, codice
