-- purpose: reading the texts the import stores as written: word lists of the rules and numbers inside texts.
--          Numbers are read at import (cruscotto.ingest.parsing.parse_number) and the import rewrites every number
--          SQL still has to read in a text as plain Italian text (`plain_number_text`: '1234,5', no thousands
--          separator), so reading one here is a cast, never a second interpretation of '1.000'.
--          Whole words are found without a pattern per row: a pattern that is a column (one per ente and anno)
--          is compiled again by DuckDB at every row. `testo_segnato` marks every run of word characters of a text
--          with chr(1) on both sides, once per row with a constant pattern; `parole_segnate` marks the rule's words
--          the same way, once per (ente, anno); a word then occurs as a whole word exactly when its marked form is a
--          substring of the marked text (`contiene_parole`). This is RE2's `\b` of `parole_regex`, which counts as
--          word characters only [0-9A-Za-z_]: 'à' is not one, so 'realizz' is a whole word in 'realizzò' and 'l' in
--          "l'attività", as with the pattern. Words that begin or end with another character (or hold chr(1)) and an
--          empty list keep the pattern (tests/test_parole_equivalenti.py compares the two). A chr(1) in the text
--          itself is harmless: the markers stand right against the word characters, so a marked word still matches
--          only a run of words as written.
-- parameters:
--   parole   a rule's list of words separated by ';' (e.g. 'non; parzialmente; ritardo')
--   testo    plain Italian number text written by the import, optionally with '%' ('1234,5', '-3', '82%');
--            for the word macros, a text already lowercased (lower())
--   segnato  testo_segnato(testo); segnate: parole_segnate(parole); regex: parole_regex(parole)

-- the words of a rule as written, trimmed and lowercased, without empty ones: ['non', 'parzialmente', 'ritardo']
CREATE OR REPLACE MACRO parole_elenco(parole) AS
    list_transform(list_filter(string_split(parole, ';'), lambda w: trim(w) <> ''), lambda w: lower(trim(w)));

-- the words as one case-insensitive pattern of whole words: '\b(non|parzialmente|ritardo)\b'
CREATE OR REPLACE MACRO parole_regex(parole) AS
    '\b(' || array_to_string(list_transform(parole_elenco(parole),
        lambda w: regexp_replace(w, '([.^$*+?()\[\]{}|\\])', '\\\1', 'g')), '|') || ')\b';

-- every run of word characters (RE2's \w: [0-9A-Za-z_]) between two chr(1), here '|': 'a causa' -> '|a| |causa|'
CREATE OR REPLACE MACRO testo_segnato(testo) AS
    regexp_replace(testo, '([0-9A-Za-z_]+)', chr(1) || '\1' || chr(1), 'g');

-- the words marked as testo_segnato marks a text; NULL (keep the pattern) when the list is empty or a word begins
-- or ends with a character that is not a word character, or holds chr(1)
CREATE OR REPLACE MACRO parole_segnate(parole) AS
    CASE WHEN len(parole_elenco(parole)) > 0
              AND list_bool_and(list_transform(parole_elenco(parole),
                                               lambda w: regexp_full_match(w, '(?s)[0-9A-Za-z_](.*[0-9A-Za-z_])?')
                                                         AND NOT contains(w, chr(1))))
         THEN list_transform(parole_elenco(parole), lambda w: testo_segnato(w)) END;

-- true when the lowercased text holds one of the words as a whole word, as regexp_matches(testo, regex) would say
-- (NULL when the text or the rule is NULL)
CREATE OR REPLACE MACRO contiene_parole(testo, segnato, segnate, regex) AS
    CASE WHEN segnate IS NULL THEN regexp_matches(testo, regex)
         ELSE list_bool_or(list_transform(segnate, lambda w: contains(segnato, w))) END;

-- the number of a plain Italian number text ('1234,5' -> 1234.5); NULL when the text is not one
CREATE OR REPLACE MACRO numero_testo(testo) AS
    TRY_CAST(replace(replace(replace(trim(testo), '%', ''), '.', ''), ',', '.') AS DOUBLE);
