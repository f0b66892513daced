-- purpose: the SMVP traffic-light rule, in one place for every model that bands a grado di raggiungimento
--          (int_valutazione per indicator, int_grado_nodi per objective and area). The thresholds come from the
--          rules in force (int_regole_periodo): default >= 90 raggiunto, >= 70 parzialmente raggiunto, else non raggiunto.
-- parameters:
--   grado             the grado di raggiungimento in % (NULL = not assessable)
--   soglia_raggiunto  the lowest grado of the band 'raggiunto'
--   soglia_parziale   the lowest grado of the band 'parzialmente raggiunto'
CREATE OR REPLACE MACRO fascia_grado(grado, soglia_raggiunto, soglia_parziale) AS
    CASE WHEN grado IS NULL THEN NULL
         WHEN grado >= soglia_raggiunto THEN 'raggiunto'
         WHEN grado >= soglia_parziale THEN 'parzialmente raggiunto'
         ELSE 'non raggiunto' END;

CREATE OR REPLACE MACRO esito_grado(grado, soglia_raggiunto, soglia_parziale) AS
    CASE WHEN grado IS NULL THEN NULL
         WHEN grado >= soglia_raggiunto THEN 'OBIETTIVO CONSEGUITO'
         WHEN grado >= soglia_parziale THEN 'OBIETTIVO PARZIALMENTE CONSEGUITO'
         ELSE 'OBIETTIVO NON CONSEGUITO' END;
