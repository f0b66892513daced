-- purpose: the summary per area strategica: how many objectives and indicators, and the share of measurable
--          indicators whose valore raggiunto meets the valore atteso.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice_area, missione, denominazione (as the report prints it), nome (readable: the mission's
--   description, else denominazione), obiettivi_strategici, obiettivi_operativi, indicatori,
--   misurabili (numeric VA and VR), raggiunti, non_raggiunti, qualitativi, senza_valore (no VA or no VR),
--   quota_raggiunti (raggiunti / misurabili * 100; NULL when none is measurable), esito_conseguito_dichiarato
WITH nodi AS (
    SELECT ente, anno, codice_area,
           count(*) FILTER (WHERE livello = 'strategico') AS obiettivi_strategici,
           count(*) FILTER (WHERE livello = 'operativo') AS obiettivi_operativi
    FROM stg_nodi
    GROUP BY ALL
),
ind AS (
    SELECT ente, anno, codice_area,
           count(*) AS indicatori,
           count(*) FILTER (WHERE stato IN ('raggiunto', 'non raggiunto')) AS misurabili,
           count(*) FILTER (WHERE stato = 'raggiunto') AS raggiunti,
           count(*) FILTER (WHERE stato = 'non raggiunto') AS non_raggiunti,
           count(*) FILTER (WHERE stato = 'qualitativo') AS qualitativi,
           count(*) FILTER (WHERE stato IN ('non rilevato', 'senza target')) AS senza_valore,
           count(*) FILTER (WHERE esito_dichiarato = 'OBIETTIVO CONSEGUITO') AS esito_conseguito_dichiarato
    FROM stg_indicatori
    GROUP BY ALL
)
SELECT a.ente, a.anno, a.codice AS codice_area, a.missione, a.denominazione,
       coalesce(a.missione_descrizione, a.denominazione, a.codice) AS nome,
       coalesce(n.obiettivi_strategici, 0) AS obiettivi_strategici,
       coalesce(n.obiettivi_operativi, 0) AS obiettivi_operativi,
       coalesce(i.indicatori, 0) AS indicatori,
       coalesce(i.misurabili, 0) AS misurabili,
       coalesce(i.raggiunti, 0) AS raggiunti,
       coalesce(i.non_raggiunti, 0) AS non_raggiunti,
       coalesce(i.qualitativi, 0) AS qualitativi,
       coalesce(i.senza_valore, 0) AS senza_valore,
       100.0 * i.raggiunti / nullif(i.misurabili, 0) AS quota_raggiunti,
       coalesce(i.esito_conseguito_dichiarato, 0) AS esito_conseguito_dichiarato
FROM aree AS a
LEFT JOIN nodi AS n ON n.ente = a.ente AND n.anno = a.anno AND n.codice_area = a.codice
LEFT JOIN ind AS i ON i.ente = a.ente AND i.anno = a.anno AND i.codice_area = a.codice
WHERE ($ente IS NULL OR a.ente = $ente)
  AND ($anno IS NULL OR a.anno = $anno)
ORDER BY a.ente, a.anno, a.codice
