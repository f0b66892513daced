-- purpose: the motivazioni, OIV notes and comments of the indicators, one row per stored row (table annotazioni).
-- columns:
--   all columns of annotazioni
SELECT *
FROM annotazioni
