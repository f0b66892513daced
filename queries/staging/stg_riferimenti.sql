-- purpose: the public reference values with their sources, one row per stored row (table riferimenti).
-- columns:
--   all columns of riferimenti
SELECT *
FROM riferimenti
