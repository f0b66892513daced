"""What the CLI commands share: opening the store (pipeline.opening) and saying on stderr what happened
to it, and printing the problems of a checked file.

Readers (query, versions, check) open read-only, validate writes nothing at all, writers (build, import, rollback)
read-write; a store failure becomes the Italian message cli.main prints (store_errors.StoreError).
"""
from __future__ import annotations

import argparse
import sys

from cruscotto.ingest.reader import ReadError
from cruscotto.ingest.validate import ERRORE
from cruscotto.pipeline import opening


def reading(*, create: bool = True):
    return _told(opening.open_for_reading(create=create)).con


def writing(action: str = opening.OPENING):
    """`action` names what a failure stopped, e.g. «il caricamento»."""
    return _told(opening.open_for_writing(action=action)).con


def tell(notice: opening.Notice) -> None:
    print(f"{'Attenzione' if notice.level == 'warning' else 'Nota'}: {notice.text}", file=sys.stderr)


def _told(opened: opening.Opened) -> opening.Opened:
    for notice in opened.notices:
        tell(notice)
    return opened


def command(sub, name: str, run, **texts) -> argparse.ArgumentParser:
    """Register the command `name`, run by `run(args)` (its exit code), with its `help`, `description` (and any other
    argument of add_parser); the caller adds the command's arguments to the parser returned."""
    parser = sub.add_parser(name, **texts)
    parser.set_defaults(func=run)
    return parser


def add_ente_anno(parser, *, required: bool = False, ente: str, anno: str) -> None:
    """The options that name a chamber's report, --ente (as written in the tables) and --anno (the year of the
    report, a whole number); None when left out and not `required`. `ente` and `anno` are their help texts."""
    parser.add_argument("--ente", required=required, default=None, help=ente)
    parser.add_argument("--anno", required=required, default=None, type=int, help=anno)


def print_problems(problems) -> None:
    errors = [p for p in problems if p.severity == ERRORE]
    warnings = [p for p in problems if p.severity != ERRORE]
    for p in errors:
        print(f"ERRORE  {p}", file=sys.stderr)
    for p in warnings:
        print(f"avviso  {p}", file=sys.stderr)
    if errors:
        print(f"{len(errors)} errori, {len(warnings)} avvisi.", file=sys.stderr)


def import_and_report(action: str, write):
    """Open the store for writing, run `write(con)` (an import of the pipeline), print its problems; None when the
    file could not be read at all (said on stderr). `action` names what a failure stopped, e.g. «il caricamento»."""
    con = writing(action)
    try:
        result = write(con)
    except ReadError as exc:
        print(f"Errore: {exc}", file=sys.stderr)
        return None
    finally:
        con.close()
    print_problems(result.validated.problems)
    return result
