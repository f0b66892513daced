-- purpose: the motivazioni dello scostamento, the OIV's notes and the comments written about indicators (sheet
--          «annotazioni» or the form of the page «Indicatori»), with who wrote them and when.
-- parameters:
--   ente               text  the chamber (NULL = all)
--   anno               int   the report year (NULL = all)
--   codice_indicatore  text  one indicator (NULL = all)
--   tipo               text  motivazione | nota OIV | commento (NULL = all)
-- columns:
--   ente, anno, codice_indicatore, descrizione (of the indicator), tipo, testo, autore, scritta_il
--   (AAAA-MM-GG HH:MM:SS, the time of the version that wrote the text). Motivazioni first, then notes, then comments.
SELECT a.ente, a.anno, a.codice_indicatore, i.descrizione, a.tipo, a.testo, a.autore, a.scritta_il
FROM stg_annotazioni AS a
LEFT JOIN int_indicatori AS i ON i.ente = a.ente AND i.anno = a.anno AND i.codice = a.codice_indicatore
WHERE ($ente IS NULL OR a.ente = $ente)
  AND ($anno IS NULL OR a.anno = $anno)
  AND ($codice_indicatore IS NULL OR a.codice_indicatore = $codice_indicatore)
  AND ($tipo IS NULL OR a.tipo = $tipo)
ORDER BY a.ente, a.anno, a.codice_indicatore,
         CASE a.tipo WHEN 'motivazione' THEN 1 WHEN 'nota OIV' THEN 2 ELSE 3 END
