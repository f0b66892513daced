-- purpose: the chambers and report years the store holds, one row per (ente, anno) with its size, whether it is
--          the installation's own chamber (the ente of the first version ever loaded: data/ on first start), and
--          the latest version of the store and the latest version that wrote the partition (for the line under
--          every page title). Recomputed whole by every import and rollback, after the version is recorded.
-- materialized: table
-- columns:
--   ente, anno, aree, obiettivi, indicatori, ente_principale (true for the installation's own chamber),
--   versione (latest version of the whole store, 0 when empty), versione_partizione (latest version that wrote
--   the partition, NULL when none), importata_il, operazione, utente, file_name (of that version)
WITH ente_principale AS (
    SELECT partizioni[1][1] AS ente
    FROM stg_versioni
    WHERE len(partizioni) > 0
    ORDER BY versione
    LIMIT 1
),
scritte AS (
    SELECT parte[1] AS ente, parte[2] AS anno_testo, versione
    FROM (SELECT versione, unnest(partizioni) AS parte FROM stg_versioni)
),
ultima AS (
    SELECT s.ente, s.anno_testo, v.versione AS versione_partizione, v.creata_il AS importata_il, v.operazione, v.utente,
           v.file_name
    FROM (SELECT ente, anno_testo, max(versione) AS versione FROM scritte GROUP BY ente, anno_testo) AS s
    JOIN stg_versioni AS v ON v.versione = s.versione
),
periodi AS (
    SELECT ente, anno, count(DISTINCT codice) AS aree, coalesce(ente = (SELECT ente FROM ente_principale), false) AS ente_principale
    FROM stg_aree
    GROUP BY ente, anno
),
n_obiettivi AS (SELECT ente, anno, count(*) AS n FROM stg_obiettivi GROUP BY ente, anno),
n_indicatori AS (SELECT ente, anno, count(*) AS n FROM stg_indicatori GROUP BY ente, anno)
SELECT p.ente, p.anno, p.aree, coalesce(o.n, 0) AS obiettivi, coalesce(i.n, 0) AS indicatori, p.ente_principale,
       (SELECT coalesce(max(versione), 0) FROM stg_versioni) AS versione,
       u.versione_partizione, u.importata_il, u.operazione, u.utente, u.file_name
FROM periodi AS p
LEFT JOIN n_obiettivi AS o ON o.ente = p.ente AND o.anno = p.anno
LEFT JOIN n_indicatori AS i ON i.ente = p.ente AND i.anno = p.anno
LEFT JOIN ultima AS u ON u.ente = p.ente AND u.anno_testo = CAST(p.anno AS VARCHAR)
