"""The upload template: an .xlsx generated from `schema.TABLES`, so it cannot drift from what the validator expects.

Sheets: "istruzioni" (how to fill it in and every column of every table explained in Italian), one sheet per table
(header, one example row, drop-down lists for the closed vocabularies, text format for text columns so that codes
such as '011' keep their zeros), and "elenchi" (the lists the drop-downs use). The validator ignores "istruzioni"
and "elenchi".

The same workbook can come filled with the data of one chamber and year (`filled_tables`, issue 16): uploaded back
unchanged it changes nothing; moved to a new year (`moved_to_year`) it is next year's plan to edit, with the codes and
the year renamed, the year's results emptied and the targets, methods, rules and series kept.
"""
from __future__ import annotations

import io
import math
import numbers
import re

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from cruscotto.ingest.parsing import parse_number
from cruscotto.ingest.validate import EXAMPLE_MARK
from cruscotto.store.schema import ANNO_MAX, ANNO_MIN, REQUIRED_TABLES, TABLES, Table

KIND_LABEL = {"text": "testo", "int": "numero intero", "float": "numero (virgola per i decimali)", "year": f"anno ({ANNO_MIN}-{ANNO_MAX})"}
DATA_ROWS = 5000  # rows the drop-downs and formats cover


def vocabularies() -> dict[tuple[str, ...], str]:
    """Each distinct closed vocabulary -> the header of its column in the 'elenchi' sheet."""
    out: dict[tuple[str, ...], str] = {}
    for table in TABLES:
        for column in table.columns:
            if column.choices and column.choices not in out:
                out[column.choices] = column.name
    return out


def instructions_rows() -> list[list[str]]:
    rows = []
    for table in TABLES:
        for column in table.columns:
            key = " (parte della chiave)" if column.name in table.key else ""
            rows.append([
                table.name, column.name, "sì" if column.required else "no", KIND_LABEL[column.kind],
                ", ".join(column.choices), column.help + key, column.example,
            ])
    return rows


# ------------------------------------------------------------------ the workbook filled with stored data

def filled_tables(con, ente: str, anno: int) -> dict[str, pd.DataFrame]:
    """Every table's stored rows for one chamber and year, as the upload sheets hold them (no derived columns)."""
    from cruscotto.store import stored_rows  # the store reads; this module only writes workbooks

    rows = stored_rows(con)
    return {t.name: rows(t, [(ente, int(anno))]).reindex(columns=t.column_names) for t in TABLES}


# Codes that embed the report's year (2019_01_02-I1) and the columns that hold or point at one
CODE_COLUMNS = ("codice", "codice_documento", "codice_padre", "codice_obiettivo", "codice_indicatore", "riferimento")
# What belongs to the year that ended and not to the next one's plan: results, the document's lines and notes
YEAR_RESULTS = {
    "aree": ("riga_fonte", "note"),
    "obiettivi": ("risultato", "riga_fonte", "note"),
    "indicatori": ("valore_raggiunto", "esito_dichiarato", "risultato", "note", "riga_fonte", "riga_va", "riga_vr"),
    "serie_storiche": ("riga_fonte",),
    "metodi_calcolo": ("dichiarato", "riga_fonte", "note"),
}
# Tables of the year's document and results, left with their header only: cifre chiave, the text of the report, the
# codes it prints twice, the motivazioni and notes written about the year
NOT_CARRIED = ("cifre_chiave", "fonte_righe", "codici_ripetuti", "annotazioni")


def moved_to_year(tables: dict[str, pd.DataFrame], old: int, new: int) -> dict[str, pd.DataFrame]:
    """The tables of year `old` as the starting point of year `new`.

    - `anno` becomes `new` everywhere, and every code that starts with the old year (2019_01_02-I1) starts with the
      new one (2020_01_02-I1), in the codes and in every column that points at one, so the references still hold;
    - valori raggiunti, esiti, results, notes and the lines of the old document are emptied; the targets stay;
    - the historical series are carried over (the new year's values are to be added), and so are the rules, the
      public references and the methods of the indicators (`oggetto` = 'valore raggiunto'; the percentages quoted in
      the old narrative go, and a method's year that was the old report year becomes the new report year);
    - cifre chiave, the text of the document, the codes printed twice and the annotations start empty.
    """
    year = re.compile(rf"^{int(old)}(?=[_\-]|$)")
    out = {}
    for name, frame in tables.items():
        frame = frame.copy()
        if name in NOT_CARRIED:
            frame = frame.iloc[0:0]
        frame["anno"] = int(new)
        for column in CODE_COLUMNS:
            if column in frame.columns:
                frame[column] = [year.sub(str(int(new)), v) if isinstance(v, str) else v for v in frame[column]]
        for column in YEAR_RESULTS.get(name, ()):
            frame[column] = None
        if name == "metodi_calcolo":
            frame = frame[frame["oggetto"] == "valore raggiunto"].copy()
            frame["anno_valore"] = [None if v is not None and v == v and int(v) == int(old) else v
                                    for v in frame["anno_valore"]]
        out[name] = frame.reset_index(drop=True)
    return out


