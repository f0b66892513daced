-- purpose: which data a page shows: the latest version of the store and the latest import that wrote the
--          chosen (ente, anno) partition, for the line every page prints under its title.
-- parameters:
--   ente  text  the chamber (NULL = any)
--   anno  int   the report year (NULL = any)
-- columns:
--   versione (latest version of the whole store, 0 when empty), versione_partizione (latest version that wrote
--   the partition), importata_il (when that version was written), operazione, utente, file_name
WITH versioni_della_partizione AS (
    SELECT versione, creata_il, operazione, utente, file_name
    FROM stg_versioni
    WHERE ($ente IS NULL OR list_contains(list_transform(partizioni, lambda x: x[1]), $ente))
      AND ($anno IS NULL OR list_contains(list_transform(partizioni, lambda x: x[2]), CAST($anno AS VARCHAR)))
      AND ($ente IS NULL OR $anno IS NULL OR list_contains(partizioni, [$ente, CAST($anno AS VARCHAR)]))
    ORDER BY versione DESC
    LIMIT 1
)
SELECT (SELECT coalesce(max(versione), 0) FROM stg_versioni) AS versione,
       p.versione AS versione_partizione, p.creata_il AS importata_il, p.operazione, p.utente, p.file_name
FROM (SELECT 1) AS one
LEFT JOIN versioni_della_partizione AS p ON true
