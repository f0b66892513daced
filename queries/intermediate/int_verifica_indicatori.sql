-- purpose: the facts the checks on single indicators need: status by rule, band, declared esito, whether the
--          narrative or the notes state a reason (words of the rule 'parole_motivazione'), and years named in the
--          description ('edizione 2018', 'fase 2019', 'anno 2019').
-- materialized: view
--          (only the Verifica reads it: see «Materialisation» in cruscotto/store/models.py)
-- columns:
--   ente, anno, codice, codice_obiettivo, codice_area, descrizione, tipo, valore_atteso, valore_raggiunto, va_tipo,
--   vr_tipo, va_operatore, va_numero, va_unita, vr_numero, vr_unita, valutazione, stato_regola, grado_grezzo,
--   grado, fascia, esito_regola, esito_dichiarato, tetto, soglia_raggiunto, soglia_parziale, ha_motivazione (true
--   when risultato or note contain a reason word), anni_descrizione (list of years named after edizione/fase/anno),
--   risultato, note, riga_fonte, riga_va, riga_vr
WITH testi AS (
    SELECT v.*, r.motivazioni, r.motivazioni_segnate,
           lower(concat_ws(' ', v.risultato, v.note)) AS testo
    FROM int_valutazione AS v
    LEFT JOIN int_regole_periodo AS r ON r.ente = v.ente AND r.anno = v.anno
)
SELECT v.ente, v.anno, v.codice, v.codice_obiettivo, v.codice_area, v.descrizione, v.tipo, v.valore_atteso,
       v.valore_raggiunto, v.va_tipo, v.vr_tipo, v.va_operatore, v.va_numero, v.va_unita, v.vr_numero, v.vr_unita,
       v.valutazione, v.stato_regola, v.grado_grezzo, v.grado, v.fascia, v.esito_regola, v.esito_dichiarato,
       v.tetto, v.soglia_raggiunto, v.soglia_parziale,
       coalesce(contiene_parole(v.testo, v.segnato, v.motivazioni_segnate, v.motivazioni), false) AS ha_motivazione,
       list_transform(regexp_extract_all(lower(v.descrizione), '\b(edizione|fase|anno)\s+(\d{4})\b', 2), lambda y: CAST(y AS INTEGER)) AS anni_descrizione,
       v.risultato, v.note, v.riga_fonte, v.riga_va, v.riga_vr
FROM (SELECT *, testo_segnato(testo) AS segnato FROM testi) AS v
