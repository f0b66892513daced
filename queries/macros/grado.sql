-- purpose: the 'gerarchica' roll-up of the SMVP, in one place for every level of the plan (int_grado_nodi): a node's
--          grado is the weighted mean of its own judged indicators and of the gradi of its child objectives that
--          have one, each child weighing 1. A node with nothing to judge has no grado (NULL), never 0.
-- parameters:
--   somma_propri  sum of peso × grado over the node's own judged indicators (NULL when there are none)
--   pesi_propri   sum of their weights (NULL when there are none)
--   somma_figli   sum of the gradi of the child objectives that have one (NULL when there are none)
--   figli         how many child objectives have a grado (0 for an operational objective, which has none)
CREATE OR REPLACE MACRO grado_con_figli(somma_propri, pesi_propri, somma_figli, figli) AS
    (coalesce(somma_propri, 0) + coalesce(somma_figli, 0)) / nullif(coalesce(pesi_propri, 0) + figli, 0);
