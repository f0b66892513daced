"""Command line: `python -m cruscotto COMMAND`. Every command calls the same functions as the app.

Each module of this package registers its commands (`add_commands(sub)`), in the order of COMMANDS; everything a
command prints passes through present.text.terminal, and a failing store is said in Italian, never as a traceback.
"""
from __future__ import annotations

import argparse
import sys

import duckdb

from cruscotto import store
from cruscotto.cli import data, fonte, relazione, synth, upload, verifica, versioni
from cruscotto.present import text
from cruscotto.store.errors import StoreError, describe, message

COMMANDS = (data, upload, verifica, relazione, fonte, versioni, synth)  # the order of --help

EPILOG = """esempi:
  python -m cruscotto build
  python -m cruscotto query andamento_pratiche_evase --format table
  python -m cruscotto query scheda_indicatori --param area=2019_02 --format csv
  python -m cruscotto validate relazione_2020.xlsx
  python -m cruscotto import relazione_2020.xlsx
  python -m cruscotto check --gravita errore
  python -m cruscotto relazione --ente "CCIAA di Cremona" --anno 2019 --formato pdf
  python -m cruscotto fonte relazione_2020.txt --ente "CCIAA di Cremona" --anno 2020
  python -m cruscotto versions
  python -m cruscotto rollback 3
  python -m cruscotto hash-password
  python -m cruscotto template modello.xlsx
  python -m cruscotto template piano_2020.xlsx --ente "CCIAA di Cremona" --anno 2019 --anno-nuovo 2020
  python -m cruscotto annota 2019_02_01-I1 --ente "CCIAA di Cremona" --anno 2019 --tipo motivazione --testo "..."
  python -m cruscotto synth --enti 10 --anni 2015-2024 --store /tmp/synth.duckdb
Il database è data/cruscotto.duckdb, oppure il percorso nella variabile d'ambiente CRUSCOTTO_DB. Accanto stanno
l'archivio dei file caricati (cruscotto.archivio/) e il registro delle versioni (cruscotto.versioni.json): se il
database manca, viene ricostruito da questi (e lo si dice), oppure il comando si ferma e dice cosa fare; solo dove
non c'è traccia di un database precedente ne viene creato uno nuovo da data/, dicendo dove.
query, versions, check e validate aprono il database in sola lettura; validate non scrive nulla."""


def main(argv: list[str] | None = None) -> int:
    with text.clean_output():
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        try:
            return args.func(args)
        except StoreError as exc:  # locked, corrupt, read-only, full, missing and not rebuildable: said in Italian
            print(f"Errore: {exc}", file=sys.stderr)
            return 1
        except duckdb.Error as exc:  # e.g. a damaged block met by a query: never a traceback
            print(f"Errore: {describe(exc, store.db_path()) or message('altro', store.db_path(), exc=exc)}", file=sys.stderr)
            return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cruscotto",
        description="Cruscotto Performance: carica, controlla e interroga i dati della relazione sulla performance.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(title="comandi", metavar="COMANDO")

    for module in COMMANDS:
        module.add_commands(sub)
    return parser
