-- purpose: the value and the source of each rule of the SMVP in force for one chamber and year (int_regole, as
--          regole_in_vigore gives them): what the pages say under a grado (the rule in one sentence, the
--          thresholds drawn on the chart). The three columns they read of regole_in_vigore's nine.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   regola, valore (as text), fonte (where the value comes from: the sheet «regole» or the default)
SELECT regola, valore, fonte
FROM int_regole
WHERE ente = $ente AND anno = $anno
