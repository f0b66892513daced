-- purpose: every indicator with its place in the plan and its status by rule: the declared valore raggiunto
--          compared with the valore atteso by the target's operator (macro stato_per_operatore).
-- materialized: table
-- partition: ente, anno
-- columns:
--   all columns of indicatori, plus livello_nodo, codice_area, codice_strategico, codice_operativo,
--   titolo_nodo, centro_responsabilita, responsabile (of the node the indicator hangs from), and
--   stato: 'raggiunto' | 'non raggiunto' (numeric target and value) | 'qualitativo' (milestone, judged in words)
--          | 'non rilevato' (no valore raggiunto) | 'senza target' (no valore atteso)
SELECT
    i.*,
    n.livello AS livello_nodo,
    n.codice_area,
    n.codice_strategico,
    n.codice_operativo,
    n.titolo AS titolo_nodo,
    n.centro_responsabilita,
    n.responsabile,
    CASE
        WHEN i.va_tipo = 'assente' THEN 'senza target'
        WHEN i.vr_tipo = 'assente' THEN 'non rilevato'
        WHEN i.va_tipo = 'numerico' AND i.vr_tipo = 'numerico' THEN stato_per_operatore(i.va_operatore, i.vr_numero, i.va_numero)
        ELSE 'qualitativo'
    END AS stato
FROM stg_indicatori AS i
LEFT JOIN int_nodi AS n ON n.ente = i.ente AND n.anno = i.anno AND n.codice = i.codice_obiettivo
