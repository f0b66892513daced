"""How each calculation method of metodi_calcolo is written out for people.

A method is declared once, where SQL computes it: a line `name | Italian label | what SQL computes` in the header of
int_ricalcolo.sql (`schema.METODI_DICHIARATI` reads it; the column `metodo` admits those names). Here each method gets
the function that writes a row of that view out with its numbers (`formula(row)`), so that the value and its
explanation are read side by side and cannot drift; a declared method without one stops the import of this module.

The computing itself is SQL (`valore_ricalcolato` of the view int_ricalcolo), read through ricalcolo_dettaglio.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cruscotto.store.schema import METODI_DICHIARATI, METODI_SQL
from cruscotto.verifica.frasi import line
from cruscotto.verifica.numeri import as_list, clean, missing, num, pct

VISTA_SQL = METODI_SQL.stem  # the view that computes every method (int_ricalcolo)

# How a method may be read (column `lettura`), as a sentence names it: «il calcolo di riscontro».
LETTURE = {"principale": "principale", "letterale": "letterale", "riscontro": "di riscontro"}


@dataclass(frozen=True)
class Metodo:
    nome: str
    etichetta: str  # Italian, for people: «rapporto con l'anno base»
    sql: str  # what VISTA_SQL computes, as its header says it
    scrivi: Callable[[dict], str]  # a row of VISTA_SQL written out: the numbers used, where they come from, the result


# ------------------------------------------------------------------ the operands of a row

def items(value) -> list[tuple[str, float, int | None]]:
    """The listed operands of a row (operandi_numeratore / operandi_denominatore) as (nome, valore, riga)."""
    return [(i["nome"], i["valore"], clean(i["riga_fonte"])) for i in as_list(value) if not missing(i["valore"])]


def operand_lines(row: dict, denominator: bool = True) -> list[int | None]:
    """The source lines of a row's listed operands (numerator, then denominator)."""
    operands = items(row.get("operandi_numeratore")) + (items(row.get("operandi_denominatore")) if denominator else [])
    return [riga for _, _, riga in operands]


def _sum_text(operands) -> str:
    return " + ".join(num(v) for _, v, _ in operands) if operands else "?"


def _sources(operands, riga_metodo) -> str:
    known = sorted({int(riga) for _, _, riga in operands if riga is not None})
    if known:
        return "voci di cifre_chiave, " + ("r. " if len(known) == 1 else "righe ") + ", ".join(map(str, known))
    return f"numeri citati nel testo, {line(riga_metodo)}" if not missing(riga_metodo) else "numeri citati nel testo"


def _series(row: dict) -> str:
    return f"serie {row['serie']}, {row['anno_valore']}, {line(row['riga_anno'])}"


# ------------------------------------------------------------------ each method written out

def _rapporto(row: dict) -> str:
    a, b, g, result = row["anno_valore"], row["anno_base"], row["grandezza"], row["valore_ricalcolato"]
    if g == "tasso":
        return (f"tasso {a} = {num(row['num_anno'])} / {num(row['den_anno'])} × 100 = {pct(row['x_anno'])} "
                f"({line(row['riga_anno'])}); tasso {b} = {num(row['num_base'])} / {num(row['den_base'])} × 100 = "
                f"{pct(row['x_base'])} ({line(row['riga_base'])}); {pct(row['x_anno'])} / {pct(row['x_base'])} × 100 "
                f"= {pct(result)}")
    label = {"numeratore": "numeratore", "denominatore": "denominatore"}.get(g, "valore")
    return (f"{label} {a} / {label} {b} × 100 = {num(row['x_anno'])} ({line(row['riga_anno'])}) / "
            f"{num(row['x_base'])} ({line(row['riga_base'])}) × 100 = {pct(result)}")


def _quota(row: dict) -> str:
    result = row["valore_ricalcolato"]
    if clean(row.get("serie")):
        return f"{num(row['num_anno'])} / {num(row['den_anno'])} × 100 = {pct(result)} ({_series(row)})"
    n, d = items(row.get("operandi_numeratore")), items(row.get("operandi_denominatore"))
    n_sum, d_sum = sum(v for _, v, _ in n), sum(v for _, v, _ in d)
    return (f"{_sum_text(n)} / {_sum_text(d)} × 100"
            + (f" = {num(n_sum)} / {num(d_sum)} × 100" if len(n) > 1 or len(d) > 1 else "")
            + f" = {pct(result)} ({_sources(n + d, row.get('riga_metodo'))})")


def _media_scala(row: dict) -> str:
    n, d = items(row.get("operandi_numeratore")), items(row.get("operandi_denominatore"))
    if not n:
        mean = num(row["x_anno"])
    else:
        mean = f"({_sum_text(n)}) / {len(n)}" if len(n) > 1 else num(n[0][1])
    return f"{mean} / {num(row['scala'])} × 100 = {pct(row['valore_ricalcolato'])} ({_sources(n + d, row.get('riga_metodo'))})"


def _valore_diretto(row: dict) -> str:
    if clean(row.get("serie")):
        return f"{num(row['valore_ricalcolato'])} ({_series(row)})"
    n = items(row.get("operandi_numeratore"))
    if len(n) == 1:
        name, value, riga = n[0]
        return f"{num(value)} («{name}», {line(riga) or line(row.get('riga_metodo'))})"
    return _somma(row)


def _somma(row: dict) -> str:
    n, d = items(row.get("operandi_numeratore")), items(row.get("operandi_denominatore"))
    return f"{_sum_text(n)} = {num(row['valore_ricalcolato'])} ({_sources(n + d, row.get('riga_metodo'))})"


# each declared method written out: its name -> the function that writes a row of VISTA_SQL out
_SCRIVI: dict[str, Callable[[dict], str]] = {
    "rapporto_anno_base": _rapporto,
    "rapporto_anno_precedente": _rapporto,
    "quota": _quota,
    "media_scala": _media_scala,
    "valore_diretto": _valore_diretto,
    "somma": _somma,
}
if unwritten := set(METODI_DICHIARATI) - set(_SCRIVI):
    raise RuntimeError(f"{METODI_SQL.name} declares {sorted(unwritten)}: metodi.py has no function that writes it out")
METODI_CALCOLO: dict[str, Metodo] = {nome: Metodo(nome, etichetta, sql, _SCRIVI[nome])
                                     for nome, (etichetta, sql) in METODI_DICHIARATI.items()}

METODI = {m.nome: m.etichetta for m in METODI_CALCOLO.values()}  # name -> Italian label


def formula(row: dict) -> str:
    """The calculation of a int_ricalcolo row written out, with the numbers used and where they come from."""
    return METODI_CALCOLO[row["metodo"]].scrivi(row)
