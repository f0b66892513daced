-- purpose: the historical series as imported (table serie_storiche, one row per series, report and year).
-- columns:
--   all columns of serie_storiche
SELECT *
FROM serie_storiche
