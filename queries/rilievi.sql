-- purpose: the findings of the Verifica, computed with the data (cruscotto/verifica/stored.py, table int_rilievi),
--          in the runner's order: errors first, then by chamber, year, area, object and check.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   controllo, gravita, ente, anno, titolo, spiegazione, codice_indicatore, codice_obiettivo, codice_area,
--   valore_dichiarato, valore_ricalcolato, righe_fonte, calcolo, regola, citazione, oggetto
SELECT controllo, gravita, ente, anno, titolo, spiegazione, codice_indicatore, codice_obiettivo, codice_area,
       valore_dichiarato, valore_ricalcolato, righe_fonte, calcolo, regola, citazione, oggetto
FROM int_rilievi
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY rango_gravita, ente, posizione
