-- purpose: cited lines of the report with their context: each line and `contesto` stored lines before and after it
--          (blank lines are not stored, so the context is made of lines with text), for the quotation beside a
--          value; the contexts of several cited lines in one result, each stored line once.
-- parameters:
--   ente      text   the chamber
--   anno      int    the report year
--   righe     int[]  the cited lines (their numbers in the document)
--   contesto  int    how many lines of context each side (NULL = 2)
-- columns:
--   riga, testo, posizione (the line's rank among the stored lines of the report: consecutive ranks have no text
--   between them), citata (true for a cited line)
WITH testo AS (
    SELECT riga, testo, row_number() OVER (ORDER BY riga) AS posizione
    FROM stg_fonte_righe
    WHERE ente = $ente AND anno = $anno
),
citate AS (
    SELECT unnest($righe::INTEGER[]) AS riga
),
centri AS (  -- the rank of each cited line, or of the last stored line before it when it is blank
    SELECT max(t.posizione) AS posizione, max(t.riga) = c.riga AS presente
    FROM citate AS c
    JOIN testo AS t ON t.riga <= c.riga
    GROUP BY c.riga
)
SELECT DISTINCT t.riga, t.testo, t.posizione, list_contains($righe::INTEGER[], t.riga) AS citata
FROM testo AS t
JOIN centri AS c
  ON t.posizione BETWEEN c.posizione - coalesce($contesto, 2) + (CASE WHEN c.presente THEN 0 ELSE 1 END)
                     AND c.posizione + coalesce($contesto, 2)
ORDER BY t.riga
