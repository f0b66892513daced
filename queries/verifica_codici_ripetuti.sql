-- purpose: codes the document prints for more than one block (recorded in codici_ripetuti), with every line where
--          they are printed and the node the transcription made of them, for the check «codice stampato più volte».
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, righe (list of the lines where it is printed, in order), stampe (how many), livello
--   ('area' | 'strategico' | 'operativo'; NULL when no node has that code), titolo, indicatori (how many hang from
--   the node), note (the notes of the rows, joined)
SELECT ente, anno, codice, righe, stampe, livello, titolo, indicatori, note
FROM int_codici_ripetuti
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice
