-- purpose: indicators with a peso while the rule in force averages without weights (media 'semplice').
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, peso, riga_fonte
SELECT ente, anno, codice, peso, riga_fonte
FROM stg_valutazione
WHERE peso IS NOT NULL AND media = 'semplice'
  AND ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice
