"""The table of every check in docs/verifica.md, written from the registry (tests/test_verifica_registry.py checks
that the file holds exactly this table). After adding or changing a check:

    python -m cruscotto.verifica.doc
"""
from __future__ import annotations

from cruscotto.paths import ROOT
from cruscotto.verifica import CHECKS

DOC = ROOT / "docs" / "verifica.md"
START, END = "<!-- tabella dei controlli: generata da `python -m cruscotto.verifica.doc` -->", "<!-- fine della tabella -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    """One row per check, in the registry's order: id, title (and the titles of its variants), severities, what it
    verifies, its module."""
    rows = ["| id | Titolo | Gravità | Che cosa verifica | Modulo |", "|---|---|---|---|---|"]
    for c in CHECKS.values():
        titolo = c.titolo + "".join(f"; variante `{v}`: «{t}»" for v, t in c.titoli.items())
        rows.append(f"| `{c.id}` | {_cell(titolo)} | {_cell(c.gravita)} | {_cell(c.verifica)} | "
                    f"`{c.famiglia}.py` |")
    return "\n".join(rows)


def section(text: str) -> str:
    """The generated part of the document (between the two markers)."""
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def main() -> None:
    text = DOC.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    DOC.write_text(f"{before}{START}\n{table()}\n{END}{after}", encoding="utf-8")
    print(f"{DOC.relative_to(ROOT)}: {len(CHECKS)} controlli")


if __name__ == "__main__":
    main()
