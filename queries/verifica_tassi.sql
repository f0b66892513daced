-- purpose: every rate printed in a historical series beside its own numeratore / denominatore, for the check
--          «percentuale nel testo diversa dai suoi dati».
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, serie, titolo, anno_valore, valore (as printed), numeratore, denominatore, tasso_calcolato
--   (100 * numeratore / denominatore, unrounded), codice_indicatore, testo_originale, riga_fonte
SELECT ente, anno, serie, titolo, anno_valore, valore, numeratore, denominatore,
       100.0 * numeratore / denominatore AS tasso_calcolato, codice_indicatore, testo_originale, riga_fonte
FROM stg_serie_storiche
WHERE unita = '%' AND numeratore IS NOT NULL AND denominatore IS NOT NULL AND denominatore <> 0
  AND ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, serie, anno_valore
