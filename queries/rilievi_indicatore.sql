-- purpose: the findings of the Verifica on one indicator (table int_rilievi), in the order of rilievi.sql (errors
--          first): what the indicator's detail shows, four columns instead of the sixteen the Verifica page reads.
-- parameters:
--   ente        text  the chamber
--   anno        int   the report year
--   indicatore  text  codice of the indicator
-- columns:
--   gravita, titolo, spiegazione, righe_fonte (the lines of the report the finding cites)
SELECT gravita, titolo, spiegazione, righe_fonte
FROM int_rilievi
WHERE ente = $ente AND anno = $anno AND codice_indicatore = $indicatore
ORDER BY rango_gravita, posizione
