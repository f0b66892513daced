-- purpose: the calculation methods as imported (table metodi_calcolo, one row per row), with the defaults the
--          column help promises: grandezza 'valore', anno_valore the report's year.
-- columns:
--   all columns of metodi_calcolo (grandezza and anno_valore with their defaults)
SELECT * REPLACE (coalesce(grandezza, 'valore') AS grandezza, coalesce(anno_valore, anno) AS anno_valore)
FROM metodi_calcolo
