-- purpose: pratiche del Registro imprese evase entro 5 giorni, per anno: counts, the rate as printed and as
--          recomputed from the counts, and the index to the base year. Years the report does not give
--          (2014-2015) are absent, never interpolated.
-- parameters:
--   ente       text  the chamber (NULL = all)
--   anno_base  int   the base year of the index (NULL = 2013, as in the report)
-- columns:
--   ente, anno (year of the value), evase, totali, tasso_dichiarato (% as printed), tasso_calcolato
--   (evase / totali * 100), indice_base (tasso_calcolato / tasso_calcolato of the base year * 100),
--   indice_base_dichiarato (from the printed rates), evase_su_base (evase / evase of the base year * 100:
--   the literal modalità di calcolo), indice_dichiarato (the valore raggiunto of that year's indicator, if any),
--   anno_relazione (report the value comes from). Percentages are unrounded: pages round them for display.
WITH pratiche AS (
    SELECT ente, anno_valore AS anno, numeratore AS evase, denominatore AS totali, valore AS tasso_dichiarato,
           100.0 * numeratore / nullif(denominatore, 0) AS tasso_calcolato, anno AS anno_relazione, codice_indicatore
    FROM int_serie_correnti
    WHERE serie = 'pratiche_evase_5gg' AND ($ente IS NULL OR ente = $ente)
),
base AS (
    SELECT ente, evase AS evase_base, tasso_calcolato AS tasso_base, tasso_dichiarato AS tasso_dichiarato_base
    FROM pratiche AS s
    WHERE anno = coalesce($anno_base, 2013)
)
SELECT s.ente, s.anno, s.evase, s.totali, s.tasso_dichiarato, s.tasso_calcolato,
       100.0 * s.tasso_calcolato / b.tasso_base AS indice_base,
       100.0 * s.tasso_dichiarato / b.tasso_dichiarato_base AS indice_base_dichiarato,
       100.0 * s.evase / b.evase_base AS evase_su_base,
       i.vr_numero AS indice_dichiarato,
       s.anno_relazione
FROM pratiche AS s
LEFT JOIN base AS b USING (ente)
LEFT JOIN stg_indicatori AS i ON i.ente = s.ente AND i.anno = s.anno AND i.codice = s.codice_indicatore
ORDER BY s.ente, s.anno
