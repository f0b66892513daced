-- purpose: the choices of the shared sidebar in one query: the chambers and report years the store holds, for the
--          ente and anno selectors, one row per (ente, anno) with its size; and, on the row of the chosen period,
--          the options of the area and obiettivo strategico selectors. The chamber of this installation comes
--          first (the ente of the first version ever loaded: data/ on first start), then the others by name;
--          within a chamber, the most recent year first. The chosen period is the one asked for when the store
--          holds it, else, as the sidebar falls back, the first chamber (when the chamber asked for is not
--          there) and its latest year. Each row also carries what the line under every page title shows (as
--          dati_mostrati does for one partition): the latest version of the store and the latest version that
--          wrote the partition, so that the shared sidebar and banner need no other query for it.
-- parameters:
--   ente  text  the chamber asked for (NULL = the first one)
--   anno  int   the report year asked for (NULL = the chamber's latest)
-- columns:
--   ente, anno, aree, obiettivi, indicatori, ente_principale (true for the installation's own chamber),
--   versione (latest version of the whole store, 0 when empty), versione_partizione (latest version that wrote
--   the partition, NULL when none), importata_il, operazione, utente, file_name (of that version),
--   scelto (true on the chosen period's row), nodi (on that row: its areas strategiche and obiettivi strategici
--   as a list of {codice, livello (area or strategico), codice_area, etichetta (denominazione or title, as the
--   report prints it), nome (readable: the mission's description for an area, the title for an objective; else
--   etichetta)}, in the order of nodi_piano; NULL on the other rows)
WITH scelto_ente AS (
    SELECT coalesce((SELECT ente FROM int_periodi WHERE ente = $ente LIMIT 1),
                    (SELECT ente FROM int_periodi ORDER BY ente_principale DESC, ente LIMIT 1)) AS ente
),
scelto AS (
    SELECT e.ente,
           coalesce((SELECT p.anno FROM int_periodi AS p WHERE p.ente = e.ente AND p.anno = $anno),
                    (SELECT max(p.anno) FROM int_periodi AS p WHERE p.ente = e.ente)) AS anno
    FROM scelto_ente AS e
),
nodi AS (
    SELECT list({'codice': p.codice, 'livello': p.livello, 'codice_area': p.codice_area, 'etichetta': p.etichetta,
                 'nome': coalesce(CASE p.livello WHEN 'area' THEN a.missione_descrizione ELSE p.titolo END, p.etichetta)}
                ORDER BY p.codice_area, p.codice_strategico NULLS FIRST) AS nodi
    FROM scelto AS s
    JOIN int_piano AS p ON p.ente = s.ente AND p.anno = s.anno AND p.livello IN ('area', 'strategico')
    LEFT JOIN stg_aree AS a ON a.ente = p.ente AND a.anno = p.anno AND a.codice = p.codice AND p.livello = 'area'
)
SELECT i.ente, i.anno, i.aree, i.obiettivi, i.indicatori, i.ente_principale, i.versione, i.versione_partizione,
       i.importata_il, i.operazione, i.utente, i.file_name,
       (i.ente = s.ente AND i.anno = s.anno) AS scelto,
       CASE WHEN i.ente = s.ente AND i.anno = s.anno THEN n.nodi END AS nodi
FROM int_periodi AS i, scelto AS s, nodi AS n
ORDER BY i.ente_principale DESC, i.ente, i.anno DESC
