-- purpose: what stands behind every numeric valore raggiunto: a calculation in metodi_calcolo, a historical series,
--          the key figures and the narrative of the indicator (for the check «valore raggiunto senza riscontro»).
-- materialized: view
--          (only the Verifica reads it: see «Materialisation» in cruscotto/store/models.py)
-- columns:
--   ente, anno, codice, codice_obiettivo, descrizione, valore_raggiunto, vr_numero, ha_metodo (a principal or
--   literal calculation of the valore raggiunto), serie (how many series values are tied to the indicator),
--   cifre (list of {voce, valore, riga_fonte} of its key figures), risultato, note, riga_fonte, riga_vr
WITH metodi AS (
    SELECT DISTINCT ente, anno, codice_indicatore FROM stg_metodi_calcolo WHERE oggetto = 'valore raggiunto'
),
serie AS (
    SELECT ente, anno, codice_indicatore, count(*) AS n FROM stg_serie_storiche WHERE codice_indicatore IS NOT NULL GROUP BY ALL
),
cifre AS (
    SELECT ente, anno, codice_indicatore,
           list({'voce': voce, 'valore': valore, 'riga_fonte': riga_fonte} ORDER BY riga_fonte, voce) AS cifre
    FROM stg_cifre_chiave WHERE codice_indicatore IS NOT NULL GROUP BY ALL
)
SELECT i.ente, i.anno, i.codice, i.codice_obiettivo, i.descrizione, i.valore_raggiunto, i.vr_numero,
       m.codice_indicatore IS NOT NULL AS ha_metodo, coalesce(s.n, 0) AS serie, coalesce(c.cifre, []) AS cifre,
       i.risultato, i.note, i.riga_fonte, i.riga_vr
FROM stg_indicatori AS i
LEFT JOIN metodi AS m ON m.ente = i.ente AND m.anno = i.anno AND m.codice_indicatore = i.codice
LEFT JOIN serie AS s ON s.ente = i.ente AND s.anno = i.anno AND s.codice_indicatore = i.codice
LEFT JOIN cifre AS c ON c.ente = i.ente AND c.anno = i.anno AND c.codice_indicatore = i.codice
WHERE i.vr_tipo = 'numerico'
