"""CLI command `fonte`: the report's text (.txt) as the sheet fonte_righe, ready to upload (cruscotto.ingest.fonte)."""
from __future__ import annotations

import sys
from pathlib import Path

from cruscotto.cli.common import add_ente_anno, command
from cruscotto.ingest.fonte import sheet_csv
from cruscotto.ingest.reader import ReadError
from cruscotto.ingest.reader import _decode as decode  # the same decoding as an uploaded CSV
from cruscotto.store.schema import ANNO_MAX, ANNO_MIN


def add_commands(sub) -> None:
    p = command(
        sub, "fonte", cmd_fonte, help="prepara il foglio fonte_righe (il testo della relazione) da un file .txt",
        description="Legge il testo estratto dal PDF della relazione (.txt, UTF-8 o Windows-1252) e scrive il foglio "
                    "fonte_righe come CSV: una riga per ogni riga non vuota, col suo numero nel file. Il CSV si carica "
                    "da solo (pagina «Carica dati» o comando import) o si copia nel foglio fonte_righe del modello.")
    p.add_argument("file", help="il testo della relazione (.txt)")
    add_ente_anno(p, required=True, ente="l'ente della relazione, scritto come nelle altre tabelle",
                  anno="l'anno della relazione")
    p.add_argument("--out", default="fonte_righe.csv", help="file da scrivere (predefinito: fonte_righe.csv; '-' = schermo)")


def cmd_fonte(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"File {args.file}: non esiste o non è un file.", file=sys.stderr)
        return 1
    if not ANNO_MIN <= args.anno <= ANNO_MAX:
        print(f"anno {args.anno} fuori dall'intervallo ammesso ({ANNO_MIN}-{ANNO_MAX}).", file=sys.stderr)
        return 1
    try:
        text = decode(path.read_bytes(), path.name)
    except ReadError as exc:  # a mixed or unknown encoding: said as for an uploaded CSV
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    if "\x00" in text[:4096]:
        print(f"File {args.file}: non è un file di testo.", file=sys.stderr)
        return 1
    content = sheet_csv(text, args.ente.strip(), args.anno)
    if args.out == "-":
        sys.stdout.write(content)
    else:
        try:
            Path(args.out).write_text(content, encoding="utf-8")
        except OSError as exc:
            print(f"File {args.out}: non si può scrivere ({exc.strerror or exc}).", file=sys.stderr)
            return 1
        print(f"Scritte {content.count(chr(10)) - 1} righe in {args.out}.")
    return 0
