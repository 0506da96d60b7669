"""A small XLSX writer for the open data: sheets from row XML, packed into a zip whose members
may be joined from pieces deflated earlier.

openpyxl writes a cell at a time (about 0.5 ms a row of the catalogue); here a row is one string,
and a sheet's rows are deflated in pieces that the next build reuses when their rows did not
change (site/exportcache.py). Rows and cells carry no `r` reference (both are optional in
SpreadsheetML: a row follows the one before, a cell the one on its left), so a row's XML does not
depend on its position and an inserted row changes one piece only. Strings are inline
(`inlineStr`), not in a shared table, for the same reason. No MkDocs here.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from openpyxl.utils import get_column_letter

# cellXfs of STYLES, by position
PLAIN, HEADER, DAY = 0, 1, 2
_EPOCH = date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system (past the 1900 leap-year bug)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = f"{_REL}/hyperlink"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# ----------------------------------------------------------------- cells and rows
def _escape(text: str) -> str:
    # a carriage return is kept as a reference: XML readers turn a literal one into a line feed
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;")


def cell(value: object, style: int = PLAIN) -> str:
    """One cell's XML. Text must already be free of characters XML 1.0 refuses (opendata._text_cell)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f"<c{s}/>"
    if isinstance(value, bool):
        return f'<c{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c{s} t="n"><v>{value}</v></c>'
    if isinstance(value, float) and math.isfinite(value):
        return f'<c{s} t="n"><v>{value!r}</v></c>'
    if isinstance(value, date) and not isinstance(value, datetime):
        return f'<c{s} t="n"><v>{value.toordinal() - _EPOCH}</v></c>'
    text = value if isinstance(value, str) else str(value)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f'<c{s} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def row(cells: Iterable[str]) -> str:
    return "<row>" + "".join(cells) + "</row>"


# ----------------------------------------------------------------- deflated pieces
@dataclass(frozen=True)
class Piece:
    """Raw deflate data ending on a byte boundary (not final), the CRC-32 and length of its text."""
    data: bytes
    crc: int
    size: int


def deflate(text: bytes, level: int = 6) -> Piece:
    """A piece that can be followed by any other: compressed on its own, then a sync flush."""
    squeeze = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Piece(squeeze.compress(text) + squeeze.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(text), len(text))


_END = b"\x03\x00"  # an empty final block (fixed Huffman): what closes a chain of pieces
_POLY = 0xEDB88320


def _multiply(a: int, b: int) -> int:
    """a * b modulo the CRC-32 polynomial (reflected), as zlib's multmodp."""
    m, product = 1 << 31, 0
    while True:
        if a & m:
            product ^= b
            if (a & (m - 1)) == 0:
                return product
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


_X2N = [1 << 30]  # x^(2^k) modulo the polynomial, k = 0, 1, ...
for _ in range(31):
    _X2N.append(_multiply(_X2N[-1], _X2N[-1]))


