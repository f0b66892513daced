-- purpose: the indicators as imported (table indicatori, one row per row): VA and VR as written and as the import
--          parsed them (va_tipo, va_operatore, va_numero, va_unita, vr_tipo, vr_numero, vr_unita).
-- columns:
--   all columns of indicatori
SELECT *
FROM indicatori
