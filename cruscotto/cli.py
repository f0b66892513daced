"""Command line: `python -m cruscotto COMMAND`. Every command calls the same functions as the app."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from . import cli_store, cli_verifica, cli_versioni, export, fonte, opening, queries, store, synth, text
from .reader import ReadError, read_file
from .store_errors import StoreError, describe, message
from .validate import ERRORE

EPILOG = """esempi:
  python -m cruscotto build
  python -m cruscotto query trend_pratiche_evase --format table
  python -m cruscotto query indicator_scorecard --param area=2019_02 --format csv
  python -m cruscotto validate relazione_2020.xlsx
  python -m cruscotto import relazione_2020.xlsx
  python -m cruscotto check --gravita errore
  python -m cruscotto fonte relazione_2020.txt --ente "CCIAA di Cremona" --anno 2020
  python -m cruscotto versions
  python -m cruscotto rollback 3
  python -m cruscotto hash-password
  python -m cruscotto template modello.xlsx
  python -m cruscotto synth --enti 10 --anni 2015-2024 --store /tmp/synth.duckdb
Il database è data/cruscotto.duckdb, oppure il percorso nella variabile d'ambiente CRUSCOTTO_DB. Accanto stanno
l'archivio dei file caricati (cruscotto.archivio/) e il registro delle versioni (cruscotto.versioni.json): se il
database manca, viene ricostruito da questi (e lo si dice), oppure il comando si ferma e dice cosa fare; solo dove
non c'è traccia di un database precedente ne viene creato uno nuovo da data/, dicendo dove.
query, versions, check e validate aprono il database in sola lettura; validate non scrive nulla."""


def main(argv: list[str] | None = None) -> int:
    # Everything a command prints passes through text.terminal: no escape code from the data reaches the terminal.
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

    p = sub.add_parser("build", help="crea o aggiorna il database dai CSV di data/",
                       description="Se il database c'è, ricarica i CSV di data/ con la stessa validazione di un "
                       "caricamento (come nuova versione). Se manca, lo crea: dall'archivio dei caricamenti e dal "
                       "registro delle versioni, se ci sono (ricostruzione), altrimenti da data/.")
    p.add_argument("--data", default=str(store.DATA_DIR), help="cartella con i CSV (predefinita: data/)")
    p.add_argument("--nuovo", action="store_true",
                   help="il database manca ma ci sono l'archivio o il registro di uno precedente: ripartire di proposito "
                        "dai soli CSV, senza ricostruirlo (il registro precedente è conservato con un altro nome)")
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
    fonte.add_command(sub)
    return parser


def cmd_build(args) -> int:
    """data/ reloaded as a new version; a missing store is created instead (or rebuilt from its archive), and said."""
    path, folder = store.db_path(), Path(args.data)
    existed = path.exists() and not args.nuovo
    if args.nuovo:
        cli_store.tell(opening.Notice("info", opening.start_anew(path, folder)))
    elif not existed and folder.resolve() != store.DATA_DIR.resolve():
        if opening.recovery.evidence(path).store_existed:
            raise StoreError(f"Il database {path} non c'è, ma l'archivio o il registro delle versioni di uno precedente "
                             "sì: eseguire `python -m cruscotto build` senza --data per ricostruirlo, oppure "
                             "`build --nuovo` per ripartire di proposito da questa cartella.")
        cli_store.tell(opening.Notice("info", opening.create_new(path, folder)))
    # a store still missing here is created from data/ or rebuilt from its archive, and said on stderr
    con = cli_store.writing("l'aggiornamento del database")
    try:
        if not existed:
            print(f"Database {path} pronto: versione {store.data_version(con)}.")
            return 0
        result = store.import_directory(con, folder, utente="build")
    except ReadError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    _print_problems(result.validated.problems)
    if not result.ok:
        return 1
    print(f"Database {path} aggiornato: versione {result.version}.")
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
        export.neutralised(frame).to_csv(sys.stdout, index=False)  # no cell a spreadsheet would run as a formula
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
    con = cli_store.reading(create=False)  # writes nothing, not even a missing store
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
    con = cli_store.writing("il caricamento")
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
    return cli_store.reading()


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