def periods(con) -> list[tuple[str, int]]:
    """The (ente, anno) pairs the store holds, the installation's chamber and the latest years first: what a filled
    template can be made of."""
    from cruscotto.store import queries

    found = queries.run(con, "scelte_periodi")
    return [(e, int(a)) for e, a in zip(found["ente"], found["anno"])]


def current_workbook(con, ente: str, anno: int, anno_nuovo: int | None = None) -> bytes:
    """«Scarica i dati attuali come modello compilato»: the template filled with the stored data of `ente` and
    `anno`, or (with `anno_nuovo`) those data moved to the new year, with what was done said in «istruzioni»."""
    tables = filled_tables(con, ente, anno)
    heading = [f"Compilato con i dati di {ente} per il {int(anno)} come sono nel cruscotto: caricato di nuovo senza "
               "modifiche non cambia nulla (l'anteprima dice «nessuna modifica»); cambiando dei valori, l'anteprima "
               "mostra le differenze prima di scrivere."]
    if anno_nuovo is not None:
        tables = moved_to_year(tables, anno, anno_nuovo)
        heading = [
            f"Dati di {ente} del {int(anno)} spostati al {int(anno_nuovo)}, come punto di partenza del nuovo piano: "
            f"anno {int(anno_nuovo)} su ogni riga e codici che cominciano con {int(anno)} rinominati con {int(anno_nuovo)} "
            f"(per esempio {int(anno)}_01_02-I1 → {int(anno_nuovo)}_01_02-I1), anche dove un foglio li richiama.",
            "Valori attesi, indicatori, obiettivi, aree, regole, metodi di calcolo e riferimenti restano da rivedere; "
            "valori raggiunti, esiti, relazioni sui risultati, note e righe del documento sono vuoti; le serie storiche "
            f"restano (aggiungere i valori del {int(anno_nuovo)}); cifre chiave, testo della relazione, codici ripetuti "
            "e annotazioni partono vuoti.",
        ]
    return build_template(tables, heading)


