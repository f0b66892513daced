"""CLI commands of the import pipeline: `validate` (check a file, write nothing), `import` (check it and write it in
one transaction), as the page «Carica dati», and `annota` (one motivazione, OIV note or comment, as the form of the
page «Indicatori»)."""
from __future__ import annotations

import sys
from pathlib import Path

from cruscotto import pipeline
from cruscotto.cli.common import add_ente_anno, command, import_and_report, print_problems, reading, writing
from cruscotto.store.schema import TIPI_ANNOTAZIONE

NO_CHANGES = "Nessuna modifica: il file contiene esattamente i dati attuali."


def add_commands(sub) -> None:
    p = command(sub, "validate", cmd_validate, help="controlla un file .xlsx o .csv senza scrivere nulla",
                description="Legge e controlla un file come la pagina «Carica dati» (le tabelle assenti dal file "
                "restano quelle del database); stampa tutti i problemi, o l'anteprima delle modifiche, ed esce "
                "con 1 se ci sono errori. Non scrive nulla.")
    p.add_argument("file", help="file .xlsx (un foglio per tabella) o .csv (una tabella, col nome del file)")

    p = command(sub, "import", cmd_import, help="controlla un file e, se non ha errori, lo carica nel database",
                description="Controlla il file e lo carica in un'unica transazione: per gli anni (per ente) che contiene, "
                "sostituisce le tabelle presenti nel file e lascia come sono quelle assenti. Un foglio con la sola "
                "intestazione svuoterebbe la sua tabella per quegli anni: il file è rifiutato, salvo con "
                "--sostituisci-tabelle-vuote.")
    p.add_argument("file", help="file .xlsx o .csv, oppure una cartella di CSV")
    p.add_argument("--utente", default=None, help="chi esegue il caricamento (registrato nelle versioni)")
    p.add_argument("--sostituisci-tabelle-vuote", action="store_true",
                   help="conferma di svuotare le tabelle i cui fogli hanno solo l'intestazione (le loro righe già caricate "
                   "per gli stessi anni sono cancellate); senza, un file così è rifiutato")
    _add_annota(sub)


def _add_annota(sub) -> None:
    p = command(sub, "annota", cmd_annota, help="registra la motivazione, la nota dell'OIV o un commento di un indicatore",
                description="Scrive il testo di un indicatore come nuova versione, con lo stesso percorso del "
                "modulo della pagina «Indicatori» e del foglio annotazioni: un testo per tipo e indicatore (un "
                "testo nuovo sostituisce il precedente, che resta nelle versioni), firmato con --utente e l'ora.")
    p.add_argument("indicatore", help="codice dell'indicatore (es. 2019_02_01-I1)")
    add_ente_anno(p, required=True, ente="l'ente dell'indicatore", anno="l'anno della relazione")
    p.add_argument("--tipo", required=True, choices=TIPI_ANNOTAZIONE,
                   help="motivazione (dello scostamento), nota OIV oppure commento")
    p.add_argument("--testo", required=True, help="il testo")
    p.add_argument("--utente", default=None, help="chi scrive il testo (registrato nel testo e nelle versioni)")


def cmd_annota(args) -> int:
    con = writing("la scrittura del testo")
    try:
        result = pipeline.annotate(con, args.ente, args.anno, args.indicatore, args.tipo, args.testo, utente=args.utente)
    finally:
        con.close()
    if not result.ok:
        for problem in result.validated.errors:
            print(f"Errore: {problem.message}", file=sys.stderr)
        print("Testo non registrato: il database non è stato modificato.", file=sys.stderr)
        return 1
    if result.unchanged:
        print(f"Il testo ({args.tipo}) di {args.indicatore} è già questo: nessuna nuova versione.")
    else:
        print(f"Registrato il testo ({args.tipo}) di {args.indicatore}: versione {result.version}.")
    return 0


def cmd_validate(args) -> int:
    """As the page «Carica dati» before confirming: the checks against the current store, then the preview."""
    path = Path(args.file)
    if not path.is_file():
        print(f"Errore: il file {path} non esiste.", file=sys.stderr)
        return 1
    con = reading(create=False)  # writes nothing, not even a missing store
    try:
        checked = pipeline.check(con, path.read_bytes(), path.name)
    finally:
        con.close()
    if checked.error:
        print(f"Errore: {checked.error}", file=sys.stderr)
        return 1
    print_problems(checked.validated.problems)
    if not checked.ok:
        return 1
    counts = ", ".join(f"{name} {len(frame)}" for name, frame in checked.validated.tables.items())
    print(f"Nessun errore. Righe per tabella: {counts}.")
    print(f"Anteprima (anni {checked.preview.partitions}):")
    for table in checked.preview.tables:
        print(f"  {table.summary()}")
    if checked.preview.empty:
        print(NO_CHANGES)
    for note in checked.notes:
        print(f"  {note}")
    return 0


def cmd_import(args) -> int:
    if not Path(args.file).exists():
        print(f"Errore: il file {args.file} non esiste.", file=sys.stderr)
        return 1
    if Path(args.file).suffix.lower() not in ("", ".csv", ".txt"):  # a workbook: read in the sandbox, started meanwhile
        pipeline.prepare_reading()
    result = import_and_report("il caricamento", lambda con: pipeline.import_path(
        con, args.file, utente=args.utente, svuota_tabelle_vuote=args.sostituisci_tabelle_vuote))
    if result is None:
        return 1
    if not result.ok:
        print("Caricamento rifiutato: il database non è stato modificato.", file=sys.stderr)
        return 1
    if result.unchanged:
        print(f"{NO_CHANGES} Nessuna nuova versione.")
        return 0
    print(f"Caricato {args.file}: versione {result.version}, anni {result.validated.partitions()}.")
    for name, rows in result.validated.emptied.items():
        print(f"Tabella {name} svuotata come richiesto: {rows} righe cancellate per quegli anni.")
    return 0
