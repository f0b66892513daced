"""The severities of a finding and their Italian words, in one place.

- errore: a number or an esito of the report contradicts its own data or the rule (or the verification itself
  cannot run: a method without its data, an unusable rule). `python -m cruscotto check` exits 1.
- avviso: an inconsistency or a gap an OIV would ask about, that does not change whether a target is met.
- info: worth knowing, not wrong (a value right only within rounding, a gap in the numbering, ...).

The ids (`errore`, `avviso`, `info`) are what findings carry and exports show; the words are for sentences.
Badges (icons) are drawn by the UI (ui/verifica.py).
"""
from __future__ import annotations

from cruscotto.present import formatting

ERRORE, AVVISO, INFO = "errore", "avviso", "info"
GRAVITA = (ERRORE, AVVISO, INFO)  # from the most to the least severe: the order of the findings

# id -> (singular, plural) as a sentence says them: «1 errore», «29 avvisi», «13 informazioni»
PAROLE: dict[str, tuple[str, str]] = {
    ERRORE: ("errore", "errori"),
    AVVISO: ("avviso", "avvisi"),
    INFO: ("informazione", "informazioni"),
}


def quanti(n: int, gravita: str) -> str:
    """«1 errore», «2 errori», «0 informazioni»."""
    singolare, plurale = PAROLE[gravita]
    return formatting.plural(n, singolare, plurale)


def riepilogo(conteggi: dict[str, int], gravita: tuple[str, ...] = GRAVITA, sep: str = ", ") -> str:
    """«2 errori, 29 avvisi, 13 informazioni» from counts by severity (`counts()` of the runner)."""
    return sep.join(quanti(conteggi.get(g, 0), g) for g in gravita)
