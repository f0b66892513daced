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
WITH nodi_in_carico AS (
    SELECT ente, anno, codice, livello, codice_area,
           coalesce(CASE WHEN $per = 'centro' THEN centro_responsabilita ELSE responsabile END, '(non indicato)') AS nome
    FROM int_nodi
    WHERE ($ente IS NULL OR ente = $ente)
      AND ($anno IS NULL OR anno = $anno)
      AND ($area IS NULL OR codice_area = $area)
      AND ($obiettivo IS NULL OR $obiettivo IN (codice_strategico, codice_operativo))
),
indicatori_per_nome AS (
    SELECT n.ente, n.anno, n.nome,
           somma_conteggi(s.indicatori) AS indicatori, somma_conteggi(s.misurabili) AS misurabili,
           somma_conteggi(s.raggiunti) AS raggiunti, somma_conteggi(s.non_raggiunti) AS non_raggiunti,
           somma_conteggi(s.qualitativi) AS qualitativi, somma_conteggi(s.senza_valore) AS senza_valore
    FROM nodi_in_carico AS n
    JOIN int_stati_per_nodo AS s ON s.ente = n.ente AND s.anno = n.anno AND s.codice_obiettivo = n.codice
    GROUP BY ALL
),
obiettivi_per_nome AS (
    SELECT ente, anno, nome,
           count(DISTINCT codice_area) AS aree,
           count(*) FILTER (WHERE livello = 'strategico') AS obiettivi_strategici,
           count(*) FILTER (WHERE livello = 'operativo') AS obiettivi_operativi
    FROM nodi_in_carico
    GROUP BY ALL
)
SELECT o.ente, o.anno, o.nome, o.aree, o.obiettivi_strategici, o.obiettivi_operativi,
       coalesce(i.indicatori, 0) AS indicatori, coalesce(i.misurabili, 0) AS misurabili,
       coalesce(i.raggiunti, 0) AS raggiunti, coalesce(i.non_raggiunti, 0) AS non_raggiunti,
       coalesce(i.qualitativi, 0) AS qualitativi, coalesce(i.senza_valore, 0) AS senza_valore,
       100.0 * i.raggiunti / nullif(i.misurabili, 0) AS quota_raggiunti
FROM obiettivi_per_nome AS o
LEFT JOIN indicatori_per_nome AS i USING (ente, anno, nome)
ORDER BY o.ente, o.anno, (o.nome = '(non indicato)'), o.nome
