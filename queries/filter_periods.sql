-- purpose: the chambers and report years the store holds, for the ente and anno selectors: one row per
--          (ente, anno) with its size, most recent year first.
-- parameters:
--   (none)
-- columns:
--   ente, anno, aree, obiettivi, indicatori
SELECT a.ente, a.anno, count(DISTINCT a.codice) AS aree,
       (SELECT count(*) FROM obiettivi AS o WHERE o.ente = a.ente AND o.anno = a.anno) AS obiettivi,
       (SELECT count(*) FROM indicatori AS i WHERE i.ente = a.ente AND i.anno = a.anno) AS indicatori
FROM aree AS a
GROUP BY a.ente, a.anno
ORDER BY a.anno DESC, indicatori DESC, a.ente
