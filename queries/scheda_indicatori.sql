-- purpose: the indicator scorecard: every indicator with VA against VR and its status by rule, filtered.
-- parameters:
--   ente                text  the chamber (NULL = all)
--   anno                int   the report year (NULL = all)
--   area                text  codice of the area strategica (NULL = all)
--   obiettivo           text  codice of an obiettivo strategico or operativo: its indicators and those below it
--   tipo                text  OUTCOME, STRATEGICO, OPERATIVO, EFFICACIA, ... (NULL = all)
--   responsabile        text  responsabile of the node the indicator hangs from (NULL = all)
--   centro              text  centro di responsabilità (NULL = all)
--   stato               text  raggiunto, non raggiunto, qualitativo, non rilevato, senza target (NULL = all)
--   testo               text  words to look for in descrizione, modalità di calcolo, note and risultato
-- columns:
--   ente, anno, codice_area, codice_strategico, codice_obiettivo, codice, descrizione, tipo, valore_atteso,
--   valore_raggiunto, va_numero (the number in the valore atteso), stato, esito_dichiarato, responsabile,
--   centro_responsabilita, modalita_calcolo, fonte_dati, target_triennale, risultato, note, riga_fonte, riga_va,
--   riga_vr (lines of the document where VA and VR are printed). The parsed parts of VA and VR no page reads
--   (operator, units, vr_numero: int_indicatori, valori_indicatori) are left out: each column is converted for
--   every row at every first load.
SELECT ente, anno, codice_area, codice_strategico, codice_obiettivo, codice, descrizione, tipo, valore_atteso,
       valore_raggiunto, va_numero, stato, esito_dichiarato, responsabile, centro_responsabilita, modalita_calcolo,
       fonte_dati, target_triennale, risultato, note, riga_fonte, riga_va, riga_vr
FROM int_indicatori
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
  AND ($area IS NULL OR codice_area = $area)
  AND ($obiettivo IS NULL OR $obiettivo IN (codice_strategico, codice_operativo))
  AND ($tipo IS NULL OR tipo = $tipo)
  AND ($responsabile IS NULL OR responsabile = $responsabile)
  AND ($centro IS NULL OR centro_responsabilita = $centro)
  AND ($stato IS NULL OR stato = $stato)
  AND ($testo IS NULL OR concat_ws(' ', descrizione, modalita_calcolo, note, risultato) ILIKE '%' || $testo || '%')
ORDER BY ente, anno, codice_area, codice_strategico NULLS FIRST, codice_operativo NULLS FIRST, codice
