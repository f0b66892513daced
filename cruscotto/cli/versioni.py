"""CLI commands of the upload flow: `versions`, `rollback VERSION`, `hash-password`, `template`.

Registered by cli.py; they call the same functions as the page «Carica dati» (versions.py, auth.py, template.py).
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from cruscotto import auth
from cruscotto.cli import common as cli_store
from cruscotto.cli.common import add_ente_anno, command
from cruscotto.ingest import template
from cruscotto.store import versions


def add_commands(sub) -> None:
    p = command(sub, "versions", cmd_versions, help="elenca le versioni dei dati (caricamenti e ripristini)",
                description="Elenca le versioni registrate, dalla più recente: data, operazione, utente, file, anni, righe.")

    p = command(sub, "rollback", cmd_rollback, help="ripristina i dati di una versione precedente (come nuova versione)",
                description="Ripristina lo stato di VERSIONE in un'unica transazione e lo registra come nuova versione: "
                            "nulla si perde, anche il ripristino si può annullare.")
    p.add_argument("version", type=int, metavar="VERSIONE", help="numero della versione da ripristinare (vedi: versions)")
    p.add_argument("--utente", default=None, help="chi esegue il ripristino (registrato nelle versioni)")

    p = command(sub, "hash-password", cmd_hash_password, help="crea l'hash della password di editor",
                description="Chiede la password (due volte) e stampa l'hash scrypt da mettere in .streamlit/secrets.toml "
                            f"come {auth.SECRETS_KEY} = \"...\" oppure nella variabile d'ambiente {auth.ENV_VAR}. "
                            f"La password deve avere almeno {auth.MIN_PASSWORD_LENGTH} caratteri, non solo spazi "
                            "e non un solo carattere ripetuto.")
    p.add_argument("--stdin", action="store_true", help="legge la password dalla prima riga dello standard input (per gli script)")

    p = command(sub, "template", cmd_template, help="scrive il modello .xlsx per il caricamento, vuoto o compilato con i dati attuali",
                description="Scrive il modello generato dallo schema: istruzioni, un foglio per tabella, elenchi a "
                            "discesa. Con --ente e --anno il modello è compilato con i dati di quell'ente e anno "
                            "(ricaricato senza modifiche non cambia nulla); con --anno-nuovo quei dati sono "
                            "spostati al nuovo anno come punto di partenza del nuovo piano: codici e anno "
                            "rinominati, valori raggiunti ed esiti vuoti, valori attesi e serie storiche tenuti.")
    p.add_argument("output", nargs="?", default="modello_cruscotto.xlsx", help="file da scrivere (predefinito: modello_cruscotto.xlsx)")
    add_ente_anno(p, ente="compila il modello con i dati di questo ente (con --anno)",
                  anno="anno della relazione da cui compilare il modello (con --ente)")
    p.add_argument("--anno-nuovo", type=int, default=None, metavar="N",
                   help="sposta i dati compilati all'anno N (codici e anno rinominati, risultati vuoti)")


def cmd_versions(args) -> int:
    con = cli_store.reading()
    try:
        frame = versions.versions_frame(con)
    finally:
        con.close()
    if frame.empty:
        print("(nessuna versione)")
        return 0
    print(frame.drop(columns=["sha256"]).to_string(index=False))
    return 0


def cmd_rollback(args) -> int:
    con = cli_store.writing("il ripristino")
    try:
        new = versions.rollback(con, args.version, utente=args.utente)
    except versions.VersionError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    print(f"Ripristinata la versione {args.version}: ora è la versione {new}.")
    return 0


def cmd_hash_password(args) -> int:
    if args.stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password di editor: ")
        if getpass.getpass("Ripetere la password: ") != password:
            print("Errore: le due password non coincidono.", file=sys.stderr)
            return 1
    try:
        stored = auth.hash_password(password)
    except auth.WeakPasswordError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return 1
    print(stored)
    print(f"Mettere la riga in .streamlit/secrets.toml come {auth.SECRETS_KEY} = \"...\" "
          f"oppure nella variabile d'ambiente {auth.ENV_VAR}.", file=sys.stderr)
    return 0


def cmd_template(args) -> int:
    if args.ente is None and args.anno is None and args.anno_nuovo is None:
        Path(args.output).write_bytes(template.build_template())
        print(f"Modello scritto in {args.output}.")
        return 0
    if args.ente is None or args.anno is None:
        print("Errore: per il modello compilato servono sia --ente sia --anno (l'anno della relazione).", file=sys.stderr)
        return 1
    if args.anno_nuovo is not None and args.anno_nuovo == args.anno:
        print(f"Errore: --anno-nuovo {args.anno_nuovo} è lo stesso anno di --anno: per il modello compilato dello stesso "
              "anno basta togliere --anno-nuovo.", file=sys.stderr)
        return 1
    con = cli_store.reading()
    try:
        periods = set(template.periods(con))
        if (args.ente, args.anno) not in periods:
            known = "; ".join(f"{e} {a}" for e, a in sorted(periods)) or "nessuno"
            print(f"Errore: nel database non ci sono dati di «{args.ente}» per il {args.anno}. Enti e anni presenti: "
                  f"{known}.", file=sys.stderr)
            return 1
        data = template.current_workbook(con, args.ente, args.anno, args.anno_nuovo)
        taken = args.anno_nuovo is not None and (args.ente, args.anno_nuovo) in periods
    finally:
        con.close()
    Path(args.output).write_bytes(data)
    moved = f", spostati al {args.anno_nuovo}" if args.anno_nuovo is not None else ""
    print(f"Modello compilato con i dati di {args.ente} per il {args.anno}{moved} scritto in {args.output}.")
    if taken:
        print(f"Attenzione: il database ha già dati di {args.ente} per il {args.anno_nuovo}: caricando questo file "
              "sarebbero sostituiti (l'anteprima mostra le differenze).", file=sys.stderr)
    return 0
