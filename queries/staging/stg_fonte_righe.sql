-- purpose: the text of the report, one row per stored line (table fonte_righe).
-- columns:
--   all columns of fonte_righe
SELECT *
FROM fonte_righe
