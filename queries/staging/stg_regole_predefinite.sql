-- purpose: the default of every SMVP rule, as cruscotto/store/schema.py REGOLE_PREDEFINITE declares it (the store
--          table regole_predefinite is written from there when the program changes it: never edited by hand).
-- columns:
--   regola, predefinito (text), numero (the default as a number; NULL for words), tipo ('tetto' | 'numero' |
--   'scelta' | 'parole'), scelte (the words admitted, for tipo 'scelta'), descrizione
SELECT regola, predefinito, numero, tipo, scelte, descrizione
FROM regole_predefinite
