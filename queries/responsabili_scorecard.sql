-- purpose: the scorecard per responsabile or per centro di responsabilità (the start of a director's
--          evaluation): objectives in charge, indicators, how many reached by rule and the share reached.
--          Nodes without a name in the report are grouped under '(non indicato)'.
-- parameters:
--   ente       text  the chamber (NULL = all)
--   anno       int   the report year (NULL = all)
--   per        text  'responsabile' (default) or 'centro'
--   area       text  codice of the area strategica (NULL = all)
--   obiettivo  text  codice of an obiettivo strategico or operativo (NULL = all)
-- columns:
--   ente, anno, nome (responsabile or centro), aree, obiettivi_strategici, obiettivi_operativi, indicatori,
--   misurabili, raggiunti, non_raggiunti, qualitativi, senza_valore, quota_raggiunti (raggiunti / misurabili *
--   100; NULL when none is measurable)
WITH n AS (
    SELECT ente, anno, codice, livello, codice_area,
           coalesce(CASE WHEN $per = 'centro' THEN centro_responsabilita ELSE responsabile END, '(non indicato)') AS nome
    FROM stg_nodi
    WHERE ($ente IS NULL OR ente = $ente)
      AND ($anno IS NULL OR anno = $anno)
      AND ($area IS NULL OR codice_area = $area)
      AND ($obiettivo IS NULL OR $obiettivo IN (codice_strategico, codice_operativo))
),
i AS (
    SELECT n.ente, n.anno, n.nome,
           count(*) AS indicatori,
           count(*) FILTER (WHERE s.stato IN ('raggiunto', 'non raggiunto')) AS misurabili,
           count(*) FILTER (WHERE s.stato = 'raggiunto') AS raggiunti,
           count(*) FILTER (WHERE s.stato = 'non raggiunto') AS non_raggiunti,
           count(*) FILTER (WHERE s.stato = 'qualitativo') AS qualitativi,
           count(*) FILTER (WHERE s.stato IN ('non rilevato', 'senza target')) AS senza_valore
    FROM n
    JOIN stg_indicatori AS s ON s.ente = n.ente AND s.anno = n.anno AND s.codice_obiettivo = n.codice
    GROUP BY ALL
),
o AS (
    SELECT ente, anno, nome,
           count(DISTINCT codice_area) AS aree,
           count(*) FILTER (WHERE livello = 'strategico') AS obiettivi_strategici,
           count(*) FILTER (WHERE livello = 'operativo') AS obiettivi_operativi
    FROM n
    GROUP BY ALL
)
SELECT o.ente, o.anno, o.nome, o.aree, o.obiettivi_strategici, o.obiettivi_operativi,
       coalesce(i.indicatori, 0) AS indicatori, coalesce(i.misurabili, 0) AS misurabili,
       coalesce(i.raggiunti, 0) AS raggiunti, coalesce(i.non_raggiunti, 0) AS non_raggiunti,
       coalesce(i.qualitativi, 0) AS qualitativi, coalesce(i.senza_valore, 0) AS senza_valore,
       100.0 * i.raggiunti / nullif(i.misurabili, 0) AS quota_raggiunti
FROM o
LEFT JOIN i USING (ente, anno, nome)
ORDER BY o.ente, o.anno, (o.nome = '(non indicato)'), o.nome
