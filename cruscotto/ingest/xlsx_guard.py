"""What an .xlsx asks a parser to build, read from its bytes before any parser sees it.

A workbook is a zip of XML parts. The parsers build in memory what the XML asks for: calamine makes a dense grid from
the first to the last cell (one cell at XFD1048576 asks for 17 billion cells) and copies a shared string into every
cell that points at it (one 1 MB string in 20.000 cells asks for 20 GB). Here every member is inflated in chunks with
our own cap, never trusting the sizes the zip declares, and each chunk is scanned with regular expressions: memory stays
at a few MB whatever the file, and each refusal is a ReadError naming file, sheet and the limit.

Tags may carry any namespace prefix (`<x:row>`, `<x:c>`: calamine matches local names only), so every pattern
allows one; a faster unprefixed pattern is used on the chunks that have no prefixed tag of interest.
"""
from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from array import array
from collections import Counter
from dataclasses import dataclass, field
from itertools import repeat, zip_longest
from pathlib import PurePosixPath
from typing import Protocol
from xml.etree import ElementTree

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from cruscotto.ingest.reader import (
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_INFLATED_BYTES,
    MAX_ROW_NUMBER,
    MAX_ROWS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_SHARED_TEXT_BYTES,
    MAX_WORKBOOK_CELLS,
    ZIP_MAGIC,
    ReadError,
    column_letter,
)
from cruscotto.present.formatting import integer as it

MAX_PARTS = 10_000  # members of the zip; Excel writes a few dozen
MAX_BOOK_PART_BYTES = 10_000_000  # xl/workbook.xml and its relationships, parsed whole (a real one is a few KB)
MAX_ELEMENT_BYTES = 1 << 20  # one start tag, comment or CDATA section: Excel writes none near this long
MAX_DEPTH = 100  # elements inside elements: a sheet goes about 6 deep
_CHUNK = 1 << 20

_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_SST_TYPE = "/sharedStrings"
_PLAIN_SHEET_TARGET = re.compile(r"(?:/xl/)?worksheets/[A-Za-z0-9_]+\.xml")

# --- patterns. Attribute values are quoted either way; `r` is the cell or row reference, `t="s"` a shared string.
_ATTR = rb"""(?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"]*"|'[^']*'))"""
_ANY_PREFIX = rb"""(?:[^\s<>/:=!?"']+:)?"""
_REF = rb"""\s+r\s*=\s*("[^"]*|'[^']*)["']"""  # the value after its opening quote, which stays (stripping it
# from a million cells would cost a pass: the quote is stripped with the letters or the digits instead)


def _tag(name: bytes, prefixed: bool) -> bytes:
    return b"<" + (_ANY_PREFIX if prefixed else b"") + name + rb"(?=[\s/>])"


def _both(build) -> dict[bool, re.Pattern]:
    return {prefixed: re.compile(build(prefixed), re.S) for prefixed in (False, True)}


