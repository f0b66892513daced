-- purpose: the valore raggiunto (or a percentage cited in the narrative) recomputed from the report's own data by
--          the method declared in metodi_calcolo, beside the declared value.
-- parameters:
--   ente        text  the chamber (NULL = all)
--   anno        int   the report year (NULL = all)
--   indicatore  text  codice of one indicator (NULL = all)
-- columns:
--   ente, anno, codice_indicatore, codice_obiettivo, descrizione, oggetto, lettura, metodo, serie, grandezza,
--   anno_valore, anno_base, valore_ricalcolato (unrounded), dichiarato_testo, dichiarato_numero, differenza
--   (dichiarato_numero - valore_ricalcolato), mancanti (what is missing, when it cannot be recomputed),
--   modalita_calcolo, riga_metodo, riga_indicatore
SELECT ente, anno, codice_indicatore, codice_obiettivo, descrizione, oggetto, lettura, metodo, serie, grandezza,
       anno_valore, anno_base, valore_ricalcolato, dichiarato_testo, dichiarato_numero,
       dichiarato_numero - valore_ricalcolato AS differenza,
       array_to_string(mancanti, '; ') AS mancanti,
       modalita_calcolo, riga_metodo, riga_indicatore
FROM int_ricalcolo
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($indicatore IS NULL OR codice_indicatore = $indicatore)
ORDER BY ente, anno, codice_indicatore, oggetto, CASE lettura WHEN 'principale' THEN 0 WHEN 'riscontro' THEN 1 ELSE 2 END
