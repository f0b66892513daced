-- purpose: one value per series and year: when several reports (anni) give the same year of a series,
--          the most recent report wins, so a 2020 upload extends and corrects the trends.
-- materialized: table
-- partition: ente
-- columns:
--   ente, serie, titolo, unita, anno_valore, valore, numeratore, denominatore, anno (report it comes from),
--   codice_indicatore, testo_originale, riga_fonte
SELECT ente, serie, titolo, unita, anno_valore, valore, numeratore, denominatore, anno,
       codice_indicatore, testo_originale, riga_fonte
FROM stg_serie_storiche
QUALIFY row_number() OVER (PARTITION BY ente, serie, anno_valore ORDER BY anno DESC) = 1
