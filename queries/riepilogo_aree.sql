-- purpose: the summary per area strategica: how many objectives and indicators, the share of measurable
--          indicators whose valore raggiunto meets the valore atteso, and the area's grado di raggiungimento as
--          grado_aree gives it (int_grado_nodi), so that a page showing both reads them in one query.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice_area, missione, denominazione (as the report prints it), nome (readable: the mission's
--   description, else denominazione), obiettivi_strategici, obiettivi_operativi, indicatori,
--   misurabili (numeric VA and VR), raggiunti, non_raggiunti, qualitativi, senza_valore (no VA or no VR),
--   quota_raggiunti (raggiunti / misurabili * 100; NULL when none is measurable), esito_conseguito_dichiarato,
--   grado (%; NULL = nothing to judge), fascia, indicatori_valutati, indicatori_totali
SELECT r.ente, r.anno, r.codice_area, r.missione, r.denominazione,
       coalesce(a.missione_descrizione, r.denominazione, r.codice_area) AS nome,
       r.obiettivi_strategici, r.obiettivi_operativi, r.indicatori, r.misurabili, r.raggiunti, r.non_raggiunti,
       r.qualitativi, r.senza_valore, r.quota_raggiunti, r.esito_conseguito_dichiarato, g.grado, g.fascia,
       g.indicatori_valutati, g.indicatori_totali
FROM int_riepilogo_aree AS r
JOIN stg_aree AS a ON a.ente = r.ente AND a.anno = r.anno AND a.codice = r.codice_area
LEFT JOIN int_grado_nodi AS g ON g.ente = r.ente AND g.anno = r.anno AND g.codice = r.codice_area AND g.livello = 'area'
WHERE ($ente IS NULL OR r.ente = $ente)
  AND ($anno IS NULL OR r.anno = $anno)
ORDER BY r.ente, r.anno, r.codice_area
