"""Pieces of the explanations that several families of checks write the same way: where a value is printed
(«r. 854»), a calculation as numbered steps, a value with its unit, the tolerance rule and the comparison of a
declared value with a recomputed one.
"""
from __future__ import annotations

from cruscotto.present import formatting
from cruscotto.verifica.numeri import Agreement, clean, missing, num, pct, round_half_up


def line(value) -> str:
    """'r. 854', or '' when the line is not known."""
    return "" if missing(value) else f"r. {int(value)}"


def at(value) -> str:
    """' (r. 854)' after a value, or nothing when its line is not known."""
    return "" if missing(value) else f" (r. {int(value)})"


def lines(*values) -> str | None:
    """The distinct known lines, sorted: '11, 21, 22' (None when none is known). One or two lines, what most of the
    35.000 findings of a 100k-row import cite, are written without a set and a sort."""
    if len(values) == 1:
        return None if missing(values[0]) else str(int(values[0]))
    if len(values) == 2:
        a, b = values
        if missing(a):
            return None if missing(b) else str(int(b))
        if missing(b):
            return str(int(a))
        a, b = int(a), int(b)
        return str(a) if a == b else f"{a}, {b}" if a < b else f"{b}, {a}"
    known = sorted({int(v) for v in values if not missing(v)})
    return ", ".join(map(str, known)) or None


def steps(*parts) -> str:
    """Numbered steps of a calculation, one a line (the «Calcolo passo per passo» of a finding); empty parts skipped."""
    return "\n".join(f"{n}. {s}" for n, s in enumerate([s for s in parts if s], start=1))


def first_line(text) -> str:
    first = str(text).strip().split("\n")[0]
    return first if len(first) <= 160 else first[:157] + "…"


def with_unit(value, unit) -> str:
    unit = clean(unit)
    if unit == "%":
        return pct(value, 2)
    if unit == "€":
        return formatting.euro(value)
    return f"{num(value, 2)} {unit}" if unit and unit != "numero" else num(value, 2)


def target_text(row: dict) -> str:
    return str(row.get("valore_atteso") or "").strip() or "?"


# ------------------------------------------------------------------ the tolerance rule and a comparison

def tolerance(rules, ente, anno) -> float:
    """The rule tolleranza_arrotondamento in force (units of the last declared decimal; 1 by default)."""
    value = rules.get((ente, int(anno)), {}).get("tolleranza_arrotondamento", 1.0)
    return float(value) if not missing(value) else 1.0


def tolerance_rule(rules, ente, anno, decimals: int) -> str:
    unita = tolerance(rules, ente, anno)
    return (f"Tolleranza di arrotondamento (regola «tolleranza_arrotondamento»): {num(unita)} unità dell'ultima cifra "
            f"dichiarata, cioè {num(unita * 10 ** -decimals)} per un valore con {decimals} decimali. Una differenza "
            "oltre la tolleranza è un errore; entro la tolleranza un'informazione.")


def rounded_text(value: float, decimals: int, declared_text) -> str:
    """A recomputed value rounded like the declared one, with its % when the declared value has one."""
    return num(round_half_up(value, decimals), decimals) + ("%" if "%" in str(declared_text or "") else "")


def comparison_step(declared_text: str, where, agreement: Agreement) -> str:
    verdict = {"esatto": "coincide", "arrotondamento": "entro la tolleranza",
               "diverso": "oltre la tolleranza"}[agreement.verdict]
    return (f"Dichiarato {declared_text}{f' ({line(where)})' if line(where) else ''}: differenza "
            f"{num(abs(agreement.difference))}, tolleranza {num(agreement.tolerance)}, {verdict}")


def indicatore(r, *righe) -> dict:
    """The fields of a finding about an indicator (a row of verifica_indicatori), citing its first line and `righe`."""
    return dict(ente=r.ente, anno=int(r.anno), codice_indicatore=r.codice, codice_obiettivo=r.codice_obiettivo,
                codice_area=clean(r.codice_area), righe_fonte=lines(r.riga_fonte, *righe))


# A node of the plan as a sentence begins with it: «L'obiettivo operativo 2019_01_02_04 …».
NODO = {"area": "L'area strategica", "strategico": "L'obiettivo strategico", "operativo": "L'obiettivo operativo"}


def nodo(r) -> dict:
    """The fields of a finding about a node of the plan (a row of verifica_nodi), citing its line."""
    return dict(ente=r.ente, anno=int(r.anno), codice_obiettivo=r.codice, righe_fonte=lines(r.riga_fonte))


def titolo_nodo(r) -> str:
    """' «Titolo»' after a node's code, or nothing when the document gives it no title."""
    return f" «{r.titolo}»" if not missing(r.titolo) else ""