def build_template(tables: dict[str, pd.DataFrame] | None = None, heading: list[str] | None = None) -> bytes:
    """The empty template (one example row per sheet) or, with `tables`, the template holding those rows, with
    `heading` (Italian lines saying what the workbook holds) at the top of «istruzioni»."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    header_required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    header_optional = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text_cell = book.add_format({"num_format": "@"})
    example = {
        "text": book.add_format({"italic": True, "font_color": "#7F7F7F", "num_format": "@"}),
        "number": book.add_format({"italic": True, "font_color": "#7F7F7F"}),
    }

    # -------------------------------------------------------------- istruzioni
    sheet = book.add_worksheet("istruzioni")
    sheet.set_column(0, 1, 24)
    sheet.set_column(2, 2, 12)
    sheet.set_column(3, 3, 26)
    sheet.set_column(4, 4, 40)
    sheet.set_column(5, 5, 80, wrap)
    sheet.set_column(6, 6, 30)
    lines = [
        ("Modello per caricare i dati della relazione sulla performance", title),
        ("Un foglio per tabella: " + ", ".join(t.name for t in TABLES) + ". Obbligatori: " + ", ".join(REQUIRED_TABLES) + ".", None),
        ("La prima riga di ogni foglio contiene i nomi delle colonne: non cambiarli. Le colonne arancioni sono obbligatorie, le azzurre facoltative.", None),
        ("La riga in grigio corsivo è un esempio (il suo ente comincia con «(esempio)»): sostituirla con i propri dati o cancellarla; se resta, il caricamento la segnala come errore.", None),
        ("Per gli anni (per ente) che il file contiene, ogni foglio presente sostituisce la sua tabella; i fogli assenti lasciano "
         "la tabella com'è (un foglio solo basta per una correzione). Un anno nuovo richiede almeno aree, obiettivi e indicatori; gli altri anni restano come sono. "
         "Prima di scrivere, la pagina «Carica dati» mostra un'anteprima di righe aggiunte, modificate e rimosse.", None),
        ("Scrivere valori, non formule; non unire celle. Numeri all'italiana: 1.234,56 e 89,14%. Le colonne con un elenco a discesa accettano solo quei valori.", None),
        ("I fogli 'istruzioni' ed 'elenchi' sono ignorati al caricamento.", None),
    ]
    if tables is not None:  # no example row to replace
        lines = [line for line in lines if not line[0].startswith("La riga in grigio corsivo")]
    lines[1:1] = [(line, bold) for line in heading or []]
    for row, (text, fmt) in enumerate(lines):
        sheet.write_string(row, 0, text, fmt) if fmt else sheet.write_string(row, 0, text)
    start = len(lines) + 1
    headers = ["Foglio", "Colonna", "Obbligatoria", "Tipo", "Valori ammessi", "Descrizione", "Esempio"]
    for col, text in enumerate(headers):
        sheet.write_string(start, col, text, bold)
    for offset, values in enumerate(instructions_rows(), start=1):
        for col, text in enumerate(values):
            sheet.write_string(start + offset, col, text)
    sheet.freeze_panes(start + 1, 0)

    # -------------------------------------------------------------- elenchi (the drop-down sources)
    lists = book.add_worksheet("elenchi")
    ranges: dict[tuple[str, ...], str] = {}
    for col, (choices, name) in enumerate(vocabularies().items()):
        lists.write_string(0, col, name, bold)
        for row, value in enumerate(choices, start=1):
            lists.write_string(row, col, value)
        letter = xl_col_to_name(col)
        ranges[choices] = f"=elenchi!${letter}$2:${letter}${len(choices) + 1}"
        lists.set_column(col, col, max(14, max(len(v) for v in choices) + 2))

    # -------------------------------------------------------------- one sheet per table
    for table in TABLES:
        rows = None if tables is None else tables.get(table.name, pd.DataFrame(columns=table.column_names))
        _table_sheet(book, table, ranges, header_required, header_optional, text_cell, example, rows)

    book.worksheets_objs.sort(key=lambda s: 0 if s.name == "istruzioni" else 2 if s.name == "elenchi" else 1)
    book.get_worksheet_by_name("istruzioni").activate()
    book.close()
    return buffer.getvalue()


def _table_sheet(book, table: Table, ranges, header_required, header_optional, text_cell, example,
                 rows: pd.DataFrame | None = None) -> None:
    """One sheet: header, then `rows` (the stored data) or, for the empty template, one example row."""
    sheet = book.add_worksheet(table.name)
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.name, header_required if column.required else header_optional)
        sheet.write_comment(0, col, _comment(column), {"x_scale": 2.5, "y_scale": 1.5})
        width = max(12, min(45, len(column.name) + 4, len(column.example) + 4 if column.example else 99))
        sheet.set_column(col, col, max(width, len(column.name) + 3), text_cell if column.kind == "text" else None)
        if rows is not None:
            _write_values(sheet, col, column, rows[column.name] if column.name in rows.columns else [])
        elif column.name == "ente":  # marked, so that an example row left in place is recognised (validate.py)
            sheet.write_string(1, col, EXAMPLE_MARK + column.example, example["text"])
        elif column.example and column.kind == "text":
            sheet.write_string(1, col, column.example, example["text"])
        elif column.example:
            sheet.write_number(1, col, parse_number(column.example, ","), example["number"])
        if column.choices:
            sheet.data_validation(1, col, DATA_ROWS, col, {
                "validate": "list", "source": ranges[column.choices], "ignore_blank": True,
                "input_title": column.name[:32], "input_message": "Scegliere dall'elenco."[:255],
                "error_title": "Valore non ammesso", "error_type": "stop",
                "error_message": ("Valori ammessi: " + ", ".join(column.choices))[:255],
            })
        elif column.kind == "year":
            sheet.data_validation(1, col, DATA_ROWS, col, {
                "validate": "integer", "criteria": "between", "minimum": ANNO_MIN, "maximum": ANNO_MAX,
                "error_title": "Anno non valido", "error_message": f"Scrivere un anno a quattro cifre tra {ANNO_MIN} e {ANNO_MAX}.",
            })
    sheet.freeze_panes(1, 0)


def _write_values(sheet, col: int, column, values) -> None:
    """A column of stored values: numbers as numbers, everything else as text (a code such as '011' or a text that
    starts with '=' stays exactly as stored), empty cells for missing values. A number that is not finite (stored
    before validation refused such values) is written as its text, which a new upload refuses naming the cell."""
    for row, value in enumerate(values, start=1):
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            continue
        if column.kind != "text" and isinstance(value, numbers.Number) and math.isfinite(value):
            sheet.write_number(row, col, float(value))
        else:
            sheet.write_string(row, col, str(value))


def _comment(column) -> str:
    parts = [column.help, "Obbligatoria." if column.required else "Facoltativa.", f"Tipo: {KIND_LABEL[column.kind]}."]
    if column.choices:
        parts.append("Valori: " + ", ".join(column.choices) + ".")
    return " ".join(p for p in parts if p)
