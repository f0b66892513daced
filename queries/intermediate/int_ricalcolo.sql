-- purpose: every calculation declared in metodi_calcolo, done on the data of the same report (ente, anno):
--          the recomputed value beside the declared one, with the operands used (so a reader can redo it by hand)
--          and what is missing when it cannot be done, by the methods below.
--          X is the series' valore, numeratore, denominatore or tasso (100 * numeratore / denominatore) by
--          `grandezza`. Items are cifre_chiave voci (same ente and anno) or numbers written the Italian way.
--          Numbers inside texts (operands, the declared value) were rewritten as plain Italian text by the import
--          (macro numero_testo).
-- methods: the one declaration of each calculation method, one a line: name | Italian label | what this view
--          computes. The column metodo of metodi_calcolo admits these names (cruscotto/store/schema.py reads them
--          here); cruscotto/verifica/metodi.py writes each one's formula out with its numbers.
--   rapporto_anno_base | rapporto con l'anno base | 100 * X(anno_valore) / X(anno_base)
--   rapporto_anno_precedente | rapporto con l'anno precedente | 100 * X(anno_valore) / X(anno_valore - 1)
--   quota | quota numeratore / denominatore | 100 * numeratore / denominatore (of the series' year, or of the listed items)
--   media_scala | punteggio medio sulla scala in % | 100 * mean of the listed scores (or the series' value) / scala
--   valore_diretto | valore diretto | the series' value, or the listed item(s) summed
--   somma | somma | the listed items summed
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice_indicatore, oggetto, lettura, metodo, serie, grandezza, anno_valore, anno_base (the year
--   compared with: anno_base or anno_valore - 1), scala, valore_ricalcolato (NULL when data are missing),
--   x_anno, x_base (X of the two years), num_anno, den_anno, num_base, den_base (the series' numeratore and
--   denominatore of the two years), valore_anno, valore_base (the series' valore as printed), riga_anno,
--   riga_base, operandi_numeratore, operandi_denominatore (lists of
--   {nome, valore, riga_fonte} in the written order), mancanti (list of what is missing, in Italian),
--   dichiarato_testo (as written: the method's `dichiarato`, else the indicator's valore raggiunto),
--   dichiarato_numero, dichiarato_operatore (>=, <=, >, < when `dichiarato` is a condition the recomputed value
--   must meet, e.g. '>= 80%'; NULL for a value), confronta_vr (true when the declared value is the indicator's
--   valore raggiunto), riga_metodo, note_metodo,
--   anno_precedente, valore_precedente, riga_precedente (the same calculation for the year before anno_valore,
--   when the series has it: what was known when the plan was adopted; NULL otherwise),
--   plus the indicator's codice_obiettivo, descrizione, modalita_calcolo, valore_atteso, va_operatore, va_numero,
--   vr_numero, riga_indicatore, riga_va, riga_vr, indicatore_esiste
WITH metodi AS (
    SELECT m.*, m.anno_valore AS anno_x, m.grandezza AS g,
           CASE m.metodo WHEN 'rapporto_anno_base' THEN m.anno_base
                         WHEN 'rapporto_anno_precedente' THEN m.anno_valore - 1 END AS anno_b
    FROM stg_metodi_calcolo AS m
),
-- X of a series row by `grandezza`
valori_serie AS (
    SELECT m.ente, m.anno, m.codice_indicatore, m.oggetto, m.lettura, s.anno_valore, s.riga_fonte,
           s.numeratore, s.denominatore, s.valore,
           CASE m.g WHEN 'valore' THEN s.valore WHEN 'numeratore' THEN s.numeratore WHEN 'denominatore' THEN s.denominatore
                    ELSE 100.0 * s.numeratore / nullif(s.denominatore, 0) END AS x
    FROM metodi AS m
    JOIN stg_serie_storiche AS s ON s.ente = m.ente AND s.anno = m.anno AND s.serie = m.serie
),
-- the same calculation one year earlier (for rapporto_anno_precedente the base moves back a year too)
precedente AS (
    SELECT m.ente, m.anno, m.codice_indicatore, m.oggetto, m.lettura, m.anno_x - 1 AS anno_precedente,
           p.riga_fonte AS riga_precedente,
           CASE WHEN m.metodo = 'rapporto_anno_base' AND m.anno_base < m.anno_x - 1 THEN 100.0 * p.x / nullif(b.x, 0)
                WHEN m.metodo = 'rapporto_anno_precedente' THEN 100.0 * p.x / nullif(b.x, 0)
                WHEN m.metodo = 'quota' THEN 100.0 * p.numeratore / nullif(p.denominatore, 0)
                WHEN m.metodo = 'media_scala' THEN 100.0 * p.x / nullif(m.scala, 0)
                WHEN m.metodo = 'valore_diretto' THEN p.x
           END AS valore_precedente
    FROM metodi AS m
    JOIN valori_serie AS p ON p.ente = m.ente AND p.anno = m.anno AND p.codice_indicatore = m.codice_indicatore
         AND p.oggetto = m.oggetto AND p.lettura = m.lettura AND p.anno_valore = m.anno_x - 1
    LEFT JOIN valori_serie AS b ON b.ente = m.ente AND b.anno = m.anno AND b.codice_indicatore = m.codice_indicatore
         AND b.oggetto = m.oggetto AND b.lettura = m.lettura
         AND b.anno_valore = CASE m.metodo WHEN 'rapporto_anno_base' THEN m.anno_base ELSE m.anno_x - 2 END
    WHERE m.serie IS NOT NULL
),
-- the rows of the series the methods name (only those can match below): the refresh's filter on ente and anno
-- does not reach the right side of a LEFT JOIN, so joining the whole table scanned every series of the store for
-- each report recomputed (0,7 s of a one-report rollback on the national data, 0,05 s with this restriction)
serie_dei_metodi AS (
    SELECT * FROM stg_serie_storiche WHERE (ente, anno, serie) IN (SELECT ente, anno, serie FROM metodi)
),
serie_due_anni AS (
    SELECT m.ente, m.anno, m.codice_indicatore, m.oggetto, m.lettura,
           a.riga_fonte AS riga_anno, b.riga_fonte AS riga_base,
           a.numeratore AS num_anno, a.denominatore AS den_anno, b.numeratore AS num_base, b.denominatore AS den_base,
           a.valore AS valore_anno, b.valore AS valore_base,
           a.serie IS NOT NULL AS ha_anno, b.serie IS NOT NULL AS ha_base,
           CASE m.g WHEN 'valore' THEN a.valore WHEN 'numeratore' THEN a.numeratore WHEN 'denominatore' THEN a.denominatore
                    ELSE 100.0 * a.numeratore / nullif(a.denominatore, 0) END AS x_anno,
           CASE m.g WHEN 'valore' THEN b.valore WHEN 'numeratore' THEN b.numeratore WHEN 'denominatore' THEN b.denominatore
                    ELSE 100.0 * b.numeratore / nullif(b.denominatore, 0) END AS x_base
    FROM metodi AS m
    LEFT JOIN serie_dei_metodi AS a ON a.ente = m.ente AND a.anno = m.anno AND a.serie = m.serie AND a.anno_valore = m.anno_x
    LEFT JOIN serie_dei_metodi AS b ON b.ente = m.ente AND b.anno = m.anno AND b.serie = m.serie AND b.anno_valore = m.anno_b
    WHERE m.serie IS NOT NULL
),
elenchi AS (
    SELECT ente, anno, codice_indicatore, oggetto, lettura, 'numeratore' AS parte,
           unnest(string_split(numeratore, ';')) AS voce, generate_subscripts(string_split(numeratore, ';'), 1) AS pos
    FROM metodi AS m WHERE numeratore IS NOT NULL
    UNION ALL
    SELECT ente, anno, codice_indicatore, oggetto, lettura, 'denominatore',
           unnest(string_split(denominatore, ';')), generate_subscripts(string_split(denominatore, ';'), 1)
    FROM metodi AS m WHERE denominatore IS NOT NULL
),
voci AS (
    SELECT e.*, trim(e.voce) AS nome,
           regexp_full_match(trim(e.voce), '-?[0-9][0-9.]*(,[0-9]+)?\s*%?') AS letterale
    FROM elenchi AS e
    WHERE trim(e.voce) <> ''
),
candidati AS (
    SELECT v.ente, v.anno, v.codice_indicatore, v.oggetto, v.lettura, v.parte, v.pos,
           c.valore, c.riga_fonte,
           count(c.voce) OVER w AS trovate,
           count(c.voce) FILTER (WHERE c.codice_indicatore = v.codice_indicatore) OVER w AS dello_stesso,
           row_number() OVER (PARTITION BY v.ente, v.anno, v.codice_indicatore, v.oggetto, v.lettura, v.parte, v.pos
                              ORDER BY (c.codice_indicatore = v.codice_indicatore) DESC NULLS LAST, c.codice_obiettivo) AS rn
    FROM voci AS v
    JOIN stg_cifre_chiave AS c ON c.ente = v.ente AND c.anno = v.anno AND c.voce = v.nome
    WHERE NOT v.letterale
    WINDOW w AS (PARTITION BY v.ente, v.anno, v.codice_indicatore, v.oggetto, v.lettura, v.parte, v.pos)
),
risolte AS (
    SELECT v.ente, v.anno, v.codice_indicatore, v.oggetto, v.lettura, v.parte, v.pos, v.nome,
           CASE WHEN v.letterale THEN numero_testo(v.nome)
                WHEN c.trovate = 1 OR c.dello_stesso = 1 THEN c.valore END AS valore,
           CASE WHEN v.letterale THEN NULL ELSE c.riga_fonte END AS riga_fonte,
           CASE WHEN v.letterale THEN NULL
                WHEN c.trovate IS NULL THEN 'voce «' || v.nome || '» non trovata in cifre_chiave'
                WHEN c.trovate > 1 AND c.dello_stesso <> 1 THEN 'voce «' || v.nome || '» ambigua: compare ' || c.trovate || ' volte in cifre_chiave'
           END AS problema
    FROM voci AS v
    LEFT JOIN candidati AS c ON c.ente = v.ente AND c.anno = v.anno AND c.codice_indicatore = v.codice_indicatore
         AND c.oggetto = v.oggetto AND c.lettura = v.lettura AND c.parte = v.parte AND c.pos = v.pos AND c.rn = 1
),
parti AS (
    SELECT ente, anno, codice_indicatore, oggetto, lettura,
           sum(valore) FILTER (WHERE parte = 'numeratore') AS num_somma,
           count(valore) FILTER (WHERE parte = 'numeratore') AS num_n,
           sum(valore) FILTER (WHERE parte = 'denominatore') AS den_somma,
           list({'nome': nome, 'valore': valore, 'riga_fonte': riga_fonte} ORDER BY pos) FILTER (WHERE parte = 'numeratore') AS operandi_numeratore,
           list({'nome': nome, 'valore': valore, 'riga_fonte': riga_fonte} ORDER BY pos) FILTER (WHERE parte = 'denominatore') AS operandi_denominatore,
           list(problema ORDER BY parte DESC, pos) FILTER (WHERE problema IS NOT NULL) AS problemi
    FROM risolte
    GROUP BY ALL
),
uniti AS (
    SELECT m.*, s.* EXCLUDE (ente, anno, codice_indicatore, oggetto, lettura),
           p.num_somma, p.num_n, p.den_somma, p.operandi_numeratore, p.operandi_denominatore,
           pr.anno_precedente, pr.valore_precedente, pr.riga_precedente,
           i.codice IS NOT NULL AS indicatore_esiste, i.codice_obiettivo, i.descrizione, i.modalita_calcolo, i.valore_atteso,
           i.va_operatore, i.va_numero, i.vr_numero, i.valore_raggiunto, i.riga_fonte AS riga_indicatore,
           i.riga_va, i.riga_vr,
           list_concat(
               coalesce(p.problemi, []),
               CASE WHEN i.codice IS NULL THEN ['indicatore ' || m.codice_indicatore || ' inesistente'] ELSE [] END,
               CASE WHEN m.serie IS NOT NULL AND NOT s.ha_anno THEN ['serie «' || m.serie || '», anno ' || m.anno_x] ELSE [] END,
               CASE WHEN m.serie IS NOT NULL AND m.anno_b IS NOT NULL AND NOT s.ha_base THEN ['serie «' || m.serie || '», anno ' || m.anno_b] ELSE [] END,
               CASE WHEN m.serie IS NOT NULL AND s.ha_anno AND s.x_anno IS NULL THEN ['serie «' || m.serie || '», anno ' || m.anno_x || ': ' || m.g || ' mancante'] ELSE [] END,
               CASE WHEN m.serie IS NOT NULL AND s.ha_base AND s.x_base IS NULL THEN ['serie «' || m.serie || '», anno ' || m.anno_b || ': ' || m.g || ' mancante'] ELSE [] END,
               CASE WHEN m.metodo = 'rapporto_anno_base' AND m.anno_base IS NULL THEN ['anno_base'] ELSE [] END,
               CASE WHEN m.metodo IN ('rapporto_anno_base', 'rapporto_anno_precedente') AND m.serie IS NULL THEN ['serie'] ELSE [] END,
               CASE WHEN m.metodo = 'media_scala' AND coalesce(m.scala, 0) <= 0 THEN ['scala'] ELSE [] END,
               CASE WHEN m.serie IS NULL AND m.numeratore IS NULL AND m.metodo IN ('quota', 'media_scala', 'valore_diretto', 'somma') THEN ['numeratore'] ELSE [] END,
               CASE WHEN m.serie IS NULL AND m.denominatore IS NULL AND m.metodo = 'quota' THEN ['denominatore'] ELSE [] END,
               CASE WHEN m.dichiarato IS NULL AND i.codice IS NOT NULL AND i.vr_numero IS NULL THEN ['valore raggiunto numerico dell''indicatore'] ELSE [] END
           ) AS mancanti
    FROM metodi AS m
    LEFT JOIN serie_due_anni AS s ON s.ente = m.ente AND s.anno = m.anno AND s.codice_indicatore = m.codice_indicatore
         AND s.oggetto = m.oggetto AND s.lettura = m.lettura
    LEFT JOIN parti AS p ON p.ente = m.ente AND p.anno = m.anno AND p.codice_indicatore = m.codice_indicatore
         AND p.oggetto = m.oggetto AND p.lettura = m.lettura
    LEFT JOIN precedente AS pr ON pr.ente = m.ente AND pr.anno = m.anno AND pr.codice_indicatore = m.codice_indicatore
         AND pr.oggetto = m.oggetto AND pr.lettura = m.lettura
    LEFT JOIN stg_indicatori AS i ON i.ente = m.ente AND i.anno = m.anno AND i.codice = m.codice_indicatore
)
SELECT ente, anno, codice_indicatore, oggetto, lettura, metodo, serie, g AS grandezza, anno_x AS anno_valore,
       anno_b AS anno_base, scala,
       CASE WHEN len(mancanti) > 0 THEN NULL
            WHEN metodo IN ('rapporto_anno_base', 'rapporto_anno_precedente') THEN 100.0 * x_anno / nullif(x_base, 0)
            WHEN metodo = 'quota' AND serie IS NOT NULL THEN 100.0 * num_anno / nullif(den_anno, 0)
            WHEN metodo = 'quota' THEN 100.0 * num_somma / nullif(den_somma, 0)
            WHEN metodo = 'media_scala' AND serie IS NOT NULL THEN 100.0 * x_anno / scala
            WHEN metodo = 'media_scala' THEN 100.0 * (num_somma / num_n) / scala
            WHEN metodo = 'valore_diretto' AND serie IS NOT NULL THEN x_anno
            ELSE num_somma
       END AS valore_ricalcolato,
       x_anno, x_base, num_anno, den_anno, num_base, den_base, valore_anno, valore_base, riga_anno, riga_base,
       operandi_numeratore, operandi_denominatore, mancanti,
       coalesce(dichiarato, valore_raggiunto) AS dichiarato_testo,
       CASE WHEN dichiarato IS NULL THEN vr_numero
            ELSE numero_testo(regexp_extract(dichiarato, '-?[0-9][0-9.]*(,[0-9]+)?'))
       END AS dichiarato_numero,
       nullif(regexp_extract(dichiarato, '^\s*(>=|<=|>|<)', 1), '') AS dichiarato_operatore,
       dichiarato IS NULL AS confronta_vr,
       riga_fonte AS riga_metodo, note AS note_metodo,
       anno_precedente, CASE WHEN len(mancanti) = 0 THEN valore_precedente END AS valore_precedente, riga_precedente,
       codice_obiettivo, descrizione, modalita_calcolo, valore_atteso, va_operatore, va_numero, vr_numero,
       riga_indicatore, riga_va, riga_vr, indicatore_esiste
FROM uniti
