-- purpose: the summary per area strategica: how many objectives and indicators, and the share of measurable
--          indicators whose valore raggiunto meets the valore atteso.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice_area, missione, denominazione, obiettivi_strategici, obiettivi_operativi, indicatori,
--   misurabili (numeric VA and VR), raggiunti, non_raggiunti, qualitativi, senza_valore (no VA or no VR),
--   quota_raggiunti (raggiunti / misurabili * 100; NULL when none is measurable), esito_conseguito_dichiarato
SELECT ente, anno, codice_area, missione, denominazione, obiettivi_strategici, obiettivi_operativi, indicatori, misurabili,
       raggiunti, non_raggiunti, qualitativi, senza_valore, quota_raggiunti, esito_conseguito_dichiarato
FROM int_riepilogo_aree
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice_area
