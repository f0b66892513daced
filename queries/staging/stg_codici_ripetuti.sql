-- purpose: the codes the document prints more than once, as imported (table codici_ripetuti, one row per print).
-- columns:
--   all columns of codici_ripetuti
SELECT *
FROM codici_ripetuti
