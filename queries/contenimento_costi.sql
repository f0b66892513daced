-- purpose: cost containment: every cost series (costi_*) against its base year, as in the indicators
--          'Contenimento costi' ((costi anno corrente / costi anno 2011) * 100, target <= 100%).
-- parameters:
--   ente       text  the chamber (NULL = all)
--   anno_base  int   the base year (NULL = 2011, as in the report)
-- columns:
--   ente, serie, titolo, anno, valore (€), valore_base (€ in the base year), percentuale_base
--   (valore / valore_base * 100, unrounded; NULL when the base is missing or zero), percentuale_dichiarata
--   (the valore raggiunto the report declares for that year's indicator, if any), anno_relazione
WITH costi AS (
    SELECT ente, serie, titolo, anno_valore AS anno, valore, anno AS anno_relazione, codice_indicatore
    FROM int_serie_correnti
    WHERE serie LIKE 'costi\_%' ESCAPE '\' AND ($ente IS NULL OR ente = $ente)
)
SELECT s.ente, s.serie, s.titolo, s.anno, s.valore, b.valore AS valore_base,
       100.0 * s.valore / nullif(b.valore, 0) AS percentuale_base,
       i.vr_numero AS percentuale_dichiarata,
       s.anno_relazione
FROM costi AS s
LEFT JOIN costi AS b ON b.ente = s.ente AND b.serie = s.serie AND b.anno = coalesce($anno_base, 2011)
LEFT JOIN stg_indicatori AS i ON i.ente = s.ente AND i.anno = s.anno AND i.codice = s.codice_indicatore
ORDER BY s.ente, s.serie, s.anno
