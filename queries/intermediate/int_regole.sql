-- purpose: the rules in force for every (ente, anno): the SMVP's choices (cap of the grado, traffic-light bands,
--          plain or weighted mean, roll-up, rounding tolerance, words for milestones and for reasons, the multiple of
--          the target beyond which a target is judged unambitious), taken from the sheet «regole» where it gives a
--          usable value, else the default (stg_regole_predefinite: cruscotto/store/schema.py REGOLE_PREDEFINITE).
--          The import refuses unusable values; a store written before it did may still hold some: they count as
--          absent here, and the Verifica says so.
-- materialized: table
-- partition: ente, anno
-- columns:
--   ente, anno, regola, valore (text in force), numero (valore as a number; NULL for words, for 'nessuno' and for
--   choices), fonte ('foglio regole' | 'predefinita'), valore_foglio (as written in the sheet, NULL if absent),
--   valido (false when the sheet's value is not usable: the default applies), predefinito
WITH periodi AS (
    SELECT ente, anno FROM stg_aree
    UNION SELECT ente, anno FROM stg_indicatori
    UNION SELECT ente, anno FROM stg_regole
),
regole_giudicate AS (
    SELECT p.ente, p.anno, d.regola, d.predefinito, d.numero AS numero_predefinito, d.tipo,
           f.valore AS valore_foglio, f.numero AS numero_foglio,
           CASE
               WHEN f.valore IS NULL THEN NULL
               WHEN d.tipo = 'tetto' THEN lower(f.valore) = 'nessuno' OR coalesce(f.numero > 0, false)
               WHEN d.tipo = 'numero' THEN coalesce(f.numero >= 0, false)
               WHEN d.tipo = 'parole' THEN length(trim(replace(f.valore, ';', ''))) > 0
               ELSE list_contains(d.scelte, lower(f.valore))
           END AS valido
    FROM periodi AS p
    CROSS JOIN stg_regole_predefinite AS d
    LEFT JOIN stg_regole AS f ON f.ente = p.ente AND f.anno = p.anno AND f.regola = d.regola
)
SELECT ente, anno, regola,
       CASE WHEN NOT valido OR valido IS NULL THEN predefinito
            WHEN tipo IN ('scelta', 'tetto') THEN lower(valore_foglio)
            ELSE valore_foglio END AS valore,
       CASE WHEN tipo IN ('numero', 'tetto')
            THEN CASE WHEN valido THEN numero_foglio ELSE numero_predefinito END END AS numero,
       CASE WHEN valido THEN 'foglio regole' ELSE 'predefinita' END AS fonte,
       valore_foglio,
       coalesce(valido, true) AS valido,
       predefinito
FROM regole_giudicate
