"""CLI command `relazione`: the same document as the page «Relazione» (cruscotto.relazione), from the store opened
read-only when it can be."""
from __future__ import annotations

import sys
from pathlib import Path

from cruscotto import relazione
from cruscotto.cli.common import add_ente_anno, command, reading


def add_commands(sub) -> None:
    p = command(sub, "relazione", cmd_relazione, help="la Relazione (PDF o HTML) di un ente e anno, per la Giunta e l'OIV",
                description="Scrive la Relazione di un ente e anno (o di un'area strategica): copertina, indice, "
                "sintesi, aree → obiettivi → indicatori, andamenti e Allegato OIV con i rilievi della verifica. "
                "PDF A4 accessibile (WeasyPrint) o un unico file HTML senza collegamenti esterni.")
    add_ente_anno(p, ente="l'ente (predefinito: quello dell'installazione)",
                  anno="l'anno della relazione (predefinito: l'ultimo dell'ente)")
    p.add_argument("--area", default=None, help="solo quest'area strategica, col suo codice (es. 2019_02)")
    p.add_argument("--formato", choices=("pdf", "html"), default="pdf", help="pdf (predefinito) o html")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="file da scrivere (predefinito: Relazione_<ente>_<anno>_<data>.<formato> nella cartella corrente)")


def cmd_relazione(args) -> int:
    if args.formato == "pdf" and (why := relazione.missing_renderers().get("pdf")):
        print(f"Errore: {why} Oppure: --formato html.", file=sys.stderr)
        return 1
    relazione.figures.warm_up()  # Chromium starts while the store opens
    con = reading()  # a locked, damaged or missing store is said in Italian by cli.main
    try:
        ente, anno = relazione.default_period(con, args.ente, args.anno)
        out = relazione.build(con, ente, anno, args.area, pdf=args.formato == "pdf")
    except relazione.NoData as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
        relazione.figures.BROWSER.close()  # Chromium ends here, not among the interpreter's last rites
    path = Path(args.out or out.file_name(args.formato))
    data = out.pdf if args.formato == "pdf" else out.html.encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"Errore: non riesco a scrivere {path}: {exc.strerror or exc}.", file=sys.stderr)
        return 1
    for note in out.notes:
        print(f"avviso  {note}", file=sys.stderr)
    print(f"Relazione {ente} {anno}{f' (area {args.area})' if args.area else ''} scritta in {path} "
          f"({len(data) / 1024:,.0f} kB).".replace(",", "."))
    return 0
