-- purpose: codes the document prints for more than one block (recorded in codici_ripetuti), with every line where
--          they are printed and the node the transcription made of them (for the check «codice stampato più volte»).
-- materialized: view
--          (only the Verifica reads it: see «Materialisation» in cruscotto/store/models.py)
-- columns:
--   ente, anno, codice, righe (list of the lines where it is printed, in order), stampe (how many), livello
--   ('area' | 'strategico' | 'operativo'; NULL when no node has that code), titolo, indicatori (how many hang from
--   the node), note (the notes of the rows, joined)
WITH stampe AS (
    SELECT ente, anno, codice, list(riga_fonte ORDER BY riga_fonte) AS righe, count(*) AS stampe,
           string_agg(note, ' ' ORDER BY riga_fonte) AS note
    FROM stg_codici_ripetuti
    GROUP BY ente, anno, codice
)
SELECT s.ente, s.anno, s.codice, s.righe, s.stampe, n.livello, n.titolo,
       (SELECT count(*) FROM stg_indicatori AS i WHERE i.ente = s.ente AND i.anno = s.anno AND i.codice_obiettivo = s.codice) AS indicatori,
       s.note
FROM stampe AS s
LEFT JOIN int_nodi AS n ON n.ente = s.ente AND n.anno = s.anno AND n.codice = s.codice
WHERE s.stampe > 1
