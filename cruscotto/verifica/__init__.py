"""Verifica: what the report gets wrong, found by recomputing it from its own data.

Every check reads facts through the SQL files in queries/ (the recomputation `int_ricalcolo`, the judgement by rule
`int_valutazione`, the plan's nodes) and returns `Finding`s: a severity and a plain Italian explanation with the
numbers and the source lines, so that a reader can redo the check by hand with the PDF beside them.

- registry.py: `@check` registers each check (id, titles, what it verifies, severities); `CHECKS` lists them.
- one module per family of checks: ricalcolo (recomputed values), tassi (printed rates), esiti (outcomes against
  the rule), piano (objectives, indicators, targets), codici (codes and numbering), riscontri (evidence behind a
  value), regole (the rules sheet); runner.py runs them all with their facts (fatti.py: read once per run).
- metodi.py: each calculation method (declared in int_ricalcolo.sql) written out; numeri.py: rounding and comparing
  by hand; gravita.py: the severities and their Italian words; frasi.py: pieces of explanations the families share.

The rules (tolerance, words for reasons, bands) come from the store (`int_regole`): configuration, not code.
stored.py: the findings are computed with the data, in the transaction of each import or rollback (table
`int_rilievi`, a Python model of store/models.py); the page, the CLI and the PDF read them with `findings`.
No streamlit here. How to add a check: docs/verifica.md.
"""
from cruscotto.verifica.gravita import AVVISO, ERRORE, GRAVITA, INFO, PAROLE, quanti, riepilogo
from cruscotto.verifica.metodi import LETTURE, METODI, METODI_CALCOLO, formula
from cruscotto.verifica.numeri import num, pct
from cruscotto.verifica.registry import CHECKS, COLUMNS, Check, Finding
from cruscotto.verifica.regole import describe_rules
from cruscotto.verifica.runner import counts, findings_frame, has_errors, run_checks
from cruscotto.verifica.stored import findings

__all__ = ["AVVISO", "CHECKS", "COLUMNS", "ERRORE", "GRAVITA", "INFO", "LETTURE", "METODI", "METODI_CALCOLO", "PAROLE",
           "Check", "Finding", "counts", "describe_rules", "findings", "findings_frame", "formula", "has_errors", "num", "pct", "quanti", "riepilogo",
           "run_checks"]
