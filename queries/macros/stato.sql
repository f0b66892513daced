-- purpose: an indicator's status by rule, in one place: the declared valore raggiunto compared with the valore
--          atteso by the target's operator, and the groups of statuses the pages count.
-- parameters:
--   operatore  the va_operatore ('>=', '<=', '>', '<'; anything else is '=')
--   raggiunto  vr_numero, the value reached
--   atteso     va_numero, the target
--   stato      a status: 'raggiunto' | 'non raggiunto' | 'qualitativo' | 'non rilevato' | 'senza target'
CREATE OR REPLACE MACRO stato_per_operatore(operatore, raggiunto, atteso) AS
    CASE WHEN CASE operatore
                  WHEN '>=' THEN raggiunto >= atteso
                  WHEN '<=' THEN raggiunto <= atteso
                  WHEN '>' THEN raggiunto > atteso
                  WHEN '<' THEN raggiunto < atteso
                  ELSE raggiunto = atteso END
         THEN 'raggiunto' ELSE 'non raggiunto' END;

-- numeric VA and VR: the status says whether the target was met
CREATE OR REPLACE MACRO stato_misurabile(stato) AS stato IN ('raggiunto', 'non raggiunto');

-- no VA or no VR: nothing to compare
CREATE OR REPLACE MACRO stato_senza_valore(stato) AS stato IN ('non rilevato', 'senza target');

-- counts by status added up over several nodes (int_stati_per_nodo), still whole numbers (sum alone gives HUGEINT)
CREATE OR REPLACE MACRO somma_conteggi(conteggio) AS CAST(sum(conteggio) AS BIGINT);
