"""The CLI command `check`: the findings of the Verifica, for people and for automation (exit 1 on an errore).

Same function as the page: `verifica.findings` (computed with the data, store/models.py) on the store named by CRUSCOTTO_DB (or the default), opened read-only.
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import asdict

from cruscotto import verifica
from cruscotto.cli import common as cli_store
from cruscotto.cli.common import add_ente_anno, command
from cruscotto.present import export


def add_commands(sub) -> None:
    p = command(
        sub, "check", cmd_check,
        help="verifica la relazione: ricalcola gli indicatori e stampa i rilievi (esce con 1 se c'è un errore)",
        description="Ricalcola ogni indicatore dai suoi dati, confronta esiti e regole, controlla codici e obiettivi; "
                    "stampa i rilievi con gravità e spiegazione. Esce con 1 se c'è almeno un rilievo di gravità "
                    "'errore', 0 altrimenti (per l'uso in automatico).")
    add_ente_anno(p, ente="solo questo ente (predefinito: tutti)",
                  anno="solo questo anno della relazione (predefinito: tutti)")
    p.add_argument("--gravita", choices=verifica.GRAVITA, default=None,
                   help="mostra solo i rilievi di questa gravità (il codice di uscita guarda sempre tutti gli errori)")
    p.add_argument("--format", choices=("text", "csv", "json"), default="text", help="formato di uscita (predefinito: text)")


def cmd_check(args) -> int:
    con = cli_store.reading()
    try:
        findings = verifica.findings(con, args.ente, args.anno)
    finally:
        con.close()
    shown = [f for f in findings if args.gravita in (None, f.gravita)]
    if args.format == "csv":
        export.neutralised(verifica.findings_frame(shown)).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(json.dumps([_json_safe({**asdict(f), "oggetto": f.oggetto}) for f in shown], ensure_ascii=False,
                         indent=2))
    else:
        for f in shown:
            righe = f" (righe {f.righe_fonte})" if f.righe_fonte else ""
            print(f"{f.gravita.upper():7} {f.oggetto} · {f.titolo}{righe}\n        {f.spiegazione}")
            for label, text in (("Calcolo", f.calcolo), ("Fonte", f.citazione)):
                if text:
                    print(f"        {label}:\n" + "\n".join(f"          {line}" for line in text.splitlines()))
            print()
        print(f"Rilievi: {verifica.riepilogo(verifica.counts(findings))}.")
    return 1 if verifica.has_errors(findings) else 0


def _json_safe(record: dict) -> dict:
    """JSON has no infinity or NaN (a value stored before validation refused it): null instead."""
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in record.items()}
