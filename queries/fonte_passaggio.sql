-- purpose: the whole passage of the report around some cited lines: from the start of the block (area, obiettivo or
--          indicatore, by their riga_fonte; a code printed again, by codici_ripetuti) that holds the first cited line to the end of the block that holds the
--          last one, so that a reader can see a quoted line in its place.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
--   da    int   the first cited line
--   a     int   the last cited line (NULL = da)
-- columns:
--   riga, testo, posizione (rank among the stored lines of the report), inizio, fine (the passage's bounds)
WITH inizi AS (
    SELECT riga_fonte AS riga FROM stg_aree WHERE ente = $ente AND anno = $anno
    UNION SELECT riga_fonte FROM stg_obiettivi WHERE ente = $ente AND anno = $anno
    UNION SELECT riga_fonte FROM stg_indicatori WHERE ente = $ente AND anno = $anno
    UNION SELECT riga_fonte FROM stg_codici_ripetuti WHERE ente = $ente AND anno = $anno
),
testo AS (
    SELECT riga, testo, row_number() OVER (ORDER BY riga) AS posizione
    FROM stg_fonte_righe
    WHERE ente = $ente AND anno = $anno
),
limiti AS (
    SELECT coalesce((SELECT max(riga) FROM inizi WHERE riga <= $da), $da) AS inizio,
           coalesce((SELECT min(riga) FROM inizi WHERE riga > coalesce($a, $da)) - 1,
                    (SELECT max(riga) FROM testo)) AS fine
)
SELECT t.riga, t.testo, t.posizione, l.inizio, l.fine
FROM testo AS t, limiti AS l
WHERE t.riga BETWEEN l.inizio AND l.fine
ORDER BY t.riga
