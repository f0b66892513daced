-- purpose: indicators of a time or a cost (unit giorni, or «tempo», «tempi», «costo», «costi», «durata», «spesa»,
--          «spese» in the description) whose valore atteso says that more is better (operator >= or >, written or
--          implied), for the check «tempo o costo letto come "di più è meglio"». A bare amount in € is not enough:
--          contributions to hand out are rightly a minimum.
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, codice_obiettivo, descrizione, valore_atteso, valore_raggiunto, va_operatore,
--   va_operatore_implicito, va_numero, va_unita, vr_numero, esito_dichiarato, parola (the word of the description
--   that makes it a time or a cost; NULL when it is the unit), riga_fonte, riga_va, riga_vr
SELECT ente, anno, codice, codice_obiettivo, descrizione, valore_atteso, valore_raggiunto, va_operatore,
       va_operatore_implicito, va_numero, va_unita, vr_numero, esito_dichiarato,
       nullif(regexp_extract(lower(descrizione), '\b(tempo|tempi|costo|costi|durata|spesa|spese)\b', 1), '') AS parola,
       riga_fonte, riga_va, riga_vr
FROM int_indicatori
WHERE va_tipo = 'numerico' AND piu_e_meglio(va_operatore)
  AND (regexp_matches(lower(descrizione), '\b(tempo|tempi|costo|costi|durata|spesa|spese)\b')
       OR 'giorni' IN (va_unita, vr_unita))
  AND ($ente IS NULL OR ente = $ente)
  AND ($anno IS NULL OR anno = $anno)
ORDER BY ente, anno, codice
