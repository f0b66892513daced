-- purpose: the rules of the SMVP in force for a chamber and year (from the sheet «regole», else the default), so
--          that every page can say which rule its grado and bands follow.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, regola, valore (in force), numero, fonte ('foglio regole' | 'predefinita'), valore_foglio,
--   valido (false = the sheet's value was not usable and the default applies), predefinito
SELECT ente, anno, regola, valore, numero, fonte, valore_foglio, valido, predefinito
FROM int_regole
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, regola
