"""Command line: `python -m cruscotto COMMAND`. Every command calls the same functions as the app."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import cli_verifica, cli_versioni, queries, store, synth
from .reader import ReadError, read_file
from .validate import ERRORE

EPILOG = """esempi:
  python -m cruscotto build
  python -m cruscotto query trend_pratiche_evase --format table
  python -m cruscotto query indicator_scorecard --param area=2019_02 --format csv
  python -m cruscotto validate relazione_2020.xlsx
  python -m cruscotto import relazione_2020.xlsx
  python -m cruscotto check --gravita errore
  python -m cruscotto versions
  python -m cruscotto rollback 3
  python -m cruscotto hash-password
  python -m cruscotto template modello.xlsx
  python -m cruscotto synth --enti 10 --anni 2015-2024 --store /tmp/synth.duckdb
Il database è data/cruscotto.duckdb, oppure il percorso nella variabile d'ambiente CRUSCOTTO_DB."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    return args.func(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cruscotto",
        description="Cruscotto Performance: carica, controlla e interroga i dati della relazione sulla performance.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(title="comandi", metavar="COMANDO")

    p = sub.add_parser("build", help="crea o aggiorna il database dai CSV di data/",
                       description="Crea il database se manca e (ri)carica i CSV di data/ con la stessa validazione di un caricamento.")
    p.add_argument("--data", default=str(store.DATA_DIR), help="cartella con i CSV (predefinita: data/)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="esegue queries/NOME.sql e stampa il risultato",
                       description="Esegue una query di queries/ con i parametri indicati (sempre passati come parametri, mai nel testo SQL).")
    p.add_argument("name", nargs="?", help="nome della query (senza .sql); senza nome elenca le query disponibili")
    p.add_argument("--param", action="append", default=[], metavar="CHIAVE=VALORE", help="parametro della query, ripetibile")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="formato di uscita (predefinito: table)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("validate", help="controlla un file .xlsx o .csv senza scrivere nulla",
                       description="Legge e controlla un file come la pagina «Carica dati» (le tabelle assenti dal file "
                       "restano quelle del database); stampa tutti i problemi, o l'anteprima delle modifiche, ed esce "
                       "con 1 se ci sono errori. Non scrive nulla.")
    p.add_argument("file", help="file .xlsx (un foglio per tabella) o .csv (una tabella, col nome del file)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("import", help="controlla un file e, se non ha errori, lo carica nel database",
                       description="Controlla il file e lo carica in un'unica transazione: per gli anni (per ente) che contiene, "
                       "sostituisce le tabelle presenti nel file e lascia come sono quelle assenti. Un foglio con la sola "
                       "intestazione svuoterebbe la sua tabella per quegli anni: il file è rifiutato, salvo con "
                       "--sostituisci-tabelle-vuote.")
    p.add_argument("file", help="file .xlsx o .csv, oppure una cartella di CSV")
    p.add_argument("--utente", default=None, help="chi esegue il caricamento (registrato nelle versioni)")
    p.add_argument("--sostituisci-tabelle-vuote", action="store_true",
                   help="conferma di svuotare le tabelle i cui fogli hanno solo l'intestazione (le loro righe già caricate "
                   "per gli stessi anni sono cancellate); senza, un file così è rifiutato")
    p.set_defaults(func=cmd_import)

    synth.add_command(sub)
    cli_versioni.add_commands(sub)
    cli_verifica.add_command(sub)
    return parser


def cmd_build(args) -> int:
    result = store.build(folder=args.data)
    _print_problems(result.validated.problems)
    if not result.ok:
        return 1
    print(f"Database {store.db_path()} aggiornato: versione {result.version}.")
    return 0


def cmd_query(args) -> int:
    if not args.name:
        for name in queries.available():
            print(f"{name:40} {queries.load(name).purpose}")
        return 0
    try:
        params = dict(_split_param(p) for p in args.param)
        con = _open_store()
        frame = queries.run(con, args.name, params)
    except queries.QueryError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 2
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif args.format == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records", force_ascii=False)), ensure_ascii=False, indent=2))
    else:
        print(frame.to_string(index=False, float_format=lambda v: f"{v:.2f}") if len(frame) else "(nessuna riga)")
    return 0


def cmd_validate(args) -> int:
    """As the page «Carica dati» before confirming: the checks against the current store, then the preview."""
    from . import upload

    path = Path(args.file)
    if not path.is_file():
        print(f"Errore: il file {path} non esiste.", file=sys.stderr)
        return 1
    con = _open_store()
    try:
        checked = upload.check(con, path.read_bytes(), path.name)
    finally:
        con.close()
    if checked.error:
        print(f"Errore: {checked.error}", file=sys.stderr)
        return 1
    _print_problems(checked.validated.problems)
    if not checked.ok:
        return 1
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in checked.validated.tables.items())
    print(f"Nessun errore. Righe per tabella: {counts}.")
    print(f"Anteprima (anni {checked.preview.partitions}):")
    for table in checked.preview.tables:
        print(f"  {table.summary()}")
    for note in checked.notes:
        print(f"  {note}")
    return 0


def cmd_import(args) -> int:
    if not Path(args.file).exists():
        print(f"Errore: il file {args.file} non esiste.", file=sys.stderr)
        return 1
    con = store.connect()
    try:
        result = store.import_path(con, args.file, utente=args.utente, svuota_tabelle_vuote=args.sostituisci_tabelle_vuote)
    except ReadError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    _print_problems(result.validated.problems)
    if not result.ok:
        print("Caricamento rifiutato: il database non è stato modificato.", file=sys.stderr)
        return 1
    print(f"Caricato {args.file}: versione {result.version}, anni {result.validated.partitions()}.")
    for name, rows in result.validated.emptied.items():
        print(f"Tabella {name} svuotata come richiesto: {rows} righe cancellate per quegli anni.")
    return 0


def _open_store():
    con = store.connect()
    store.ensure_built(con)
    return con


def _split_param(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise queries.QueryError(f"parametro '{text}' non valido: scrivere CHIAVE=VALORE")
    key, value = text.split("=", 1)
    return key.strip(), value


def _print_problems(problems) -> None:
    errors = [p for p in problems if p.severity == ERRORE]
    warnings = [p for p in problems if p.severity != ERRORE]
    for p in errors:
        print(f"ERRORE  {p}", file=sys.stderr)
    for p in warnings:
        print(f"avviso  {p}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} errori, {len(warnings)} avvisi.", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
