"""The attack corpus: files made to crash, exhaust or fool the reader, one per known attack on the file level.

    python tests/attack/make_attack_files.py FOLDER      # writes every file into FOLDER

Nothing is committed but this script: tests/test_upload_attacks.py writes the files into a temporary folder, and
bench/bench_attack.py into bench/out/attack/. The output is deterministic (fixed zip timestamps, no randomness).
The workbooks are written by hand, part by part, because the attacks are in what no spreadsheet program writes:
a cell at XFD1048576, tags with a namespace prefix, a DTD, a zip that lies about its sizes.

Each entry of FILES is `name -> (builder, what the reader must say)`; the test checks the message.
"""
from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

from openpyxl.utils import get_column_letter

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
ZIP_TIME = (2020, 3, 31, 12, 0, 0)
HEADER = ["ente", "anno", "codice", "titolo", "missione", "programma"]  # the «aree» table, enough to look real
MB = 1 << 20


# ------------------------------------------------------------------ writing workbooks part by part

def inline(ref: str, text: str, p: str = "") -> str:
    return f'<{p}c r="{ref}" t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'


def header_row(p: str = "") -> str:
    cells = "".join(inline(f"{chr(65 + i)}1", name, p) for i, name in enumerate(HEADER))
    return f'<{p}row r="1">{cells}</{p}row>'


def sheet_xml(rows: str, p: str = "", before_data: str = "", after_data: str = "", prolog: str = "") -> str:
    """A worksheet; with p = 'x:' every tag carries the namespace prefix x (calamine reads it all the same)."""
    ns = f'xmlns:{p[:-1]}="{MAIN_NS}"' if p else f'xmlns="{MAIN_NS}"'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}<{p}worksheet {ns} xmlns:r="{REL_NS}">'
            f'{before_data}<{p}sheetData>{rows}</{p}sheetData>{after_data}</{p}worksheet>')


def workbook(sheets: dict[str, str | bytes], shared: list[str] | None = None, hidden: dict[str, str] | None = None,
             workbook_prolog: str = "") -> bytes:
    """An .xlsx from sheet XML (name -> XML), optional shared strings and sheet states (name -> 'hidden', ...)."""
    hidden = hidden or {}
    entries = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1))
            + ('<Override PartName="/xl/sharedStrings.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
               if shared is not None else "")
            + "</Types>"),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">'
                        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{workbook_prolog}'
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            + "".join(f'<sheet name="{name}" sheetId="{i}"'
                      + (f' state="{hidden[name]}"' if name in hidden else "") + f' r:id="rId{i}"/>'
                      for i, name in enumerate(sheets, 1))
            + "</sheets></workbook>"),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL_NS}">'
            + "".join(f'<Relationship Id="rId{i}" Type="{SHEET_REL}" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(sheets) + 1))
            + (f'<Relationship Id="rId{len(sheets) + 1}" Type="{SST_REL}" Target="sharedStrings.xml"/>'
               if shared is not None else "")
            + "</Relationships>"),
    }
    for i, xml in enumerate(sheets.values(), 1):
        entries[f"xl/worksheets/sheet{i}.xml"] = xml
    if shared is not None:
        entries["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN_NS}" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">' + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>")
    return zip_of(entries)


def zip_of(entries: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return out.getvalue()


def raw_zip(members: list[tuple[str, bytes, int, int]], directory: list[tuple[str, int]]) -> bytes:
    """A zip written by hand: `members` are (name, deflated data, CRC, size it declares), each stored once; the
    central directory lists `directory` (name, index of the member its data is): several names may share one member's
    data, and a member may declare a size other than its real one. What zip bombs are made of."""
    body, offsets = b"", []
    for name, deflated, crc, declared in members:
        offsets.append(len(body))
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(deflated), declared,
                            len(name.encode()), 0) + name.encode() + deflated
    listing = b""
    for name, index in directory:
        _, deflated, crc, declared = members[index]
        listing += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(deflated), declared,
                               len(name.encode()), 0, 0, 0, 0, 0, offsets[index]) + name.encode()
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), len(listing), len(body), 0)
    return body + listing + end


def deflated(data: bytes) -> tuple[bytes, int]:
    squeezer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return squeezer.compress(data) + squeezer.flush(), zlib.crc32(data)


