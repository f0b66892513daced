-- purpose: the areas strategiche as imported (table aree, one row per row), with the title pages show for an area.
-- columns:
--   all columns of aree, plus titolo (denominazione, else the name of the missione)
SELECT *, coalesce(denominazione, missione_descrizione) AS titolo
FROM aree
