-- purpose: the report's text as the quotations beside the values need it, for one chamber and year, in one query
--          whatever a page quotes: every stored line with its rank among the stored lines (blank lines are not
--          stored, so the context of a cited line is made of lines with text), and the lines where a block starts
--          (area, obiettivo or indicatore, by their riga_fonte; a code printed again, by codici_ripetuti), which
--          bound the whole passage around a cited line. cruscotto/ingest/fonte.py (excerpt, passage) cuts the
--          quotations from it.
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   riga, testo (NULL for a block that starts on a line that is not stored), posizione (the line's rank among
--   the stored lines of the report: consecutive ranks have no text between them; NULL likewise), inizio_blocco
--   (true where a block starts)
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
)
SELECT coalesce(t.riga, i.riga) AS riga, t.testo, t.posizione, i.riga IS NOT NULL AS inizio_blocco
FROM testo AS t
FULL JOIN inizi AS i ON i.riga = t.riga
WHERE coalesce(t.riga, i.riga) IS NOT NULL
ORDER BY riga
