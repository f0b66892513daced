-- purpose: the values of every historical series (or one), one row per series and year, latest report first.
-- parameters:
--   ente       text  the chamber (NULL = all)
--   serie      text  the series code (NULL = all)
--   anno_da    int   first year to show (NULL = from the start)
--   anno_a     int   last year to show (NULL = to the end)
-- columns:
--   ente, serie, titolo, unita, anno, valore, numeratore, denominatore, codice_indicatore, anno_relazione,
--   testo_originale, riga_fonte
SELECT ente, serie, titolo, unita, anno_valore AS anno, valore, numeratore, denominatore, codice_indicatore,
       anno AS anno_relazione, testo_originale, riga_fonte
FROM int_serie_correnti
WHERE ($ente IS NULL OR ente = $ente)
  AND ($serie IS NULL OR serie = $serie)
  AND ($anno_da IS NULL OR anno_valore >= $anno_da)
  AND ($anno_a IS NULL OR anno_valore <= $anno_a)
ORDER BY ente, serie, anno_valore
