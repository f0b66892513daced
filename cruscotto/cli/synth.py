"""CLI command `synth`: synthetic chambers in the real schema, into a workbook or a store (cruscotto.synth)."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cruscotto import store
from cruscotto.cli.common import command
from cruscotto.store.schema import TABLES
from cruscotto.synth.generator import DEFAULT_SEED, SHIPPED_SERIES, generate, parse_years, write_store, write_xlsx


def add_commands(sub) -> None:
    p = command(
        sub, "synth", cmd_synth, help="genera dati sintetici (molti enti, molti anni) in un file .xlsx o in un database",
        description="Genera dati sintetici nello schema reale: aree, obiettivi, indicatori con VA/VR scritti come nella "
                    "relazione, cifre chiave e serie storiche. Gli stessi argomenti danno sempre gli stessi dati. "
                    "Gli enti si chiamano 'CCIAA sintetica di ...': non sono i dati di nessuna camera reale.",
        epilog="esempi:\n"
               "  python -m cruscotto synth --enti 6 --anni 2015-2024 --xlsx /tmp/synth_10k.xlsx\n"
               "  python -m cruscotto synth --enti 10 --anni 2015-2024 --store /tmp/synth.duckdb\n"
               "  python -m cruscotto synth --enti 60 --anni 2010-2024 --serie 570 --bulk --store /tmp/nazionale.duckdb\n"
               "Con --store ogni ente è un caricamento (una versione) e sostituisce solo i propri anni: i dati già\n"
               "presenti di altri enti restano. --bulk scrive le stesse righe senza il controllo riga per riga\n"
               "(minuti invece di ore a milioni di righe; la equivalenza è verificata dai test).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--enti", type=int, required=True, metavar="N", help="numero di enti (camere di commercio)")
    p.add_argument("--anni", required=True, metavar="A-B", help="anni delle relazioni, per esempio 2010-2024")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"seme (predefinito: {DEFAULT_SEED})")
    p.add_argument("--serie", type=int, default=SHIPPED_SERIES, metavar="K",
                   help=f"serie storiche per ente (predefinito: {SHIPPED_SERIES}, come la relazione reale; "
                        "60 enti, 2010-2024, --serie 570 danno circa 5 milioni di righe)")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--xlsx", metavar="FILE", help="scrive una cartella di lavoro (un foglio per tabella), il formato del caricamento")
    out.add_argument("--store", metavar="FILE", help="scrive nel database DuckDB indicato (creato se manca)")
    p.add_argument("--bulk", action="store_true", help="con --store: scrittura diretta delle righe già tipizzate (per le dimensioni più grandi)")


def cmd_synth(args) -> int:
    try:
        anni = parse_years(args.anni)
        if args.enti < 1 or args.serie < SHIPPED_SERIES:
            raise ValueError(f"--enti deve essere almeno 1 e --serie almeno {SHIPPED_SERIES}.")
    except ValueError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    if args.xlsx:
        tables = generate(args.enti, anni, args.seed, args.serie)
        try:
            write_xlsx(tables, args.xlsx)
        except ValueError as exc:
            print(f"Errore: {exc}", file=sys.stderr)
            return 1
        counts = ", ".join(f"{n} {len(f):,}".replace(",", ".") for n, f in tables.items())
        print(f"Scritto {args.xlsx} ({Path(args.xlsx).stat().st_size / 1e6:.1f} MB): {counts}.")
        return 0
    con = store.connect(args.store)
    try:
        def progress(done, total, ente):
            print(f"\r{done}/{total} {ente:60}", end="", file=sys.stderr, flush=True)

        versions = write_store(con, args.enti, anni, args.seed, args.serie, bulk=args.bulk, progress=progress)
        print(file=sys.stderr)
        counts = ", ".join(f"{t.name} {con.execute(f'SELECT count(*) FROM {t.name}').fetchone()[0]:,}".replace(",", ".")
                           for t in TABLES)
    finally:
        con.close()
    print(f"Database {args.store}: versioni {versions[0]}-{versions[-1]}, {time.perf_counter() - start:.1f} s. Righe: {counts}.")
    return 0
