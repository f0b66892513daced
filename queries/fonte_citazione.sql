-- purpose: a cited line of the report with its context: the line and `contesto` stored lines before and after it
--          (blank lines are not stored, so the context is made of lines with text), for the quotation beside a value.
-- parameters:
--   ente      text  the chamber
--   anno      int   the report year
--   riga      int   the cited line (its number in the document)
--   contesto  int   how many lines of context each side (NULL = 2)
-- columns:
--   riga, testo, posizione (the line's rank among the stored lines of the report: consecutive ranks have no text
--   between them), citata (true for the cited line)
WITH testo AS (
    SELECT riga, testo, row_number() OVER (ORDER BY riga) AS posizione
    FROM stg_fonte_righe
    WHERE ente = $ente AND anno = $anno
),
centro AS (
    SELECT max(posizione) AS posizione, max(riga) = $riga AS presente
    FROM testo
    WHERE riga <= $riga
)
SELECT t.riga, t.testo, t.posizione, t.riga = $riga AS citata
FROM testo AS t, centro AS c
WHERE t.posizione BETWEEN c.posizione - coalesce($contesto, 2) + (CASE WHEN c.presente THEN 0 ELSE 1 END)
                      AND c.posizione + coalesce($contesto, 2)
ORDER BY t.riga