def deflate_spaces(size: int) -> tuple[bytes, int]:
    """`size` spaces (XML whitespace), deflated in pieces (never held whole in memory), and their CRC."""
    squeezer, crc, out, piece = zlib.compressobj(9, zlib.DEFLATED, -15), 0, [], b" " * MB
    for _ in range(size // MB):
        out.append(squeezer.compress(piece))
        crc = zlib.crc32(piece, crc)
    out.append(squeezer.flush())
    return b"".join(out), crc


def one_sheet(rows: str, name: str = "aree", **options) -> bytes:
    return workbook({name: sheet_xml(header_row(options.get("p", "")) + rows, **options)})


# ------------------------------------------------------------------ the attacks

def cell_far_away(ref: str, p: str = "") -> bytes:
    """A header and one number at `ref`: the parsers build the grid from A1 to it (XFD1048576: 17 billion cells)."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return one_sheet(f'<{p}row r="{row}"><{p}c r="{ref}"><{p}v>1</{p}v></{p}c></{p}row>', p=p)


def prefixed_rows(count: int) -> bytes:
    """Rows written as <x:row>, which a count of '<row ' does not see."""
    rows = "".join(f'<x:row r="{r}"><x:c r="A{r}"><x:v>{r}</x:v></x:c></x:row>' for r in range(2, count + 2))
    return one_sheet(rows, p="x:")


def wide_header(columns: int) -> bytes:
    cells = "".join(f'<c r="{get_column_letter(i + 1)}1"><v>{i}</v></c>' for i in range(columns))
    return workbook({"aree": sheet_xml(f'<row r="1">{cells}</row>')})


def shared_string_copies(length: int, cells: int) -> bytes:
    """One shared string of `length` characters in `cells` cells: calamine copies it into each."""
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, cells + 2))
    return workbook({"aree": sheet_xml(header_row() + rows)}, shared=["x" * length])


def three_large_sheets() -> bytes:
    """Three sheets each within the limit (1.500.000 cells from A1 to O100000), 4.500.000 together."""
    sheet = sheet_xml('<row r="100000"><c r="O100000"><v>1</v></c></row>')
    return workbook({"aree": sheet, "obiettivi": sheet, "indicatori": sheet})


def cells_without_reference(count: int) -> bytes:
    """A row of cells with no r attribute: each takes the column after the one before."""
    return workbook({"aree": sheet_xml('<row r="1">' + "<c><v>1</v></c>" * count + "</row>")})


def nested(depth: int) -> bytes:
    return workbook({"aree": sheet_xml(header_row(), before_data="<a>" * depth + "</a>" * depth)})


LAUGHS = ('<!DOCTYPE worksheet [<!ENTITY l0 "ha">'
          + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)) + "]>\n")


def billion_laughs() -> bytes:
    """Entity expansion: &l9; is 10^9 times 'ha'. No parser may ever expand it."""
    return workbook({"aree": sheet_xml(header_row() + '<row r="2">' + inline("A2", "&l9;") + "</row>", prolog=LAUGHS)})


def billion_laughs_in_workbook_xml() -> bytes:
    return workbook({"aree": sheet_xml(header_row())}, workbook_prolog=LAUGHS)


def external_entity() -> bytes:
    """XXE: an entity that reads a file of the server into a cell."""
    prolog = '<!DOCTYPE worksheet [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>\n'
    return workbook({"aree": sheet_xml(header_row() + '<row r="2">' + inline("A2", "&passwd;") + "</row>", prolog=prolog)})


def nul_in_text() -> bytes:
    return one_sheet('<row r="2">' + inline("A2", "CCIAA\x00di Cremona") + "</row>")


def not_utf8() -> bytes:
    xml = sheet_xml(header_row() + '<row r="2">' + inline("A2", "Competitivit@") + "</row>").encode()
    return workbook({"aree": xml.replace(b"Competitivit@", "Competitività".encode("cp1252"))})


def long_tag() -> bytes:
    return one_sheet(f'<row r="2"><c r="A2" x="{"a" * (2 * MB)}"><v>1</v></c></row>')


def escaped_reference() -> bytes:
    """r="&#88;FD1048576": a character reference calamine does not resolve and openpyxl does."""
    return one_sheet('<row r="2"><c r="&#88;FD1048576"><v>1</v></c></row>')


def declared_dimension() -> bytes:
    return workbook({"aree": sheet_xml(header_row(), before_data='<dimension ref="A1:XFD1048576"/>')})


def hidden_sheet(state: str) -> bytes:
    return workbook({"aree": sheet_xml(header_row()), "istruzioni": sheet_xml("")}, hidden={"aree": state})


def zip_lying_about_size() -> bytes:
    """A sheet that declares 1 KB and inflates to 300 MB."""
    valid = zipfile.ZipFile(io.BytesIO(one_sheet("")))
    members = [(i.filename, *deflated(valid.read(i.filename)), i.file_size) for i in valid.infolist()
               if i.filename != "xl/worksheets/sheet1.xml"]
    members.append(("xl/worksheets/sheet1.xml", *deflate_spaces(300 * MB), 1024))
    return raw_zip(members, [(name, i) for i, (name, *_) in enumerate(members)])


def zip_overlapping() -> bytes:
    """40 directory entries over the same 10 MB of deflated data: 400 MB from a file of a few KB."""
    members = [("xl/workbook.xml", *deflate_spaces(10 * MB), 10 * MB)]
    return raw_zip(members, [("xl/workbook.xml", 0)] + [(f"xl/worksheets/sheet{i}.xml", 0) for i in range(1, 40)])


def many_parts(count: int) -> bytes:
    entries = {"xl/workbook.xml": "<workbook/>"}
    entries.update({f"xl/media/p{i}.xml": "" for i in range(count)})
    return zip_of(entries)


# ------------------------------------------------------------------ CSV attacks

def csv_header() -> str:
    return ";".join(HEADER) + "\n"


def csv_long_line() -> bytes:
    return (csv_header() + "x" * (2 * MB) + "\n").encode()


def csv_many_columns(count: int) -> bytes:
    return (";".join(f"c{i}" for i in range(count)) + "\n").encode()


def csv_too_many_cells() -> bytes:
    """70.000 rows of 30 columns: 2.100.000 cells, each one character."""
    return (";".join(f"c{i}" for i in range(30)) + "\n" + (";".join("1" * 30) + "\n") * 70_000).encode()


def csv_huge_cell() -> bytes:
    return (csv_header() + '"' + "x" * 200_000 + '";2019;a;b;c;d\n').encode()


def csv_quote_never_closed() -> bytes:
    return (csv_header() + 'CCIAA;2019;"a\n' + ("testo;testo\n" * 200_000)).encode()


def csv_nul() -> bytes:
    return (csv_header() + "CCIAA di Cremona;2019;A;t;m;p\n" * 200 + "CCIAA\x00;2019;A;t;m;p\n").encode()


def csv_mixed_encoding() -> bytes:
    """One line as UTF-8, the next as Windows-1252: no single decoding reads both."""
    return (csv_header().encode() + "CCIAA di Cremona;2019;A1;Competitività;m;p\n".encode("utf-8")
            + "CCIAA di Cremona;2019;A2;Competitività;m;p\n".encode("cp1252"))


def csv_utf16() -> bytes:
    return (csv_header() + "CCIAA di Cremona;2019;A1;t;m;p\n").encode("utf-16")


def csv_undefined_byte() -> bytes:
    return csv_header().encode() + b"CCIAA di Cremona;2019;A1;t\x81;m;p\n"


def csv_million_rows(path: Path) -> None:
    """1.000.000 rows, written in blocks (the tests never hold it whole but once, as the upload would)."""
    with path.open("wb") as handle:
        handle.write(b"data;ora;importo\n")
        block = b"01/01/2020;12:00;1,5\n" * 10_000
        for _ in range(100):
            handle.write(block)


# name -> (builder, a piece of the message the reader must give; the message starts with "File <name>")
FILES = {
    "cella_xfd1048576.xlsx": (lambda: cell_far_away("XFD1048576"),
                              "foglio aree: la cella XFD1048576 è nella colonna XFD, oltre il limite di 256 colonne"),
    "cella_xfd1000.xlsx": (lambda: cell_far_away("XFD1000"), "foglio aree: la cella XFD1000 è nella colonna XFD"),
    "cella_xfd_prefissata.xlsx": (lambda: cell_far_away("XFD1048576", "x:"),
                                  "foglio aree: la cella XFD1048576 è nella colonna XFD"),
    "riga_1048576.xlsx": (lambda: cell_far_away("A1048576"),
                          "foglio aree: la cella A1048576 è alla riga 1.048.576, oltre il limite di 101.000 righe"),
    "riga_vuota_1048576.xlsx": (lambda: one_sheet('<row r="1048576"/>'),
                                "foglio aree: la riga 1.048.576 è oltre il limite di 101.000 righe"),
    "area_oltre_il_limite.xlsx": (lambda: cell_far_away("T100500"),
                                  "foglio aree: l'area da A1 all'ultima cella (100.500 righe × 20 colonne) ha "
                                  "2.010.000 celle, oltre il limite di 2.000.000 per foglio"),
    # the message of the count before parsing (after parsing, the old reader said only "..., oltre il limite di 100.000.")
    "righe_prefissate.xlsx": (lambda: prefixed_rows(150_000), "foglio aree: 150.001 righe, oltre il limite di 100.000: "
                                                              "non sembra una relazione sulla performance"),
    "colonne_16384.xlsx": (lambda: wide_header(16_384), "foglio aree: la cella XFD1 è nella colonna XFD"),
    "celle_senza_riferimento.xlsx": (lambda: cells_without_reference(300),
                                     "foglio aree: una riga ha 300 celle, oltre il limite di 256 colonne"),
    "dimensione_dichiarata.xlsx": (declared_dimension,
                                   "foglio aree: l'area dichiarata dal foglio (A1:XFD1048576) finisce nella colonna XFD"),
    "fogli_oltre_il_limite.xlsx": (three_large_sheets, "i fogli coprono già 3.000.000 celle da A1 all'ultima (il più "
                                                       "grande, foglio aree, 1.500.000), oltre il limite di 2.000.000"),
    "testo_condiviso_1000.xlsx": (lambda: shared_string_copies(MB, 1_000),
                                  "foglio aree: le celle ripetono testi condivisi per 1.049 MB in tutto, oltre il "
                                  "limite di 100 MB"),
    "testo_condiviso_20000.xlsx": (lambda: shared_string_copies(MB, 20_000), "ripetuto in 20.000 celle"),
    "zip_dimensione_falsa.xlsx": (zip_lying_about_size, "dimensione diversa da quella dichiarata"),
    "zip_sovrapposto.xlsx": (zip_overlapping, "possibile «zip bomb»"),
    "zip_molte_parti.xlsx": (lambda: many_parts(20_000), "l'archivio contiene 20.001 parti, oltre il limite di 10.000"),
    "xml_annidato.xlsx": (lambda: nested(1_000_000), "ha elementi XML annidati per più di 100 livelli"),
    "miliardo_di_risate.xlsx": (billion_laughs, "la parte xl/worksheets/sheet1.xml contiene una dichiarazione DTD"),
    "miliardo_di_risate_workbook.xlsx": (billion_laughs_in_workbook_xml, "la parte xl/workbook.xml contiene una dichiarazione DTD"),
    "entita_esterna.xlsx": (external_entity, "contiene una dichiarazione DTD o di entità"),
    "carattere_nul.xlsx": (nul_in_text, "la parte xl/worksheets/sheet1.xml contiene il carattere nullo (NUL)"),
    "non_utf8.xlsx": (not_utf8, "la parte xl/worksheets/sheet1.xml non è codificata in UTF-8 (byte 0xE0)"),
    "elemento_lunghissimo.xlsx": (long_tag, "contiene un elemento XML lungo più di 1 MB"),
    "riferimento_con_entita.xlsx": (escaped_reference, "foglio aree: riferimento di cella non valido ('&#88;FD1048576')"),
    "riga_lunghissima.csv": (csv_long_line, "riga 2: la riga supera 1.000.000 caratteri, il limite"),
    "colonne_16384.csv": (lambda: csv_many_columns(16_384), "riga 1: 16.384 colonne, oltre il limite di 256"),
    "celle_oltre_il_limite.csv": (csv_too_many_cells, "più di 2.000.000 celle"),
    "cella_enorme.csv": (csv_huge_cell, "riga 2: una cella supera 131.072 caratteri"),
    "virgolette_mai_chiuse.csv": (csv_quote_never_closed, "riga 2: una cella supera 131.072 caratteri"),
    "carattere_nul.csv": (csv_nul, "riga 202: contiene il carattere nullo (NUL)"),
    "codifica_mista.csv": (csv_mixed_encoding, "riga 3: codifica dei caratteri mista"),
    "utf16.csv": (csv_utf16, "è un testo UTF-16"),
    "byte_non_valido.csv": (csv_undefined_byte, "riga 2: il byte 0x81 non è un carattere né in UTF-8 né in Windows-1252"),
}
LAZY = {"un_milione_di_righe.csv": (csv_million_rows, "più di 100.000 righe, oltre il limite")}
# hidden sheets are read; validate refuses a table in one (name -> piece of the problem's message)
HIDDEN = {"foglio_nascosto.xlsx": lambda: hidden_sheet("hidden"),
          "foglio_molto_nascosto.xlsx": lambda: hidden_sheet("veryHidden")}


def build(folder: Path) -> dict[str, Path]:
    """Write every file into `folder`; name -> path."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, (builder, _) in FILES.items():
        paths[name] = folder / name
        paths[name].write_bytes(builder())
    for name, (writer, _) in LAZY.items():
        paths[name] = folder / name
        writer(paths[name])
    for name, builder in HIDDEN.items():
        paths[name] = folder / name
        paths[name].write_bytes(builder())
    return paths


if __name__ == "__main__":
    for name, path in build(Path(sys.argv[1])).items():
        print(f"{path.stat().st_size:>12,} {name}")
