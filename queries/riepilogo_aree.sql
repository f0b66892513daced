-- purpose: the summary per area strategica: how many objectives and indicators, the share of measurable
--          indicators whose valore raggiunto meets the valore atteso, and the area's grado di raggiungimento as
--          grado_aree gives it (int_grado_nodi), so that a page showing both reads them in one query (one table:
--          int_riepilogo_aree holds them all).
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice_area, missione, denominazione (as the report prints it), nome (readable: the mission's
--   description, else denominazione), obiettivi_strategici, obiettivi_operativi, indicatori,
--   misurabili (numeric VA and VR), raggiunti, non_raggiunti, qualitativi, senza_valore (no VA or no VR),
--   quota_raggiunti (raggiunti / misurabili * 100; NULL when none is measurable), esito_conseguito_dichiarato,
--   grado (%; NULL = nothing to judge), fascia, indicatori_valutati, indicatori_totali
SELECT ente, anno, codice_area, missione, denominazione, nome, obiettivi_strategici, obiettivi_operativi, indicatori,
       misurabili, raggiunti, non_raggiunti, qualitativi, senza_valore, quota_raggiunti, esito_conseguito_dichiarato,
       grado, fascia, indicatori_valutati, indicatori_totali
FROM int_riepilogo_aree
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice_area
