-- purpose: the report's text as the quotations beside the values need it, for one chamber and year, in one query
--          whatever a page quotes: every stored line (blank lines are not stored, so the context of a cited line
--          is made of lines with text), and the lines where a block starts (area, obiettivo or indicatore, by their
--          riga_fonte; a code printed again, by codici_ripetuti), which bound the whole passage around a cited
--          line. In no order, and the lines are not ranked: cruscotto/ingest/fonte.py (excerpt, passage) sorts
--          them and cuts the quotations (a union of plain lookups plans in about half the time of a join).
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   riga, testo (NULL on a block's start), inizio_blocco (false: a stored line; true: a line where a block
--   starts, riga NULL when the block's row gives no line)
SELECT riga, testo, false AS inizio_blocco FROM stg_fonte_righe WHERE ente = $ente AND anno = $anno
UNION ALL SELECT riga_fonte, NULL, true FROM stg_aree WHERE ente = $ente AND anno = $anno
UNION ALL SELECT riga_fonte, NULL, true FROM stg_obiettivi WHERE ente = $ente AND anno = $anno
UNION ALL SELECT riga_fonte, NULL, true FROM int_indicatori WHERE ente = $ente AND anno = $anno
UNION ALL SELECT riga_fonte, NULL, true FROM stg_codici_ripetuti WHERE ente = $ente AND anno = $anno
