-- purpose: the chambers and report years the store holds, for the ente and anno selectors: one row per
--          (ente, anno). The chamber of this installation comes first (the ente of the first version ever loaded:
--          data/ on first start), then the others by name; within a chamber, the most recent year first. Each row
--          also carries what the line under every page title shows (as dati_mostrati does for one partition): the
--          latest version of the store, when the partition was last written and from which file, so that the
--          shared sidebar and banner need no other query for it. Only what they read: every column more is paid
--          on each of the (on a national store) 900 rows at every page's first load.
-- parameters:
--   (none)
-- columns:
--   ente, anno, versione (latest version of the whole store, 0 when empty), importata_il (when the latest version
--   that wrote the partition was written, NULL when none), file_name (of that version)
SELECT ente, anno, versione, importata_il, file_name
FROM int_periodi
ORDER BY ente_principale DESC, ente, anno DESC
