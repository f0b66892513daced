-- purpose: how many indicators hang from each node of the plan, by status by rule (int_indicatori): the counts the
--          pages add up by area, by responsabile or show per node, written once.
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, codice_obiettivo (the node the indicators hang from), codice_area (of that node; NULL when the
--   node is not in the plan), indicatori, misurabili (numeric VA and VR), raggiunti, non_raggiunti, qualitativi,
--   senza_valore (no VA or no VR), esito_conseguito_dichiarato (declared 'OBIETTIVO CONSEGUITO')
SELECT ente, anno, codice_obiettivo, codice_area,
       count(*) AS indicatori,
       count(*) FILTER (WHERE stato_misurabile(stato)) AS misurabili,
       count(*) FILTER (WHERE stato = 'raggiunto') AS raggiunti,
       count(*) FILTER (WHERE stato = 'non raggiunto') AS non_raggiunti,
       count(*) FILTER (WHERE stato = 'qualitativo') AS qualitativi,
       count(*) FILTER (WHERE stato_senza_valore(stato)) AS senza_valore,
       count(*) FILTER (WHERE esito_dichiarato = 'OBIETTIVO CONSEGUITO') AS esito_conseguito_dichiarato
FROM int_indicatori
GROUP BY ente, anno, codice_obiettivo, codice_area
