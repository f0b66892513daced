-- purpose: the facts the check «valore atteso poco ambizioso» needs for every indicator with a numeric valore
--          atteso and valore raggiunto: the target, the result, the same indicator one year earlier (computed by its
--          principal method in metodi_calcolo from its series: the value known when the plan was adopted) and the
--          rule soglia_ambizione (how many times the result may exceed the target).
-- parameters:
--   ente  text  the chamber (NULL = all)
--   anno  int   the report year (NULL = all)
-- columns:
--   ente, anno, codice, codice_obiettivo, descrizione, valore_atteso, valore_raggiunto, va_operatore,
--   va_operatore_implicito, va_numero, va_unita, vr_numero, anno_precedente, valore_precedente, riga_precedente,
--   metodo (of the previous year's value), soglia_ambizione, riga_fonte, riga_va, riga_vr
WITH soglie AS (
    SELECT ente, anno, numero AS soglia_ambizione FROM stg_regole WHERE regola = 'soglia_ambizione'
),
precedenti AS (
    SELECT ente, anno, codice_indicatore, anno_precedente, valore_precedente, riga_precedente, metodo
    FROM stg_ricalcolo
    WHERE lettura = 'principale' AND oggetto = 'valore raggiunto' AND valore_precedente IS NOT NULL
)
SELECT v.ente, v.anno, v.codice, v.codice_obiettivo, v.descrizione, v.valore_atteso, v.valore_raggiunto,
       v.va_operatore, v.va_operatore_implicito, v.va_numero, v.va_unita, v.vr_numero,
       p.anno_precedente, p.valore_precedente, p.riga_precedente, p.metodo,
       s.soglia_ambizione, v.riga_fonte, v.riga_va, v.riga_vr
FROM stg_valutazione AS v
LEFT JOIN precedenti AS p ON p.ente = v.ente AND p.anno = v.anno AND p.codice_indicatore = v.codice
LEFT JOIN soglie AS s ON s.ente = v.ente AND s.anno = v.anno
WHERE v.va_tipo = 'numerico' AND v.vr_tipo = 'numerico'
  AND ($ente IS NULL OR v.ente = $ente)
  AND ($anno IS NULL OR v.anno = $anno)
ORDER BY v.ente, v.anno, v.codice
