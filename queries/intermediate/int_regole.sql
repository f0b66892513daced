-- purpose: the rules in force for every (ente, anno): the SMVP's choices (cap of the grado, traffic-light bands,
--          plain or weighted mean, roll-up, rounding tolerance, words for milestones and for reasons, the multiple of
--          the target beyond which a target is judged unambitious), taken from
--          the sheet «regole» where it gives a usable value, else the documented default (also in
--          cruscotto/schema.py REGOLE_PREDEFINITE; a test keeps the two equal).
-- columns:
--   ente, anno, regola, valore (text in force), numero (valore as a number; NULL for words, for 'nessuno' and for
--   choices), fonte ('foglio regole' | 'predefinita'), valore_foglio (as written in the sheet, NULL if absent),
--   valido (false when the sheet's value is not usable: the default applies), predefinito
WITH predefinite(regola, predefinito, tipo) AS (
    VALUES ('tetto_grado', '100', 'tetto'),
           ('soglia_raggiunto', '90', 'numero'),
           ('soglia_parziale', '70', 'numero'),
           ('media', 'semplice', 'semplice|ponderata'),
           ('aggregazione', 'gerarchica', 'gerarchica|indicatori'),
           ('grado_traguardo_raggiunto', '100', 'numero'),
           ('grado_traguardo_non_raggiunto', '0', 'numero'),
           ('tolleranza_arrotondamento', '1', 'numero'),
           ('parole_non_raggiunto', 'non; parzialmente; ritardo; sospeso; rinviato; annullato', 'parole'),
           ('parole_motivazione', 'scostamento; a causa; causa; dovuto; motivo; in quanto; per effetto; ritardo', 'parole'),
           ('soglia_ambizione', '3', 'numero')
),
periodi AS (
    SELECT ente, anno FROM aree
    UNION SELECT ente, anno FROM indicatori
    UNION SELECT ente, anno FROM regole
),
foglio AS (
    SELECT ente, anno, regola, trim(valore) AS valore,
           TRY_CAST(replace(replace(trim(valore), '%', ''), ',', '.') AS DOUBLE) AS numero
    FROM regole
),
giudicate AS (
    SELECT p.ente, p.anno, d.regola, d.predefinito, d.tipo, f.valore AS valore_foglio, f.numero AS numero_foglio,
           CASE
               WHEN f.valore IS NULL THEN NULL
               WHEN d.tipo = 'tetto' THEN lower(f.valore) = 'nessuno' OR coalesce(f.numero > 0, false)
               WHEN d.tipo = 'numero' THEN coalesce(f.numero >= 0, false)
               WHEN d.tipo = 'parole' THEN length(trim(replace(f.valore, ';', ''))) > 0
               ELSE list_contains(string_split(d.tipo, '|'), lower(f.valore))
           END AS valido
    FROM periodi AS p
    CROSS JOIN predefinite AS d
    LEFT JOIN foglio AS f ON f.ente = p.ente AND f.anno = p.anno AND f.regola = d.regola
)
SELECT ente, anno, regola,
       CASE WHEN valido THEN (CASE WHEN tipo IN ('semplice|ponderata', 'gerarchica|indicatori') OR tipo = 'tetto'
                                   THEN lower(valore_foglio) ELSE valore_foglio END)
            ELSE predefinito END AS valore,
       CASE WHEN tipo IN ('numero', 'tetto')
            THEN CASE WHEN valido THEN numero_foglio ELSE TRY_CAST(predefinito AS DOUBLE) END END AS numero,
       CASE WHEN valido THEN 'foglio regole' ELSE 'predefinita' END AS fonte,
       valore_foglio,
       coalesce(valido, true) AS valido,
       predefinito
FROM giudicate
