-- purpose: the nodes of the plan (aree, obiettivi strategici and operativi) with their label for selectors and
--          trees (denominazione, else title), the readable name a person knows it by (for the sidebar's selectors:
--          scelte_nodi), the number of their own indicators by status (int_stati_per_nodo) and their grado di
--          raggiungimento (int_grado_nodi), so that the page query nodi_piano reads this table alone.
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice, livello, codice_area, codice_strategico, codice_operativo, codice_padre (NULL for an
--   area), etichetta (denominazione or title, for selectors), titolo, centro_responsabilita, responsabile,
--   risultato, indicatori, raggiunti, non_raggiunti, qualitativi, senza_valore, nome (readable: the mission's
--   description for an area, the title for an objective; else etichetta), grado (%; NULL = nothing to judge),
--   fascia, indicatori_valutati, indicatori_totali
WITH nodi_con_titolo AS (
    SELECT s.*, o.denominazione, o.risultato,
           CASE s.livello WHEN 'operativo' THEN s.codice_strategico WHEN 'strategico' THEN s.codice_area END AS codice_padre
    FROM int_nodi AS s
    LEFT JOIN stg_obiettivi AS o ON o.ente = s.ente AND o.anno = s.anno AND o.codice = s.codice
)
SELECT n.ente, n.anno, n.codice, n.livello, n.codice_area, n.codice_strategico, n.codice_operativo, n.codice_padre,
       coalesce(n.denominazione, n.titolo, '(senza titolo nella relazione)') AS etichetta,
       n.titolo, n.centro_responsabilita, n.responsabile, n.risultato,
       coalesce(i.indicatori, 0) AS indicatori, coalesce(i.raggiunti, 0) AS raggiunti,
       coalesce(i.non_raggiunti, 0) AS non_raggiunti, coalesce(i.qualitativi, 0) AS qualitativi,
       coalesce(i.senza_valore, 0) AS senza_valore,
       coalesce(CASE n.livello WHEN 'area' THEN a.missione_descrizione ELSE n.titolo END, n.denominazione, n.titolo,
                '(senza titolo nella relazione)') AS nome,
       g.grado, g.fascia, g.indicatori_valutati, g.indicatori_totali
FROM nodi_con_titolo AS n
LEFT JOIN int_stati_per_nodo AS i ON i.ente = n.ente AND i.anno = n.anno AND i.codice_obiettivo = n.codice
LEFT JOIN stg_aree AS a ON a.ente = n.ente AND a.anno = n.anno AND a.codice = n.codice AND n.livello = 'area'
LEFT JOIN int_grado_nodi AS g ON g.ente = n.ente AND g.anno = n.anno AND g.codice = n.codice