# a cell or row start tag, with the value of its r attribute when it has one
_CELL = _both(lambda p: _tag(b"c", p) + b"(?:" + _ATTR + b"*?" + _REF + b")?")
_ROW = _both(lambda p: _tag(b"row", p) + b"(?:" + _ATTR + b"*?" + _REF + b")?")
_DIMENSION = _both(lambda p: _tag(b"dimension", p) + _ATTR + rb"""*?\s+ref\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SHEET_DATA = _both(lambda p: _tag(b"sheetData", p))
_FORMULA = _both(lambda p: _tag(b"f", p))
_MERGE = _both(lambda p: _tag(b"mergeCell", p))
_ERROR_CELL = _both(lambda p: _tag(b"c", p) + _ATTR + rb"""*?\s+t\s*=\s*(?:"e"|'e')""")  # an Excel error value
_SI = _both(lambda p: _tag(b"si", p))


def _shared_cell(prefixed: bool) -> bytes:
    """A cell of type s and the index in its <v>, skipping whatever elements come before the <v> (a formula, say)."""
    p = _ANY_PREFIX if prefixed else b""
    start = _tag(b"c", prefixed) + _ATTR + rb"""*?\s+t\s*=\s*(?:"s"|'s')""" + _ATTR + rb"*\s*>"
    until_v = rb"[^<]*(?:<(?!" + p + rb"v[\s>])(?!/" + p + rb"c>)[^<]*)*"
    return start + until_v + b"<" + p + b"v" + _ATTR + rb"*\s*>\s*(\d+)"


_SHARED_CELL = _both(_shared_cell)
_PREFIXED_NAME = re.compile(rb":(?:c|row|dimension|sheetData|f|mergeCell|si|v)[\s/>]")
_DECLARATION = re.compile(rb"<!(?i:doctype|entity)")
_NUL_REFERENCE = re.compile(rb"&#(?:0+|[xX]0+);")
_COMPLETE_TAG = re.compile(rb"</?[^\s<>/!?]+" + _ATTR + rb"*\s*/?>")
_QUOTED_E = (re.compile(rb'"e"'), re.compile(rb"'e'"))
_QUOTES = b"\"'"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz$" + _QUOTES
_DIGITS = b"0123456789$"


@dataclass
class Book:
    """What xl/workbook.xml says: each sheet's zip member and whether it is hidden."""
    parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip member of its XML
    hidden: dict[str, bool] = field(default_factory=dict)  # sheet name -> state hidden or veryHidden
    shared_strings: set[str] = field(default_factory=lambda: {"xl/sharedStrings.xml"})
    # every sheet's relationship points at xl/worksheets/<name>.xml the usual way (relative, or from /xl/): the part
    # any parser reads for it, so a parser may read a sheet as soon as that part has passed (reader.py's overlap)
    plain_parts: bool = False


@dataclass
class SheetScan:
    where: str  # "foglio aree", or "parte xl/worksheets/sheet9.xml" for a sheet XML no sheet name points at
    rows: int = 0
    rows_without_ref: int = 0
    cells: int = 0
    cells_without_ref: int = 0
    widest_row: int = 0  # cells in the widest row, counted only once a cell without a reference is met
    last_row: int = 0
    last_column: int = 0
    dimension: str | None = None
    data_started: bool = False
    formula: bool = False
    merge: bool = False
    error: bool = False  # a cell holds an Excel error value (t="e"): the reader puts its code back
    shared_refs: Counter = field(default_factory=Counter)  # shared-string index -> cells pointing at it (when needed)


@dataclass
class Scan:
    book: Book
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # zip member -> what its sheet asks for


def open_archive(data: bytes, file_name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ReadError(f"File {file_name}: il file è danneggiato o troncato e non si può aprire.") from None
    if len(members) > MAX_PARTS:
        raise ReadError(f"File {file_name}: l'archivio contiene {it(len(members))} parti, oltre il limite di "
                        f"{it(MAX_PARTS)}: non è una cartella di lavoro Excel normale. Non è stato aperto.")
    declared = sum(info.file_size for info in members)
    if declared > MAX_INFLATED_BYTES:
        raise too_big(file_name, declared)
    for info in members:
        name = info.filename
        if name.startswith("/") or "\\" in name or "\x00" in name or ".." in PurePosixPath(name).parts:
            raise _damaged(file_name, f"nome di parte non valido: {name!r}")
    if "xl/workbook.xml" not in archive.namelist():
        raise ReadError(f"File {file_name}: è un archivio compresso ma non una cartella di lavoro Excel (.xlsx).")
    return archive


class Progress(Protocol):
    """Told how far a scan has gone, for a parser to start on what has passed (reader.py's overlap)."""

    def opened(self, book: Book) -> None:
        """Every part but the sheets has passed: a parser may open the workbook (its shared strings, styles, ...)."""

    def cleared(self, member: str) -> None:
        """This sheet's part has passed, with the workbook-wide limits counted so far: a parser may read it."""


def scan(data: bytes, archive: zipfile.ZipFile, file_name: str, progress: Progress | None = None) -> Scan:
    """Inflate and scan every member, raising ReadError at the first limit crossed. The shared strings go first:
    the sheets are measured against them.

    With `progress`, the parts that are not sheets go next and the sheets last (the largest first: _scan_sheets),
    each reported once it has passed, so that a parser may read it while the next is scanned. The checks and the
    message are the same: the other parts do not change what is counted, and should any part be refused the scan
    starts again in the zip's order, so that the message names the first problem in that order, as without
    `progress`."""
    book = _read_book(data, archive, file_name)
    sheet_members = _sheet_members(archive, book)
    members = archive.infolist()
    lengths = _shared_string_lengths(data, [i for i in members if i.filename in book.shared_strings], file_name)
    # copies of shared strings are counted only when the longest, in every cell a workbook may have, could pass the cap
    count_shared = max(lengths, default=0) * MAX_WORKBOOK_CELLS > MAX_SHARED_TEXT_BYTES
    members = [info for info in members if info.filename not in book.shared_strings]
    result = Scan(book)
    if progress is None:
        for info in members:
            _scan_member(data, info, result, sheet_members, count_shared, file_name)
    else:
        try:
            for info in members:
                if info.filename not in sheet_members:
                    _scan_member(data, info, result, sheet_members, count_shared, file_name)
        except ReadError:
            return scan(data, archive, file_name)  # raises: that problem, or one in a sheet before it
        progress.opened(book)
        sheets = [info for info in members if info.filename in sheet_members]
        largest_first = len({info.filename for info in sheets}) == len(sheets)
        if largest_first:  # the parser's last sheet is the critical path: make it the smallest (see below)
            sheets.sort(key=lambda info: -info.file_size)
        try:
            _scan_sheets(data, sheets, result, sheet_members, count_shared, lengths, file_name, progress)
            _check_shared_text(result, lengths, file_name)
        except ReadError:
            if largest_first:  # the first problem in the zip's order, with its message, as without `progress`
                return scan(data, archive, file_name)
            raise
        result.sheets = {info.filename: result.sheets[info.filename] for info in members
                         if info.filename in result.sheets}  # in the zip's order, as without `progress`
        return result
    _check_shared_text(result, lengths, file_name)
    return result


def _scan_sheets(data: bytes, sheets: list[zipfile.ZipInfo], result: Scan, sheet_members: set[str],
                 count_shared: bool, lengths: array, file_name: str, progress: Progress) -> None:
    """The sheets' parts, each reported to `progress` once it has passed with the workbook-wide limits counted so
    far. The largest go first (when no member appears twice, whose counts would then add up in another order):
    the parser reads each sheet once it has passed, while the next is scanned, so what it still has to read when
    the scan ends is the last sheet scanned. Any refusal is given again by a scan in the zip's order."""
    copies, copied = {}, 0  # each sheet's copies of shared strings, and their total, kept as each sheet passes
    for info in sheets:
        _scan_member(data, info, result, sheet_members, count_shared, file_name)
        # this sheet's count only (a member may appear twice in a zip: its count then replaces the first):
        # summing every sheet again after each one would take thousands of sheets times their strings
        now = _sheet_copies(result.sheets[info.filename], lengths)
        copied += now - copies.get(info.filename, 0)
        copies[info.filename] = now
        if copied <= MAX_SHARED_TEXT_BYTES:  # else refused at the end
            progress.cleared(info.filename)


def _scan_member(data: bytes, info: zipfile.ZipInfo, result: Scan, sheet_members: set[str], count_shared: bool,
                 file_name: str) -> None:
    """Inflate one member (the caps hold for every one) and scan it: a sheet for what it asks a parser to build,
    another XML part for what any XML may not hold; then the workbook-wide cells."""
    if info.filename in sheet_members:
        names = {member: name for name, member in result.book.parts.items()}
        where = f"foglio {names[info.filename]}" if info.filename in names else f"parte {info.filename}"
        part = _Sheet(info.filename, file_name, result.sheets.setdefault(info.filename, SheetScan(where)), count_shared)
    elif info.filename.lower().endswith((".xml", ".rels")):
        part = _Part(info.filename, file_name)
    else:
        part = None  # images and the like: inflated (the caps hold for them too), not scanned
    for piece in _inflate_member(data, info, file_name, MAX_INFLATED_BYTES):
        if part:
            part.feed(piece)
    if part:
        part.close()
    _check_workbook_cells(result, file_name)


def _shared_string_lengths(data: bytes, members: list[zipfile.ZipInfo], file_name: str) -> array:
    """How long each shared string may be, in bytes of XML (an upper bound on its text). calamine reads
    xl/sharedStrings.xml, openpyxl the part the relationships name: if a file has both, each index gets the longer."""
    lengths = array("q")
    for info in members:
        part = _SharedStrings(info.filename, file_name)
        for piece in _inflate_member(data, info, file_name, MAX_SHARED_STRINGS_BYTES):
            part.feed(piece)
        part.close()
        lengths = array("q", map(max, zip_longest(lengths, part.lengths, fillvalue=0)))
    return lengths


# ------------------------------------------------------------------ workbook.xml

def _read_book(data: bytes, archive: zipfile.ZipFile, file_name: str) -> Book:
    book = Book()
    workbook = _small_part(data, archive, "xl/workbook.xml", file_name)
    rels_xml = _small_part(data, archive, "xl/_rels/workbook.xml.rels", file_name)
    if rels_xml is None:
        return book
    try:
        root = ElementTree.fromstring(workbook)
        rels = ElementTree.fromstring(rels_xml)
    except ElementTree.ParseError as exc:
        raise _damaged(file_name, exc) from None
    targets, plain = {}, set()
    for rel in rels:
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id")] = re.sub(r"[^/]+/\.\./", "", path)
        if _PLAIN_SHEET_TARGET.fullmatch(target):
            plain.add(rel.get("Id"))
        if rel.get("Type", "").endswith(_SST_TYPE):
            book.shared_strings.add(targets[rel.get("Id")])
    rel_ids = []
    for sheet in root.iter():
        if sheet.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        name = sheet.get("name", "")
        rel_ids.append(sheet.get(f"{_NS_REL}id"))
        book.parts[name] = targets.get(rel_ids[-1], "")
        book.hidden[name] = sheet.get("state", "visible") in ("hidden", "veryHidden")
    # one sheet per name and one part per sheet, each a plain target
    book.plain_parts = (bool(rel_ids) and set(rel_ids) <= plain and len(set(rel_ids)) == len(rel_ids) == len(book.parts)
                        and len(set(book.parts.values())) == len(rel_ids))
    return book


def _small_part(data: bytes, archive: zipfile.ZipFile, name: str, file_name: str) -> bytes | None:
    """A part parsed whole (workbook.xml, its relationships), inflated with a small cap and checked first."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    check = _Part(name, file_name)
    pieces = []
    for piece in _inflate_member(data, info, file_name, MAX_BOOK_PART_BYTES):
        check.feed(piece)
        pieces.append(piece)
    check.close()
    return b"".join(pieces)


def _sheet_members(archive: zipfile.ZipFile, book: Book) -> set[str]:
    """Every member a parser may read as a sheet: what workbook.xml points at, and anything under xl/worksheets/."""
    return set(book.parts.values()) | {n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")}


# ------------------------------------------------------------------ inflating

def _inflate_member(data: bytes, info: zipfile.ZipInfo, file_name: str, cap: int):
    """The inflated bytes of one member, in chunks, with our own cap (the sizes a zip declares can lie)."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ReadError(f"File {file_name}: compressione non supportata ({info.filename}); salvarlo di nuovo da Excel come .xlsx.")
    if info.flag_bits & 0x1:
        raise ReadError(f"File {file_name}: il contenuto è cifrato (protetto da password). Togliere la password e salvarlo di nuovo.")
    start = _data_offset(data, info, file_name)
    compressed = memoryview(data)[start:start + info.compress_size]
    if len(compressed) != info.compress_size:
        raise _damaged(file_name, "fine inattesa")
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    total = 0
    try:
        for offset in range(0, len(compressed), _CHUNK):
            chunk = bytes(compressed[offset:offset + _CHUNK])
            for piece in (chunk,) if inflater is None else _inflate(inflater, chunk):
                total += len(piece)
                if total > info.file_size:  # more than it declares: stop here, not at the cap
                    raise _damaged(file_name, f"{info.filename}: dimensione diversa da quella dichiarata")
                if total > cap:
                    if cap < MAX_INFLATED_BYTES:
                        raise ReadError(f"File {file_name}: la parte {info.filename} supera {it(cap / 1e6)} MB "
                                        "una volta decompressa: non è una cartella di lavoro Excel normale.")
                    raise too_big(file_name, total)
                yield piece
    except zlib.error as exc:
        raise _damaged(file_name, exc) from None
    if total != info.file_size:
        raise _damaged(file_name, f"{info.filename}: dimensione diversa da quella dichiarata")


def _inflate(inflater, chunk: bytes):
    """The inflated pieces of one compressed chunk, at most _CHUNK bytes each, one at a time (a chunk of a zip bomb
    inflates to a thousand times its size: the caller stops as soon as the count is wrong)."""
    data = inflater.decompress(chunk, _CHUNK)
    while True:
        yield data
        if not inflater.unconsumed_tail:
            return
        data = inflater.decompress(inflater.unconsumed_tail, _CHUNK)


def _data_offset(data: bytes, info: zipfile.ZipInfo, file_name: str) -> int:
    """Where the compressed bytes of `info` start (after its local header)."""
    header = data[info.header_offset:info.header_offset + zipfile.sizeFileHeader]
    if len(header) != zipfile.sizeFileHeader or header[:4] != ZIP_MAGIC:
        raise _damaged(file_name, f"{info.filename}: intestazione locale mancante")
    name_len, extra_len = int.from_bytes(header[26:28], "little"), int.from_bytes(header[28:30], "little")
    return info.header_offset + zipfile.sizeFileHeader + name_len + extra_len


def too_big(file_name: str, size: int) -> ReadError:
    return ReadError(
        f"File {file_name}: una volta decompresso occuperebbe {size / 1e6:.0f} MB o più, "
        f"oltre il limite di {MAX_INFLATED_BYTES // 1_000_000} MB (possibile «zip bomb»). Non è stato aperto.")


def _damaged(file_name: str, detail) -> ReadError:
    return ReadError(f"File {file_name}: il file è danneggiato o troncato e non si può aprire ({detail}).")


# ------------------------------------------------------------------ scanning XML in windows

class _Part:
    """One XML part fed in chunks and scanned in windows that end before a '<', so that no tag is ever cut in two.
    Every part: no DTD or entity declaration (no parser may expand entities: «billion laughs»), no NUL byte (not
    XML, or not UTF-8: the patterns would not see its tags), no element longer than MAX_ELEMENT_BYTES, no nesting
    deeper than MAX_DEPTH."""

    def __init__(self, member: str, file_name: str):
        self.member, self.file_name = member, file_name
        self.carry = b""  # from the last '<' of what came: the next window starts there
        self.depth = 0  # elements open at the end of the last window
        self.utf8 = codecs.getincrementaldecoder("utf-8")()  # only to check: the text is not kept

    def feed(self, piece: bytes) -> None:
        buffer = self.carry + piece
        cut = buffer.rfind(b"<")
        if cut == 0 and len(buffer) > MAX_ELEMENT_BYTES:
            if not _COMPLETE_TAG.match(buffer):  # a start tag, comment or CDATA section longer than the limit
                raise ReadError(f"File {self.file_name}: la parte {self.member} contiene un elemento XML lungo più di "
                                f"{MAX_ELEMENT_BYTES >> 20} MB, che Excel non scrive. Non è stato aperto.")
            cut = len(buffer)  # a whole tag, then text that holds no tag
        elif cut == 0:
            self.carry = buffer
            return
        elif cut < 0:
            cut = len(buffer)  # text alone
        self._window(buffer[:cut])
        self.carry = buffer[cut:]

    def close(self) -> None:
        if self.carry:
            self._window(self.carry)
            self.carry = b""

    def _window(self, window: bytes) -> None:
        # single bytes first (memchr: a few ms for 50 MB), patterns only where they may match
        if b"\x00" in window or (b"#" in window and _NUL_REFERENCE.search(window)):
            raise ReadError(f"File {self.file_name}: la parte {self.member} contiene il carattere nullo (NUL), che "
                            "Excel non scrive (o non è codificata in UTF-8). Non è stato aperto.")
        try:
            self.utf8.decode(window)
        except UnicodeDecodeError as exc:
            raise ReadError(f"File {self.file_name}: la parte {self.member} non è codificata in UTF-8 (byte "
                            f"0x{window[exc.start]:02X}): non è un file salvato da Excel, o è danneggiato. "
                            "Non è stato aperto.") from None
        if b"!" in window and _DECLARATION.search(window):
            raise ReadError(f"File {self.file_name}: la parte {self.member} contiene una dichiarazione DTD o di entità "
                            "(<!DOCTYPE, <!ENTITY), che Excel non scrive e che può far esplodere la lettura. "
                            "Non è stato aperto.")
        # tags opened minus tags closed, counted with a few C loops (declarations, comments and <?xml?> open none);
        # seen only at window ends, which is enough: a nesting that costs memory is far longer than a window
        change = window.count(b"<") - 2 * window.count(b"</")  # at most what it is: the other counts only subtract
        if self.depth + change > MAX_DEPTH:
            change -= window.count(b"/>") + window.count(b"<!") + window.count(b"<?")
        self.depth += change
        if self.depth > MAX_DEPTH:
            raise ReadError(f"File {self.file_name}: la parte {self.member} ha elementi XML annidati per più di "
                            f"{MAX_DEPTH} livelli, che Excel non scrive. Non è stato aperto.")


class _SharedStrings(_Part):
    """xl/sharedStrings.xml: the bytes from each <si> to the next (its text is in there)."""

    def __init__(self, member: str, file_name: str):
        super().__init__(member, file_name)
        self.lengths = array("q")
        self.current: int | None = None  # bytes so far of the string still open at the end of the last window

    def _window(self, window: bytes) -> None:
        super()._window(window)
        pieces = _SI[_prefixed(window)].split(window)  # one C loop, not a Python step per string
        if self.current is not None:
            self.current += len(pieces[0])
        if len(pieces) > 1:
            if self.current is not None:
                self.lengths.append(self.current)
            self.lengths.extend(map(len, pieces[1:-1]))
            self.current = len(pieces[-1])

    def close(self) -> None:
        super().close()
        if self.current is not None:
            self.lengths.append(self.current)
            self.current = None


class _Sheet(_Part):
    """A worksheet: rows, cells, the last row and column any cell or row points at, the dimension it declares, and
    the shared strings its cells copy."""

    def __init__(self, member: str, file_name: str, sheet: SheetScan, count_shared: bool):
        super().__init__(member, file_name)
        self.sheet = sheet
        self.count_shared = count_shared
        self.open_row_cells = 0  # cells of the row still open at the end of the last window

    def _window(self, window: bytes) -> None:
        super()._window(window)
        sheet = self.sheet
        prefixed = _prefixed(window)
        if not sheet.data_started:
            self._header(window, prefixed)
        rows = _ROW[prefixed].findall(window)
        sheet.rows += len(rows)
        if sheet.rows > MAX_ROWS:
            return  # only counted from here on, to say how many in the message
        plain = None if prefixed else _plain_cells(window)
        if plain is not None:  # every cell as Excel writes it, within the limits: counted from numpy's reading
            cell_count, unreferenced = plain[0], False
            self._count_cells(cell_count)
            sheet.last_column, sheet.last_row = max(sheet.last_column, plain[1]), max(sheet.last_row, plain[2])
        else:
            cells = _CELL[prefixed].findall(window)
            cell_count = len(cells)
            self._count_cells(cell_count)
            refs = list(filter(None, cells))
            sheet.cells_without_ref += len(cells) - len(refs)
            unreferenced = len(cells) > len(refs)
            if refs:
                self._cell_refs(refs)
        row_refs = list(map(bytes.lstrip, filter(None, rows), repeat(_QUOTES)))
        sheet.rows_without_ref += len(rows) - len(row_refs)
        if row_refs:  # after the cells: a message naming a cell says more
            self._row_refs(row_refs)
        self._row_widths(window, prefixed, len(rows), cell_count, unreferenced=unreferenced)
        sheet.formula = sheet.formula or _FORMULA[prefixed].search(window) is not None
        sheet.merge = sheet.merge or _MERGE[prefixed].search(window) is not None
        sheet.error = sheet.error or (_may_hold_error(window) and _ERROR_CELL[prefixed].search(window) is not None)
        if self.count_shared:
            sheet.shared_refs.update(_SHARED_CELL[prefixed].findall(window))
        self._check_area()

    def _count_cells(self, count: int) -> None:
        self.sheet.cells += count
        if self.sheet.cells > MAX_CELLS:
            raise ReadError(f"File {self.file_name}, {self.sheet.where}: più di {it(MAX_CELLS)} celle, oltre il "
                            f"limite di {it(MAX_CELLS)} per foglio. Non è stato letto.")

    def _row_widths(self, window: bytes, prefixed: bool, rows: int, cells: int, unreferenced: bool) -> None:
        """Cells in the widest row, counted only where a cell has no reference (its column is the one after the
        cell before it). A row may span windows: the cells of the one still open are carried to the next window."""
        if not rows:
            self.open_row_cells += cells
            widths = [self.open_row_cells]
        elif unreferenced:
            starts = [match.start() for match in _ROW[prefixed].finditer(window)]
            bounds = [0, *starts, len(window)]
            widths = [len(_CELL[prefixed].findall(window, a, b)) for a, b in zip(bounds, bounds[1:])]
            widths[0] += self.open_row_cells
            self.open_row_cells = widths[-1]
        else:
            self.open_row_cells = len(_CELL[prefixed].findall(window, _last_row_start(window, prefixed)))
            return
        if unreferenced:
            self.sheet.widest_row = max(self.sheet.widest_row, *widths)

    def _row_refs(self, refs: list[bytes]) -> None:
        last_row = self._last_row(refs, refs, "riga")
        if last_row > MAX_ROW_NUMBER:
            raise ReadError(f"File {self.file_name}, {self.sheet.where}: la riga {it(last_row)} è oltre il limite di "
                            f"{it(MAX_ROW_NUMBER)} righe. Cancellare le righe dopo i dati, anche se sembrano vuote, e "
                            "salvare di nuovo. Non è stato letto.")
        self.sheet.last_row = max(self.sheet.last_row, last_row)

    def _header(self, window: bytes, prefixed: bool) -> None:
        """The <dimension ref> written before the data: the area the sheet says it uses."""
        data = _SHEET_DATA[prefixed].search(window)
        match = _DIMENSION[prefixed].search(window[:data.start()] if data else window)
        if match and self.sheet.dimension is None:
            self.sheet.dimension = (match[1] or match[2] or b"").decode("ascii", "replace")
        self.sheet.data_started = data is not None

    def close(self) -> None:
        super().close()
        if self.sheet.rows > MAX_ROWS:
            raise ReadError(f"File {self.file_name}, {self.sheet.where}: {it(self.sheet.rows)} righe, oltre il limite di "
                            f"{it(MAX_ROWS)}: non sembra una relazione sulla performance. Non è stato letto.")
        last = (self.sheet.dimension or "").split(":")[-1].strip().encode()
        if last:  # checked after the cells, whose messages say more
            self._check_position(last, f"l'area dichiarata dal foglio ({self.sheet.dimension}) finisce")

    def _cell_refs(self, refs: list[bytes]) -> None:
        sheet = self.sheet
        plain = _plain_refs(refs)
        if plain is not None:  # the usual window: the same limits, on numbers numpy reads from the joined references
            columns, rows = plain
            last_column, last_row = int(columns.max()), int(rows.max())
            if last_column > MAX_COLUMNS:  # the first cell in that column, as below
                ref = refs[int(np.argmax(columns == last_column))]
                self._check_position(ref, f"la cella {_shown(ref)} è")
            sheet.last_column = max(sheet.last_column, last_column)
            if last_row > MAX_ROW_NUMBER:
                ref = refs[int(np.argmax(rows == last_row))]
                self._check_position(ref, f"la cella {_shown(ref)} è")
            sheet.last_row = max(sheet.last_row, last_row)
            return
        # the column letters of all cells are a handful of distinct values: check those, not the million cells
        columns = {letters: _column_number(letters) for letters in set(map(bytes.rstrip, refs, repeat(_DIGITS)))}
        if None in columns.values():
            self._refuse_ref(next(r for r in refs if columns[r.rstrip(_DIGITS)] is None), "cella")
        last_column = max(columns.values())
        if last_column > MAX_COLUMNS:
            ref = next(r for r in refs if columns[r.rstrip(_DIGITS)] == last_column)
            self._check_position(ref, f"la cella {_shown(ref)} è")
        sheet.last_column = max(sheet.last_column, last_column)
        last_row = self._last_row(list(map(bytes.lstrip, refs, repeat(_LETTERS))), refs, "cella")
        if last_row > MAX_ROW_NUMBER:
            ref = next(r for r in refs if r.lstrip(_LETTERS).lstrip(b"0") == str(last_row).encode())
            self._check_position(ref, f"la cella {_shown(ref)} è")
        sheet.last_row = max(sheet.last_row, last_row)

    def _last_row(self, numbers: list[bytes], refs: list[bytes], what: str) -> int:
        """The largest of the row numbers (digits, in the same order as `refs`), refusing any that is not one."""
        if not b"".join(numbers).isdigit() or max(map(len, numbers)) > 7 or not min(numbers).strip(b"0"):
            # min: a number of zeros alone sorts before every other number (with no zero it is not one)
            self._refuse_ref(next(r for r, n in zip(refs, numbers) if not n.isdigit() or len(n) > 7
                                  or not n.strip(b"0")), what)
        # compared as text padded to the same width: one C loop instead of a million int()s
        return int(max(map(bytes.rjust, numbers, repeat(7), repeat(b"0"))))

    def _check_position(self, ref: bytes, subject: str) -> None:
        """Refuse a cell reference beyond the last column or row, or whose area from A1 is too large."""
        letters = ref.rstrip(_DIGITS)
        digits = ref[len(letters):].replace(b"$", b"")
        column = _column_number(letters)
        if column is None or not digits.isdigit() or len(digits) > 7 or int(digits) == 0:
            self._refuse_ref(ref, "cella")
        row = int(digits)
        where = f"File {self.file_name}, {self.sheet.where}"
        if column > MAX_COLUMNS:
            raise ReadError(f"{where}: {subject} nella colonna {column_letter(column - 1)}, oltre il limite di "
                            f"{MAX_COLUMNS} colonne (fino alla {column_letter(MAX_COLUMNS - 1)}). Cancellare le colonne "
                            "dopo i dati, anche se sembrano vuote, e salvare di nuovo. Non è stato letto.")
        if row > MAX_ROW_NUMBER:
            raise ReadError(f"{where}: {subject} alla riga {it(row)}, oltre il limite di {it(MAX_ROW_NUMBER)} righe. "
                            "Cancellare le righe dopo i dati, anche se sembrano vuote, e salvare di nuovo. "
                            "Non è stato letto.")
        if row * column > MAX_CELLS:
            raise ReadError(f"{where}: {subject} in {column_letter(column - 1)}{row}: l'area da A1 ha {it(row * column)} "
                            f"celle, oltre il limite di {it(MAX_CELLS)} per foglio. Cancellare le righe e le colonne "
                            "dopo i dati e salvare di nuovo. Non è stato letto.")

    def _check_area(self) -> None:
        """The grid a parser builds: from A1 to the last row and column (a cell without a reference continues from
        the one before it, so each may add a column; a row without one, a row)."""
        sheet = self.sheet
        rows, columns = _grid(sheet)
        if sheet.cells_without_ref and columns > MAX_COLUMNS:
            raise ReadError(f"File {self.file_name}, {sheet.where}: una riga ha {it(sheet.widest_row)} celle, oltre il "
                            f"limite di {MAX_COLUMNS} colonne. Non è stato letto.")
        if rows * columns > MAX_CELLS:
            raise ReadError(f"File {self.file_name}, {sheet.where}: l'area da A1 all'ultima cella ({it(rows)} righe × "
                            f"{it(columns)} colonne) ha {it(rows * columns)} celle, oltre il limite di {it(MAX_CELLS)} "
                            "per foglio. Cancellare le righe e le colonne dopo i dati, anche se sembrano vuote, e "
                            "salvare di nuovo. Non è stato letto.")

    def _refuse_ref(self, ref: bytes, what: str) -> None:
        raise ReadError(f"File {self.file_name}, {self.sheet.where}: riferimento di {what} non valido "
                        f"({_shown(ref)!r}): il file non è stato salvato da Excel o è "
                        "danneggiato. Non è stato letto.")


def _shown(ref: bytes) -> str:
    return ref.lstrip(_QUOTES)[:20].decode("ascii", "replace")


def _grid(sheet: SheetScan) -> tuple[int, int]:
    """Rows and columns of the grid a parser builds for a sheet: from A1 to the last row and column referenced (a
    row without a reference comes after the one before it; a cell without one after the cell before it, in the
    row, so its column is at most the last referenced column plus the cells of the widest row)."""
    columns = max(sheet.last_column, 1) + (sheet.widest_row if sheet.cells_without_ref else 0)
    return sheet.last_row + sheet.rows_without_ref, columns


def _last_row_start(window: bytes, prefixed: bool) -> int:
    """Where the last row tag starts in `window` (searched from the end when tags have no prefix)."""
    pattern = _ROW[prefixed]
    if prefixed:
        return [match.start() for match in pattern.finditer(window)][-1]
    end = len(window)
    while (start := window.rfind(b"<row", 0, end)) >= 0:
        if pattern.match(window, start):
            return start
        end = start
    return 0


# each byte of the joined references: -1 other, 0 the line break between two, 1 quote, 2 capital letter, 3 digit
_REF_CLASS = np.full(256, -1, dtype=np.int8)
_REF_CLASS[ord("\n")], _REF_CLASS[[ord('"'), ord("'")]] = 0, 1
_REF_CLASS[ord("A"):ord("Z") + 1], _REF_CLASS[ord("0"):ord("9") + 1] = 2, 3
# which byte may follow which (index: class before × 4 + class after): quote, letters, digits, line break, quote...
_REF_STEP = np.zeros(16, dtype=bool)
_REF_STEP[[0 * 4 + 1, 1 * 4 + 2, 2 * 4 + 2, 2 * 4 + 3, 3 * 4 + 3, 3 * 4 + 0]] = True


def _plain_refs(refs: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """The column and row numbers of cell references (each with its opening quote) when every one is plain, as
    Excel writes them: 1 to 3 capital letters, then a row number of 1 to 7 digits not starting with 0 (no '$', no
    lower case). Read from the references joined into one string, a few numpy loops instead of five Python calls
    per cell (which cost a third of the scan of the 100k-row workbook). None if any is not plain: the caller checks
    them one by one, naming the first that is wrong."""
    if not refs:
        return None
    joined = np.frombuffer(b"\n".join(refs), dtype=np.uint8)
    kinds = _REF_CLASS[joined]
    if kinds[0] != 1 or kinds[-1] != 3 or (kinds < 0).any() or not _REF_STEP[kinds[:-1] * 4 + kinds[1:]].all():
        return None
    starts = np.flatnonzero(kinds == 1)  # the quote opening each reference
    digits = np.flatnonzero(kinds[:-1] * 4 + kinds[1:] == 2 * 4 + 3) + 1  # the first digit of each
    ends = np.append(np.flatnonzero(kinds == 0), len(kinds))  # just after the last digit of each
    if not len(starts) == len(digits) == len(ends) == len(refs):
        return None  # a reference holding a line break and a quote: not plain
    letter_count, digit_count = digits - starts - 1, ends - digits
    if letter_count.max() > 3 or digit_count.max() > 7 or (joined[digits] == ord("0")).any():
        return None
    columns, rows = np.zeros(len(refs), dtype=np.int64), np.zeros(len(refs), dtype=np.int64)
    for place in range(3):  # 'AB' is 1 × 26 + 2: the last letter counts 1, the one before it 26, ...
        present = letter_count > place
        columns[present] += (joined[digits[present] - 1 - place].astype(np.int64) - 64) * 26 ** place
    for place in range(7):
        present = digit_count > place
        rows[present] += (joined[ends[present] - 1 - place].astype(np.int64) - 48) * 10 ** place
    return columns, rows


# the bytes that may follow a tag's name: what (?=[\s/>]) accepts
_TAG_END = np.zeros(256, dtype=bool)
_TAG_END[list(b" \t\n\r\x0b\x0c/>")] = True
_REF_SPAN = np.arange(11)  # a plain reference and its closing quote: at most 3 letters, 7 digits, '"'


def _plain_cells(window: bytes) -> tuple[int, int, int] | None:
    """(cells, last column, last row) of a window without prefixed tags whose every cell tag is as Excel writes it,
    `<c r="` and a plain reference (as _plain_refs takes it: 1 to 3 capital letters, 1 to 7 digits not starting
    with 0) then '"', each within MAX_COLUMNS and MAX_ROW_NUMBER; else None, and the caller reads the window with
    _CELL, which counts, checks and names every cell as always. The same cell tags as _CELL finds ('<c' then a
    space, '/' or '>'), found by numpy: _CELL's findall made a bytes object for each of the 1,1 million cells of
    the 100k-row workbook, with _plain_refs 0,32 s of its 0,68 s scan."""
    data = np.frombuffer(window + bytes(16), dtype=np.uint8)  # the zeros: room to look past the last byte
    size = len(window)
    starts = (data[:size] == ord("<")) & (data[1:size + 1] == ord("c"))
    tags = np.flatnonzero(starts)
    tags = tags[_TAG_END[data[tags + 2]]]
    if not len(tags):
        return 0, 0, 0
    if not ((data[tags + 2] == ord(" ")) & (data[tags + 3] == ord("r")) & (data[tags + 4] == ord("="))
            & (data[tags + 5] == ord('"'))).all():
        return None
    span = sliding_window_view(data, len(_REF_SPAN))[tags + 6]  # the reference and what follows it, a row a cell
    letter = (span - np.uint8(ord("A"))) < 26  # wraps below 'A': one comparison
    digit = (span - np.uint8(ord("0"))) < 10
    letters = np.argmin(letter, axis=1)  # the first byte that is not a capital letter
    end = np.argmin(digit | (_REF_SPAN < letters[:, None]), axis=1)  # the first after them that is not a digit
    cells = np.arange(len(tags))
    if (letters.min() < 1 or letters.max() > 3 or (end - letters).min() < 1 or (end - letters).max() > 7
            or (span[cells, end] != ord('"')).any() or (span[cells, letters] == ord("0")).any()):
        return None
    wide = span.astype(np.int64)
    columns = np.zeros(len(tags), dtype=np.int64)
    for place in range(3):  # 'AB' is 1 × 26 + 2, as in _plain_refs: Horner, one letter at a time
        columns = np.where(place < letters, columns * 26 + wide[:, place] - 64, columns)
    numbers = np.zeros(len(tags), dtype=np.int64)
    for place in range(1, len(_REF_SPAN) - 1):
        numbers = np.where((place >= letters) & (place < end), numbers * 10 + wide[:, place] - 48, numbers)
    last_column, last_row = int(columns.max()), int(numbers.max())
    if last_column > MAX_COLUMNS or last_row > MAX_ROW_NUMBER:
        return None  # _CELL's reading names the cell
    return len(tags), last_column, last_row


def _may_hold_error(window: bytes) -> bool:
    """Whether an error cell (t="e") can be in `window`: its quoted "e" is found by memchr-speed searches, where the
    pattern would try every cell tag (a quarter of the scan of a 100k-row sheet). A literal pattern, not `in`:
    re looks for its first byte with memchr and compares the rest there, where bytes.__contains__ skips by the
    last byte, a quote, met every few bytes of a sheet (half the time on the 100k-row workbook)."""
    return _QUOTED_E[0].search(window) is not None or _QUOTED_E[1].search(window) is not None


def _prefixed(window: bytes) -> bool:
    """Whether a window has prefixed tags of interest (then the slower patterns that allow a prefix are used)."""
    return b":" in window and _PREFIXED_NAME.search(window) is not None


def _column_number(letters: bytes) -> int | None:
    letters = letters.lstrip(_QUOTES).replace(b"$", b"").upper()
    if not letters or len(letters) > 3 or not letters.isalpha() or not letters.isascii():
        return None
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


# ------------------------------------------------------------------ workbook-wide limits

def _check_shared_text(result: Scan, lengths: array, file_name: str) -> None:
    """Each cell of type s gets its own copy of the shared string once parsed: the copies must fit."""
    if not lengths:
        return
    total, worst = 0, None
    for member, sheet in result.sheets.items():
        copies = _sheet_copies(sheet, lengths)
        total += copies
        if worst is None or copies > worst[1]:
            index, count = max(((int(i), n) for i, n in sheet.shared_refs.items() if int(i) < len(lengths)),
                               key=lambda pair: lengths[pair[0]] * pair[1], default=(0, 0))
            worst = (sheet.where, copies, index, count)
    if total > MAX_SHARED_TEXT_BYTES:
        where, _, index, count = worst
        raise ReadError(
            f"File {file_name}, {where}: le celle ripetono testi condivisi per {it(total / 1e6)} MB in tutto, "
            f"oltre il limite di {it(MAX_SHARED_TEXT_BYTES / 1e6)} MB (per esempio un testo di "
            f"{it(lengths[index])} byte ripetuto in {it(count)} celle). Non è stato letto.")


def _sheet_copies(sheet: SheetScan, lengths: array) -> int:
    """The bytes of the copies of shared strings one sheet's cells point at."""
    return sum(lengths[int(i)] * n for i, n in sheet.shared_refs.items() if int(i) < len(lengths))


def _check_workbook_cells(result: Scan, file_name: str) -> None:
    """All sheets together: the grids the parser builds, and the cells it reads (a cell repeated is read twice)."""
    areas = {sheet.where: _grid(sheet)[0] * _grid(sheet)[1] for sheet in result.sheets.values()}
    cells = sum(sheet.cells for sheet in result.sheets.values())
    if sum(areas.values()) > MAX_WORKBOOK_CELLS:
        largest = max(areas, key=areas.get)
        raise ReadError(f"File {file_name}: i fogli coprono già {it(sum(areas.values()))} celle da A1 all'ultima (il più "
                        f"grande, {largest}, {it(areas[largest])}), oltre il limite di {it(MAX_WORKBOOK_CELLS)} per "
                        "file. Non è stato letto.")
    if cells > MAX_WORKBOOK_CELLS:
        raise ReadError(f"File {file_name}: i fogli hanno già {it(cells)} celle, oltre il limite di "
                        f"{it(MAX_WORKBOOK_CELLS)} per file. Non è stato letto.")
