-- purpose: the record of versions (table versioni), with the (ente, anno) partitions each version wrote as a list
--          instead of JSON text.
-- columns:
--   versione, creata_il, operazione, utente, file_name, sha256, partizioni (list of [ente, anno as text]), righe,
--   note
SELECT versione, creata_il, operazione, utente, file_name, sha256,
       from_json(partizioni, '[["VARCHAR"]]') AS partizioni, righe, note
FROM versioni
