-- purpose: the stored text of the report, line by line (table fonte_righe), for the quotations the checks attach
--          to their findings.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, riga, testo
SELECT ente, anno, riga, testo
FROM stg_fonte_righe
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, riga
