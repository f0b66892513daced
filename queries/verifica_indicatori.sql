-- purpose: the facts the checks on single indicators need: status by rule, band, declared esito, whether the
--          narrative or the notes state a reason (words of the rule 'parole_motivazione'), and years named in the
--          description ('edizione 2018', 'fase 2019', 'anno 2019').
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, codice_obiettivo, codice_area, descrizione, tipo, valore_atteso, valore_raggiunto, va_tipo,
--   vr_tipo, va_operatore, va_numero, va_unita, vr_numero, vr_unita, valutazione, stato_regola, grado_grezzo,
--   grado, fascia, esito_regola, esito_dichiarato, tetto, soglia_raggiunto, soglia_parziale, ha_motivazione (true
--   when risultato or note contain a reason word), anni_descrizione (list of years named after edizione/fase/anno),
--   risultato, note, riga_fonte, riga_va, riga_vr
SELECT ente, anno, codice, codice_obiettivo, codice_area, descrizione, tipo, valore_atteso, valore_raggiunto,
       va_tipo, vr_tipo, va_operatore, va_numero, va_unita, vr_numero, vr_unita, valutazione, stato_regola,
       grado_grezzo, grado, fascia, esito_regola, esito_dichiarato, tetto, soglia_raggiunto, soglia_parziale,
       ha_motivazione, anni_descrizione, risultato, note, riga_fonte, riga_va, riga_vr
FROM int_verifica_indicatori
WHERE ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice
