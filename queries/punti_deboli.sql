-- purpose: the indicators to look at first: not reached by rule, without a valore raggiunto or a valore atteso,
--          or whose esito the report does not declare as 'OBIETTIVO CONSEGUITO'. One row per indicator with the
--          reason in words.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
--   area  text  codice of the area strategica (NULL = all)
-- columns:
--   ente, anno, codice_area, codice_obiettivo, codice, descrizione, valore_atteso, valore_raggiunto, stato,
--   esito_dichiarato, motivo
SELECT ente, anno, codice_area, codice_obiettivo, codice, descrizione, valore_atteso, valore_raggiunto, stato,
       esito_dichiarato,
       concat_ws('; ',
           CASE stato WHEN 'non raggiunto' THEN 'valore raggiunto sotto il valore atteso'
                      WHEN 'non rilevato' THEN 'valore raggiunto non indicato'
                      WHEN 'senza target' THEN 'valore atteso non indicato' END,
           CASE WHEN esito_dichiarato IS NULL THEN 'esito non dichiarato nella relazione'
                WHEN esito_dichiarato <> 'OBIETTIVO CONSEGUITO' THEN 'esito dichiarato: ' || lower(esito_dichiarato) END
       ) AS motivo
FROM int_indicatori
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($area IS NULL OR codice_area = $area)
  AND (stato IN ('non raggiunto', 'non rilevato', 'senza target')
       OR esito_dichiarato IS NULL OR esito_dichiarato <> 'OBIETTIVO CONSEGUITO')
ORDER BY ente, anno, CASE stato WHEN 'non raggiunto' THEN 0 WHEN 'non rilevato' THEN 1 WHEN 'senza target' THEN 2 ELSE 3 END, codice
