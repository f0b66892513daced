-- purpose: the rules in force (int_regole) as one row per (ente, anno), one column per rule, for the models that
--          apply them; the word lists as ready patterns (macro parole_regex) and as marked words (macro
--          parole_segnate, for contiene_parole: queries/macros/testo.sql).
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, tetto (NULL = no cap), soglia_raggiunto, soglia_parziale, media, aggregazione,
--   grado_traguardo_raggiunto, grado_traguardo_non_raggiunto, tolleranza_arrotondamento, soglia_ambizione,
--   negazioni (pattern of the words of 'parole_non_raggiunto'), motivazioni (of 'parole_motivazione'),
--   negazioni_segnate, motivazioni_segnate (the same words marked; NULL where only the pattern is exact)
SELECT ente, anno,
       max(numero) FILTER (WHERE regola = 'tetto_grado') AS tetto,
       max(numero) FILTER (WHERE regola = 'soglia_raggiunto') AS soglia_raggiunto,
       max(numero) FILTER (WHERE regola = 'soglia_parziale') AS soglia_parziale,
       max(valore) FILTER (WHERE regola = 'media') AS media,
       max(valore) FILTER (WHERE regola = 'aggregazione') AS aggregazione,
       max(numero) FILTER (WHERE regola = 'grado_traguardo_raggiunto') AS grado_traguardo_raggiunto,
       max(numero) FILTER (WHERE regola = 'grado_traguardo_non_raggiunto') AS grado_traguardo_non_raggiunto,
       max(numero) FILTER (WHERE regola = 'tolleranza_arrotondamento') AS tolleranza_arrotondamento,
       max(numero) FILTER (WHERE regola = 'soglia_ambizione') AS soglia_ambizione,
       parole_regex(max(valore) FILTER (WHERE regola = 'parole_non_raggiunto')) AS negazioni,
       parole_regex(max(valore) FILTER (WHERE regola = 'parole_motivazione')) AS motivazioni,
       parole_segnate(max(valore) FILTER (WHERE regola = 'parole_non_raggiunto')) AS negazioni_segnate,
       parole_segnate(max(valore) FILTER (WHERE regola = 'parole_motivazione')) AS motivazioni_segnate
FROM int_regole
GROUP BY ente, anno
