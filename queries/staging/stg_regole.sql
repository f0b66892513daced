-- purpose: the SMVP rules the sheet «regole» gives (table regole, one row per row): the value as written, trimmed,
--          and its number as the import read it (cruscotto.ingest.parsing.parse_number; NULL for words).
-- columns:
--   ente, anno, regola, valore, numero, note
SELECT ente, anno, regola, trim(valore) AS valore, numero, note
FROM regole