def _x8n(n: int) -> int:
    """x^(8n) modulo the polynomial (zlib's x2nmodp(n, 3))."""
    p, k = 1 << 31, 3
    while n:
        if n & 1:
            p = _multiply(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return p


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A+B from those of A and B and the length of B (zlib's crc32_combine, which
    Python's zlib does not offer)."""
    return _multiply(_x8n(len2), crc1) ^ crc2


def chain(pieces: Sequence[Piece]) -> Piece:
    """The pieces one after another, closed: one zip member's deflate data."""
    crc, size = 0, 0
    for piece in pieces:
        crc = crc32_combine(crc, piece.crc, piece.size)
        size += piece.size
    return Piece(b"".join(p.data for p in pieces) + _END, crc, size)


# ----------------------------------------------------------------- sheets
@dataclass(frozen=True)
class SheetFrame:
    """What surrounds a sheet's rows: columns, a frozen header, a filter and hyperlinks."""
    widths: Sequence[float]
    frozen_header: bool = True
    rows: int = 0  # data rows (the filter covers the header and these); 0: no filter
    links: Sequence[tuple[int, int, str]] = ()  # (row, column, target), 1-based

    def head(self) -> bytes:
        view = ('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A1" sqref="A1"/>') if self.frozen_header else '<selection activeCell="A1" sqref="A1"/>'
        cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(self.widths, start=1))
        return (f'{_XML_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">{view}</sheetView>'
                f'</sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/><cols>{cols}</cols><sheetData>').encode()

    def filter_ref(self) -> str:
        return f"A1:{get_column_letter(len(self.widths))}{self.rows + 1}"

    def tail(self) -> bytes:
        parts = ["</sheetData>"]
        if self.rows:
            parts.append(f'<autoFilter ref="{self.filter_ref()}"/>')
        if self.links:
            parts.append("<hyperlinks>")
            parts.extend(f'<hyperlink ref="{get_column_letter(c)}{r}" r:id="rId{i}"/>' for i, (r, c, _t) in enumerate(self.links, start=1))
            parts.append("</hyperlinks>")
        parts.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>')
        return "".join(parts).encode()

    def rels(self) -> bytes:
        links = "".join(f'<Relationship Id="rId{i}" Type="{_HYPERLINK}" Target="{_attr(t)}" TargetMode="External"/>'
                        for i, (_r, _c, t) in enumerate(self.links, start=1))
        return f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">{links}</Relationships>'.encode()


@dataclass(frozen=True)
class Sheet:
    title: str
    frame: SheetFrame
    body: Sequence[Piece]  # the rows, deflated (header row included)


STYLES = (f'{_XML_DECL}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/></numFmts>'
          '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
          '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _quoted_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def workbook(sheets: Sequence[Sheet], title: str, description: str, language: str, at: datetime) -> bytes:
    """The XLSX file: the sheets in order, the first one active, document properties."""
    ct_sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(sheets) + 1))
    content_types = (f'{_XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                     '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                     '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                     f"{ct_sheets}</Types>")
    root_rels = (f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">'
                 f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                 f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
                 f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>')
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    core = (f'{_XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape(title)}</dc:title><dc:description>{_escape(description)}</dc:description>"
            f"<dc:language>{_escape(language)}</dc:language><dc:creator>sangkien</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (f'{_XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>sangkien</Application></Properties>")
    listed = "".join(f'<sheet name="{_attr(s.title)}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, start=1))
    filters = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                      f"{_escape(_quoted_sheet(s.title))}!{_absolute(s.frame.filter_ref())}</definedName>"
                      for i, s in enumerate(sheets) if s.frame.rows)
    book = (f'{_XML_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{listed}</sheets>" + (f"<definedNames>{filters}</definedNames>" if filters else "") + "</workbook>")
    book_rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                        for i in range(1, len(sheets) + 1))
    book_rels = (f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">{book_rels}'
                 f'<Relationship Id="rId{len(sheets) + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>')
    members: list[tuple[str, Piece]] = [
        ("[Content_Types].xml", _whole(content_types.encode())),
        ("_rels/.rels", _whole(root_rels.encode())),
        ("docProps/core.xml", _whole(core.encode())),
        ("docProps/app.xml", _whole(app.encode())),
        ("xl/workbook.xml", _whole(book.encode())),
        ("xl/_rels/workbook.xml.rels", _whole(book_rels.encode())),
        ("xl/styles.xml", _whole(STYLES.encode())),
    ]
    for i, sheet in enumerate(sheets, start=1):
        members.append((f"xl/worksheets/sheet{i}.xml", chain([deflate(sheet.frame.head()), *sheet.body, deflate(sheet.frame.tail())])))
        if sheet.frame.links:
            members.append((f"xl/worksheets/_rels/sheet{i}.xml.rels", _whole(sheet.frame.rels())))
    return zip_bytes(members)


def _absolute(ref: str) -> str:
    """A1:V10 -> $A$1:$V$10."""
    out = []
    for part in ref.split(":"):
        letters = part.rstrip("0123456789")
        out.append(f"${letters}${part[len(letters):]}")
    return ":".join(out)


def _whole(text: bytes) -> Piece:
    return chain([deflate(text)])


# ----------------------------------------------------------------- zip
_DOS_TIME, _DOS_DATE = 0, (1980 - 1980) << 9 | 1 << 5 | 1  # 1980-01-01 00:00: the same bytes for the same content


def zip_bytes(members: Sequence[tuple[str, Piece]]) -> bytes:
    """A zip of deflated members (no zip64: the open data stays far below 4 GB)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, piece in members:
        raw = name.encode("utf-8")
        flags = 0x800  # names in UTF-8
        local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, flags, 8, _DOS_TIME, _DOS_DATE, piece.crc, len(piece.data),
                            piece.size, len(raw), 0) + raw
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, flags, 8, _DOS_TIME, _DOS_DATE, piece.crc,
                                   len(piece.data), piece.size, len(raw), 0, 0, 0, 0, 0, offset) + raw)
        out.extend((local, piece.data))
        offset += len(local) + len(piece.data)
    directory = b"".join(central)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join(out) + directory + end
