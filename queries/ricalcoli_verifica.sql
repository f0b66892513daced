-- purpose: the recomputations of one chamber's report as the Verifica page lists them («Indicatori ricalcolati»):
--          the rows of ricalcolo_indicatori (int_ricalcolo), in its order, with the eight columns the page shows
--          and quotes from, of its twenty.
-- parameters:
--   ente        text  the chamber
--   anno        int   the report year
--   indicatore  text  codice of one indicator (NULL = all)
-- columns:
--   codice_indicatore, oggetto, lettura, metodo, dichiarato_testo, valore_ricalcolato (unrounded), mancanti (what
--   is missing, when it cannot be recomputed), riga_metodo
SELECT codice_indicatore, oggetto, lettura, metodo, dichiarato_testo, valore_ricalcolato,
       array_to_string(mancanti, '; ') AS mancanti, riga_metodo
FROM int_ricalcolo
WHERE ente = $ente AND anno = $anno
  AND ($indicatore IS NULL OR codice_indicatore = $indicatore)
ORDER BY codice_indicatore, oggetto, CASE lettura WHEN 'principale' THEN 0 WHEN 'riscontro' THEN 1 ELSE 2 END
