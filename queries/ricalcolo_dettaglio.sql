-- purpose: every recomputation with all its operands (series values of both years with their numeratore and
--          denominatore, listed items with their source line): what cruscotto/checks.py needs to write a finding
--          a reader can redo by hand.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   all columns of int_ricalcolo (see queries/intermediate/int_ricalcolo.sql)
SELECT *
FROM int_ricalcolo
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice_indicatore, oggetto, CASE lettura WHEN 'principale' THEN 0 WHEN 'riscontro' THEN 1 ELSE 2 END
