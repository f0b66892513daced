-- purpose: the key figures as imported (table cifre_chiave, one row per row).
-- columns:
--   all columns of cifre_chiave
SELECT *
FROM cifre_chiave
