"""The figures pages put in words: the plan's headline totals with the share of measurable indicators reached, and
the indicators in charge of one responsabile or centro di responsabilità. No streamlit here."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# What queries/scheda_responsabili.sql calls the objectives whose responsabile the report does not name.
NOT_STATED = "(non indicato)"
# The scorecard groups by one of these (its `per` parameter): the column of the plan that holds the name.
GROUPINGS = {"responsabile": "responsabile", "centro": "centro_responsabilita"}
_COUNTS = ("obiettivi_strategici", "obiettivi_operativi", "indicatori", "misurabili", "raggiunti", "non_raggiunti",
           "qualitativi", "senza_valore")


@dataclass(frozen=True)
class Headline:
    obiettivi_strategici: int
    obiettivi_operativi: int
    indicatori: int
    misurabili: int
    raggiunti: int
    non_raggiunti: int
    qualitativi: int
    senza_valore: int

    @property
    def obiettivi(self) -> int:
        return self.obiettivi_strategici + self.obiettivi_operativi

    @property
    def quota_raggiunti(self) -> float | None:
        """Measurable indicators that reached their target, as a percentage (None when none is measurable)."""
        return 100.0 * self.raggiunti / self.misurabili if self.misurabili else None


def headline(area_summary: pd.DataFrame) -> Headline:
    """The totals over the areas of queries/riepilogo_aree.sql."""
    return Headline(**{c: int(area_summary[c].sum()) for c in _COUNTS})


def indicators_of(indicators: pd.DataFrame, per: str, nome: str) -> pd.DataFrame:
    """The rows of queries/scheda_indicatori.sql in charge of `nome`, a responsabile (per='responsabile') or a
    centro di responsabilità (per='centro'); NOT_STATED gathers those whose objective names nobody."""
    return indicators[indicators[GROUPINGS[per]].fillna(NOT_STATED) == nome]
