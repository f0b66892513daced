-- purpose: the obiettivi strategici and operativi as imported (table obiettivi, one row per row).
-- columns:
--   all columns of obiettivi
SELECT *
FROM obiettivi
