-- purpose: which way is better for a target, read from the operator of its valore atteso: «higher is better» for
--          >= and > (a minimum to reach), «lower is better» for <= and < (a ceiling to stay under); '=' is neither.
-- parameters:
--   operatore  the va_operatore of an indicator ('>=', '>', '<=', '<', '=' or NULL)
--   operatori  (verso_prevalente, an aggregate) the va_operatore of the indicators compared
CREATE OR REPLACE MACRO piu_e_meglio(operatore) AS operatore IN ('>=', '>');

CREATE OR REPLACE MACRO meno_e_meglio(operatore) AS operatore IN ('<=', '<');

-- 'basso' when more of the targets are ceilings than minimums, else 'alto' (an aggregate over a group of indicators)
CREATE OR REPLACE MACRO verso_prevalente(operatori) AS
    CASE WHEN count(*) FILTER (WHERE meno_e_meglio(operatori)) > count(*) FILTER (WHERE piu_e_meglio(operatori))
         THEN 'basso' ELSE 'alto' END;
