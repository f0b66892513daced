"""The upload template: an .xlsx generated from `schema.TABLES`, so it cannot drift from what the validator expects.

Sheets: "istruzioni" (how to fill it in and every column of every table explained in Italian), one sheet per table
(header, one example row, drop-down lists for the closed vocabularies, text format for text columns so that codes
such as '011' keep their zeros), and "elenchi" (the lists the drop-downs use). The validator ignores "istruzioni"
and "elenchi".
"""
from __future__ import annotations

import io

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


def build_template() -> bytes:
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
        _table_sheet(book, table, ranges, header_required, header_optional, text_cell, example)

    book.worksheets_objs.sort(key=lambda s: 0 if s.name == "istruzioni" else 2 if s.name == "elenchi" else 1)
    book.get_worksheet_by_name("istruzioni").activate()
    book.close()
    return buffer.getvalue()


def _table_sheet(book, table: Table, ranges, header_required, header_optional, text_cell, example) -> None:
    sheet = book.add_worksheet(table.name)
    for col, column in enumerate(table.columns):
        sheet.write_string(0, col, column.name, header_required if column.required else header_optional)
        sheet.write_comment(0, col, _comment(column), {"x_scale": 2.5, "y_scale": 1.5})
        width = max(12, min(45, len(column.name) + 4, len(column.example) + 4 if column.example else 99))
        sheet.set_column(col, col, max(width, len(column.name) + 3), text_cell if column.kind == "text" else None)
        if column.name == "ente":  # marked, so that an example row left in place is recognised (validate.py)
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


def _comment(column) -> str:
    parts = [column.help, "Obbligatoria." if column.required else "Facoltativa.", f"Tipo: {KIND_LABEL[column.kind]}."]
    if column.choices:
        parts.append("Valori: " + ", ".join(column.choices) + ".")
    return " ".join(p for p in parts if p)
