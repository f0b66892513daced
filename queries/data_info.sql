-- purpose: which data a page shows: the latest version of the store and the latest import that wrote the
--          chosen (ente, anno) partition, for the line every page prints under its title.
-- parameters:
--   ente  text  the chamber (NULL = any)
--   anno  int   the report year (NULL = any)
-- columns:
--   versione (latest version of the whole store, 0 when empty), versione_partizione (latest version that wrote
--   the partition), importata_il (when that version was written), operazione, utente, file_name
WITH v AS (
    SELECT versione, creata_il, operazione, utente, file_name,
           from_json(partizioni, '[["VARCHAR"]]') AS parti
    FROM versioni
),
p AS (
    SELECT * FROM v
    WHERE ($ente IS NULL OR list_contains(list_transform(parti, lambda x: x[1]), $ente))
      AND ($anno IS NULL OR list_contains(list_transform(parti, lambda x: x[2]), CAST($anno AS VARCHAR)))
      AND ($ente IS NULL OR $anno IS NULL OR list_contains(parti, [$ente, CAST($anno AS VARCHAR)]))
    ORDER BY versione DESC
    LIMIT 1
)
SELECT (SELECT coalesce(max(versione), 0) FROM versioni) AS versione,
       p.versione AS versione_partizione, p.creata_il AS importata_il, p.operazione, p.utente, p.file_name
FROM (SELECT 1) AS one
LEFT JOIN p ON true
