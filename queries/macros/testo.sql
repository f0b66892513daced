-- purpose: reading the texts the import stores as written: word lists of the rules and numbers inside texts.
--          Numbers are read at import (cruscotto.ingest.parsing.parse_number) and the import rewrites every number
--          SQL still has to read in a text as plain Italian text (`plain_number_text`: '1234,5', no thousands
--          separator), so reading one here is a cast, never a second interpretation of '1.000'.
-- parameters:
--   parole  a rule's list of words separated by ';' (e.g. 'non; parzialmente; ritardo')
--   testo   plain Italian number text written by the import, optionally with '%' ('1234,5', '-3', '82%')
-- the words as one case-insensitive pattern of whole words: '\b(non|parzialmente|ritardo)\b'
CREATE OR REPLACE MACRO parole_regex(parole) AS
    '\b(' || array_to_string(list_transform(
        list_filter(string_split(parole, ';'), lambda w: trim(w) <> ''),
        lambda w: regexp_replace(lower(trim(w)), '([.^$*+?()\[\]{}|\\])', '\\\1', 'g')), '|') || ')\b';

-- the number of a plain Italian number text ('1234,5' -> 1234.5); NULL when the text is not one
CREATE OR REPLACE MACRO numero_testo(testo) AS
    TRY_CAST(replace(replace(replace(trim(testo), '%', ''), '.', ''), ',', '.') AS DOUBLE);
