-- purpose: what stands behind every numeric valore raggiunto: a calculation in metodi_calcolo, a historical series,
--          the key figures and the narrative of the indicator, for the check «valore raggiunto senza riscontro».
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, codice_obiettivo, descrizione, valore_raggiunto, vr_numero, ha_metodo (a principal or
--   literal calculation of the valore raggiunto), serie (how many series values are tied to the indicator),
--   cifre (list of {voce, valore, riga_fonte} of its key figures), risultato, note, riga_fonte, riga_vr
SELECT ente, anno, codice, codice_obiettivo, descrizione, valore_raggiunto, vr_numero, ha_metodo, serie, cifre, risultato,
       note, riga_fonte, riga_vr
FROM int_riscontri
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice
