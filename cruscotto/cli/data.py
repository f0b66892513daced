"""CLI commands on the store as a whole: `build` (create or reload it from data/) and `query` (run a file of
queries/)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from cruscotto import paths, pipeline, store
from cruscotto.cli.common import command, import_and_report, reading, tell, writing
from cruscotto.pipeline import opening
from cruscotto.present import export
from cruscotto.store import queries
from cruscotto.store.errors import StoreError


def add_commands(sub) -> None:
    p = command(sub, "build", cmd_build, help="crea o aggiorna il database dai CSV di data/",
                description="Se il database c'è, ricarica i CSV di data/ con la stessa validazione di un "
                "caricamento (come nuova versione). Se manca, lo crea: dall'archivio dei caricamenti e dal "
                "registro delle versioni, se ci sono (ricostruzione), altrimenti da data/.")
    p.add_argument("--data", default=str(paths.DATA_DIR), help="cartella con i CSV (predefinita: data/)")
    p.add_argument("--nuovo", action="store_true",
                   help="il database manca ma ci sono l'archivio o il registro di uno precedente: ripartire di proposito "
                        "dai soli CSV, senza ricostruirlo (il registro precedente è conservato con un altro nome)")

    p = command(sub, "query", cmd_query, help="esegue queries/NOME.sql e stampa il risultato",
                description="Esegue una query di queries/ con i parametri indicati (sempre passati come parametri, mai nel testo SQL).")
    p.add_argument("name", nargs="?", help="nome della query (senza .sql); senza nome elenca le query disponibili")
    p.add_argument("--param", action="append", default=[], metavar="CHIAVE=VALORE", help="parametro della query, ripetibile")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="formato di uscita (predefinito: table)")


def cmd_build(args) -> int:
    """data/ reloaded as a new version; a missing store is created instead (or rebuilt from its archive), and said."""
    path, folder = store.db_path(), Path(args.data)
    if not store.target().local:  # a store elsewhere (MotherDuck) is never created or rebuilt here: data/ goes into it
        if args.nuovo:
            raise StoreError(f"--nuovo vale solo per un database locale, non per {path}: chi gestisce il servizio lo "
                             "svuota o lo ricrea.")
        existed = True
    else:
        existed = path.exists() and not args.nuovo
    if args.nuovo:
        tell(opening.Notice("info", opening.start_anew(path, folder)))
    elif not existed and folder.resolve() != paths.DATA_DIR.resolve():
        if opening.recovery.evidence(path).store_existed:
            raise StoreError(f"Il database {path} non c'è, ma l'archivio o il registro delle versioni di uno precedente "
                             "sì: eseguire `python -m cruscotto build` senza --data per ricostruirlo, oppure "
                             "`build --nuovo` per ripartire di proposito da questa cartella.")
        tell(opening.Notice("info", opening.create_new(path, folder)))
    # a store still missing here is created from data/ or rebuilt from its archive, and said on stderr
    if not existed:
        con = writing("l'aggiornamento del database")
        try:
            print(f"Database {path} pronto: versione {store.data_version(con)}.")
        finally:
            con.close()
        return 0
    result = import_and_report("l'aggiornamento del database",
                               lambda con: pipeline.import_directory(con, folder, utente="build"))
    if result is None or not result.ok:
        return 1
    print(f"Database {path} aggiornato: versione {result.version}.")
    return 0


def cmd_query(args) -> int:
    if not args.name:
        for name in queries.available():
            print(f"{name:40} {queries.load(name).purpose}")
        return 0
    try:
        params = dict(split_param(p) for p in args.param)
        con = reading()
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


def split_param(text: str) -> tuple[str, str]:
    if "=" not in text:
        raise queries.QueryError(f"parametro '{text}' non valido: scrivere CHIAVE=VALORE")
    key, value = text.split("=", 1)
    return key.strip(), value
