-- purpose: the chambers and report years the store holds, for the ente and anno selectors: one row per
--          (ente, anno) with its size. The chamber of this installation comes first (the ente of the first
--          version ever loaded: data/ on first start), then the others by name; within a chamber, the most
--          recent year first.
-- parameters:
--   (none)
-- columns:
--   ente, anno, aree, obiettivi, indicatori, ente_principale (true for the installation's own chamber)
WITH primo AS (
    SELECT json_extract_string(partizioni, '$[0][0]') AS ente
    FROM versioni
    WHERE partizioni IS NOT NULL AND json_array_length(partizioni) > 0
    ORDER BY versione
    LIMIT 1
)
SELECT a.ente, a.anno, count(DISTINCT a.codice) AS aree,
       (SELECT count(*) FROM obiettivi AS o WHERE o.ente = a.ente AND o.anno = a.anno) AS obiettivi,
       (SELECT count(*) FROM indicatori AS i WHERE i.ente = a.ente AND i.anno = a.anno) AS indicatori,
       coalesce(a.ente = (SELECT ente FROM primo), false) AS ente_principale
FROM aree AS a
GROUP BY a.ente, a.anno
ORDER BY ente_principale DESC, a.ente, a.anno DESC
