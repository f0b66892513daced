-- purpose: the chambers and report years the store holds, for the ente and anno selectors: one row per
--          (ente, anno) with its size. The chamber of this installation comes first (the ente of the first
--          version ever loaded: data/ on first start), then the others by name; within a chamber, the most
--          recent year first. Each row also carries what the line under every page title shows (as dati_mostrati
--          does for one partition): the latest version of the store and the latest version that wrote the
--          partition, so that the shared sidebar and banner need no other query for it.
-- parameters:
--   (none)
-- columns:
--   ente, anno, aree, obiettivi, indicatori, ente_principale (true for the installation's own chamber),
--   versione (latest version of the whole store, 0 when empty), versione_partizione (latest version that wrote
--   the partition, NULL when none), importata_il, operazione, utente, file_name (of that version)
SELECT ente, anno, aree, obiettivi, indicatori, ente_principale, versione, versione_partizione, importata_il,
       operazione, utente, file_name
FROM int_periodi
ORDER BY ente_principale DESC, ente, anno DESC
