"""The registry of the checks: each check is a function of a family module, registered by the decorator `@check`
with its id, its title (and the titles of its variants), what it verifies and its severities. The runner iterates
`CHECKS` in registration order; the page, the CLI, the PDF and docs/verifica.md read titles and descriptions here.

A check function declares the facts it reads as the defaults of its parameters:

    @check(id="tasso_incoerente", titolo="…", verifica="…", gravita=(ERRORE, INFO), quando="errore oltre …")
    def tasso_incoerente(tassi=query("verifica_tassi"), regole=REGOLE):
        for r in tassi.itertuples():
            yield rilievo(ERRORE, "…", ente=r.ente, anno=int(r.anno), …)

- `query("name")` is the result of queries/name.sql for the chamber and year of the run (a new SQL file is read
  by naming it: nothing else to register);
- a `@fatto` function is a fact derived from others (e.g. the rules in force as a dict), declared the same way.
Each fact is read once per run and shared by every check that names it. A test can call a check function with
its own frames.

A check yields `rilievo(...)`s: a Finding without its check's id and title, which the runner adds from here.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

from cruscotto.verifica.gravita import GRAVITA


@dataclass(frozen=True)
class Finding:
    controllo: str
    gravita: str
    ente: str
    anno: int
    titolo: str
    spiegazione: str
    codice_indicatore: str | None = None
    codice_obiettivo: str | None = None
    codice_area: str | None = None
    valore_dichiarato: str | None = None
    valore_ricalcolato: float | None = None
    righe_fonte: str | None = None
    # added by issue 13 (at the end, so that readers of the fields above are unaffected)
    calcolo: str | None = None  # the recomputation step by step, one numbered step a line
    regola: str | None = None  # the rule applied (with its values in force), in Italian
    citazione: str | None = None  # the text of the cited lines: «r. 1155: Al 31/12/2016: …», one a line

    @property
    def oggetto(self) -> str:
        return self.codice_indicatore or self.codice_obiettivo or "regole"


COLUMNS = [f.name for f in fields(Finding)]


# ------------------------------------------------------------------ facts a check reads

@dataclass(frozen=True)
class Query:
    """The result of queries/<name>.sql for the run's chamber and year (parameters ente, anno)."""
    name: str


def query(name: str) -> Query:
    return Query(name)


@dataclass(frozen=True)
class Fatto:
    """A fact derived from other facts (its parameters' defaults, as for a check)."""
    fn: Callable


def fatto(fn: Callable) -> Fatto:
    return Fatto(fn)


@functools.cache
def sources(fn: Callable) -> dict[str, Query | Fatto]:
    """The facts a check (or a derived fact) reads: {parameter: Query or Fatto}."""
    out = {}
    for p in inspect.signature(fn).parameters.values():
        if not isinstance(p.default, (Query, Fatto)):
            raise TypeError(f"{fn.__qualname__}: il parametro «{p.name}» non dichiara da quale query o fatto viene")
        out[p.name] = p.default
    return out


# ------------------------------------------------------------------ the checks

@dataclass(frozen=True)
class Check:
    id: str
    titolo: str
    verifica: str  # what the check looks at, in Italian
    gravita: str  # which severity when, in Italian: @check's `quando` (the column «Gravità» of the page and the PDF)
    gravita_possibili: tuple[str, ...] = ()  # the severities its findings may have, most severe first
    titoli: Mapping[str, str] = field(default_factory=dict, hash=False)  # variant -> title of its findings
    fn: Callable | None = field(default=None, compare=False, repr=False)

    def titolo_di(self, variante: str | None) -> str:
        return self.titolo if variante is None else self.titoli[variante]

    @property
    def regola(self) -> str:
        """The rule of a finding that names no configurable rule: what the check verifies and how severe it is."""
        return f"{self.verifica} Gravità: {self.gravita}"

    @property
    def famiglia(self) -> str:
        return self.fn.__module__.rsplit(".", 1)[-1] if self.fn else ""


_CHECKS: dict[str, Check] = {}
CHECKS: Mapping[str, Check] = MappingProxyType(_CHECKS)  # id -> Check, in registration order


def check(*, id: str, titolo: str, verifica: str, gravita: tuple[str, ...], quando: str,
          titoli: Mapping[str, str] | None = None) -> Callable:
    """Register a check function. `gravita`: the severities it may give; `quando`: in words, which one when
    («errore oltre la tolleranza di arrotondamento; info se …»); `titoli`: the titles of its variants, for findings
    that say something narrower than the check's title (e.g. «… coerente solo entro l'arrotondamento»)."""
    if not gravita or not set(gravita) <= set(GRAVITA):
        raise ValueError(f"controllo «{id}»: gravità non valide {gravita}")

    def register(fn: Callable) -> Callable:
        sources(fn)  # a parameter without a declared fact fails at import, not during a run
        earlier = _CHECKS.get(id)
        if earlier and (earlier.fn.__module__, earlier.fn.__qualname__) != (fn.__module__, fn.__qualname__):
            raise ValueError(f"controllo «{id}» già registrato da {earlier.fn.__module__}")  # (a reloaded module may)
        _CHECKS[id] = Check(id, titolo, verifica, quando, tuple(g for g in GRAVITA if g in gravita),
                            MappingProxyType(dict(titoli or {})), fn)
        return fn
    return register


def ordina(famiglie: tuple[str, ...]) -> None:
    """List the checks family by family (modules named in `famiglie`), each family in its written order."""
    unknown = {c.famiglia for c in _CHECKS.values()} - set(famiglie)
    if unknown:
        raise ValueError(f"moduli di controlli non elencati: {sorted(unknown)}")
    ordered = sorted(_CHECKS.values(), key=lambda c: famiglie.index(c.famiglia))  # stable: written order kept
    _CHECKS.clear()
    _CHECKS.update((c.id, c) for c in ordered)


def rilievo(gravita: str, spiegazione: str, *, variante: str | None = None, **campi) -> dict:
    """A finding as a check yields it: severity, explanation, the variant whose title it takes (None: the check's
    title) and the other fields of Finding (ente and anno required)."""
    return {"gravita": gravita, "spiegazione": spiegazione, "variante": variante, **campi}


def finding(check_: Check, found: dict) -> Finding:
    """The Finding of a check's `rilievo`, titled by the registry."""
    found = dict(found)
    variante = found.pop("variante", None)
    if found["gravita"] not in check_.gravita_possibili:
        raise ValueError(f"controllo «{check_.id}»: gravità «{found['gravita']}» non dichiarata")
    return Finding(controllo=check_.id, titolo=check_.titolo_di(variante), **found)

