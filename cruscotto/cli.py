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
  python -m cruscotto relazione --ente "CCIAA di Cremona" --anno 2019 --formato pdf
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
                       "sostituisce le tabelle presenti nel file e lascia come sono quelle assenti.")
    p.add_argument("file", help="file .xlsx o .csv, oppure una cartella di CSV")
    p.add_argument("--utente", default=None, help="chi esegue il caricamento (registrato nelle versioni)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("relazione", help="la Relazione (PDF o HTML) di un ente e anno, per la Giunta e l'OIV",
                       description="Scrive la Relazione di un ente e anno (o di un'area strategica): copertina, indice, "
                       "sintesi, aree → obiettivi → indicatori, andamenti e Allegato OIV con i rilievi della verifica. "
                       "PDF A4 accessibile (WeasyPrint) o un unico file HTML senza collegamenti esterni.")
    p.add_argument("--ente", default=None, help="l'ente (predefinito: quello dell'installazione)")
    p.add_argument("--anno", type=int, default=None, help="l'anno della relazione (predefinito: l'ultimo dell'ente)")
    p.add_argument("--area", default=None, help="solo quest'area strategica, col suo codice (es. 2019_02)")
    p.add_argument("--formato", choices=("pdf", "html"), default="pdf", help="pdf (predefinito) o html")
    p.add_argument("--out", default=None, metavar="FILE",
                   help="file da scrivere (predefinito: Relazione_<ente>_<anno>_<data>.<formato> nella cartella corrente)")
    p.set_defaults(func=cmd_relazione)

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
        result = store.import_path(con, args.file, utente=args.utente)
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
    return 0


def cmd_relazione(args) -> int:
    """The same document as the page «Relazione», from the store opened read-only when it can be."""
    import duckdb

    from . import relazione

    if args.formato == "pdf" and (why := relazione.missing_renderers().get("pdf")):
        print(f"Errore: {why} Oppure: --formato html.", file=sys.stderr)
        return 1
    relazione.figures.warm_up()  # Chromium starts while the store opens
    try:
        con = _open_store_for_reading()
    except duckdb.IOException as exc:
        print(f"Errore: il database {store.db_path()} non si può aprire ({exc}). Se l'app è aperta, usare la pagina "
              "«Relazione» oppure fermare l'app.", file=sys.stderr)
        return 1
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


def _open_store_for_reading():
    """Read-only when the store exists and holds data (no lock on the file for writing); else built as usual."""
    path = store.db_path()
    if path.exists():
        con = store.connect(path, read_only=True)
        try:
            if not store.is_empty(con):
                return con
        except Exception:  # a store from before the schema: open it for writing below, which completes it
            pass
        con.close()
    return _open_store()


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
