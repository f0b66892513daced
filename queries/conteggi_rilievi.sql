-- purpose: how many findings of the Verifica a chamber's report has, per severity (table int_rilievi): the headline
--          figure other pages show («Rilievi della verifica»), without reading the findings themselves.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   gravita (errore, avviso or info; only those with findings), rilievi (how many)
SELECT gravita, count(*) AS rilievi
FROM int_rilievi
WHERE ente = $ente AND anno = $anno
GROUP BY gravita
