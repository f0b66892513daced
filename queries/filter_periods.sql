-- purpose: the chambers and report years the store holds, for the ente and anno selectors: one row per
--          (ente, anno) with its size. The chamber of this installation comes first (the ente of the first
--          version ever loaded: data/ on first start), then the others by name; within a chamber, the most
--          recent year first. Each row also carries what the line under every page title shows (as data_info
--          does for one partition): the latest version of the store and the latest version that wrote the
--          partition, so that the shared sidebar and banner need no other query for it.
-- parameters:
--   (none)
-- columns:
--   ente, anno, aree, obiettivi, indicatori, ente_principale (true for the installation's own chamber),
--   versione (latest version of the whole store, 0 when empty), versione_partizione (latest version that wrote
--   the partition, NULL when none), importata_il, operazione, utente, file_name (of that version)
WITH primo AS (
    SELECT json_extract_string(partizioni, '$[0][0]') AS ente
    FROM versioni
    WHERE partizioni IS NOT NULL AND json_array_length(partizioni) > 0
    ORDER BY versione
    LIMIT 1
),
scritte AS (
    SELECT parte[1] AS ente, parte[2] AS anno_testo, versione, creata_il, operazione, utente, file_name
    FROM (SELECT versione, creata_il, operazione, utente, file_name,
                 unnest(from_json(partizioni, '[["VARCHAR"]]')) AS parte
          FROM versioni)
),
ultima AS (
    SELECT ente, anno_testo, versione AS versione_partizione, creata_il AS importata_il, operazione, utente, file_name
    FROM scritte
    QUALIFY row_number() OVER (PARTITION BY ente, anno_testo ORDER BY versione DESC) = 1
),
periodi AS (
    SELECT a.ente, a.anno, count(DISTINCT a.codice) AS aree,
           (SELECT count(*) FROM obiettivi AS o WHERE o.ente = a.ente AND o.anno = a.anno) AS obiettivi,
           (SELECT count(*) FROM indicatori AS i WHERE i.ente = a.ente AND i.anno = a.anno) AS indicatori,
           coalesce(a.ente = (SELECT ente FROM primo), false) AS ente_principale
    FROM aree AS a
    GROUP BY a.ente, a.anno
)
SELECT p.ente, p.anno, p.aree, p.obiettivi, p.indicatori, p.ente_principale,
       (SELECT coalesce(max(versione), 0) FROM versioni) AS versione,
       u.versione_partizione, u.importata_il, u.operazione, u.utente, u.file_name
FROM periodi AS p
LEFT JOIN ultima AS u ON u.ente = p.ente AND u.anno_testo = CAST(p.anno AS VARCHAR)
ORDER BY p.ente_principale DESC, p.ente, p.anno DESC
