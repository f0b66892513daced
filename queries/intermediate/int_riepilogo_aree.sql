-- purpose: the summary per area strategica: how many objectives and indicators, the share of measurable
--          indicators whose valore raggiunto meets the valore atteso (counts by status: int_stati_per_nodo), the
--          readable name and the area's grado di raggiungimento (int_grado_nodi), so that the page query
--          riepilogo_aree reads this table alone.
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice_area, missione, denominazione, obiettivi_strategici, obiettivi_operativi, indicatori,
--   misurabili (numeric VA and VR), raggiunti, non_raggiunti, qualitativi, senza_valore (no VA or no VR),
--   quota_raggiunti (raggiunti / misurabili * 100; NULL when none is measurable), esito_conseguito_dichiarato,
--   nome (readable: the mission's description, else denominazione), grado (%; NULL = nothing to judge), fascia,
--   indicatori_valutati, indicatori_totali
WITH obiettivi_per_area AS (
    SELECT ente, anno, codice_area,
           count(*) FILTER (WHERE livello = 'strategico') AS obiettivi_strategici,
           count(*) FILTER (WHERE livello = 'operativo') AS obiettivi_operativi
    FROM int_nodi
    GROUP BY ALL
),
indicatori_per_area AS (
    SELECT ente, anno, codice_area,
           somma_conteggi(indicatori) AS indicatori, somma_conteggi(misurabili) AS misurabili,
           somma_conteggi(raggiunti) AS raggiunti, somma_conteggi(non_raggiunti) AS non_raggiunti,
           somma_conteggi(qualitativi) AS qualitativi, somma_conteggi(senza_valore) AS senza_valore,
           somma_conteggi(esito_conseguito_dichiarato) AS esito_conseguito_dichiarato
    FROM int_stati_per_nodo
    WHERE codice_area IS NOT NULL
    GROUP BY ALL
)
SELECT a.ente, a.anno, a.codice AS codice_area, a.missione, a.denominazione,
       coalesce(n.obiettivi_strategici, 0) AS obiettivi_strategici,
       coalesce(n.obiettivi_operativi, 0) AS obiettivi_operativi,
       coalesce(i.indicatori, 0) AS indicatori,
       coalesce(i.misurabili, 0) AS misurabili,
       coalesce(i.raggiunti, 0) AS raggiunti,
       coalesce(i.non_raggiunti, 0) AS non_raggiunti,
       coalesce(i.qualitativi, 0) AS qualitativi,
       coalesce(i.senza_valore, 0) AS senza_valore,
       100.0 * i.raggiunti / nullif(i.misurabili, 0) AS quota_raggiunti,
       coalesce(i.esito_conseguito_dichiarato, 0) AS esito_conseguito_dichiarato,
       coalesce(a.missione_descrizione, a.denominazione, a.codice) AS nome,
       g.grado, g.fascia, g.indicatori_valutati, g.indicatori_totali
FROM stg_aree AS a
LEFT JOIN obiettivi_per_area AS n ON n.ente = a.ente AND n.anno = a.anno AND n.codice_area = a.codice
LEFT JOIN indicatori_per_area AS i ON i.ente = a.ente AND i.anno = a.anno AND i.codice_area = a.codice
LEFT JOIN int_grado_nodi AS g ON g.ente = a.ente AND g.anno = a.anno AND g.codice = a.codice AND g.livello = 'area'
