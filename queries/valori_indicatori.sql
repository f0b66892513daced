-- purpose: the numeric valore atteso and valore raggiunto of every indicator of a chamber and year, with its
--          description: the targets the trend charts draw (Andamenti) and the chamber's own values beside the
--          public references (Confronto enti). The few columns of scheda_indicatori these pages read: a page that
--          reads 5 columns instead of 29 converts and scans less (on the national store 1,5 ms instead of 3,7).
-- parameters:
--   ente  text  the chamber
--   anno  int   the report year
-- columns:
--   ente, anno, codice (unique within ente and anno), descrizione, va_numero, vr_numero (the numbers in the
--   valore atteso and raggiunto, as scheda_indicatori gives them)
SELECT ente, anno, codice, descrizione, va_numero, vr_numero
FROM int_indicatori
WHERE ente = $ente AND anno = $anno
